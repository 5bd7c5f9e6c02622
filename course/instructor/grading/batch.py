"""``descent grade``: import a class's submissions, autograde them in parallel, export grades.

Workers are long-lived processes (local, or Dask workers with ``--scheduler``), each
grading one student at a time in-process with nbgrader (see :mod:`.autograde`).
Finished students go to a :class:`~.record.ledger.Ledger`; a re-run skips a student whose
submission is unchanged since it was recorded, so a killed run resumes and a
repeated run is a no-op. The parent process alone writes the ledger and outputs.
"""
from __future__ import annotations

import multiprocessing
import os
import resource
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nbgrader.api import MissingEntry

from .autograde import grade_student
from .core.cells import grade_ids
from .core.config import Submissions
from .core.coursedir import CourseError, CourseRoot
from .core.progress import Progress
from .core.runlock import grading_lock
from .intake import importing
from .publish import sample_submissions
from .record import export, gradebook_record
from .record.ledger import Ledger
from .record.scores import gradebook_students, read_scores, with_gradebook_scores
from .record.student_result import StudentResult
from .run.sandbox import SandboxedKernelManager, sandbox_decision
from .stage.staging import submission_digest


@dataclass
class ClassResult:
    """What ``descent grade`` did: per-student results and where it wrote them."""

    results: list[StudentResult]
    graded_now: list[str]
    skipped: list[str]
    csv_path: Path
    histogram_path: Path
    failed_now: list[str] = field(default_factory=list)  # students this run failed to grade


def grade_cell_order(root: CourseRoot, assignment: str) -> list[str]:
    """Graded cells' grade_ids (tests, manually graded answers, tasks) in the order the source notebooks show them."""
    order = []
    for path in root.notebooks(assignment):
        order += grade_ids(sample_submissions.read(path))
    return order


def assignment_max_scores(course: CourseRoot, assignment: str) -> dict[str, float]:
    """Max points per graded cell, from the gradebook."""
    with course.open_gradebook() as gb:
        try:
            a = gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook {gradebook_record.gradebook_name(course.db_url)}: "
                              "run `descent release` "
                              "(nbgrader generate_assignment) against it first") from None
        return {cell.name: float(cell.max_score) for nb in a.notebooks
                for cell in [*nb.grade_cells, *nb.task_cells]}


def _local_runner(course: CourseRoot, assignment: str, workers: int, feedback: bool):
    """Yield results as local worker processes finish; a dead worker is replaced and its students retried.

    Each worker's address space is capped (``c.Submissions.worker_memory_mb``).
    """
    memory_mb = Submissions(config=course.config).worker_memory_mb

    def run(students: list[str]):
        attempts = {s: 0 for s in students}
        pending = list(students)
        ctx = multiprocessing.get_context("spawn")
        while pending:
            retry = []
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=limit_worker_memory,
                                     initargs=(memory_mb,)) as pool:
                futures = {pool.submit(grade_student, course, assignment, s, feedback): s
                           for s in pending}
                for future in as_completed(futures):
                    student = futures[future]
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        attempts[student] += 1
                        if attempts[student] >= 2:
                            yield StudentResult(student, assignment, "error",
                                                "the grading worker died twice while grading this student")
                        else:
                            retry.append(student)
            pending = retry

    return run


def _dask_runner(scheduler: str, course: CourseRoot, assignment: str, feedback: bool):
    """Yield results as Dask workers finish, one task per student."""

    def run(students: list[str]):
        # Dask is needed only with --scheduler, and its import takes a second or more.
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler, timeout="30s") as client:
            futures = {client.submit(grade_student, course, assignment, s, feedback,
                                     key=f"grade-{assignment}-{s}", pure=False): s for s in students}
            for future in dask_completed(futures):
                student = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # e.g. KilledWorker after repeated worker deaths
                    yield StudentResult(student, assignment, "error", f"{type(exc).__name__}: {exc}")

    return run


def grade_class(course: CourseRoot, assignment: str, submissions_path: "str | Path | None" = None, *,
                workers: "int | None" = None, scheduler: "str | None" = None,
                feedback: bool = True, say: Callable[[str], None] = print,
                progress: bool = True, lms: "str | None" = None, pattern: "str | None" = None) -> ClassResult:
    """Import, autograde (in parallel) and export one assignment for a whole class.

    One run per course and assignment at a time: a second run waits for the first (see
    :mod:`.core.runlock`). ``lms`` names an LMS download preset and ``pattern`` is a regex for
    any other naming (see :mod:`.intake.lms_presets`). The gradebook is ``course``'s (:attr:`.CourseRoot.db_url`).
    """
    course.check_assignment(assignment)
    with grading_lock(course.grades(assignment) / ".grade.lock", f"descent grade {assignment}", say):
        return _grade_class(course, assignment, submissions_path, workers=workers,
                            scheduler=scheduler, feedback=feedback, say=say, progress=progress,
                            lms=lms, pattern=pattern)


