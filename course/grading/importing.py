"""Bring submissions into ``submitted/``: from a folder of student folders or an LMS zip.

Accepted layouts
----------------
Folder
    ``PATH/<student>/<assignment>/<notebook>.ipynb`` (nbgrader's ``submitted/`` layout), or
    ``PATH/<student>/<notebook>.ipynb``.
Zip (one file per student, as LMS exports give)
    ``<student>.ipynb`` when the assignment has one notebook, or
    ``<student>__<notebook>.ipynb`` (two underscores) for any notebook of it;
    optionally all inside one top-level folder. ``<student>`` is letters, digits, ``.``, ``_``
    or ``-``, starting with a letter or digit. ``__MACOSX/`` and dot-files are skipped.
    Any other file name stops the import, listing every offending name.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .coursedir import CourseError, CourseRoot
from .safe_io import read_capped, regular_files

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class ImportReport:
    """Who was imported, and whose files were unchanged since the last import."""

    students: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # student folders without this assignment


#: Bytes of one submitted file copied at most; staging then refuses what is above the course's
#: limit (``c.Submissions.max_notebook_mb``), before parsing it.
IMPORT_CAP = 256 * 2**20


def _write_if_changed(data: bytes, dest: Path) -> bool:
    if dest.exists() and dest.read_bytes() == data:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return True


def _valid_student(name: str) -> bool:
    return bool(STUDENT_ID.match(name)) and "__" not in name


def import_folder(root: CourseRoot, assignment: str, path: Path) -> ImportReport:
    """Copy ``path``'s student folders into ``submitted/`` (a no-op for ``submitted/`` itself)."""
    path = Path(path).resolve()
    if not path.is_dir():
        raise CourseError(f"submissions folder {path} does not exist")
    report = ImportReport()
    bad = sorted(p.name for p in path.iterdir() if p.is_dir() and not _valid_student(p.name)
                 and not p.name.startswith("."))
    if bad:
        raise CourseError(f"these folders in {path} are not valid student ids: {', '.join(bad)} "
                          "(letters, digits, '.', '_' or '-', starting with a letter or digit)")
    for folder in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = folder.name
        source = folder / assignment if (folder / assignment).is_dir() else folder
        notebooks = sorted(source.glob("*.ipynb"))
        if not notebooks:
            report.missing.append(student)
            continue
        report.students.append(student)
        dest = root.submitted / student / assignment
        if source.resolve() == dest.resolve():
            continue
        changed = False
        for nb in regular_files(source):  # never a link: it could point anywhere the grader can read
            if ".ipynb_checkpoints" not in nb.parts:
                changed |= _write_if_changed(read_capped(nb, IMPORT_CAP), dest / nb.relative_to(source))
        if changed:
            report.updated.append(student)
    return report


def _zip_entries(path: Path) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            if broken is not None:
                raise CourseError(f"{path} is a damaged zip: the entry {broken!r} fails its CRC check")
            return [i for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as exc:
        raise CourseError(f"{path} is not a readable zip file ({exc}); download it again from the LMS") from None


def import_zip(root: CourseRoot, assignment: str, path: Path) -> ImportReport:
    """Unpack an LMS zip into ``submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb``; see the module docstring."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(f"submissions zip {path} does not exist")
    notebooks = [p.stem for p in root.notebooks(assignment)]
    entries = [i for i in _zip_entries(path)
               if not i.filename.startswith("__MACOSX/") and not PurePosixPath(i.filename).name.startswith(".")]
    tops = {PurePosixPath(i.filename).parts[0] for i in entries if len(PurePosixPath(i.filename).parts) > 1}
    plan, bad = {}, []
    for info in entries:
        parts = PurePosixPath(info.filename).parts
        if len(parts) > 2 or (len(parts) == 2 and len(tops) > 1):
            bad.append(info.filename)
            continue
        name = parts[-1]
        stem, dot, ext = name.rpartition(".")
        student, _, notebook = stem.partition("__")
        notebook = notebook or (notebooks[0] if len(notebooks) == 1 else "")
        if ext != "ipynb" or not dot or not _valid_student(student) or notebook not in notebooks:
            bad.append(info.filename)
            continue
        plan[(student, notebook)] = info
    if bad:
        accepted = "STUDENT.ipynb" if len(notebooks) == 1 else ""
        accepted = " or ".join(x for x in (accepted, f"STUDENT__NOTEBOOK.ipynb with NOTEBOOK one of {notebooks}") if x)
        raise CourseError(f"{path}: {len(bad)} file(s) are not named as accepted ({accepted}): "
                          + ", ".join(sorted(bad)))
    report = ImportReport()
    with zipfile.ZipFile(path) as archive:
        for (student, notebook), info in sorted(plan.items()):
            if student not in report.students:
                report.students.append(student)
            dest = root.submitted / student / assignment / f"{notebook}.ipynb"
            with archive.open(info) as member:  # a few MB of zip can hold GBs: read no more than the cap
                data = member.read(IMPORT_CAP + 1)
            if _write_if_changed(data, dest) and student not in report.updated:
                report.updated.append(student)
    return report


def import_submissions(root: CourseRoot, assignment: str, path: "str | Path") -> ImportReport:
    """Import from a folder or a ``.zip`` file, then add every student to the gradebook."""
    root.check_assignment(assignment)
    path = Path(path)
    return import_zip(root, assignment, path) if path.suffix == ".zip" else import_folder(root, assignment, path)


def add_students(db_url: str, students: list[str]) -> None:
    """Create gradebook entries for ``students`` (idempotent)."""
    from nbgrader.api import Gradebook

    from . import dblock

    dblock.use(db_url)
    with dblock.held(), Gradebook(db_url) as gb:
        for student in students:
            gb.update_or_create_student(student)
