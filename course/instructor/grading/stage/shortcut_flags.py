"""The grader's flag on answers that use the course's own version of an exercise (:data:`course.shortcuts.SHORTCUTS`).

The demos need a few things the exercises also ask the student to write (the parabola and its
slope, the descent engine); they stay in the lessons' wing, listed once in :mod:`course.shortcuts`.
An answer that uses one gets its points if it is right, and a review flag in ``grades.csv``: the
student's submitted code is read here, in the grader, not run.
"""
from __future__ import annotations

import ast

from course.shortcuts import SHORTCUTS


def _dotted(node: ast.AST, aliases: dict[str, str]) -> "str | None":
    """The dotted name an expression like ``d.path`` or ``quadratic`` stands for, through the imports seen."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([aliases.get(node.id, node.id), *reversed(parts)])


def _imports(tree: ast.AST, aliases: dict[str, str]) -> None:
    """Add ``local name -> module or object`` for every import in ``tree`` to ``aliases``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                aliases[a.asname or a.name] = f"{node.module}.{a.name}"


def shortcuts_used(code: str, aliases: dict[str, str]) -> set[str]:
    """The shortcuts (dotted names of :data:`SHORTCUTS`) that ``code`` refers to, imports included."""
    try:
        tree = ast.parse("\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.splitlines()))
    except SyntaxError:
        return set()
    _imports(tree, aliases)
    known = {d for names in SHORTCUTS.values() for d in names}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and _dotted(node, aliases) in known:
            found.add(_dotted(node, aliases))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {f"{node.module}.{a.name}" for a in node.names} & known
    return found


def shortcut_flags(submitted, release) -> list[str]:
    """Review lines for the student's own code cells that use one of the course's :data:`SHORTCUTS`.

    Imports anywhere in the notebook count (``from course.descent import path`` in any cell);
    cells whose source is exactly a release cell's are the instructor's and are not flagged.
    """
    given = {c.source for c in release.cells if c.cell_type == "code"}
    aliases: dict[str, str] = {}
    flags = []
    for index, cell in enumerate(submitted.cells):
        if cell.cell_type != "code":
            continue
        used = shortcuts_used(cell.source, aliases)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if used and cell.source not in given and not meta.get("locked") and not meta.get("grade"):
            answers = sorted({ex for ex, names in SHORTCUTS.items() if used & set(names)})
            flags.append(f"review: {meta.get('grade_id') or f'cell {index}'} uses the course's own "
                         f"{', '.join(sorted(used))} (it answers {', '.join(answers)}): not written by the student")
    return flags
