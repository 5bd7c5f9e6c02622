"""How each LMS names the files of a "download all submissions", and who and when each file is.

A preset is a regular expression over a file's path inside the download (zipped or
unzipped), with named groups as nbgrader's ``zip_collect`` ``FileNameCollectorPlugin``
uses them: ``file_id`` (the notebook), optionally ``timestamp`` and ``late``, and one or
more groups that name the student (``student_id``, ``lms_id``, ``name``, ``username``,
``login``), looked up in the roster (:mod:`.roster`). ``--pattern REGEX`` is a preset of
the instructor's own with a ``student_id`` group.

Presets (see README, "LMS in and out", for each LMS's documentation):

canvas
    ``doejane_48213_7712345_loss_functions.ipynb``: login, ``LATE_`` when late, Canvas user
    id, submission id, the uploaded name (``-1``, ``-2`` when re-uploaded).
moodle
    ``Jane Doe_311201_assignsubmission_file_/loss_functions.ipynb`` (or ``..._file_loss_functions.ipynb``
    without folders): full name, participant number.
blackboard
    ``Loss Functions_jdoe_attempt_2026-03-02-17-05-33_loss_functions.ipynb`` (Blackboard Learn):
    username, attempt time; the ``.txt`` receipts are skipped.
brightspace
    ``157389-419507 - Jane Doe - Mar 2, 2026 517 PM - loss_functions.ipynb`` (D2L Brightspace):
    full name, submission time; ``index.html`` is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil.parser import parse

from ..core.coursedir import CourseError
from .roster import Roster, valid_student_id

_WRAP = r"^(?:[^/]+/)?"  # the download may sit inside one folder
_STUDENT_GROUPS = ("student_id", "lms_id", "login", "username", "name")


@dataclass(frozen=True)
class Preset:
    """One LMS's file naming."""

    name: str
    regex: "re.Pattern[str]"
    skip: "re.Pattern[str] | None" = None  # files the LMS adds that are not submissions
    time_format: "str | None" = None  # strptime format of the timestamp group (None: any ISO-like date)
    needs_roster: bool = True


PRESETS = {
    "canvas": Preset("canvas", re.compile(
        _WRAP + r"(?P<login>[^_/]+)_(?P<late>LATE_)?(?P<lms_id>\d+)_(?P<submission>\d+)_"
        r"(?P<file_id>[^/]+?)(?:-(?P<copy>\d+))?\.ipynb$")),
    "moodle": Preset("moodle", re.compile(
        _WRAP + r"(?P<name>[^/]+?)_(?P<lms_id>\d+)_assignsubmission_file_/?(?P<file_id>[^/]+?)\.ipynb$"),
        skip=re.compile(r"_assignsubmission_onlinetext_")),
    "blackboard": Preset("blackboard", re.compile(
        _WRAP + r"(?P<assignment>[^/]+)_(?P<username>[^_/]+)_attempt_"
        r"(?P<timestamp>\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)_(?P<file_id>[^/]+?)\.ipynb$"),
        skip=re.compile(r"_attempt_\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.txt$"),
        time_format="%Y-%m-%d-%H-%M-%S", needs_roster=False),
    "brightspace": Preset("brightspace", re.compile(
        _WRAP + r"(?P<submission>\d+)-(?P<copy>\d+) - (?P<name>[^/]+?) - "
        r"(?P<timestamp>[A-Z][a-z]{2} \d{1,2}, \d{4} \d{3,4} [AP]M) - (?P<file_id>[^/]+?)\.ipynb$"),
        skip=re.compile(r"(^|/)index\.html$"), time_format="%b %d, %Y %I%M %p"),
}


