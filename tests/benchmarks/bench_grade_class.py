"""Grading a class against stock nbgrader as instructors run it, and against the floor, in one run.

Every student hands in the instructor's solutions. Timed, for the same class:

- **stock**: one ``nbgrader autograde ASSIGNMENT`` process for the whole class, with nbgrader's
  own executor (no sandbox): what an instructor runs. With ``--per-student`` also one process
  per student (``--student S``), labelled so;
- ``descent grade --workers 1`` and ``--workers 2`` (sandboxed, hidden tests judged in the grader);
- **the floor**: the cells' own time. Each source notebook runs once in a plain kernel; the
  time from each code cell's start to its end is summed, the setup cell (imports) excluded.

No feedback in any of them. Prints wall time, seconds per notebook, the ratio to stock and to
the floor.

    python tests/benchmarks/bench_grade_class.py [--students 16] [--assignments 01_loss_functions ...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from course.instructor.grading import CourseRoot, nbgrader_run, submissions  # noqa: E402
from course.instructor.grading.batch import grade_class  # noqa: E402
from course.instructor.grading.release import release  # noqa: E402

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


def cells_time(notebook: Path) -> float:
    """Seconds the code cells of ``notebook`` take in a plain kernel: the first (imports) and test cells excluded."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(notebook), as_version=4)  # test cells are judged in the grader, not run here
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    NotebookClient(nb, timeout=600, record_timing=True, resources={"metadata": {"path": str(notebook.parent)}}).execute()
    total = 0.0
    for cell in [c for c in nb.cells if c.cell_type == "code"][1:]:
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("iopub.status.idle")
        if start and end:
            total += (datetime.fromisoformat(end.rstrip("Z")) - datetime.fromisoformat(start.rstrip("Z"))).total_seconds()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--assignments", nargs="*", default=["01_loss_functions"])
    parser.add_argument("--per-student", action="store_true", help="also time one stock process per student")
    args = parser.parse_args()
    assignments, n_students = args.assignments, args.students
    notebooks = [p for a in assignments for p in CourseRoot.at(REPO).notebooks(a)]
    n_nb = n_students * len(notebooks)
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = _course(base, "stock", assignments, n_students)
        with open(root.path / "nbgrader_config.py", "a") as config:  # nbgrader's own executor, no sandbox
            config.write(STOCK_EXECUTION)
        start = time.perf_counter()
        for assignment in assignments:
            nbgrader_run.autograde(root, assignment, db_url=root.gradebook_url)
        timings["stock: one nbgrader autograde for the class"] = time.perf_counter() - start
        if args.per_student:
            root = _course(base, "stock1", assignments, n_students)
            with open(root.path / "nbgrader_config.py", "a") as config:
                config.write(STOCK_EXECUTION)
            start = time.perf_counter()
            for assignment in assignments:
                for i in range(n_students):
                    nbgrader_run.autograde(root, assignment, f"student{i:03d}", db_url=root.gradebook_url)
            timings["stock, one process per student (not how it is run)"] = time.perf_counter() - start
        for workers in (1, 2):
            root = _course(base, f"descent{workers}", assignments, n_students)
            start = time.perf_counter()
            for assignment in assignments:
                grade_class(root, assignment, None, workers=workers, feedback=False, say=lambda _: None,
                            progress=False)
            timings[f"descent grade --workers {workers}"] = time.perf_counter() - start
        floor = {nb.parent.name: cells_time(nb) for nb in notebooks}
    floor_per_nb = sum(floor.values()) / len(notebooks)
    stock = timings["stock: one nbgrader autograde for the class"]
    print(f"{n_students} students x {', '.join(assignments)} = {n_nb} notebooks, no feedback")
    print(f"{'':52} {'wall s':>8} {'s/notebook':>11} {'vs stock':>9} {'/ floor':>8}")
    for label, seconds in timings.items():
        print(f"{label:52} {seconds:8.1f} {seconds / n_nb:11.2f} {stock / seconds:8.2f}x {seconds / n_nb / floor_per_nb:8.2f}")
    print(f"{'floor: the cells own time, imports excluded':52} {'':8} {floor_per_nb:11.2f}")
    for name, seconds in floor.items():
        print(f"  floor of {name}: {seconds:.2f} s")
    w1 = timings["descent grade --workers 1"] / n_nb
    print(f"a worker's time per notebook / floor: {w1 / floor_per_nb:.2f}")


if __name__ == "__main__":
    main()
