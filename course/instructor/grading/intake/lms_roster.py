"""Class lists as each LMS exports them, read as downloaded and mapped to the course's roster.

``descent roster import FILE`` takes the LMS's own file (``--lms auto`` finds which from its
header). Each student becomes one roster row: ``student_id`` is their login name (the name
they log in to the course hub with, see :func:`login_name`), ``lms_id`` is what
``descent grade --submissions`` looks them up by in that LMS's download (:mod:`.lms`).

canvas
    Gradebook export (Grades > Export): ``Student, ID, SIS User ID, SIS Login ID, Section,
    <assignments>...``; the second row is ``Points Possible`` (older exports add a ``Muted``
    row), names are "Last, First", the course's "Test Student" is listed. Login: SIS Login ID
    (else SIS User ID); ``lms_id``: ``ID``, the Canvas user id in download file names.
    Columns as described at https://nemogb-dev.github.io/nemogb-r/articles/detailed-canvas-export-info.html
moodle
    The assignment's offline grading worksheet (``Identifier, Full name, Email address, Status,
    Grade, ...``, identifier ``Participant 311201``, the number in download file names, which
    becomes ``lms_id``; header order from mod/assign/gradingtable.php), or the course's
    participants download (``First name, Last name`` or ``Surname``, ``Email address``, ...),
    which has no participant number: its students are found in downloads by full name.
    Login: a ``Username`` column where the site exports one, else the email's local part.
blackboard
    Grade Center "Work Offline > Download" (``"Last Name","First Name","Username","Student ID",
    "Last Access","Availability",...``), tab-delimited in a file named ``.xls``, UTF-16 with
    a byte-order mark; https://help.blackboard.com/Learn/Instructor/Original/Grade/Grading_Tasks/Work_Offline_With_Grade_Data.
    Login and ``lms_id``: Username (Blackboard names download files by it).
brightspace
    Grades > Export to CSV (``OrgDefinedId, Username, Last Name, First Name, Email, ...,
    End-of-Line Indicator``), ids and usernames written ``#jdoe`` and each row ending in ``#``;
    https://community.d2l.com/brightspace/kb/articles/3538-importing-grades. Login: Username;
    ``lms_id``: OrgDefinedId (Brightspace's grade import matches it; its downloads name
    students by full name).

The file is decoded from its byte-order mark (UTF-8, UTF-16) or as UTF-8, and split on
the delimiter its header uses (comma, tab or semicolon).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from ..core.coursedir import CourseError, CourseRoot
from .roster import Roster, Student, read_roster_csv, save_roster

LMS_NAMES = ("canvas", "moodle", "blackboard", "brightspace")
#: A login name every system takes: POSIX's portable characters, lowercase, a letter first, at most 32.
LOGIN = re.compile(r"^[a-z][a-z0-9._-]{0,31}$")


class RowProblem(Exception):
    """A row that cannot become a roster student, with why."""


# Each reader gives a row's Student with the LMS's own login (or email) as student_id, None for a
# row that is not a student, or raises RowProblem.


def login_name(raw: str) -> "str | None":
    """The hub login (and student id) made from an LMS login, username or email; None if none can be.

    An email gives its local part; accents are dropped, letters lowercased, any other character
    becomes ``-``, runs of ``.``, ``_``, ``-`` become their first, and a name that does not start with
    a letter gets an ``s`` in front (``20231234`` -> ``s20231234``). More than 32 characters: None.
    """
    text = raw.strip().split("@")[0]
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9._-]+", "-", text)
    text = re.sub(r"([._-])[._-]+", r"\1", text).strip("._-")
    if text and not text[0].isalpha():
        text = "s" + text
    return text if LOGIN.match(text) else None


def decode(data: bytes, path: Path) -> str:
    """The export's text: by its byte-order mark, else UTF-8 (a UTF-16 file without one is told by its NULs)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data[:64]:
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CourseError(f"{path} is neither UTF-8 nor UTF-16 ({exc}): download it again, or save it "
                          "from a spreadsheet as 'CSV UTF-8'") from None