def _grade_class(root: CourseRoot, assignment: str, submissions_path, *, workers, scheduler,
                 feedback, say, progress, lms, pattern) -> ClassResult:
    root = root.with_gradebook(root.db_url)  # resolved once, here: every worker grades into this one
    if scheduler and root.db_url.startswith("sqlite"):
        raise CourseError("--scheduler needs a gradebook every worker can reach: pass --db postgresql://...")
    workers = workers or os.cpu_count() or 1
    max_scores = assignment_max_scores(root, assignment)
    if submissions_path is not None:
        imported = importing.import_submissions(root, assignment, submissions_path, lms=lms, pattern=pattern,
                                                due_from_gradebook=True)
    else:
        imported = importing.import_folder(root, assignment, root.submitted)
    for line in imported.notes:
        say(line)
    importing.add_students(root, imported.students + imported.missing)

    out = gradebook_record.claim(root.grades(assignment), root.db_url, say)
    ledger = Ledger(out / "ledger.jsonl")
    known = ledger.latest()
    todo, skipped = [], []
    for student in imported.students:
        previous = known.get(student)
        if previous and previous.digest == submission_digest(root, assignment, student):
            skipped.append(student)
        else:
            todo.append(student)
    for student in imported.missing:
        if student not in known or known[student].status != "missing":
            ledger.append(StudentResult(student, assignment, "missing", f"no notebook for {assignment}"))
    say(f"{assignment}: {len(imported.students)} submissions ({len(todo)} to grade, "
        f"{len(skipped)} unchanged since last graded), {len(imported.missing)} missing; "
        + (f"Dask scheduler {scheduler}" if scheduler else f"{workers} local worker(s)"))

    warning = sandbox_note(SandboxedKernelManager(config=root.config).sandbox)
    if warning:
        say(warning)
    runner = (_dask_runner(scheduler, root, assignment, feedback) if scheduler
              else _local_runner(root, assignment, workers, feedback))
    bar = Progress(len(todo)) if progress else None
    failed_now = []
    for result in runner(todo) if todo else []:
        ledger.append(result)
        if result.status != "graded":
            failed_now.append(result.student)
        if bar:
            bar.update(failed=result.status != "graded")

    results, csv_path, hist_path = write_outputs(root, assignment, ledger, max_scores, say)
    if warning:
        say(warning)
    return ClassResult(results, todo, skipped, csv_path, hist_path, sorted(failed_now))


def write_outputs(root: CourseRoot, assignment: str, ledger: Ledger, max_scores: dict[str, float],
                  say: Callable[[str], None] = print) -> tuple[list[StudentResult], Path, Path]:
    """``grades.csv`` and ``scores.png`` next to ``ledger``: its students that the gradebook knows, with
    the gradebook's scores. A ledger line naming a student the gradebook lacks is reported, not listed.

    Returns the results listed and the two paths.
    """
    recorded = list(ledger.latest().values())
    enrolled = gradebook_students(root)
    unknown = sorted(r.student for r in recorded if r.student not in enrolled)
    if unknown:
        name = gradebook_record.gradebook_name(root.db_url)
        say(f"{ledger.path} names {len(unknown)} student(s) the gradebook {name} "
            f"does not know, left out of grades.csv: {', '.join(unknown)}")
    rows = read_scores(root, assignment)
    results = with_gradebook_scores([r for r in recorded if r.student in enrolled], root, assignment, rows)
    order = grade_cell_order(root, assignment)
    columns = [c for c in order if c in max_scores] + sorted(set(max_scores) - set(order))
    out = ledger.path.parent
    pending = {(row.student, row.grade_id) for row in rows if row.pending}
    csv_path = export.write_csv(out / "grades.csv", results, columns, max_scores, pending)
    hist_path = export.write_histogram(out / "scores.png", assignment,
                                       [r for r in results if r.status == "graded"], sum(max_scores.values()))
    say(f"wrote {csv_path} and {hist_path}")
    return results, csv_path, hist_path


def sandbox_note(setting: str) -> str:
    """A loud line when student code would run without the sandbox (``setting``: ``SandboxedKernelManager.sandbox``)."""
    mode, problem = sandbox_decision(setting)
    return f"ERROR: {problem}" if mode == "refuse" else f"WARNING: {problem}" if problem else ""


def limit_worker_memory(megabytes: int) -> None:
    """Cap this grading worker's own address space (a student's answers cannot exhaust the machine)."""
    if megabytes > 0:
        limit = megabytes * 2**20
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
