"""Plain-text score tables: one row per exercise, one column per student."""
from __future__ import annotations

from typing import Iterable

from .cells import exercise_graded_by
from .scores import CellScore


def _fmt(value: "float | None") -> str:
    return "  -" if value is None else f"{value:g}"


def score_table(assignment: str, rows: Iterable[CellScore], order: "list[str] | None" = None) -> str:
    """Format the scores of one assignment; ``order`` lists grade_ids in notebook order."""
    rows = list(rows)
    students = sorted({r.student for r in rows})
    cells: dict[str, dict[str, CellScore]] = {}
    for r in rows:
        cells.setdefault(r.grade_id, {})[r.student] = r
    ids = [g for g in (order or []) if g in cells] + sorted(set(cells) - set(order or []))
    label_width = max([len("exercise"), len("total"), *(len(g) for g in ids)]) + 2
    col = max([10, *(len(s) + 2 for s in students)])
    lines = [assignment, "exercise".ljust(label_width) + "max".rjust(6)
             + "".join(s.rjust(col) for s in students)]
    for gid in ids:
        max_score = next(iter(cells[gid].values())).max_score
        line = exercise_graded_by(gid).ljust(label_width) + f"{max_score:g}".rjust(6)
        line += "".join(_fmt(cells[gid][s].score if s in cells[gid] else None).rjust(col) for s in students)
        lines.append(line)
    total_max = sum(next(iter(c.values())).max_score for c in cells.values())
    totals = [sum((cells[g][s].score or 0.0) for g in ids if s in cells[g]) for s in students]
    lines.append("total".ljust(label_width) + f"{total_max:g}".rjust(6)
                 + "".join(f"{t:g}".rjust(col) for t in totals))
    return "\n".join(lines)
