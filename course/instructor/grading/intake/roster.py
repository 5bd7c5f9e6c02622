"""The class list: who the students are, under the names and numbers each LMS uses for them.

``descent roster import ROSTER.csv`` reads a CSV with a ``student_id`` column (the id the
gradebook and ``submitted/`` use) and, optionally, ``first_name``, ``last_name``, ``email``
and ``lms_id`` (the student's number in the LMS: Canvas's user ID, Moodle's participant
number, Blackboard's username). It keeps a clean copy as ``roster.csv`` in the course root
(not committed: it holds personal data) and writes the names, emails and LMS ids into the
gradebook, so that the formgrader shows students by name.

LMS downloads name students by LMS id, by full name or by username; :meth:`Roster.find`
looks any of them up. Names compare without regard to case, accents' Unicode form
(NFC or NFD) or repeated spaces.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.coursedir import CourseError, CourseRoot

ROSTER_FILE = "roster.csv"
COLUMNS = ("student_id", "first_name", "last_name", "email", "lms_id")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def valid_student_id(name: str) -> bool:
    """Letters, digits, ``.``, ``_``, ``-``, starting with a letter or digit, without ``__``."""
    return bool(STUDENT_ID.match(name)) and "__" not in name


def normalize(text: str) -> str:
    """A name or id as compared: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class Student:
    """One roster row."""

    student_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    lms_id: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(x for x in (self.first_name, self.last_name) if x)

    def keys(self) -> set[str]:
        """Every form an LMS may name this student by, normalized."""
        first, last = normalize(self.first_name), normalize(self.last_name)
        keys = {normalize(self.student_id), normalize(self.lms_id), normalize(self.email),
                normalize(self.email.split("@")[0]) if "@" in self.email else ""}
        if first or last:
            keys |= {f"{first} {last}".strip(), f"{last} {first}".strip(), f"{last}, {first}",
                     re.sub(r"\W", "", last + first)}  # Canvas: "Doe, Jane" -> "doejane"
        return {k for k in keys if k}


@dataclass
class Roster:
    """The roster's students and an index from every name form to them."""

    students: list[Student]
    _index: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for s in self.students:
            for key in s.keys():
                self._index.setdefault(key, set()).add(s.student_id)

    def by_id(self) -> dict[str, Student]:
        return {s.student_id: s for s in self.students}

    def find(self, *names: str) -> "tuple[str | None, str]":
        """``(student_id, "")`` for the first of ``names`` that names one student, else ``(None, why)``."""
        for name in names:
            hits = self._index.get(normalize(name or ""), set())
            if len(hits) == 1:
                return next(iter(hits)), ""
            if len(hits) > 1:
                return None, f"{name!r} names several roster students ({', '.join(sorted(hits))})"
        return None, "no roster entry for " + " or ".join(repr(n) for n in names if n)


def _header(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lower().lstrip("\ufeff"))


def read_roster_csv(path: Path) -> Roster:
    """Read and check a roster CSV; :class:`CourseError` lists every problem."""
    if not path.is_file():
        raise CourseError(f"roster {path} does not exist")
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = [_header(h) for h in next(reader, [])]
        rows = list(reader)
    if "student_id" not in header:
        raise CourseError(f"{path} has no student_id column; its columns are {header}; expected "
                          f"{', '.join(COLUMNS)} (only student_id is required)")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise CourseError(f"{path}: unknown column(s) {unknown}; the roster's columns are {', '.join(COLUMNS)}")
    students, problems, seen = [], [], {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        student = Student(**values)
        if not valid_student_id(student.student_id):
            problems.append(f"line {line}: {student.student_id!r} is not a valid student id "
                            "(letters, digits, '.', '_' or '-', starting with a letter or digit)")
        elif student.student_id in seen:
            problems.append(f"line {line}: {student.student_id} is already on line {seen[student.student_id]}")
        else:
            seen[student.student_id] = line
            students.append(student)
    if problems:
        raise CourseError(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return Roster(students)


def load_roster(root: CourseRoot) -> "Roster | None":
    """The course's imported roster, or None if ``descent roster import`` was never run."""
    path = root.path / ROSTER_FILE
    return read_roster_csv(path) if path.is_file() else None


def fill_gradebook(course: CourseRoot, students: list[Student]) -> None:
    """Create or update these students in the course's gradebook with their names, emails and LMS ids."""
    with course.open_gradebook() as gb:
        for s in students:
            known = {"first_name": s.first_name, "last_name": s.last_name, "email": s.email,
                     "lms_user_id": s.lms_id}
            gb.update_or_create_student(s.student_id, **{k: v for k, v in known.items() if v})


def save_roster(root: CourseRoot, roster: Roster, source: str = "") -> str:
    """Write ``roster`` as the course's ``roster.csv`` and into ``root``'s gradebook; a one-line summary."""
    dest = root.path / ROSTER_FILE
    with open(dest, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for s in roster.students:
            writer.writerow([getattr(s, c) for c in COLUMNS])
    fill_gradebook(root, roster.students)
    without_lms = sum(1 for s in roster.students if not s.lms_id)
    return (f"roster: {len(roster.students)} students saved to {dest} and their names written to the gradebook"
            + (f" ({source})" if source else "")
            + (f"; {without_lms} without an lms_id (matched by name or email only)" if without_lms else ""))
