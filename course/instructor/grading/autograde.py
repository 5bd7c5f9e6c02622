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
import secrets
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from . import dblock
from .engines import share_engines


@dataclass
class StudentResult:
    """What grading one student's submission of one assignment gave."""

    student: str
    assignment: str
    #: "graded"; "error" (nbgrader could not grade it: message says why); "invalid" (no notebook
    #: could be staged: missing, too large, not JSON); "missing" (no submission for the assignment).
    status: str
    message: str = ""
    scores: dict = field(default_factory=dict)  # grade_id -> points (None: not scored)
    max_scores: dict = field(default_factory=dict)  # grade_id -> max points
    digest: str = ""
    seconds: float = 0.0
    flags: list = field(default_factory=list)  # incidents for the instructor: timeouts, crashes, tampering
    mistakes: dict = field(default_factory=dict)  # grade_id -> mistake id, for failed test cells

    @property
    def total(self) -> float:
        return float(sum(v for v in self.scores.values() if v is not None))


def submission_digest(root: "str | Path", assignment: str, student: str) -> str:
    """SHA-256 over the names and bytes of every regular file the student submitted for ``assignment``."""
    from .safe_io import read_capped, regular_files

    folder = Path(root) / "submitted" / student / assignment
    h = hashlib.sha256()
    for path in regular_files(folder) if folder.is_dir() else []:
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(read_capped(path, 1 << 30))
    return h.hexdigest()


def _locked(cls):
    """A subclass of an nbgrader preprocessor that holds the gradebook lock while it runs."""

    def preprocess(self, nb, resources):
        with dblock.held():
            return super(locked, self).preprocess(nb, resources)

    locked = type(cls.__name__, (cls,), {"preprocess": preprocess})
    return locked


#: nbgrader steps that read or write the gradebook: run under the SQLite lock.
_GRADEBOOK_STEPS = ("OverwriteCells", "SaveAutoGrades", "AssignLatePenalties", "GetGrades")


def _with_locks(steps: list) -> list:
    """The course's configured steps (classes or dotted names), the gradebook ones wrapped in the lock."""
    from traitlets.utils.importstring import import_item

    classes = [import_item(s) if isinstance(s, str) else s for s in steps]
    return [_locked(c) if c.__name__ in _GRADEBOOK_STEPS else c for c in classes]


