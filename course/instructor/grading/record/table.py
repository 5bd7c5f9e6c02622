"""Plain-text score tables: one row per exercise, one column per student."""
from __future__ import annotations

from typing import Iterable

from ..core.cells import exercise_graded_by
from .scores import CellScore

#: What the table shows for a written answer or task that waits for the grader in the formgrader.
PENDING = "pending"
#: The last line's label: per student, the points still waiting for the grader.
AWAITING = "awaiting"


def _fmt(cell: "CellScore | None") -> str:
    if cell is not None and cell.pending:
        return PENDING
    return "  -" if cell is None or cell.score is None else f"{cell.score:g}"


def score_table(assignment: str, rows: Iterable[CellScore], order: "list[str] | None" = None) -> str:
    """Format the scores of one assignment; ``order`` lists grade_ids in notebook order.

    A written answer or task the grader has not scored yet reads ``pending``, never 0 or full; the total
    counts the points given so far, and a last line (only when something is pending) gives each student's
    points still waiting for the grader.
    """
    rows = list(rows)
    students = sorted({r.student for r in rows})
    cells: dict[str, dict[str, CellScore]] = {}
    for r in rows:
        cells.setdefault(r.grade_id, {})[r.student] = r
    ids = [g for g in (order or []) if g in cells] + sorted(set(cells) - set(order or []))
    label_width = max([len("exercise"), len(AWAITING), *(len(g) for g in ids)]) + 2
    col = max([10, *(len(s) + 2 for s in students)])
    lines = [assignment, "exercise".ljust(label_width) + "max".rjust(6)
             + "".join(s.rjust(col) for s in students)]
    for gid in ids:
        max_score = next(iter(cells[gid].values())).max_score
        line = exercise_graded_by(gid).ljust(label_width) + f"{max_score:g}".rjust(6)
        line += "".join(_fmt(cells[gid].get(s)).rjust(col) for s in students)
        lines.append(line)
    total_max = sum(next(iter(c.values())).max_score for c in cells.values())
    totals = [sum((cells[g][s].score or 0.0) for g in ids if s in cells[g]) for s in students]
    lines.append("total".ljust(label_width) + f"{total_max:g}".rjust(6)
                 + "".join(f"{t:g}".rjust(col) for t in totals))
    waiting = [sum(cells[g][s].max_score for g in ids if s in cells[g] and cells[g][s].pending) for s in students]
    if any(waiting):
        pending_max = sum(next(iter(cells[g].values())).max_score for g in ids
                          if any(c.pending for c in cells[g].values()))
        lines.append(AWAITING.ljust(label_width) + f"{pending_max:g}".rjust(6)
                     + "".join(f"{w:g}".rjust(col) for w in waiting))
    return "\n".join(lines)
