"""nbgrader cell roles, named once (course/instructor/grading/core/cells.py)."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.instructor.grading.core.cells import carries_points, cell_role, exercise_graded_by, grade_id, grade_ids

REPO = Path(__file__).resolve().parents[2]


def _cell(maker=new_code_cell, **nbgrader):
    return maker("x = 1", metadata={"nbgrader": nbgrader} if nbgrader else {})


def test_roles_follow_nbgraders_precedence():
    """Does a manually graded answer count as a solution, a grade cell as a test, and a test as locked?"""
    assert cell_role(_cell(solution=True, grade=True, grade_id="a", points=2)) == "solution"
    assert cell_role(_cell(solution=False, grade=True, grade_id="t", points=1)) == "test"
    assert cell_role(_cell(solution=False, grade=False, locked=True, grade_id="l")) == "locked"
    assert cell_role(_cell()) == "plain"
    assert cell_role(_cell(maker=new_markdown_cell, task=True, grade_id="k", points=3)) == "plain"


def test_a_markdown_answer_is_written_not_code():
    """Is a Markdown answer graded by hand its own role ("written"), scored, and left out of the code solutions?"""
    written = _cell(maker=new_markdown_cell, solution=True, grade=True, grade_id="why", points=2)
    nb = new_notebook(cells=[_cell(solution=True, grade_id="f"), written])
    assert cell_role(written) == "written" and carries_points(written)
    assert grade_ids(nb, "solution") == ["f"] and grade_ids(nb, "written") == ["why"] and grade_ids(nb) == ["why"]


def test_scored_cells_are_tests_manual_answers_and_tasks():
    cells = [_cell(solution=True, grade=True, grade_id="manual", points=2),
             _cell(solution=True, grade=False, grade_id="answer"),
             _cell(grade=True, grade_id="test", points=1),
             _cell(maker=new_markdown_cell, task=True, grade_id="task", points=3),
             _cell(locked=True, grade_id="setup"), _cell()]
    nb = new_notebook(cells=cells)
    assert [carries_points(c) for c in cells] == [True, False, True, True, False, False]
    assert grade_ids(nb) == ["manual", "test", "task"]
    assert grade_ids(nb, "solution") == ["manual", "answer"]
    assert grade_ids(nb, "locked") == ["setup"]
    assert grade_id(cells[-1]) == ""


def test_every_source_exercise_has_a_test_after_it():
    """In each source notebook, is each autograded answer followed by at least one test cell?"""
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        roles = [cell_role(c) for c in nb.cells]
        assert "test" in roles, path
        for i, cell in enumerate(nb.cells):
            if roles[i] == "solution" and cell.cell_type == "code":
                assert "test" in roles[i + 1:], f"{path.name}: {grade_id(cell)} has no test after it"


def test_malformed_metadata_is_a_plain_cell():
    """Does a cell whose nbgrader metadata a student replaced by a string or a list read as plain, not crash?"""
    for junk in ("oops", ["grade"], 7):
        cell = new_code_cell("x = 1", metadata={"nbgrader": junk})
        assert (cell_role(cell), grade_id(cell), carries_points(cell)) == ("plain", "", False)


def test_the_exercise_a_test_cell_grades_is_worked_out_in_one_place():
    """Is "test_<exercise> grades <exercise>" written once (exercise_graded_by), nowhere else in course/ or tests/?"""
    assert exercise_graded_by("test_mse") == "mse" and exercise_graded_by("test_train_W1") == "train_W1"
    spelled = re.compile(r"""removeprefix\(["']test_["']\)""")
    places = {path.resolve() for folder in ("course", "tests") for path in (REPO / folder).rglob("*.py")
              if spelled.search(path.read_text())}
    assert places == {Path(inspect.getsourcefile(exercise_graded_by)).resolve()}
