"""``descent report``: where the class struggles, exercise by exercise, and which mistakes it made.

The scores come from the gradebook; the mistakes from the graded notebooks' metadata
(``descent.mistakes``, written by the judge at autograde, whichever command graded them). A
mistake counts only where its test cell lost marks (a score the formgrader raised to full
does not count).
"""
from __future__ import annotations

import base64
import csv
import html
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure  # no pyplot: safe without a display

from ....mistakes import describe, is_knock_on
from ....plots import PALETTE, label, use_course_style
from ..core.cells import exercise_graded_by
from ..feedback.graded_notebooks import graded_mistakes
from .scores import CellScore, read_scores


def struggle_table(assignment: str, rows: list[CellScore], order: "list[str] | None" = None) -> str:
    """Per exercise: max points, mean score, and the share of students who lost marks.

    Written answers and tasks the grader has not scored yet are left out of the mean and the share, and
    counted in a last column (``pending``) instead, so an ungraded answer reads neither as 0 nor as full.
    """
    by_cell: dict[str, list[CellScore]] = defaultdict(list)
    for r in rows:
        by_cell[r.grade_id].append(r)
    ids = [g for g in (order or []) if g in by_cell] + sorted(set(by_cell) - set(order or []))
    students = {r.student for r in rows}
    width = max([len("exercise"), *(len(g) for g in ids)]) + 2
    lines = [f"{assignment}: {len(students)} students",
             "exercise".ljust(width) + "max".rjust(6) + "mean".rjust(8) + "lost marks".rjust(12)
             + "pending".rjust(9)]
    for gid in ids:
        max_score = by_cell[gid][0].max_score
        cells = [c for c in by_cell[gid] if not c.pending]
        pending = len(by_cell[gid]) - len(cells)
        mean = f"{sum(c.score or 0.0 for c in cells) / len(cells):.2f}" if cells else "-"
        lost = f"{sum(1 for c in cells if not c.full) / len(cells):.0%}" if cells else "-"
        lines.append(exercise_graded_by(gid).ljust(width) + f"{max_score:g}".rjust(6)
                     + mean.rjust(8) + lost.rjust(12) + str(pending).rjust(9))
    return "\n".join(lines)


@dataclass(frozen=True)
class MistakeCount:
    """How many students of the class made one mistake in one exercise."""

    exercise: str
    mistake: str
    students: int
    share: float  # of the students graded

    @property
    def message(self) -> str:
        entry = describe(self.mistake)
        return entry.message if entry else "a wrong answer that matches no catalogued mistake"


