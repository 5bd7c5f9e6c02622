"""Grading a class three ways, in one run: stock nbgrader, `descent grade --workers 1`, `--workers 2`.

"Stock" is ``nbgrader autograde --student S`` per student and assignment with nbgrader's own
executor (no sandbox); ``descent grade`` runs the course's sandboxed, resilient executor.

Every student hands in the instructor's solutions of every released assignment. Prints
notebooks per minute for each way, the ratios, and the per-notebook time against bare
``jupyter nbconvert --execute`` of the same notebooks (one process each, as nbconvert is run).

    python tests/benchmarks/bench_grade_class.py [--students 100] [--assignments 01_loss_functions ...]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from course.grading import CourseRoot, nbgrader_run, submissions  # noqa: E402
from course.grading.batch import grade_class  # noqa: E402
from course.grading.release import release  # noqa: E402


STOCK_EXECUTION = """
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
"""


def _course(base: Path, name: str, assignments: list[str], students: int) -> CourseRoot:
    root = CourseRoot.at(REPO).copy_to(base / name)
    release(root, assignments)
    for assignment in assignments:
        nbs = {p.stem: submissions.read(p) for p in root.notebooks(assignment)}
        for i in range(students):
            submissions.submit(root, f"student{i:03d}", assignment, nbs)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--assignments", nargs="*")
    args = parser.parse_args()
    assignments = args.assignments or CourseRoot.at(REPO).assignments()
    n_students = args.students
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        n_nb = n_students * sum(len(CourseRoot.at(REPO).notebooks(a)) for a in assignments)
        timings = {}

        root = _course(base, "stock", assignments, n_students)
        with open(root.path / "nbgrader_config.py", "a") as config:  # nbgrader's own executor, no sandbox
            config.write(STOCK_EXECUTION)
        start = time.perf_counter()
        for assignment in assignments:
            for i in range(n_students):
                nbgrader_run.autograde(root, assignment, f"student{i:03d}", db_url=root.gradebook_url)
        timings["stock nbgrader autograde, one student after another"] = time.perf_counter() - start

        for workers in (1, 2):
            root = _course(base, f"descent{workers}", assignments, n_students)
            start = time.perf_counter()
            for assignment in assignments:
                grade_class(root, assignment, None, workers=workers, feedback=False, say=lambda _: None)
            timings[f"descent grade --workers {workers} (no feedback)"] = time.perf_counter() - start

        notebooks = [p for a in assignments for p in CourseRoot.at(REPO).notebooks(a)]
        reps = max(1, min(3, n_students))
        start = time.perf_counter()
        for _ in range(reps):
            for nb in notebooks:
                subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                                "--output-dir", str(base / "bare"), str(nb)], check=True, capture_output=True)
        bare_per_nb = (time.perf_counter() - start) / (reps * len(notebooks))

    print(f"{n_students} students x {len(assignments)} assignments = {n_nb} notebooks, 2 cores")
    stock = timings["stock nbgrader autograde, one student after another"]
    for label, seconds in timings.items():
        print(f"{label:55s} {seconds:8.1f} s  {60 * n_nb / seconds:6.1f} notebooks/min  "
              f"{seconds / n_nb:5.2f} s/notebook  x{stock / seconds:4.2f} vs stock")
    print(f"{'bare jupyter nbconvert --execute, one process per notebook':55s} {'':8s}    "
          f"{60 / bare_per_nb:6.1f} notebooks/min  {bare_per_nb:5.2f} s/notebook")
    w1 = timings["descent grade --workers 1 (no feedback)"] / n_nb
    print(f"per-notebook time, descent --workers 1 / bare nbconvert: {w1 / bare_per_nb:.2f}")


if __name__ == "__main__":
    main()
