"""Bring submissions into ``submitted/``: from a folder of student folders, a zip, or an LMS download.

Accepted layouts
----------------
Folder (``descent``'s own)
    ``PATH/<student>/<assignment>/<notebook>.ipynb`` (nbgrader's ``submitted/`` layout), or
    ``PATH/<student>/<notebook>.ipynb``.
Zip (``descent``'s own: one file per student)
    ``<student>.ipynb`` when the assignment has one notebook, or
    ``<student>__<notebook>.ipynb`` (two underscores) for any notebook of it;
    optionally all inside one top-level folder. ``<student>`` is letters, digits, ``.``, ``_``
    or ``-``, starting with a letter or digit. ``__MACOSX/`` and dot-files are skipped.
LMS downloads, zipped or unzipped
    Canvas, Moodle, Blackboard and Brightspace naming, or ``--pattern REGEX`` (see :mod:`.lms_presets`
    and :mod:`.lms_import`); students are looked up in the roster (:mod:`.roster`).

Any file that fits no layout stops the import, listing every offending name and why.
"""
from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path, PurePosixPath

from ..core.coursedir import CourseError, CourseRoot
from ..core.safe_io import read_capped, regular_files
from . import lms_presets
from .import_report import IMPORT_CAP, ImportReport, visible, write_if_changed
from .lms_import import assignment_due, download_files, import_lms
from .roster import Roster, Student, fill_gradebook, load_roster, valid_student_id

__all__ = ["IMPORT_CAP", "ImportReport", "add_students", "import_folder", "import_submissions", "import_zip"]


def import_folder(root: CourseRoot, assignment: str, path: Path) -> ImportReport:
    """Copy ``path``'s student folders into ``submitted/`` (a no-op for ``submitted/`` itself)."""
    path = Path(path).resolve()
    if not path.is_dir():
        raise CourseError(f"submissions folder {path} does not exist")
    report = ImportReport()
    bad = sorted(p.name for p in path.iterdir() if p.is_dir() and not valid_student_id(p.name)
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
                changed |= write_if_changed(read_capped(nb, IMPORT_CAP), dest / nb.relative_to(source))
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


def _native_zip_plan(entries: list[zipfile.ZipInfo], notebooks: list[str]) -> tuple[dict, list[str]]:
    """``({(student, notebook): entry}, bad names)`` under descent's own zip naming."""
    tops = {PurePosixPath(i.filename).parts[0] for i in entries if len(PurePosixPath(i.filename).parts) > 1}
    plan, bad = {}, []
    for info in entries:
        parts = PurePosixPath(info.filename).parts
        if len(parts) > 2 or (len(parts) == 2 and len(tops) > 1):
            bad.append(info.filename)
            continue
        stem, dot, ext = parts[-1].rpartition(".")
        student, _, notebook = stem.partition("__")
        notebook = notebook or (notebooks[0] if len(notebooks) == 1 else "")
        if ext != "ipynb" or not dot or not valid_student_id(student) or notebook not in notebooks:
            bad.append(info.filename)
            continue
        plan[(student, notebook)] = info
    return plan, bad


def _native_rule(notebooks: list[str]) -> str:
    accepted = "STUDENT.ipynb" if len(notebooks) == 1 else ""
    return " or ".join(x for x in (accepted, f"STUDENT__NOTEBOOK.ipynb with NOTEBOOK one of {notebooks}") if x)


def import_zip(root: CourseRoot, assignment: str, path: Path) -> ImportReport:
    """Unpack a zip in descent's own naming into ``submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb``."""
    path = Path(path)
    notebooks = [p.stem for p in root.notebooks(assignment)]
    entries = [i for i in _zip_entries(path) if visible(i.filename)]
    plan, bad = _native_zip_plan(entries, notebooks)
    if bad:
        raise CourseError(f"{path}: {len(bad)} file(s) are not named as accepted ({_native_rule(notebooks)}): "
                          + ", ".join(sorted(bad)))
    report = ImportReport()
    with zipfile.ZipFile(path) as archive:
        for (student, notebook), info in sorted(plan.items()):
            if student not in report.students:
                report.students.append(student)
            dest = root.submitted / student / assignment / f"{notebook}.ipynb"
            with archive.open(info) as member:  # a few MB of zip can hold GBs: read no more than the cap
                data = member.read(IMPORT_CAP + 1)
            if write_if_changed(data, dest) and student not in report.updated:
                report.updated.append(student)
    return report


def _is_native_folder(path: Path) -> bool:
    children = [p for p in path.iterdir() if not p.name.startswith(".")]
    return all(p.is_dir() and valid_student_id(p.name) for p in children)


def import_submissions(root: CourseRoot, assignment: str, path: "str | Path", *, lms: "str | None" = None,
                       pattern: "str | None" = None, due_from_gradebook: bool = False) -> ImportReport:
    """Import from a folder or a ``.zip`` file, in descent's own layout or an LMS's (see the module docstring).

    Parameters
    ----------
    lms
        ``"auto"`` (default: descent's own layout if every file follows it, else the LMS preset
        every file follows), ``"descent"``, or a preset name of :data:`.lms_presets.PRESETS`.
    pattern
        A regex with named groups instead of a preset (see :func:`.lms_presets.custom_preset`).
    due_from_gradebook
        Read the assignment's due date from the course's gradebook (late markers need it).
    """
    root.check_assignment(assignment)
    path = Path(path)
    lms = lms or "auto"
    is_zip = path.suffix.lower() == ".zip"
    if not path.exists():
        raise CourseError(f"submissions {'zip' if is_zip else 'folder'} {path} does not exist")
    native = import_zip if is_zip else import_folder
    if lms == "descent" and pattern is None:
        return native(root, assignment, path)
    with contextlib.ExitStack() as stack:
        archive = None
        if is_zip:
            _zip_entries(path)  # a damaged zip is reported as such
            archive = stack.enter_context(zipfile.ZipFile(path))
        files = download_files(path, archive)
        if pattern is not None:
            preset = lms_presets.custom_preset(pattern)
        elif lms != "auto":
            preset = lms_presets.PRESETS[lms]
        else:
            preset, matched = lms_presets.detect([f.path for f in files])
            kept = [f for f in files if not (preset.skip and preset.skip.search(f.path))]
            if matched < len(kept) and (matched == 0 or _native_accepts(root, assignment, path, is_zip)):
                return native(root, assignment, path)  # descent's own layout, or its explanation
        due = assignment_due(root, assignment) if due_from_gradebook else None
        return import_lms(root, assignment, files, preset, load_roster(root), due, path)


def _native_accepts(root: CourseRoot, assignment: str, path: Path, is_zip: bool) -> bool:
    if not is_zip:
        return _is_native_folder(path)
    notebooks = [p.stem for p in root.notebooks(assignment)]
    return not _native_zip_plan([i for i in _zip_entries(path) if visible(i.filename)], notebooks)[1]


def add_students(course: CourseRoot, students: list[str]) -> None:
    """Create gradebook entries for ``students`` (idempotent), named as in the course's roster."""
    known = (load_roster(course) or Roster([])).by_id()
    fill_gradebook(course, [known.get(s) or Student(s) for s in students])
