"""Does judging outside the kernel make class grading slower? Before and after, in one run.

Grades the same generated class (every student hands in the instructor's solutions) twice with
``descent grade --workers N --no-feedback``: once with the course as it was at ``--before``
(default: the last commit whose hidden tests ran inside the student's kernel), checked out in a
temporary git worktree, and once with this working tree. Both use this interpreter, both run
their kernels sandboxed. Prints wall time, seconds per notebook and the ratio after/before.

    python tests/benchmarks/bench_judge.py [--students 16] [--workers 2] [--assignments 01_loss_functions]
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BEFORE = "3ae624d"


def _prepare(tree: Path, base: Path, assignments: list[str], students: int) -> Path:
    """A course copy of ``tree`` in ``base`` with the assignments released and the class submitted."""
    code = f"""
import sys
sys.path.insert(0, {str(tree)!r})
from pathlib import Path
from course.instructor.grading import CourseRoot
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.publish.release import release
root = CourseRoot.at({str(tree)!r}).copy_to({str(base)!r})
release(root, {assignments!r})
for a in {assignments!r}:
    nbs = {{p.stem: sample_submissions.read(p) for p in root.notebooks(a)}}
    for i in range({students}):
        sample_submissions.submit(root, f"student{{i:03d}}", a, nbs)
"""
    subprocess.run([sys.executable, "-c", code], check=True, env=_env(tree), capture_output=True)
    return base


def _env(tree: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(tree)}


def _grade(tree: Path, course: Path, assignments: list[str], workers: int) -> float:
    start = time.perf_counter()
    for assignment in assignments:
        subprocess.run([sys.executable, "-m", "course", "--root", str(course), "grade", assignment,
                        "--workers", str(workers), "--no-feedback"], check=True, env=_env(tree),
                       cwd=course, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--assignments", nargs="*", default=["01_loss_functions"])
    parser.add_argument("--before", default=BEFORE, help="git revision graded as 'before'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        old_tree = base / "before-tree"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(old_tree), args.before],
                       check=True, capture_output=True)
        try:
            courses = {"before": (old_tree, _prepare(old_tree, base / "before", args.assignments, args.students)),
                       "after": (REPO, _prepare(REPO, base / "after", args.assignments, args.students))}
            notebooks = args.students * len(args.assignments)
            times = {name: _grade(tree, course, args.assignments, args.workers)
                     for name, (tree, course) in courses.items()}
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)],
                           capture_output=True)
            shutil.rmtree(old_tree, ignore_errors=True)
    print(f"{args.students} students x {', '.join(args.assignments)} ({notebooks} notebooks), "
          f"descent grade --workers {args.workers} --no-feedback, sandboxed")
    print(f"{'':32} {'wall':>8} {'s/notebook':>11}")
    for name, seconds in times.items():
        label = f"before ({args.before}, tests in kernel)" if name == "before" else "after (judged in the grader)"
        print(f"{label:32} {seconds:8.1f} {seconds / notebooks:11.2f}")
    print(f"ratio after/before: {times['after'] / times['before']:.2f}")


if __name__ == "__main__":
    main()
