"""Every graded submission kept, and the one that counts placed in the gradebook.

nbgrader's gradebook, ``autograded/``, ``feedback/`` and ``submitted/`` hold one submission per
student and assignment. After each grading the service keeps a copy of that submission in
``grades/<assignment>/history/<student>/<timestamp>/``: ``record.json`` (nbgrader's timestamp, the
verdict, the gradebook's state of it: :mod:`.gradebook_state`) and the files of ``autograded/``,
``feedback/`` and ``submitted/``. Then the submission the policy counts (:func:`.policy.counted`)
is put back in all four places (:func:`hand_over`), so the gradebook, ``descent grade``'s
``grades.csv``, the report, ``--verify``, the LMS export and the formgrader show it.

What a person gives in the formgrader (a written answer's score, an override, extra credit, a
comment) follows the submission it was given to: before another submission of the student is
graded or put in the gradebook, the hand-given part of the one the gradebook holds is saved in
that submission's record, and it comes back whenever that submission counts again.
``history/<student>/gradebook.json`` names the submission whose hand-given part the gradebook holds.

Every file is written under a temporary name and renamed; only the grader's own folders are read,
never through a link.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..grading.core.safe_io import read_capped, regular_files
from . import gradebook_state as gs

if TYPE_CHECKING:
    from ..grading.core.coursedir import CourseRoot
    from .journal import Key

#: The course folders a kept submission copies (``<folder>/<student>/<assignment>/``).
FOLDERS = ("autograded", "feedback", "submitted")
RECORD = "record.json"
HOLDER = "gradebook.json"
_MAX_FILE = 1 << 30


def student_dir(course: "CourseRoot", assignment: str, student: str) -> Path:
    """``grades/<assignment>/history/<student>/``."""
    return course.grades(assignment) / "history" / student


def folder_name(timestamp: str) -> str:
    """A safe, sortable folder name for nbgrader's ``timestamp`` (any text the inbound's folder name gave)."""
    readable = re.sub(r"[^0-9A-Za-z]+", "-", timestamp).strip("-")[:64] or "unknown"
    return f"{readable}_{hashlib.sha256(timestamp.encode()).hexdigest()[:8]}"


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_file(path: Path, data: bytes) -> None:
    """``data`` into ``path``, whole or not at all (a temporary file, fsynced, renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _write_synced(temporary, data)
    os.replace(temporary, path)


def _read_files(folder: Path) -> dict[str, bytes]:
    """``{relative path: bytes}`` of the regular files under ``folder`` (links neither listed nor followed)."""
    if not folder.is_dir() or folder.is_symlink():
        return {}
    return {str(p.relative_to(folder)): read_capped(p, _MAX_FILE) for p in regular_files(folder)}


def _replace_folder(dest: Path, files: dict[str, bytes]) -> None:
    """Make ``dest`` hold exactly ``files`` (no files: no folder, as nbgrader leaves a submission it could
    not grade): built beside it, then swapped in by two renames."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fresh = dest.with_name(f".{dest.name}.new-{os.getpid()}")
    old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    for leftover in (fresh, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    if files:
        fresh.mkdir()
    for name, data in files.items():
        target = fresh / name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_synced(target, data)
    if dest.exists() or dest.is_symlink():
        os.rename(dest, old)
    if files:
        os.rename(fresh, dest)
    if old.exists():
        shutil.rmtree(old)


def _course_folder(course: "CourseRoot", which: str, assignment: str, student: str) -> Path:
    return course.path / which / student / assignment


def keep(course: "CourseRoot", key: "Key", result: dict) -> Path:
    """Keep the submission ``key`` just graded (``result``: its ``StudentResult`` as a dict); its folder.

    A submission nbgrader never read (``invalid``) has no gradebook state and leaves the gradebook
    as it was; any other is the one the gradebook now holds.
    """
    reached_gradebook = result.get("status") != "invalid"
    state = gs.read_state(course, key.assignment, key.student) if reached_gradebook else None
    record = {"timestamp": key.timestamp, "status": result.get("status"), "message": result.get("message", ""),
              "mistakes": result.get("mistakes", {}), "flags": result.get("flags", []),
              "gradebook": gs.without_manual(state) if state else None,
              # empty unless graded by hand before the service kept anything (see before_grading)
              "manual": gs.manual_part(state) if state else {}}
    files = {RECORD: json.dumps(record, indent=1, sort_keys=True).encode()}
    for which in FOLDERS if reached_gradebook else ("submitted",):
        files.update({f"{which}/{name}": data for name, data in
                      _read_files(_course_folder(course, which, key.assignment, key.student)).items()})
    folder = student_dir(course, key.assignment, key.student) / folder_name(key.timestamp)
    _replace_folder(folder, files)
    if reached_gradebook:
        _set_holds(course, key.assignment, key.student, key.timestamp)
    return folder


def records(course: "CourseRoot", assignment: str, student: str) -> list[dict]:
    """Every kept submission's record, oldest first (by nbgrader's timestamp)."""
    folder = student_dir(course, assignment, student)
    found = []
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        path = entry / RECORD
        if entry.name.startswith(".") or not path.is_file():
            continue
        try:
            found.append(json.loads(read_capped(path, _MAX_FILE)))
        except (json.JSONDecodeError, OSError):
            continue
    return sorted(found, key=lambda r: r["timestamp"])


def students(course: "CourseRoot", assignment: str) -> list[str]:
    """Students with at least one kept submission of ``assignment``."""
    folder = course.grades(assignment) / "history"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def feedback_pages(course: "CourseRoot", key: "Key") -> "dict[str, str] | None":
    """``{notebook: page}`` of the kept submission ``key``'s feedback; None if it was not kept."""
    folder = student_dir(course, key.assignment, key.student) / folder_name(key.timestamp)
    if not (folder / RECORD).is_file():
        return None
    files = _read_files(folder / "feedback")
    return {Path(n).stem: data.decode("utf-8") for n, data in sorted(files.items())
            if n.endswith(".html") and "/" not in n}


