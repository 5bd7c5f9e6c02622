"""Manually graded answers and tasks: `--verify` accepts them, grades.csv counts them and their scores."""
from __future__ import annotations

import class_factory
import grading_harness as harness
import nbformat
import pytest

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.record.verify import verify_gradebook

pytestmark = pytest.mark.slow
A = "99_manual"


def _cell(kind: str, source: str, **nbgrader) -> nbformat.NotebookNode:
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    meta = {"grade": False, "solution": False, "locked": False, "schema_version": 3, **nbgrader}
    return make(source, metadata={"nbgrader": meta})


def _assignment(root: CourseRoot) -> None:
    """An assignment with an autograded test, a manually graded answer and a task."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [
        _cell("code", "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
              solution=True, grade_id="double"),
        _cell("code", "assert double(3) == 6", grade=True, locked=True, points=1, grade_id="test_double"),
        _cell("markdown", "Why?\n\n=== BEGIN MARK SCHEME ===\nany reason\n=== END MARK SCHEME ===",
              solution=True, grade=True, points=2, grade_id="explain"),
        _cell("markdown", "Plot it and describe the plot.", task=True, locked=True, points=1, grade_id="task_plot"),
    ]
    (root.source / A).mkdir()
    nbformat.write(nb, root.source / A / "manual.ipynb")


def test_verify_accepts_manual_cells_and_grades_csv_counts_them(tmp_path):
    """Is a run with manually graded cells 'consistent', and do grades.csv's columns, max and totals include
    the manual answer and the task, with the formgrader's scores once given?"""
    from nbgrader.api import Gradebook

    from course.instructor.grading.publish.release import release

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course")
    _assignment(root)
    release(root, [A])
    folder = tmp_path / "class" / "ada" / A
    folder.mkdir(parents=True)
    (folder / "manual.ipynb").write_bytes((root.source / A / "manual.ipynb").read_bytes())

    first = grade_class(root, A, tmp_path / "class", workers=1, feedback=False, progress=False)
    assert first.failed_now == []
    assert verify_gradebook(root, A, first.results) == []
    row = class_factory.read_csv(first.csv_path)["ada"]
    assert row["max_total"] == "4" and row["double"] == "1"
    assert row["explain"] == "pending" and row["task_plot"] == "pending"  # waiting for the formgrader, not 0

    with Gradebook(root.db_url) as gb:
        for grade in gb.find_submission_notebook("manual", A, "ada").grades:
            if grade.name in ("explain", "task_plot"):
                grade.manual_score = grade.max_score
        gb.db.commit()
    again = grade_class(root, A, tmp_path / "class", workers=1, feedback=False, progress=False)
    assert again.graded_now == []
    row = class_factory.read_csv(again.csv_path)["ada"]
    assert (row["explain"], row["task_plot"], row["total"]) == ("2", "1", "4")
