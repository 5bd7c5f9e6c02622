"""``descent report``: where the class struggles, exercise by exercise."""
from __future__ import annotations

from collections import defaultdict

from .scores import CellScore


def struggle_table(assignment: str, rows: list[CellScore], order: "list[str] | None" = None) -> str:
    """Per exercise: max points, mean score, and the share of students who lost marks."""
    by_cell: dict[str, list[CellScore]] = defaultdict(list)
    for r in rows:
        by_cell[r.grade_id].append(r)
    ids = [g for g in (order or []) if g in by_cell] + sorted(set(by_cell) - set(order or []))
    students = {r.student for r in rows}
    width = max([len("exercise"), *(len(g) for g in ids)]) + 2
    lines = [f"{assignment}: {len(students)} students",
             "exercise".ljust(width) + "max".rjust(6) + "mean".rjust(8) + "lost marks".rjust(12)]
    for gid in ids:
        cells = by_cell[gid]
        max_score = cells[0].max_score
        mean = sum(c.score or 0.0 for c in cells) / len(cells)
        lost = sum(1 for c in cells if not c.full) / len(cells)
        lines.append(gid.removeprefix("test_").ljust(width) + f"{max_score:g}".rjust(6)
                     + f"{mean:.2f}".rjust(8) + f"{lost:.0%}".rjust(12))
    return "\n".join(lines)
