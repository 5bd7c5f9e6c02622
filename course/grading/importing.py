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
    Canvas, Moodle, Blackboard and Brightspace naming, or ``--pattern REGEX`` (see :mod:`.lms`);
    students are looked up in the roster (:mod:`.roster`). Of several files of one student for
    one notebook (resubmissions), the newest is kept. Times and late markers in the names are
    written to ``timestamp.txt``, which nbgrader reads for its late penalties.

Any file that fits no layout stops the import, listing every offending name and why.
"""
from __future__ import annotations

import contextlib
import json
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Callable

from . import lms as lms_presets
from .coursedir import CourseError, CourseRoot
from .roster import Roster, load_roster, valid_student_id


@dataclass
class ImportReport:
    """Who was imported, and whose files were unchanged since the last import."""

    students: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # student folders without this assignment
    notes: list[str] = field(default_factory=list)  # what the instructor should know: preset, resubmissions
    lms_ids: dict = field(default_factory=dict)  # student -> their id in the LMS download


def _write_if_changed(data: bytes, dest: Path) -> bool:
    if dest.exists() and dest.read_bytes() == data:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return True


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
        for nb in sorted(p for p in source.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            changed |= _write_if_changed(nb.read_bytes(), dest / nb.relative_to(source))
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


def _visible(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] != "__MACOSX" and not any(p.startswith(".") for p in parts)


def import_zip(root: CourseRoot, assignment: str, path: Path) -> ImportReport:
    """Unpack a zip in descent's own naming into ``submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb``."""
    path = Path(path)
    notebooks = [p.stem for p in root.notebooks(assignment)]
    entries = [i for i in _zip_entries(path) if _visible(i.filename)]
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
            if _write_if_changed(archive.read(info), dest) and student not in report.updated:
                report.updated.append(student)
    return report


@dataclass(frozen=True)
class _File:
    """A file of an LMS download: its path inside it (NFC), its bytes, its time there."""

    path: str
    read: Callable[[], bytes]
    mtime: "datetime | None"


def _download_files(path: Path, archive: "zipfile.ZipFile | None") -> list[_File]:
    if archive is not None:
        return [_File(unicodedata.normalize("NFC", i.filename), (lambda i=i: archive.read(i)),
                      datetime(*i.date_time).astimezone(timezone.utc))
                for i in archive.infolist() if not i.is_dir() and _visible(i.filename)]
    return [_File(unicodedata.normalize("NFC", f.relative_to(path).as_posix()), f.read_bytes,
                  datetime.fromtimestamp(f.stat().st_mtime, timezone.utc))
            for f in sorted(path.rglob("*")) if f.is_file() and _visible(f.relative_to(path).as_posix())]


def _is_native_folder(path: Path) -> bool:
    children = [p for p in path.iterdir() if not p.name.startswith(".")]
    return all(p.is_dir() and valid_student_id(p.name) for p in children)


