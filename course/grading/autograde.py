"""Autograde one student in this process with nbgrader's own converter.

A grading worker imports nbgrader once and then grades student after student, so
the ~2 s of imports and set-up that ``nbgrader autograde`` pays on every call is
paid once per worker. Every gradebook access is wrapped in :mod:`.dblock`, so that
parallel workers can share a SQLite gradebook.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import dblock, execute


@dataclass
class StudentResult:
    """What grading one student's submission of one assignment gave."""

    student: str
    assignment: str
    status: str  # "graded" or "error"
    message: str = ""
    scores: dict = field(default_factory=dict)  # grade_id -> points (None: not scored)
    max_scores: dict = field(default_factory=dict)  # grade_id -> max points
    digest: str = ""
    seconds: float = 0.0
    flags: list = field(default_factory=list)  # incidents for the instructor: timeouts, crashes, tampering

    @property
    def total(self) -> float:
        return float(sum(v for v in self.scores.values() if v is not None))


def submission_digest(root: "str | Path", assignment: str, student: str) -> str:
    """SHA-256 over the names and bytes of every file the student submitted for ``assignment``."""
    folder = Path(root) / "submitted" / student / assignment
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def _locked(cls):
    """A subclass of an nbgrader preprocessor that holds the gradebook lock while it runs."""

    def preprocess(self, nb, resources):
        with dblock.held():
            return super(locked, self).preprocess(nb, resources)

    locked = type(cls.__name__, (cls,), {"preprocess": preprocess})
    return locked


def _converter_classes():
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        GetGrades, IgnorePattern, LimitOutput, OverwriteCells,
                                        OverwriteKernelspec, SaveAutoGrades)

    class LockedAutograde(Autograde):
        sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec,
                                  _locked(OverwriteCells), CheckCellMetadata]
        autograde_preprocessors = [execute.ResilientExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                   _locked(SaveAutoGrades), _locked(AssignLatePenalties), CheckCellMetadata]

        def init_assignment(self, assignment_id, student_id):
            with dblock.held():
                super().init_assignment(assignment_id, student_id)

    class LockedFeedback(GenerateFeedback):
        def _init_preprocessors(self):
            super()._init_preprocessors()
            self.exporter._preprocessors = [
                _locked(type(p))(parent=self.exporter) if isinstance(p, GetGrades) else p
                for p in self.exporter._preprocessors
            ]

    return LockedAutograde, LockedFeedback


def load_config(root: Path, db_url: str):
    """The course's ``nbgrader_config.py``, with its root and gradebook URL set."""
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.db_url = db_url
    return cfg


def _run(converter_cls, cfg, assignment: str, student: str, log: logging.Logger) -> None:
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    converter = converter_cls(coursedir=coursedir, config=cfg)
    converter.log = log
    converter.force = True
    if hasattr(converter, "create_student"):
        converter.create_student = True
    converter.start()


def read_student_scores(db_url: str, assignment: str, student: str) -> tuple[dict, dict]:
    """``(scores, max_scores)`` by grade_id for one student's submission, from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    scores, maxima = {}, {}
    with dblock.held(), Gradebook(db_url) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return scores, maxima
        for nb in submission.notebooks:
            for grade in nb.grades:
                scores[grade.name] = None if grade.auto_score is None else float(grade.score)
                maxima[grade.name] = float(grade.max_score)
    return scores, maxima


STAGING = ".descent-staging"


def stage_submission(root: Path, assignment: str, student: str) -> tuple[list[str], list[str], int]:
    """Copy the student's readable notebooks (converted to nbformat 4) to the staging folder nbgrader reads.

    Returns ``(problems, flags, n_notebooks)``: problems make a notebook ungradable
    (not JSON, empty, wrong format, missing); flags are worth the instructor's review
    (conversion, tampering with locked cells).
    """
    import shutil

    import nbformat

    from .inspection import NotANotebook, load_submitted, repair, risky_code, tampering

    source = root / "submitted" / student / assignment
    dest = root / STAGING / student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    problems, flags, count = [], [], 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".ipynb":
            shutil.copy2(path, target)
            continue
        try:
            nb, note = load_submitted(path)
        except NotANotebook as exc:
            problems.append(str(exc))
            continue
        if note:
            flags.append(note)
        released = root / "release" / assignment / path.name
        if released.exists():
            reference = nbformat.read(str(released), as_version=4)
            flags += [f"{path.stem}: {r}" for r in risky_code(nb, reference)]
            changes = tampering(nb, reference)
            if changes:
                flags += [f"{path.stem}: {t}" for t in changes]
                nb = repair(nb, reference)
        nbformat.write(nb, str(target))
        count += 1
    expected = {p.name for p in (root / "source" / assignment).glob("*.ipynb")}
    present = {p.name for p in source.glob("*.ipynb")}
    problems += [f"{name} is missing" for name in sorted(expected - present)]
    return problems, flags, count


def grade_student(root: "str | Path", assignment: str, student: str, db_url: str,
                  feedback: bool = True) -> StudentResult:
    """Autograde (and give feedback to) one student; never raises for a bad submission."""
    start = time.perf_counter()
    root = Path(root)
    dblock.use(db_url)
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    digest = submission_digest(root, assignment, student)
    buffer = io.StringIO()
    log = logging.getLogger(f"descent.grade.{student}")
    log.handlers = [logging.StreamHandler(buffer)]
    log.setLevel(logging.INFO)
    log.propagate = False
    problems, flags, n_notebooks = stage_submission(root, assignment, student)
    if n_notebooks == 0:
        return StudentResult(student, assignment, "invalid", "; ".join(problems) or "no notebook submitted",
                             digest=digest, seconds=time.perf_counter() - start, flags=flags)
    autograde_cls, feedback_cls = _converter_classes()
    cfg = load_config(root, db_url)
    cfg.CourseDirectory.submitted_directory = STAGING
    status, message = "graded", "; ".join(problems)
    execute.take_incidents()
    try:
        _run(autograde_cls, cfg, assignment, student, log)
        if feedback:
            _run(feedback_cls, cfg, assignment, student, log)
    except Exception as exc:  # nbgrader raises NbGraderException for a notebook it could not grade
        status = "error"
        lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
        # nbgrader's own exception only says "see the above traceback": lead with the traceback's last error.
        errors = [ln.strip() for ln in lines if re.match(r"\s*[\w.]*(Error|Exception)\b.*:", ln)]
        message = "\n".join([*errors[-1:], f"{type(exc).__name__}: {exc}".strip(), *lines[-12:]])
    flags += [f"{i['kind']} in {i['cell']}: {i['detail']}" for i in execute.take_incidents()]
    scores, maxima = read_student_scores(db_url, assignment, student)
    return StudentResult(student, assignment, status, message, scores, maxima, digest,
                         time.perf_counter() - start, flags)
