"""Write ``grades.csv`` (one row per student) and a histogram of total scores."""
from __future__ import annotations

import csv
from pathlib import Path

from matplotlib.figure import Figure  # no pyplot: safe in threads and without a display

from ....plots import PALETTE, label, use_course_style
from ..core.cells import exercise_graded_by
from .student_result import StudentResult
from .table import PENDING


def write_csv(path: Path, results: list[StudentResult], columns: list[str], max_scores: dict,
              pending: "set[tuple[str, str]] | frozenset" = frozenset()) -> Path:
    """One row per student: id, status, total, max, points per exercise, message, flags for review,
    then per test cell the mistake the grader named where marks were lost (``<exercise> mistake``).

    A written answer or task still waiting for the grader, ``(student, grade_id)`` in ``pending``, reads
    ``pending`` (the total counts the points given so far); a cell without any score is left empty.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    total_max = sum(max_scores.get(c, 0.0) for c in columns)
    tests = [c for c in columns if c.startswith("test_")]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "status", "total", "max_total",
                         *(exercise_graded_by(c) for c in columns), "message", "flags",
                         *(f"{exercise_graded_by(c)} mistake" for c in tests)])
        for r in sorted(results, key=lambda r: r.student):
            points = [PENDING if (r.student, c) in pending else _points(r.scores.get(c)) for c in columns]
            writer.writerow([r.student, r.status, f"{r.total:g}", f"{total_max:g}", *points,
                             r.message.splitlines()[0] if r.message else "",
                             " | ".join(r.flags),
                             *(_mistake_if_lost(r, c, max_scores) for c in tests)])
    return path


def _points(value: "float | None") -> str:
    return "" if value is None else f"{value:g}"


def _mistake_if_lost(result: StudentResult, grade_id: str, max_scores: dict) -> str:
    """The mistake recorded for ``grade_id``, shown only when the cell's points (as exported) fall short."""
    points, most = result.scores.get(grade_id), max_scores.get(grade_id, 0.0)
    if points is not None and points >= most - 1e-9:
        return ""
    return str(getattr(result, "mistakes", {}).get(grade_id, ""))


def write_histogram(path: Path, assignment: str, results: list[StudentResult], total_max: float) -> Path:
    """A PNG histogram of the students' totals."""
    use_course_style()
    totals = [r.total for r in results]
    fig = Figure()
    ax = fig.subplots()
    bins = max(5, min(20, int(total_max) + 1)) if total_max else 10
    ax.hist(totals, bins=bins, range=(0, total_max or 1), color=PALETTE["blue"], edgecolor="white")
    mean = sum(totals) / len(totals) if totals else 0.0
    label(ax, f"{assignment}: {len(totals)} students, mean {mean:.1f} of {total_max:g}",
          "total score", "students")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    return path
