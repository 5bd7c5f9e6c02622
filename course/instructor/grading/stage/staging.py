"""Stage a submission: the checked copies of a student's notebooks that nbgrader grades.

Every file is read without following links and under a size cap; a notebook that is too large,
not JSON or malformed is refused, and what is worth the instructor's review (risky code, the
course's own shortcuts, tampered locked cells) is flagged. The staging folder is the course's
(:attr:`.CourseRoot.staging`).
"""
from __future__ import annotations

import hashlib
import re
import secrets
import shutil

import nbformat

from ..core.coursedir import CourseRoot
from ..core.safe_io import read_capped, regular_files
from ..intake.exchange import COLLECTED_MARK
from .inspection import NotANotebook, load_submitted, repair, risky_code, tampering
from .shortcut_flags import shortcut_flags

#: What nbgrader's ``submit`` writes next to the notebooks: 64 random bytes in hex. ``release_feedback``
#: names each feedback page by a hash of it, which only the student's own copy can reproduce.
SUBMISSION_SECRET = re.compile(r"[0-9a-f]{32,256}")
#: Staged beside the notebooks and kept in the feedback folder for `nbgrader release_feedback`.
FEEDBACK_RELEASE_FILES = ("timestamp.txt", "submission_secret.txt")


def submission_digest(course: CourseRoot, assignment: str, student: str) -> str:
    """SHA-256 over the names and bytes of every regular file the student submitted for ``assignment``."""
    folder = course.submitted / student / assignment
    h = hashlib.sha256()
    for path in regular_files(folder) if folder.is_dir() else []:
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(read_capped(path, 1 << 30))
    return h.hexdigest()


def stage_submission(course: CourseRoot, assignment: str, student: str,
                     max_bytes: int) -> tuple[list[str], list[str], int]:
    """Copy the student's readable notebooks (converted to nbformat 4) to the staging folder nbgrader reads.

    Only regular files are read (never through a link), each at most ``max_bytes``; a notebook
    that is too large, not JSON, nested absurdly deep or malformed is not staged. Returns
    ``(problems, flags, n_notebooks)``: problems make a notebook ungradable; flags are worth
    the instructor's review (conversion, tampering with locked cells).
    """
    source = course.submitted / student / assignment
    dest = course.staging / student / assignment
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
        released = course.release / assignment / path.name
        if released.exists():
            reference = nbformat.read(str(released), as_version=4)
            flags += [f"{path.stem}: {r}" for r in risky_code(nb, reference) + shortcut_flags(nb, reference)]
            changes = tampering(nb, reference)
            if changes:
                flags += [f"{path.stem}: {t}" for t in changes]
                nb = repair(nb, reference)
        nbformat.write(nb, str(dest / path.name))
        count += 1
    through_exchange = source.is_dir() and COLLECTED_MARK in {p.name for p in regular_files(source)}
    if through_exchange and not (dest / "submission_secret.txt").is_file():
        # Handed in through the exchange (nbgrader's submit writes both files; the course's collector
        # restores a missing timestamp.txt), but the student deleted the secret from their inbound
        # folder, which they own: without one `nbgrader release_feedback` would stop for everyone.
        flags.append("submission_secret.txt is missing from the submission: the student cannot fetch this "
                     "feedback")
        (dest / "submission_secret.txt").write_text(secrets.token_hex(64))
    elif (dest / "submission_secret.txt").is_file() and not (dest / "timestamp.txt").is_file():
        flags.append("timestamp.txt is missing from the submission: nbgrader counts it as handed in on time")
    expected = {p.name for p in (course.source / assignment).glob("*.ipynb")}
    present = {p.name for p in source.glob("*.ipynb")} if source.is_dir() else set()
    problems += [f"{name} is missing" for name in sorted(expected - present)]
    return problems, flags, count
