"""Autograde one student in this process with nbgrader's own converter.

A grading worker imports nbgrader once and then grades student after student, so
the ~2 s of imports and set-up that ``nbgrader autograde`` pays on every call is
paid once per worker. Every gradebook access holds the gradebook's lock (:mod:`.core.dblock`), so
that parallel workers can share a SQLite gradebook. Staging the submission is :mod:`.stage.staging`'s,
reading back what grading wrote is :mod:`.feedback.graded_notebooks`' and :mod:`.record.scores`'.
"""
from __future__ import annotations

import io
import logging
import re
import time
import warnings
from pathlib import Path

from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import CheckCellMetadata
from sqlalchemy.exc import SAWarning
from traitlets.utils.importstring import import_item

from .core import dblock
from .core.config import Submissions
from .core.coursedir import CourseRoot
from .core.engines import share_engines
from .feedback.graded_notebooks import graded_flags, graded_mistakes
from .intake.exchange import UNKNOWN_TIMESTAMP
from .record.scores import read_student_scores
from .record.student_result import StudentResult
from .run.execute import ResilientExecute
from .stage.metadata_check import CheckCellMetadata as CompiledCheck
from .stage.staging import FEEDBACK_RELEASE_FILES, stage_submission, submission_digest


def _locked(cls, db_url: str):
    """A subclass of an nbgrader preprocessor that holds the lock of the gradebook at ``db_url`` while it runs."""

    def preprocess(self, nb, resources):
        with dblock.held(db_url):
            return super(locked, self).preprocess(nb, resources)

    locked = type(cls.__name__, (cls,), {"preprocess": preprocess})
    return locked


#: nbgrader steps that read or write the gradebook: run under the SQLite lock.
_GRADEBOOK_STEPS = ("OverwriteCells", "SaveAutoGrades", "AssignLatePenalties", "GetGrades")


def _with_locks(steps: list, db_url: str) -> list:
    """The course's configured steps (classes or dotted names), the gradebook ones wrapped in the lock."""
    classes = [import_item(s) if isinstance(s, str) else s for s in steps]
    return [_locked(c, db_url) if c.__name__ in _GRADEBOOK_STEPS else c for c in classes]


def _converter_classes(cfg, db_url: str):
    """nbgrader's ``Autograde`` and ``GenerateFeedback``, running the steps ``nbgrader_config.py`` names.

    The same steps as ``nbgrader autograde`` and the formgrader; the gradebook ones hold the lock.
    """
    _COMPILED_CHECK = {CheckCellMetadata: CompiledCheck}  # same verdicts, the schema compiled once

    configured = cfg.Autograde.get("autograde_preprocessors", Autograde.autograde_preprocessors.default())
    autograde_steps = _with_locks(configured, db_url)
    if not any(isinstance(c, type) and issubclass(c, ResilientExecute) for c in autograde_steps):
        raise RuntimeError("nbgrader_config.py must list course.instructor.grading.run.execute.ResilientExecute in "
                           "c.Autograde.autograde_preprocessors: without it, hidden tests would run in the "
                           "student's kernel")

    class LockedAutograde(Autograde):
        sanitize_preprocessors = _with_locks([_COMPILED_CHECK.get(step, step)
                                              for step in Autograde.sanitize_preprocessors.default()], db_url)
        autograde_preprocessors = autograde_steps

        def init_assignment(self, assignment_id, student_id):
            with dblock.held(db_url):
                super().init_assignment(assignment_id, student_id)

    class LockedFeedback(GenerateFeedback):
        def _init_preprocessors(self):
            super()._init_preprocessors()
            self.exporter._preprocessors = [
                _locked(type(p), db_url)(parent=self.exporter) if type(p).__name__ in _GRADEBOOK_STEPS else p
                for p in self.exporter._preprocessors
            ]

        def init_assignment(self, assignment_id, student_id):
            """Feedback holds the graded notebooks' HTML and the two files `nbgrader release_feedback`
            reads (when the submission was handed in, its secret), as staged; no other file."""
            source = Path(self._format_source(assignment_id, student_id))
            dest = Path(self._format_dest(assignment_id, student_id))
            for name in FEEDBACK_RELEASE_FILES:
                if (source / name).is_file() and not (source / name).is_symlink():
                    dest.mkdir(parents=True, exist_ok=True)
                    (dest / name).write_bytes((source / name).read_bytes()[:300])
            if (dest / "submission_secret.txt").is_file() and not (dest / "timestamp.txt").is_file():
                # `nbgrader release_feedback` opens it (only to log it) for every page it releases.
                (dest / "timestamp.txt").write_text(UNKNOWN_TIMESTAMP)

    return LockedAutograde, LockedFeedback


def _run(converter_cls, cfg, assignment: str, student: str, log: logging.Logger) -> None:
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    converter = converter_cls(coursedir=coursedir, config=cfg)
    converter.log = log
    converter.force = True
    if hasattr(converter, "create_student"):
        converter.create_student = True
    converter.start()


def grade_student(course: CourseRoot, assignment: str, student: str, feedback: bool = True) -> StudentResult:
    """Autograde (and give feedback to) one student; never raises for a bad submission."""
    start = time.perf_counter()
    share_engines()  # this worker opens the gradebook about eleven times per student
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    digest = submission_digest(course, assignment, student)
    buffer = io.StringIO()
    log = logging.getLogger(f"descent.grade.{student}")
    log.handlers = [logging.StreamHandler(buffer)]
    log.setLevel(logging.INFO)
    log.propagate = False
    cfg = course.config
    max_bytes = Submissions(config=cfg).max_notebook_bytes
    problems, flags, n_notebooks = stage_submission(course, assignment, student, max_bytes)
    if n_notebooks == 0:
        return StudentResult(student, assignment, "invalid", "; ".join(problems) or "no notebook submitted",
                             digest=digest, seconds=time.perf_counter() - start, flags=flags)
    cfg.CourseDirectory.submitted_directory = course.staging.name
    cfg.ResilientExecute.prestart = True  # this worker grades student after student: keep a kernel ready
    status, message = "graded", "; ".join(problems)
    try:
        autograde_cls, feedback_cls = _converter_classes(cfg, course.db_url)
        _run(autograde_cls, cfg, assignment, student, log)
        if feedback:
            _run(feedback_cls, cfg, assignment, student, log)
    except Exception as exc:  # nbgrader raises NbGraderException for a notebook it could not grade
        status = "error"
        lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
        # nbgrader's own exception only says "see the above traceback": lead with the traceback's last error.
        errors = [ln.strip() for ln in lines if re.match(r"\s*[\w.]*(Error|Exception)\b.*:", ln)]
        message = "\n".join([*errors[-1:], f"{type(exc).__name__}: {exc}".strip(), *lines[-12:]])
    flags += graded_flags(course, assignment, student)
    scores, maxima = read_student_scores(course, assignment, student)
    return StudentResult(student, assignment, status, message, scores, maxima, digest,
                         time.perf_counter() - start, flags, graded_mistakes(course, assignment, student))