def custom_preset(pattern: str) -> Preset:
    """A preset from ``--pattern``; :class:`CourseError` if it cannot name students and notebooks."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise CourseError(f"--pattern {pattern!r} is not a valid regular expression: {exc}") from None
    if "student_id" not in regex.groupindex:
        raise CourseError(f"--pattern {pattern!r} needs a named group (?P<student_id>...) "
                          "(and (?P<file_id>...) for the notebook, unless the assignment has one)")
    return Preset("pattern", regex, needs_roster=False)


@dataclass(frozen=True)
class LmsFile:
    """One submitted file, resolved: whose, which notebook, when."""

    path: str
    student: str
    notebook: str
    late: bool
    submitted: "datetime | None"  # UTC, from the file name
    order: tuple  # larger is newer, among one student's files for one notebook
    lms_id: str = ""


def _parse_time(text: str, fmt: "str | None") -> datetime:
    """A naive LMS time, taken as the machine's local time, as an aware UTC datetime."""
    if fmt and "%I%M" in fmt:
        text = re.sub(r" (\d{3}) ([AP]M)$", r" 0\1 \2", text)  # Brightspace's "517 PM"
    if fmt:
        moment = datetime.strptime(text, fmt)
    else:
        moment = parse(text)
    return moment.astimezone(timezone.utc)


def _notebook(file_id: "str | None", copy: "str | None", notebooks: list[str]) -> "str | None":
    if file_id is None:
        return notebooks[0] if len(notebooks) == 1 else None
    for candidate in (f"{file_id}-{copy}" if copy else None, file_id):
        if candidate in notebooks:
            return candidate
    return None


def resolve(preset: Preset, path: str, notebooks: list[str], roster: "Roster | None",
            mtime: "datetime | None" = None) -> "tuple[LmsFile | None, str]":
    """Match one file: ``(LmsFile, "")``, or ``(None, why)`` for a file the import cannot take."""
    m = preset.regex.search(path)
    if not m:
        return None, f"not named as {preset.name} names files"
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    notebook = _notebook(groups.get("file_id"), groups.get("copy"), notebooks)
    if notebook is None:
        return None, f"{groups.get('file_id')!r} is not a notebook of this assignment ({', '.join(notebooks)})"
    names = [groups[g] for g in _STUDENT_GROUPS if g in groups]
    if roster is not None:
        student, why = roster.find(*names)
        if student is None:
            return None, why
    elif preset.needs_roster:
        return None, (f"{preset.name} names students by LMS number or name: run "
                      "`descent roster import roster.csv` first")
    elif valid_student_id(names[0]):
        student = names[0]
    else:
        return None, f"{names[0]!r} is not a valid student id (and there is no roster to look it up)"
    try:
        submitted = _parse_time(groups["timestamp"], preset.time_format) if "timestamp" in groups else None
    except ValueError as exc:
        return None, f"its time {groups['timestamp']!r} cannot be read ({exc})"
    late = bool(groups.get("late"))
    if late and submitted is None:
        submitted = mtime
    order = (submitted or datetime.min.replace(tzinfo=timezone.utc), int(groups.get("submission") or 0),
             int(groups.get("copy") or 0), path)
    return LmsFile(path, student, notebook, late, submitted, order, groups.get("lms_id", "")), ""


def submission_time(files: list[LmsFile], due: "datetime | None") -> "datetime | None":
    """The time nbgrader should record for a student's files (UTC), or None for "on time, time unknown".

    A file name's own time wins. A late marker without a time (Canvas) is the later of the
    file's time in the download and one second after the due date, so that nbgrader counts
    it late; a file marked on time is never counted late because of its download time.
    """
    times = [f.submitted for f in files if f.submitted is not None and not f.late]
    late = [f for f in files if f.late]
    if late:
        floor = due + timedelta(seconds=1) if due else None
        marked = [t for t in (*(f.submitted for f in late), floor) if t is not None]
        times.append(max(marked) if marked else None)
    times = [t for t in times if t is not None]
    return max(times) if times else None


def detect(paths: list[str]) -> "tuple[Preset, int]":
    """The preset most files follow (all of them, ideally), and how many files it matches."""
    best, best_count = PRESETS["canvas"], -1
    for preset in PRESETS.values():
        kept = [p for p in paths if not (preset.skip and preset.skip.search(p))]
        count = sum(1 for p in kept if preset.regex.search(p))
        if kept and count == len(kept):
            return preset, count
        if count > best_count:
            best, best_count = preset, count
    return best, best_count
