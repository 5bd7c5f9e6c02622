"""How much does nbgrader add to running the notebooks? One student, the whole course.

Prints the wall time of ``nbgrader autograde`` of one student's submission of every
assignment (one nbgrader process per assignment, as an instructor runs it) against bare
``jupyter nbconvert --execute`` of the same notebooks, and the ratio. Run from the
repository root:

    python tests/benchmarks/bench_autograde.py
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from course.instructor.grading import CourseRoot  # noqa: E402
from course.instructor.grading.core import nbgrader_run  # noqa: E402
from course.instructor.grading.publish import sample_submissions  # noqa: E402


def main() -> None:
    course = CourseRoot.at(REPO)
    with tempfile.TemporaryDirectory() as tmp:
        root = course.copy_to(Path(tmp) / "course").with_own_gradebook()
        notebooks = []
        for assignment in root.assignments():
            nbgrader_run.generate_assignment(root, assignment)
            nbs = {p.stem: sample_submissions.read(p) for p in root.notebooks(assignment)}
            folder = sample_submissions.submit(root, "student", assignment, nbs)
            notebooks += sorted(folder.glob("*.ipynb"))

        start = time.perf_counter()
        for assignment in root.assignments():
            nbgrader_run.autograde(root, assignment)
        autograde = time.perf_counter() - start

        out = Path(tmp) / "executed"
        start = time.perf_counter()
        for nb in notebooks:
            subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                            "--output-dir", str(out), str(nb)], check=True, capture_output=True)
        bare = time.perf_counter() - start

        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--output-dir", str(out / "one"), *map(str, notebooks)], check=True, capture_output=True)
        bare_one_process = time.perf_counter() - start

    n = len(notebooks)
    print(f"notebooks: {n} (one student, {len(course.assignments())} assignments)")
    print(f"nbgrader autograde, one process per assignment: {autograde:7.1f} s  ({autograde / n:.2f} s per notebook)")
    print(f"jupyter nbconvert --execute, one process per nb: {bare:7.1f} s  ({bare / n:.2f} s per notebook)")
    print(f"jupyter nbconvert --execute, all in one process: {bare_one_process:7.1f} s  "
          f"({bare_one_process / n:.2f} s per notebook)")
    print(f"ratio autograde / nbconvert (per-notebook processes): {autograde / bare:.2f}")
    print(f"ratio autograde / nbconvert (one process):            {autograde / bare_one_process:.2f}")


if __name__ == "__main__":
    main()