def _holder_path(course: "CourseRoot", assignment: str, student: str) -> Path:
    return student_dir(course, assignment, student) / HOLDER


def holds(course: "CourseRoot", assignment: str, student: str) -> "str | None":
    """nbgrader's timestamp of the kept submission the gradebook holds (None: none, or one being graded)."""
    path = _holder_path(course, assignment, student)
    try:
        return json.loads(read_capped(path, 4096)).get("holds")
    except (OSError, json.JSONDecodeError, AttributeError):
        return None


def _set_holds(course: "CourseRoot", assignment: str, student: str, timestamp: "str | None") -> None:
    write_file(_holder_path(course, assignment, student), json.dumps({"holds": timestamp}).encode())


def _save_manual(course: "CourseRoot", assignment: str, student: str) -> "dict | None":
    """Save the hand-given part of the gradebook's submission into the record of the submission it belongs to.

    Returns the gradebook's state (None if it holds no submission of ``student``).
    """
    state = gs.read_state(course, assignment, student)
    holder = holds(course, assignment, student)
    if state is None or holder is None:
        return state
    path = student_dir(course, assignment, student) / folder_name(holder) / RECORD
    if path.is_file():
        record = json.loads(read_capped(path, _MAX_FILE))  # a torn record cannot be: written whole, renamed
        if record.get("gradebook"):
            record["manual"] = gs.manual_part(state)
            write_file(path, json.dumps(record, indent=1, sort_keys=True).encode())
    return state


def before_grading(course: "CourseRoot", assignment: str, student: str) -> None:
    """Before a new submission of ``student`` is graded: save the hand-given part of the one the gradebook
    holds, then clear it from the gradebook, so that nbgrader does not carry it to the new submission
    (it keeps a hand-given score on the row it autogrades again)."""
    state = _save_manual(course, assignment, student)
    if state is None:
        return
    if holds(course, assignment, student) is None and any(
            g["manual_score"] is not None or g["extra_credit"] is not None
            for nb in state["notebooks"].values() for g in nb["grades"].values()):
        return  # graded by hand before the service kept anything: carried to the new submission, as nbgrader does
    _set_holds(course, assignment, student, None)
    gs.write_state(course, assignment, student, gs.without_manual(state))


def hand_over(course: "CourseRoot", assignment: str, student: str, chosen: dict) -> None:
    """Put the kept submission ``chosen`` (a record) in the gradebook, ``autograded/``, ``feedback/`` and
    ``submitted/``, with the hand-given part it had; the part of the one there now is saved first."""
    _save_manual(course, assignment, student)
    folder = student_dir(course, assignment, student) / folder_name(chosen["timestamp"])
    state = gs.with_manual(chosen["gradebook"], chosen.get("manual", {}))
    gs.write_state(course, assignment, student, state)
    for which in FOLDERS:
        files = _read_files(folder / which)
        if files or which != "submitted":
            _replace_folder(_course_folder(course, which, assignment, student), files)
    _set_holds(course, assignment, student, chosen["timestamp"])
