"""Grading a class against stock nbgrader as instructors run it, and against the floor, in one run.

Every student hands in the instructor's solutions. Timed, for the same class:

- **stock**: one ``nbgrader autograde ASSIGNMENT`` process for the whole class, with nbgrader's
  own executor and kernel manager (no sandbox): what an instructor runs. Its kernels start with
  the ``rng`` and ``call_and_report`` the judge would provide, so the hidden tests run in them as
  stock runs tests.
  With ``--per-student`` also one process per student (``--student S``), labelled so;
- ``descent grade --workers 1`` and ``--workers 2`` (sandboxed, hidden tests judged in the grader);
- ``descent grade --workers 2`` once more with ``MPLBACKEND=agg`` in the grader's environment: the
  same cells, but no figure is rendered or shown. Not a way to grade (the feedback loses every
  figure): it is there only to state what drawing the figures costs;
- **the floor**: the cells' own time. Each source notebook runs once in a plain kernel, in
  grading mode (``NBGRADER_EXECUTION=autograde``, as every graded kernel runs); the time from
  each code cell's start to its end is summed, the setup cell (imports) excluded. Then three
  times more with figures and three times with ``MPLBACKEND=agg``: the best of each says what
  drawing the figures costs the cells, free of the runs' fixed costs.

No feedback in any of them. Prints wall time, seconds per notebook, the ratio to stock and to
the floor, per assignment for one worker, and the load average before and after (the cores
are shared: only ratios within one run mean anything), whether every submission got the
same points per cell as with stock, and the figures each run's graded notebooks show (the
same work as stock only if they are stock's).

With ``--scale-out`` (needs PostgreSQL: ``--postgres URL`` or ``DESCENT_TEST_POSTGRES_URL``),
also students per minute with ``--workers 2`` on a PostgreSQL gradebook, and with
``--scheduler`` on a local Dask cluster of one and of two single-threaded workers, and what
1,000 students would take on N such machines.

    python tests/benchmarks/bench_grade_class.py [--students 16] [--assignments 01_loss_functions ...]
        [--per-student] [--scale-out [--postgres URL]]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from dask_cluster import local_cluster  # noqa: E402
from grading_harness import images, run_plainly  # noqa: E402

from course.instructor.grading import CourseRoot  # noqa: E402
from course.instructor.grading.batch import grade_class  # noqa: E402
from course.instructor.grading.core import nbgrader_run  # noqa: E402
from course.instructor.grading.publish import sample_submissions  # noqa: E402
from course.instructor.grading.publish.release import release  # noqa: E402
from course.instructor.grading.record.scores import read_student_scores  # noqa: E402

STOCK_EXECUTION = """
c.Execute.kernel_manager_class = "jupyter_client.manager.AsyncKernelManager"
# The hidden tests use `rng` and `call_and_report`, which the judge provides; in-kernel, stock needs them.
c.Execute.extra_arguments = [
    "--IPKernelApp.exec_lines=rng = __import__('numpy').random.default_rng()",
    "--IPKernelApp.exec_lines=from course.instructor.grading.judge.judge import call_and_report"]
