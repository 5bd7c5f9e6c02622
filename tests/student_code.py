"""Run a notebook's setup and solution cells in a plain namespace, without a kernel.

Used to test the visible checks on the same code the grader tests see.
"""
from __future__ import annotations

from pathlib import Path

from course.instructor.grading.publish.sample_submissions import cell_role, read

REPO = Path(__file__).resolve().parents[1]


def namespace(assignment: str, notebook: str, replacements: "dict[str, str] | None" = None) -> dict:
    """Execute the locked setup cells and every solution cell (some replaced) of a source notebook."""
    nb = read(REPO / "source" / assignment / notebook)
    ns: dict = {"__name__": "__student__"}
    replacements = replacements or {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        role = cell_role(cell)
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if role == "locked":
            code = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
        elif role == "solution":
            code = replacements.get(gid, cell.source)
        else:
            continue
        exec(compile(code, f"<{gid}>", "exec"), ns)
    return ns