def assignment_due(db_url: str, assignment: str) -> "datetime | None":
    """The assignment's due date in the gradebook (UTC), if it has one."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=timezone.utc) if due else None


def import_lms(root: CourseRoot, assignment: str, files: list[_File], preset: "lms_presets.Preset",
               roster: "Roster | None", due: "datetime | None", source: Path) -> ImportReport:
    """Import an LMS download under ``preset``'s naming; every file must resolve to a roster student."""
    notebooks = [p.stem for p in root.notebooks(assignment)]
    kept = [f for f in files if not (preset.skip and preset.skip.search(f.path))]
    chosen, bad = {}, []
    for f in kept:
        resolved, why = lms_presets.resolve(preset, f.path, notebooks, roster, f.mtime)
        if resolved is None:
            bad.append(f"{f.path}: {why}")
            continue
        key = (resolved.student, resolved.notebook)
        chosen.setdefault(key, []).append((resolved, f))
    if bad or not kept:
        hint = ("" if preset.name == "pattern" else
                f" (read as a {preset.name} download; choose another with --lms, or give --pattern REGEX)")
        raise CourseError(f"{source}: {len(bad)} of {len(kept)} file(s) cannot be imported{hint}:\n  "
                          + "\n  ".join(bad or ["the download holds no files"]))
    report = ImportReport(notes=[f"{source.name}: {preset.name} download, {len(kept)} file(s)"])
    by_student: dict[str, list] = {}
    for (student, notebook), candidates in sorted(chosen.items()):
        candidates.sort(key=lambda c: c[0].order)
        if len(candidates) > 1:
            report.notes.append(f"  {student}/{notebook}: kept the newest of {len(candidates)} files, "
                                f"{candidates[-1][1].path}")
        by_student.setdefault(student, []).append(candidates[-1])
    for student, picked in by_student.items():
        report.students.append(student)
        folder = root.submitted / student / assignment
        changed = False
        for resolved, f in picked:
            changed |= _write_if_changed(f.read(), folder / f"{resolved.notebook}.ipynb")
        when = lms_presets.submission_time([r for r, _ in picked], due)
        stamp = folder / "timestamp.txt"
        if when is not None:
            changed |= _write_if_changed(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC").encode(), stamp)
        elif stamp.exists():
            stamp.unlink()
            changed = True
        if changed:
            report.updated.append(student)
        report.lms_ids[student] = next((r.lms_id for r, _ in picked if r.lms_id), "")
    if roster is not None:
        report.missing = sorted(set(roster.by_id()) - set(report.students))
    if any(r.late for rs in chosen.values() for r, _ in rs) and due is None:
        report.notes.append(f"  late markers found, but {assignment} has no due date in the gradebook: set one "
                            f"with `nbgrader db assignment add {assignment} --duedate=...` for late penalties")
    _record_lms_ids(root, assignment, preset.name, report.lms_ids)
    return report


def _record_lms_ids(root: CourseRoot, assignment: str, lms: str, ids: dict) -> None:
    """``grades/ASSIGNMENT/lms.json``: each student's id in the LMS downloads (for ``descent export``).

    Ids seen in earlier downloads are kept; a later download's id for a student wins.
    """
    path = root.path / "grades" / assignment / "lms.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(path.read_text())["ids"] if path.is_file() else {}
    known.update({student: lms_id for student, lms_id in ids.items() if lms_id})
    path.write_text(json.dumps({"lms": lms, "ids": known}, indent=1, sort_keys=True, ensure_ascii=False))


def import_submissions(root: CourseRoot, assignment: str, path: "str | Path", *, lms: "str | None" = None,
                       pattern: "str | None" = None, db_url: "str | None" = None) -> ImportReport:
    """Import from a folder or a ``.zip`` file, in descent's own layout or an LMS's (see the module docstring).

    Parameters
    ----------
    lms
        ``"auto"`` (default: descent's own layout if every file follows it, else the LMS preset
        every file follows), ``"descent"``, or a preset name of :data:`.lms.PRESETS`.
    pattern
        A regex with named groups instead of a preset (see :func:`.lms.custom_preset`).
    db_url
        The gradebook, for the assignment's due date (late markers need it).
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
        files = _download_files(path, archive)
        if pattern is not None:
            preset = lms_presets.custom_preset(pattern)
        elif lms != "auto":
            preset = lms_presets.PRESETS[lms]
        else:
            preset, matched = lms_presets.detect([f.path for f in files])
            kept = [f for f in files if not (preset.skip and preset.skip.search(f.path))]
            if matched < len(kept) and (matched == 0 or _native_accepts(root, assignment, path, is_zip)):
                return native(root, assignment, path)  # descent's own layout, or its explanation
        due = assignment_due(db_url, assignment) if db_url else None
        return import_lms(root, assignment, files, preset, load_roster(root), due, path)


def _native_accepts(root: CourseRoot, assignment: str, path: Path, is_zip: bool) -> bool:
    if not is_zip:
        return _is_native_folder(path)
    notebooks = [p.stem for p in root.notebooks(assignment)]
    return not _native_zip_plan([i for i in _zip_entries(path) if _visible(i.filename)], notebooks)[1]


def add_students(db_url: str, students: list[str], root: "CourseRoot | None" = None) -> None:
    """Create gradebook entries for ``students`` (idempotent), named as in the course's roster."""
    from .roster import Student, fill_gradebook

    roster = (load_roster(root) if root is not None else None) or Roster([])
    known = roster.by_id()
    fill_gradebook(db_url, [known.get(s) or Student(s) for s in students])