def lost_marks(rows: list[CellScore], mistakes: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """``mistakes`` (student -> grade_id -> id) kept only where the gradebook says the cell lost marks."""
    lost = {(r.student, r.grade_id) for r in rows if not r.full and not r.pending}
    return {student: {gid: mid for gid, mid in found.items() if (student, gid) in lost}
            for student, found in mistakes.items()}


def _rank(item: "tuple[str, int]") -> tuple:
    """Own mistakes first, knock-ons after; then by students, then by id."""
    mistake_id, students = item
    return is_knock_on(mistake_id), -students, mistake_id


def count_mistakes(mistakes: dict[str, dict[str, str]], n_students: int,
                   order: "list[str] | None" = None) -> dict[str, list[MistakeCount]]:
    """Per exercise (in ``order``, then by name), its mistakes ranked by how many students made them.

    Knock-ons (a right function on a wrong helper, :func:`course.mistakes.is_knock_on`) come after the
    exercise's own mistakes, ranked among themselves: they are the helper's mistake, counted where it shows.
    """
    by_cell: dict[str, Counter] = defaultdict(Counter)
    for found in mistakes.values():
        for gid, mid in found.items():
            by_cell[gid][mid] += 1
    ids = [g for g in (order or []) if g in by_cell] + sorted(set(by_cell) - set(order or []))
    return {exercise_graded_by(gid): [MistakeCount(exercise_graded_by(gid), mid, n, n / max(n_students, 1))
                                        for mid, n in sorted(by_cell[gid].items(), key=_rank)]
            for gid in ids}


def mistake_table(assignment: str, counts: dict[str, list[MistakeCount]], n_students: int) -> str:
    """The ranked mistakes as text: per exercise, one line per mistake with its count and share."""
    lines = [f"{assignment}: mistakes of {n_students} students (share of the class)"]
    if not counts:
        lines.append("  no mistakes recorded (grade with this course's grader to record them)")
    for exercise, rows in counts.items():
        lines.append(f"{exercise}")
        width = max(len(r.mistake) for r in rows) + 2
        for i, r in enumerate(rows):
            if is_knock_on(r.mistake) and (i == 0 or not is_knock_on(rows[i - 1].mistake)):
                lines.append("  knock-ons: right here, but built on a helper that is wrong")
            lines.append(f"  {r.mistake.ljust(width)}{r.students:>4}{r.share:>7.0%}  {r.message}")
    return "\n".join(lines)


def write_mistakes_csv(path: Path, counts: dict[str, list[MistakeCount]]) -> Path:
    """One row per exercise and mistake: exercise, mistake, students, share, what went wrong."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["exercise", "mistake", "students", "share", "what went wrong"])
        for rows in counts.values():
            for r in rows:
                writer.writerow([r.exercise, r.mistake, r.students, f"{r.share:.4f}", r.message])
    return path


def _bar_chart_png(exercise: str, rows: list[MistakeCount]) -> str:
    """A horizontal bar chart of one exercise's mistakes, as base64 PNG (the course's CVD-safe style)."""
    use_course_style()
    fig = Figure(figsize=(7.0, 0.5 + 0.45 * len(rows)))
    ax = fig.subplots()
    names = [r.mistake.split("/", 1)[-1] for r in rows][::-1]
    shares = [100 * r.share for r in rows][::-1]
    plain = ("/not-written", "unrecognised")  # not the exercise's own mistake: drawn apart
    colours = [PALETTE["sky"] if r.mistake.endswith(plain) or is_knock_on(r.mistake) else PALETTE["vermillion"]
               for r in rows][::-1]
    ax.barh(names, shares, color=colours)
    for y, r in enumerate(rows[::-1]):
        ax.annotate(f" {r.students}", (100 * r.share, y), va="center", fontsize=9)
    ax.set_xlim(0, max(100.0, max(shares) * 1.15))
    label(ax, exercise, "students who made it (% of the class)", "")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", dpi=80)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def write_mistakes_html(path: Path, assignment: str, counts: dict[str, list[MistakeCount]],
                        n_students: int) -> Path:
    """A self-contained page (no network): per exercise a table of mistakes and an embedded bar chart."""
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{html.escape(assignment)}: what the class got wrong</title>"
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
             "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;"
             "text-align:left}td.n{text-align:right}img{max-width:100%}</style></head><body>",
             f"<h1>{html.escape(assignment)}: what the class got wrong</h1>",
             f"<p>{n_students} students graded. Each row counts the students whose test of that exercise "
             "lost marks with that mistake.</p>"]
    if not counts:
        parts.append("<p>No mistakes recorded.</p>")
    for exercise, rows in counts.items():
        parts.append(f"<h2>{html.escape(exercise)}</h2><table><tr><th>mistake</th><th>students</th>"
                     "<th>share</th><th>what went wrong</th></tr>")
        parts += [f"<tr><td><code>{html.escape(r.mistake)}</code></td><td class='n'>{r.students}</td>"
                  f"<td class='n'>{r.share:.0%}</td><td>{html.escape(r.message)}</td></tr>" for r in rows]
        parts.append(f"</table><img alt='bar chart of the mistakes in {html.escape(exercise)}' "
                     f"src='data:image/png;base64,{_bar_chart_png(exercise, rows)}'>")
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def class_mistakes(root, assignment: str, rows: list[CellScore]) -> dict[str, dict[str, str]]:
    """student -> grade_id -> mistake id, for the graded students of ``rows``, where marks were lost."""
    students = sorted({r.student for r in rows})
    return lost_marks(rows, {s: graded_mistakes(root, assignment, s) for s in students})


def student_mistakes(root, student: str) -> dict[str, dict[str, str]]:
    """assignment -> grade_id -> mistake id for one student, over every assignment of the course."""
    found = {}
    for assignment in root.assignments():
        rows = [r for r in read_scores(root, assignment) if r.student == student]
        mine = class_mistakes(root, assignment, rows).get(student, {})
        if mine:
            found[assignment] = mine
    return found


def student_table(student: str, found: dict[str, dict[str, str]]) -> str:
    """One student's mistakes across assignments (``found``: assignment -> grade_id -> id)."""
    lines = [f"{student}: mistakes where marks were lost"]
    for assignment, cells in found.items():
        for gid, mid in cells.items():
            entry = describe(mid)
            lines.append(f"  {assignment}  {exercise_graded_by(gid)}: {mid}"
                         + (f" ({entry.message})" if entry else ""))
    if len(lines) == 1:
        lines.append("  none recorded")
    return "\n".join(lines)
