"""``descent export``: an assignment's grades, from the gradebook, as a file an LMS imports.

Formats
-------
canvas
    Canvas's gradebook CSV: ``Student, ID, SIS User ID, SIS Login ID, Section`` then one
    column for the assignment, and a ``Points Possible`` row under the header. ``ID`` is the
    roster's ``lms_id`` (the Canvas user ID, which Canvas matches on). A student without a
    submission gets an empty cell (Canvas leaves an empty cell's grade unchanged).
moodle
    Moodle's offline grading worksheet: ``Identifier`` (``Participant N``), ``Full name``,
    ``Email address``, ``Status``, ``Grade``, ``Maximum Grade`` ... ``Feedback comments``.
    Missing students: status ``No submission``, no grade.
csv
    One row per student: ids, names, status, score after late penalty, maximum, raw score,
    penalty, submission time.

Scores are nbgrader's: manual scores where given, else automatic ones, minus the late
penalty, never below 0 (as ``nbgrader export`` computes them). Students are the roster's,
or the gradebook's when there is no roster.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import MissingEntry

from ..core.coursedir import CourseError, CourseRoot
from ..intake.roster import Roster, Student, load_roster
from .gradebook_record import gradebook_name, record_dir


@dataclass(frozen=True)
class GradeRow:
    """One student's grade of one assignment, as exported."""

    student: Student
    status: str  # "graded", "needs manual grading" or "missing"
    score: "float | None"
    max_score: float
    raw_score: "float | None" = None
    penalty: float = 0.0
    timestamp: str = ""


def grade_rows(course: CourseRoot, assignment: str, roster: "Roster | None") -> list[GradeRow]:
    """Every roster student's (or, without a roster, gradebook student's) grade of ``assignment``."""
    rows = []
    with course.open_gradebook() as gb:
        try:
            max_score = float(gb.find_assignment(assignment).max_score)
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook {gradebook_name(course.db_url)}: "
                              "grade it first") from None
        students = roster.students if roster else [
            Student(s.id, s.first_name or "", s.last_name or "", s.email or "", s.lms_user_id or "")
            for s in sorted(gb.students, key=lambda s: s.id)]
        for student in students:
            try:
                sub = gb.find_submission(assignment, student.student_id)
            except MissingEntry:
                rows.append(GradeRow(student, "missing", None, max_score))
                continue
            penalty = float(sub.late_submission_penalty or 0.0)
            raw = float(sub.score)
            rows.append(GradeRow(student, "needs manual grading" if sub.needs_manual_grade else "graded",
                                 max(0.0, raw - penalty), max_score, raw, penalty,
                                 sub.timestamp.strftime("%Y-%m-%d %H:%M:%S UTC") if sub.timestamp else ""))
    return rows


def _num(x: "float | None") -> str:
    return "" if x is None else f"{x:g}"


def _lms_ids(root: CourseRoot, assignment: str) -> dict:
    path = root.grades(assignment) / "lms.json"
    return json.loads(path.read_text())["ids"] if path.is_file() else {}


def _canvas(rows: list[GradeRow], column: str, ids: dict) -> list[list[str]]:
    table = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column],
             ["    Points Possible", "", "", "", "", _num(rows[0].max_score if rows else 0)]]
    for r in rows:
        s = r.student
        name = f"{s.last_name}, {s.first_name}" if s.last_name and s.first_name else (s.full_name or s.student_id)
        table.append([name, s.lms_id or ids.get(s.student_id, ""), s.student_id, "", "", _num(r.score)])
    return table


MOODLE_COLUMNS = ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
                  "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


def _moodle(rows: list[GradeRow], ids: dict) -> list[list[str]]:
    table = [MOODLE_COLUMNS]
    for r in rows:
        s = r.student
        status = "No submission" if r.status == "missing" else "Submitted for grading"
        grade = "" if r.score is None else f"{r.score:.2f}"
        table.append([f"Participant {ids.get(s.student_id) or s.lms_id}", s.full_name or s.student_id, s.email,
                      status, grade, f"{r.max_score:.2f}", "Yes", r.timestamp or "-", "-", ""])
    return table


def _plain(rows: list[GradeRow]) -> list[list[str]]:
    table = [["student_id", "first_name", "last_name", "email", "lms_id", "status", "score", "max_score",
              "raw_score", "late_penalty", "timestamp"]]
    for r in rows:
        s = r.student
        table.append([s.student_id, s.first_name, s.last_name, s.email, s.lms_id, r.status, _num(r.score),
                      _num(r.max_score), _num(r.raw_score), _num(r.penalty), r.timestamp])
    return table


def export_grades(root: CourseRoot, assignment: str, fmt: str, out: "Path | None" = None,
                  column: "str | None" = None) -> str:
    """Write ``assignment``'s grades in ``fmt`` (``canvas``, ``moodle``, ``csv``); a summary for the instructor."""
    roster = load_roster(root)
    rows = grade_rows(root, assignment, roster)
    ids = _lms_ids(root, assignment)
    if fmt == "canvas":
        table = _canvas(rows, column or assignment, ids)
    elif fmt == "moodle":
        no_id = [r.student.student_id for r in rows if not (ids.get(r.student.student_id) or r.student.lms_id)]
        if no_id:
            raise CourseError(f"Moodle matches rows by participant number, and these students have none "
                              f"(no lms_id in the roster, not in a Moodle download): {', '.join(no_id)}")
        table = _moodle(rows, ids)
    elif fmt == "csv":
        table = _plain(rows)
    else:
        raise CourseError(f"unknown export format {fmt!r}: canvas, moodle or csv")
    out = out or record_dir(root.grades(assignment), root.db_url) / f"{fmt}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(table)
    missing = [r.student.student_id for r in rows if r.status == "missing"]
    pending = [r.student.student_id for r in rows if r.status == "needs manual grading"]
    lines = [f"wrote {out}: {len(rows)} students, {len(rows) - len(missing)} with a submission"
             + ("" if roster else " (no roster: the gradebook's students)")]
    if missing:
        lines.append(f"  no submission (grade left empty): {', '.join(missing)}")
    if pending:
        lines.append(f"  still need manual grading in the formgrader (score so far exported): {', '.join(pending)}")
    return "\n".join(lines)