c.Execute.timeout = 60  # the course's cell timeout (ResilientExecute.timeout), for nbgrader's own Execute
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
"""


def _course(base: Path, name: str, assignments: list[str], students: int, db_url: "str | None" = None) -> CourseRoot:
    root = CourseRoot.at(REPO).copy_to(base / name)
    root = root.with_gradebook(db_url) if db_url else root.with_own_gradebook()
    release(root, assignments)
    for assignment in assignments:
        nbs = {p.stem: sample_submissions.read(p) for p in root.notebooks(assignment)}
        for i in range(students):
            sample_submissions.submit(root, f"student{i:03d}", assignment, nbs)
    return root


def cells_time(notebook: Path, **env: str) -> "tuple[float, int]":
    """Seconds the code cells of ``notebook`` take in a plain kernel (the first, imports, excluded; test cells are
    judged in the grader, not run there), and the figures it shows."""
    nb = run_plainly(notebook, **env)
    total = 0.0
    for cell in [c for c in nb.cells if c.cell_type == "code"][1:]:
        timing = cell.metadata.get("execution", {})
        start, end = timing.get("iopub.execute_input"), timing.get("iopub.status.idle")
        if start and end:
            began, ended = (datetime.fromisoformat(t.rstrip("Z")) for t in (start, end))
            total += (ended - began).total_seconds()
    return total, images(nb)


def class_figures(root: CourseRoot, assignments: list[str]) -> int:
    """Figures shown in every graded notebook of the class."""
    return sum(images(sample_submissions.read(p)) for a in assignments for p in root.autograded.glob(f"*/{a}/*.ipynb"))


def _fresh_postgres_db(base_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url.rsplit("/", 1)[0] + f"/{name}"


def scale_out(base: Path, assignments: list[str], n_students: int, postgres: str) -> dict[str, float]:
    """Wall seconds to grade the class on a PostgreSQL gradebook: 2 local workers, Dask with 1 and 2 workers."""
    timings = {}
    for label, dask_workers in (("--workers 2, PostgreSQL gradebook", 0),
                                ("--scheduler: Dask, 1 worker x 1 thread, PostgreSQL", 1),
                                ("--scheduler: Dask, 2 workers x 1 thread, PostgreSQL", 2)):
        db = _fresh_postgres_db(postgres, f"descent_bench_{os.getpid()}_{dask_workers}")
        root = _course(base, f"pg{dask_workers}", assignments, n_students, db_url=db)
        with local_cluster(dask_workers) if dask_workers else contextlib.nullcontext() as address:
            start = time.perf_counter()
            for assignment in assignments:
                grade_class(root, assignment, None, workers=2, scheduler=address, feedback=False,
                            say=lambda _: None, progress=False)
            timings[label] = time.perf_counter() - start
    return timings


def class_scores(root: CourseRoot, assignments: list[str], n_students: int) -> dict:
    """Every student's points per graded cell, read back from ``root``'s gradebook."""
    return {(a, f"student{i:03d}"): read_student_scores(root, a, f"student{i:03d}")[0]
            for a in assignments for i in range(n_students)}


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--assignments", nargs="*", default=["01_loss_functions"])
    parser.add_argument("--per-student", action="store_true", help="also time one stock process per student")
    parser.add_argument("--scale-out", action="store_true", help="also PostgreSQL and a local Dask cluster")
    parser.add_argument("--postgres", default=os.environ.get("DESCENT_TEST_POSTGRES_URL", ""),
                        help="a PostgreSQL URL whose server may create databases (for --scale-out)")
    args = parser.parse_args()
    if args.scale_out and not args.postgres:
        parser.error("--scale-out needs --postgres URL (or DESCENT_TEST_POSTGRES_URL; .ci/start-postgres prints one)")
    assignments, n_students = args.assignments, args.students
    notebooks = [p for a in assignments for p in CourseRoot.at(REPO).notebooks(a)]
    n_nb = n_students * len(notebooks)
    timings, per_assignment, scaled, scores, figures = {}, {}, {}, {}, {}
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = _course(base, "stock", assignments, n_students)
        with open(root.path / "nbgrader_config.py", "a") as config:  # nbgrader's own executor, no sandbox
            config.write(STOCK_EXECUTION)
        start = time.perf_counter()
        for assignment in assignments:
            nbgrader_run.autograde(root, assignment)
        timings["stock: one nbgrader autograde for the class"] = time.perf_counter() - start
        scores["stock"] = class_scores(root, assignments, n_students)
        figures["stock"] = class_figures(root, assignments)
        if args.per_student:
            root = _course(base, "stock1", assignments, n_students)
            with open(root.path / "nbgrader_config.py", "a") as config:
                config.write(STOCK_EXECUTION)
            start = time.perf_counter()
            for assignment in assignments:
                for i in range(n_students):
                    nbgrader_run.autograde(root, assignment, f"student{i:03d}")
            timings["stock, one process per student (not how it is run)"] = time.perf_counter() - start
        for workers, backend in ((1, ""), (2, ""), (2, "agg")):
            label = f"descent grade --workers {workers}" + (", figures not drawn (MPLBACKEND=agg)" if backend else "")
            root = _course(base, f"descent{workers}{backend}", assignments, n_students)
            os.environ.pop("MPLBACKEND", None)  # unset: ipykernel's inline backend, as in stock's kernels
            if backend:
                os.environ["MPLBACKEND"] = backend
            start = time.perf_counter()
            for assignment in assignments:
                began = time.perf_counter()
                grade_class(root, assignment, None, workers=workers, feedback=False, say=lambda _: None,
                            progress=False)
                if workers == 1:
                    per_assignment[assignment] = time.perf_counter() - began
            timings[label] = time.perf_counter() - start
            os.environ.pop("MPLBACKEND", None)
            scores[label] = class_scores(root, assignments, n_students)
            figures[label] = class_figures(root, assignments)
        if args.scale_out:
            scaled = scale_out(base, assignments, n_students, args.postgres)
        floor, drawn = {}, 0
        for nb in notebooks:
            floor[nb], shown = cells_time(nb)
            drawn += shown * n_students
        # What the figures cost the cells themselves: best of three with and without (no fixed costs in it).
        best = {b: sum(min(cells_time(nb, MPLBACKEND=b)[0] for _ in range(3)) for nb in notebooks) / len(notebooks)
                for b in ("", "agg")}
    floor_per_nb = sum(floor.values()) / len(notebooks)
    stock = timings["stock: one nbgrader autograde for the class"]
    print(f"{n_students} students x {', '.join(assignments)} = {n_nb} notebooks, no feedback; "
          f"load average (1/5/15 min) before {load_before}, after {_load()} on {os.cpu_count()} cores")
    print(f"{'':62} {'wall s':>8} {'s/notebook':>11} {'vs stock':>9} {'/ floor':>8}")
    for label, seconds in timings.items():
        per_nb = seconds / n_nb
        print(f"{label:62} {seconds:8.1f} {per_nb:11.2f} {stock / seconds:8.2f}x {per_nb / floor_per_nb:8.2f}")
    print(f"{'floor: the cells own time, imports excluded':62} {'':8} {floor_per_nb:11.2f}")
    for assignment, seconds in per_assignment.items():
        own = [floor[nb] for nb in notebooks if nb.parent.name == assignment]
        per_nb = seconds / (n_students * len(own))
        print(f"  {assignment}: floor {sum(own) / len(own):.2f} s/notebook, one worker {per_nb:.2f} s/notebook "
              f"= {per_nb / (sum(own) / len(own)):.2f} x floor")
    w1 = timings["descent grade --workers 1"] / n_nb
    print(f"a worker's time per notebook / floor: {w1 / floor_per_nb:.2f}")
    print(f"figures shown in the graded notebooks: {drawn} drawn by the source notebooks in a plain kernel; "
          + ", ".join(f"{label.removeprefix('descent grade ')}: {n}" for label, n in figures.items()))
    off = ", figures not drawn (MPLBACKEND=agg)"
    drawing, not_drawing = timings["descent grade --workers 2"], timings[f"descent grade --workers 2{off}"]
    print(f"drawing the figures, --workers 2: {drawing:.1f} s with them, {not_drawing:.1f} s without "
          f"({(drawing - not_drawing) / n_nb:.2f} s per notebook, {drawing / not_drawing - 1:+.0%})")
    shown, hidden = best[""], best["agg"]
    print(f"the cells' own time, best of 3 per notebook: {shown:.2f} s with figures, {hidden:.2f} s without "
          f"(MPLBACKEND=agg): the figures cost {shown - hidden:.2f} s per notebook ({shown / hidden - 1:+.0%})")
    for label in [k for k in scores if k != "stock"]:
        differ = {}
        for key, cells in scores["stock"].items():
            for cell in sorted(set(cells) | set(scores[label].get(key, {}))):
                pair = (cells.get(cell), scores[label].get(key, {}).get(cell))
                if pair[0] != pair[1]:
                    differ.setdefault((cell, pair), []).append(key[1])
        same = "every cell of every submission the same" if not differ else "the same but for " + "; ".join(
            f"{cell} in {len(who)} submission(s) (stock {a}, descent {b})" for (cell, (a, b)), who in differ.items())
        print(f"points per cell, {label.removeprefix('descent grade ')} against stock: {same}")
    if scaled:
        n_students_total = n_students * len(assignments)
        print(f"\nscale-out (students/min; one student = {len(notebooks) // len(assignments) or 1} notebook(s) "
              "per assignment):")
        for label, seconds in scaled.items():
            print(f"{label:62} {seconds:8.1f} s {60 * n_students_total / seconds:8.1f} students/min")
        rate = 60 * n_students_total / scaled["--scheduler: Dask, 2 workers x 1 thread, PostgreSQL"]
        print("1,000 students on N machines like this one (2 single-threaded Dask workers each, "
              "if the PostgreSQL server keeps up): "
              + ", ".join(f"N={n}: {1000 / rate / n:.0f} min" for n in (1, 5, 10, 20)))


if __name__ == "__main__":
    main()