def read_table(path: Path) -> "tuple[list[str], list[tuple[int, list[str]]]]":
    """The header (stripped) and every row with its line number, split on the header's delimiter."""
    if not path.is_file():
        raise CourseError(f"roster {path} does not exist")
    text = decode(path.read_bytes(), path)
    first = text.split("\n", 1)[0]
    delimiter = max("\t,;", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    rows = []
    for cells in reader:
        rows.append((reader.line_num, [c.strip() for c in cells]))
    return header, rows


def detect(header: list[str]) -> "str | None":
    """Which LMS wrote a file with this header (``descent`` for the course's own CSV), or None."""
    names = {h.casefold() for h in header}
    if "student_id" in names:
        return "descent"
    if {"student", "id"} <= names and names & {"sis login id", "sis user id"}:
        return "canvas"
    if {"identifier", "full name"} <= names or ({"first name", "email address"} <= names
                                                and names & {"last name", "surname"}):
        return "moodle"
    if "orgdefinedid" in names or "end-of-line indicator" in names:
        return "brightspace"
    if {"last name", "first name", "username"} <= names:
        return "blackboard"
    return None


class Cells:
    """One row's cells by (case-insensitive) column name."""

    def __init__(self, header: list[str], cells: list[str]):
        self._by_name = {h.casefold(): (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}

    def __getitem__(self, name: str) -> str:
        return self._by_name.get(name.casefold(), "")


def _split_full_name(full: str) -> "tuple[str, str]":
    """First word, then the rest ("Marie van der Berg"): a guess, but "first last" stays the full name."""
    first, _, last = " ".join(full.split()).partition(" ")
    return first, last


def canvas(row: Cells) -> "Student | None":
    name, canvas_id = row["Student"], row["ID"]
    if not canvas_id and name in ("Points Possible", "Muted"):
        return None
    if name in ("Student, Test", "Test Student"):
        return None
    if not canvas_id.isdigit():
        raise RowProblem(f"{canvas_id!r} is not a Canvas user ID (a number)")
    login = row["SIS Login ID"] or row["SIS User ID"]
    if not login:
        raise RowProblem(f"{name!r} has no SIS Login ID or SIS User ID to make a login name from")
    last, _, first = name.partition(",")
    return Student(login, first.strip(), last.strip(), login if "@" in login else "", canvas_id)


def moodle(row: Cells) -> "Student | None":
    email = row["Email address"]
    login = row["Username"] or email
    if row["Identifier"] or row["Full name"]:
        number = re.search(r"(\d+)\s*$", row["Identifier"])
        if not number:
            raise RowProblem(f"identifier {row['Identifier']!r} holds no participant number")
        first, last = _split_full_name(row["Full name"])
        lms_id = number.group(1)
    else:
        first, last, lms_id = row["First name"], row["Last name"] or row["Surname"], ""
    if not login:
        raise RowProblem("no username or email address to make a login name from")
    return Student(login, first, last, email, lms_id)


def blackboard(row: Cells) -> "Student | None":
    if not row["Username"]:
        raise RowProblem("no Username")
    return Student(row["Username"], row["First Name"], row["Last Name"], row["Email"], row["Username"])


def brightspace(row: Cells) -> "Student | None":
    username, org_id, email = row["Username"].removeprefix("#"), row["OrgDefinedId"].removeprefix("#"), row["Email"]
    login = username or email
    if not login:
        raise RowProblem("no Username or Email to make a login name from")
    return Student(login, row["First Name"], row["Last Name"], email, org_id or username)


READERS: "dict[str, Callable[[Cells], Student | None]]" = {
    "canvas": canvas, "moodle": moodle, "blackboard": blackboard, "brightspace": brightspace}
TITLES = {"canvas": "a Canvas gradebook export", "moodle": "a Moodle export", "blackboard":
          "a Blackboard Grade Center download", "brightspace": "a Brightspace grades export"}


@dataclass
class LmsRoster:
    """What an export gave: the roster, the LMS, rows skipped on purpose, logins changed from the LMS's."""

    roster: Roster
    lms: str
    skipped: list[str]
    renamed: list[str]

    def summary(self) -> str:
        notes = [f"from {TITLES.get(self.lms, 'a roster CSV')}"]
        if self.skipped:
            notes.append("skipped " + ", ".join(self.skipped))
        if self.renamed:
            shown = ", ".join(self.renamed[:3]) + (", ..." if len(self.renamed) > 3 else "")
            notes.append(f"{len(self.renamed)} login name(s) made from the LMS's ({shown})")
        return "; ".join(notes)


def read_lms_export(path: Path, lms: str = "auto") -> LmsRoster:
    """Read ``path`` as exported by ``lms`` (or the one its header names); :class:`CourseError` lists every bad row."""
    header, rows = read_table(Path(path))
    found = detect(header)
    if lms == "auto":
        if found is None:
            raise CourseError(
                f"{path}: not a roster this course reads (its columns: {', '.join(header[:8])}...). Expected a "
                "Canvas gradebook export (Student, ID, SIS User ID, SIS Login ID, ...), a Moodle grading worksheet "
                "(Identifier, Full name, ...) or participants list (First name, Last name, Email address), a "
                "Blackboard Grade Center download (Last Name, First Name, Username, ...), a Brightspace grades "
                "export (OrgDefinedId, Username, ...), or a CSV with a student_id column")
        lms = found
    if lms == "descent":
        return LmsRoster(read_roster_csv(Path(path)), "descent", [], [])
    if found != lms:
        raise CourseError(f"{path} is not {TITLES[lms]}" + (f" (it looks like {TITLES.get(found, 'a roster CSV')})"
                                                             if found else f"; its columns: {', '.join(header[:8])}"))
    return _to_roster(header, rows, READERS[lms], lms, path)


def import_roster(root: CourseRoot, path: Path, lms: str = "auto") -> str:
    """Check ``path`` (our CSV or an LMS's export), save it as the course's ``roster.csv``, fill the
    gradebook ``root`` is bound to; a one-line summary."""
    read = read_lms_export(Path(path), lms)
    return save_roster(root, read.roster, read.summary())


def _to_roster(header, rows, reader, lms: str, path: Path) -> LmsRoster:
    students, problems, skipped, renamed, seen = [], [], [], [], {}
    for line, cells in rows:
        if not any(cells):
            continue
        row = Cells(header, cells)
        try:
            found = reader(row)
        except RowProblem as exc:
            problems.append(f"line {line}: {exc}")
            continue
        if found is None:
            skipped.append(f"line {line} ({(cells[0] or '').strip()})")
            continue
        raw = found.student_id  # as the LMS has it; the roster's is the login name made from it
        login = login_name(raw)
        if login is None:
            problems.append(f"line {line}: no valid login name can be made from {raw!r} (at most 32 "
                            "letters, digits, '.', '_' or '-' once accents and the email's domain are dropped)")
            continue
        if login in seen:
            first_line, first_raw = seen[login]
            problems.append(f"line {line}: {raw!r} gives the login name {login!r}, as {first_raw!r} on "
                            f"line {first_line} does; two students cannot share one (edit one of them)")
            continue
        seen[login] = (line, raw)
        if login != raw:
            renamed.append(f"{raw} -> {login}")
        students.append(replace(found, student_id=login))
    if problems:
        raise CourseError(f"{path}: {len(problems)} problem(s), nothing imported:\n  " + "\n  ".join(problems))
    return LmsRoster(Roster(students), lms, skipped, renamed)
