"""The course's own code that does what an exercise asks for, and the grader's flag on answers that use it.

The demos need a few things the exercises also ask the student to write: the parabola
``(x - 3)**2`` and its slope (``course.functions.quadratic(1, 3)``, drawn in 02 and 03) and the
descent engine (``course.descent.descend`` and ``path``). They stay in the lessons' wing; an
answer that uses them gets its points if it is right, and a review flag in ``grades.csv``.
"""
from __future__ import annotations

import ast

#: Exercise -> the course's functions (dotted names) an answer to it must not use.
SHORTCUTS: dict[str, tuple[str, ...]] = {
    "parabola": ("course.functions.quadratic",),
    "parabola_grad": ("course.functions.quadratic",),
    "gradient_descent": ("course.descent.descend", "course.descent.path"),
}


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