def _converter_classes(cfg):
    """nbgrader's ``Autograde`` and ``GenerateFeedback``, running the steps ``nbgrader_config.py`` names.

    The same steps as ``nbgrader autograde`` and the formgrader; the gradebook ones hold the lock.
    """
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import CheckCellMetadata

    from .execute import ResilientExecute
    from .metadata_check import CheckCellMetadata as CompiledCheck

    _COMPILED_CHECK = {CheckCellMetadata: CompiledCheck}  # same verdicts, the schema compiled once

    configured = cfg.Autograde.get("autograde_preprocessors", Autograde.autograde_preprocessors.default())
    autograde_steps = _with_locks(configured)
    if not any(isinstance(c, type) and issubclass(c, ResilientExecute) for c in autograde_steps):
        raise RuntimeError("nbgrader_config.py must list course.instructor.grading.execute.ResilientExecute in "
                           "c.Autograde.autograde_preprocessors: without it, hidden tests would run in the "
                           "student's kernel")

    class LockedAutograde(Autograde):
        sanitize_preprocessors = _with_locks([_COMPILED_CHECK.get(step, step)
                                              for step in Autograde.sanitize_preprocessors.default()])
        autograde_preprocessors = autograde_steps

        def init_assignment(self, assignment_id, student_id):
            with dblock.held():
                super().init_assignment(assignment_id, student_id)

    class LockedFeedback(GenerateFeedback):
        def _init_preprocessors(self):
            super()._init_preprocessors()
            self.exporter._preprocessors = [
                _locked(type(p))(parent=self.exporter) if type(p).__name__ in _GRADEBOOK_STEPS else p
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
#: What nbgrader's ``submit`` writes next to the notebooks: 64 random bytes in hex. ``release_feedback``
#: names each feedback page by a hash of it, which only the student's own copy can reproduce.
SUBMISSION_SECRET = re.compile(r"[0-9a-f]{32,256}")
#: Staged beside the notebooks and kept in the feedback folder for `nbgrader release_feedback`.
FEEDBACK_RELEASE_FILES = ("timestamp.txt", "submission_secret.txt")
#: The hand-in time in a feedback folder whose submission came without one.
UNKNOWN_TIMESTAMP = "unknown (the submission had no timestamp.txt)"


def submission_limits(cfg) -> tuple[int, int]:
    """``(max notebook bytes, worker memory MiB)`` from ``c.Submissions`` in ``nbgrader_config.py``."""
    from .config import SUBMISSION_LIMITS

    section = cfg.get("Submissions", {})
    return (int(section.get("max_notebook_mb", SUBMISSION_LIMITS.max_notebook_mb)) * 2**20,
            int(section.get("worker_memory_mb", SUBMISSION_LIMITS.worker_memory_mb)))


def stage_submission(root: Path, assignment: str, student: str,
                     max_bytes: int = 20 * 2**20) -> tuple[list[str], list[str], int]:
    """Copy the student's readable notebooks (converted to nbformat 4) to the staging folder nbgrader reads.

    Only regular files are read (never through a link), each at most ``max_bytes``; a notebook
    that is too large, not JSON, nested absurdly deep or malformed is not staged. Returns
    ``(problems, flags, n_notebooks)``: problems make a notebook ungradable; flags are worth
    the instructor's review (conversion, tampering with locked cells).
    """
    import shutil

    import nbformat

    from .inspection import NotANotebook, load_submitted, repair, risky_code, tampering
    from .safe_io import read_capped, regular_files
    from .shortcut_flags import shortcut_flags

    source = root / "submitted" / student / assignment
    dest = root / STAGING / student / assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    problems, flags, count = [], [], 0
    for path in regular_files(source) if source.is_dir() else []:
        if path.parent == source and path.name == "timestamp.txt":  # when it was handed in (nbgrader reads it)
            (dest / path.name).write_bytes(read_capped(path, 200)[:200])
            continue
        if path.parent == source and path.name == "submission_secret.txt":  # for `nbgrader release_feedback`
            secret = read_capped(path, 300)[:300].decode("ascii", "replace").strip()
            if not SUBMISSION_SECRET.fullmatch(secret):
                # A fresh secret keeps `nbgrader release_feedback` going for the class; this student's
                # own copy no longer matches it, so they cannot fetch this feedback.
                flags.append("submission_secret.txt is not what nbgrader's submit writes: the student cannot "
                             "fetch this feedback")
                secret = secrets.token_hex(64)
            (dest / path.name).write_text(secret)
            continue
        if path.suffix != ".ipynb" or path.parent != source:
            continue  # notebooks only: other files would reach the feedback folder
        try:
            raw = read_capped(path, max_bytes)
            if len(raw) > max_bytes:
                raise NotANotebook(f"{path.name} is larger than {max_bytes // 2**20} MB (the limit "
                                   "c.Submissions.max_notebook_mb in nbgrader_config.py)")
            nb, note = load_submitted(path, raw)
        except (NotANotebook, OSError) as exc:
            problems.append(str(exc))
            continue
        if note:
            flags.append(note)
        released = root / "release" / assignment / path.name
        if released.exists():
            reference = nbformat.read(str(released), as_version=4)
            flags += [f"{path.stem}: {r}" for r in risky_code(nb, reference) + shortcut_flags(nb, reference)]
            changes = tampering(nb, reference)
            if changes:
                flags += [f"{path.stem}: {t}" for t in changes]
                nb = repair(nb, reference)
        nbformat.write(nb, str(dest / path.name))
        count += 1
    if (dest / "timestamp.txt").is_file() and not (dest / "submission_secret.txt").is_file():
        # Handed in through the exchange (nbgrader's submit writes both files; the course's collector
        # restores a missing timestamp.txt), but the student deleted the secret from their inbound
        # folder, which they own: without one `nbgrader release_feedback` would stop for everyone.
        flags.append("submission_secret.txt is missing from the submission: the student cannot fetch this "
                     "feedback")
        (dest / "submission_secret.txt").write_text(secrets.token_hex(64))
    elif (dest / "submission_secret.txt").is_file() and not (dest / "timestamp.txt").is_file():
        flags.append("timestamp.txt is missing from the submission: nbgrader counts it as handed in on time")
    expected = {p.name for p in (root / "source" / assignment).glob("*.ipynb")}
    present = {p.name for p in source.glob("*.ipynb")} if source.is_dir() else set()
    problems += [f"{name} is missing" for name in sorted(expected - present)]
    return problems, flags, count


def _graded_notebooks(root: Path, assignment: str, student: str):
    """``(path, notebook or the exception that kept it from being read)`` for each graded notebook."""
    import nbformat

    from .safe_io import read_capped

    folder = root / "autograded" / student / assignment
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        try:
            yield path, nbformat.reads(read_capped(path, 256 * 2**20).decode("utf-8"), as_version=4)
        except Exception as exc:  # noqa: BLE001 (reported by the caller, never a crash)
            yield path, exc


def graded_flags(root: Path, assignment: str, student: str) -> list[str]:
    """The incidents that grading wrote into each graded notebook (see :func:`.execute.incidents_of`)."""
    from .execute import incidents_of

    flags = []
    for path, nb in _graded_notebooks(root, assignment, student):
        if isinstance(nb, Exception):
            flags.append(f"{path.stem}: graded notebook unreadable ({type(nb).__name__})")
        else:
            flags += [f"{i.get('kind')} in {i.get('cell')}: {i.get('detail')}" for i in incidents_of(nb)]
    return flags


def graded_mistakes(root: Path, assignment: str, student: str) -> dict[str, str]:
    """``{grade_id: mistake id}`` the judge recorded in the student's graded notebooks (see
    :func:`.execute.mistakes_of`)."""
    from .execute import mistakes_of

    found: dict[str, str] = {}
    for _, nb in _graded_notebooks(root, assignment, student):
        if not isinstance(nb, Exception):
            found.update(mistakes_of(nb))
    return found


def grade_student(root: "str | Path", assignment: str, student: str, db_url: str,
                  feedback: bool = True) -> StudentResult:
    """Autograde (and give feedback to) one student; never raises for a bad submission."""
    start = time.perf_counter()
    root = Path(root)
    dblock.use(db_url)
    share_engines()  # this worker opens the gradebook about eleven times per student
    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session warnings
    digest = submission_digest(root, assignment, student)
    buffer = io.StringIO()
    log = logging.getLogger(f"descent.grade.{student}")
    log.handlers = [logging.StreamHandler(buffer)]
    log.setLevel(logging.INFO)
    log.propagate = False
    cfg = load_config(root, db_url)
    max_bytes, _ = submission_limits(cfg)
    problems, flags, n_notebooks = stage_submission(root, assignment, student, max_bytes)
    if n_notebooks == 0:
        return StudentResult(student, assignment, "invalid", "; ".join(problems) or "no notebook submitted",
                             digest=digest, seconds=time.perf_counter() - start, flags=flags)
    cfg.CourseDirectory.submitted_directory = STAGING
    cfg.ResilientExecute.prestart = True  # this worker grades student after student: keep a kernel ready
    status, message = "graded", "; ".join(problems)
    try:
        autograde_cls, feedback_cls = _converter_classes(cfg)
        _run(autograde_cls, cfg, assignment, student, log)
        if feedback:
            _run(feedback_cls, cfg, assignment, student, log)
    except Exception as exc:  # nbgrader raises NbGraderException for a notebook it could not grade
        status = "error"
        lines = [ln for ln in buffer.getvalue().splitlines() if ln.strip()]
        # nbgrader's own exception only says "see the above traceback": lead with the traceback's last error.
        errors = [ln.strip() for ln in lines if re.match(r"\s*[\w.]*(Error|Exception)\b.*:", ln)]
        message = "\n".join([*errors[-1:], f"{type(exc).__name__}: {exc}".strip(), *lines[-12:]])
    flags += graded_flags(root, assignment, student)
    scores, maxima = read_student_scores(db_url, assignment, student)
    return StudentResult(student, assignment, status, message, scores, maxima, digest,
                         time.perf_counter() - start, flags, graded_mistakes(root, assignment, student))


def limit_worker_memory(megabytes: int) -> None:
    """Cap this grading worker's own address space (a student's answers cannot exhaust the machine)."""
    import resource

    if megabytes > 0:
        limit = megabytes * 2**20
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
