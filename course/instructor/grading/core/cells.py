"""What nbgrader's metadata makes of a cell, named once (built on :mod:`nbgrader.utils`).

A cell's role, in nbgrader's order of precedence:

- ``"written"``: a Markdown answer the student writes and the instructor grades by hand in the
  formgrader (``solution`` and ``grade``; its rubric sits in the source's solution region);
- ``"solution"``: code the student writes (an autograded answer, or a manually graded one);
- ``"test"``: a grade cell that is not a solution (visible asserts and hidden tests);
- ``"locked"``: read-only for the student, restored at grading;
- ``"plain"``: anything else.
"""
from __future__ import annotations

from nbgrader.utils import is_grade, is_locked, is_solution, is_task

ROLES = ("written", "solution", "test", "locked", "plain")


def _nbgrader(cell) -> dict:
    """The cell's nbgrader metadata; ``{}`` when it is missing or not a mapping (a student can write anything)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def cell_role(cell) -> str:
    """The cell's role: one of :data:`ROLES` (malformed metadata: plain)."""
    if not _nbgrader(cell):
        return "plain"
    if is_solution(cell):
        return "written" if cell.get("cell_type") == "markdown" else "solution"
    if is_grade(cell):
        return "test"
    return "locked" if is_locked(cell) else "plain"


def grade_id(cell) -> str:
    """The cell's ``grade_id`` (empty for a cell nbgrader does not track)."""
    return str(_nbgrader(cell).get("grade_id", ""))


def exercise_graded_by(test_id: str) -> str:
    """The exercise a test cell grades: its grade_id without ``test_`` (``test_mse`` grades ``mse``).

    The exercise's name is the function or value the student writes, and the key of its
    checks, probes and mistakes.
    """
    return test_id.removeprefix("test_")


def carries_points(cell) -> bool:
    """True for a cell that is scored: a test, a manually graded answer or a task."""
    return bool(_nbgrader(cell) and (is_grade(cell) or is_task(cell)))


def grade_ids(nb, role: str = "points") -> list[str]:
    """``grade_id``s in notebook order, of cells with ``role`` (one of :data:`ROLES`, or ``"points"``)."""
    wanted = carries_points if role == "points" else (lambda cell: cell_role(cell) == role)
    return [grade_id(cell) for cell in nb.cells if wanted(cell)]
