"""Import an LMS's "download all submissions" (zipped or unzipped) into ``submitted/``.

Each file is resolved by an LMS preset or ``--pattern`` (:mod:`.lms_presets`) to a roster student
(:mod:`.roster`) and a notebook. Of several files of one student for one notebook
(resubmissions), the newest is kept. The submission time nbgrader reads for its late
penalties goes to ``submitted/<student>/<assignment>/timestamp.txt``.
"""
from __future__ import annotations

import json
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from nbgrader.api import MissingEntry

from ..core.coursedir import CourseError, CourseRoot
from ..core.safe_io import read_capped, regular_files
from . import lms_presets
from .import_report import IMPORT_CAP, ImportReport, visible, write_if_changed
from .roster import Roster


@dataclass(frozen=True)
class DownloadFile:
    """A file of an LMS download: its path inside it (NFC), its bytes, its time there."""

    path: str
    read: Callable[[], bytes]
    mtime: "datetime | None"


def download_files(path: Path, archive: "zipfile.ZipFile | None") -> list[DownloadFile]:
    """Every visible file of the download at ``path`` (read from ``archive`` when it is a zip)."""
    if archive is not None:  # a few MB of zip can hold GBs: no member is read beyond the cap
        return [DownloadFile(unicodedata.normalize("NFC", i.filename), (lambda i=i: _read_member(archive, i)),
                             datetime(*i.date_time).astimezone(timezone.utc))
                for i in archive.infolist() if not i.is_dir() and visible(i.filename)]
    return [DownloadFile(unicodedata.normalize("NFC", f.relative_to(path).as_posix()),
                         (lambda f=f: read_capped(f, IMPORT_CAP)),
                         datetime.fromtimestamp(f.lstat().st_mtime, timezone.utc))
            for f in regular_files(path) if visible(f.relative_to(path).as_posix())]


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as member:
        return member.read(IMPORT_CAP + 1)


def assignment_due(course: CourseRoot, assignment: str) -> "datetime | None":
    """The assignment's due date in the course's gradebook (UTC), if it has one."""
    with course.open_gradebook() as gb:
        try:
            due = gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None
    return due.replace(tzinfo=timezone.utc) if due else None


def import_lms(root: CourseRoot, assignment: str, files: list[DownloadFile], preset: "lms_presets.Preset",
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
            changed |= write_if_changed(f.read(), folder / f"{resolved.notebook}.ipynb")
        when = lms_presets.submission_time([r for r, _ in picked], due)
        stamp = folder / "timestamp.txt"
        if when is not None:
            changed |= write_if_changed(when.strftime("%Y-%m-%d %H:%M:%S.%f UTC").encode(), stamp)
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
    path = root.grades(assignment) / "lms.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(path.read_text())["ids"] if path.is_file() else {}
    known.update({student: lms_id for student, lms_id in ids.items() if lms_id})
    path.write_text(json.dumps({"lms": lms, "ids": known}, indent=1, sort_keys=True, ensure_ascii=False))
