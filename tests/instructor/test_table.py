"""grading.record.table: the plain-text score table `descent scores` and `descent demo` print."""
from __future__ import annotations

from course.instructor.grading.record.scores import CellScore
from course.instructor.grading.record.table import score_table

NB = "loss_functions"


def _rows() -> list[CellScore]:
    return [CellScore("bob", NB, "test_mse", 2.0, 2.0), CellScore("ada", NB, "test_mse", 1.5, 2.0),
            CellScore("ada", NB, "test_mae", 0.0, 1.0), CellScore("bob", NB, "test_mae", None, 1.0),
            CellScore("ada", NB, "test_huber", 3.0, 3.0)]


def _grid(text: str) -> list[list[str]]:
    return [line.split() for line in text.splitlines()]


def test_table_lists_exercises_in_notebook_order_students_sorted_and_totals():
    """Rows in the order given, columns by student id, '-' where a cell is missing or unscored, totals summed."""
    table = score_table("01_loss_functions", _rows(), order=["test_mse", "test_mae", "test_huber"])
    assert _grid(table) == [["01_loss_functions"],
                            ["exercise", "max", "ada", "bob"],
                            ["mse", "2", "1.5", "2"],
                            ["mae", "1", "0", "-"],
                            ["huber", "3", "3", "-"],
                            ["total", "6", "4.5", "2"]]


def test_exercises_missing_from_the_order_come_last_sorted():
    """Are grade ids the order does not name listed after it, sorted (and ids nobody has left out)?"""
    table = score_table("a", _rows(), order=["test_mae", "test_not_in_this_notebook"])
    assert [row[0] for row in _grid(table)[2:]] == ["mae", "huber", "mse", "total"]
    assert [row[0] for row in _grid(score_table("a", _rows()))[2:]] == ["huber", "mae", "mse", "total"]


def test_columns_line_up_for_long_names():
    """Do the max and score columns end at the same place on every line, even for long ids and names?"""
    rows = [CellScore("a_student_with_a_long_id", NB, "test_a_rather_long_exercise_name", 1.0, 1.0),
            CellScore("bo", NB, "test_x", 0.25, 0.5)]
    lines = score_table("a", rows).splitlines()[1:]
    assert len({len(line) for line in lines}) == 1
    header = lines[0]
    for line in lines[1:]:
        for word in ("max", "a_student_with_a_long_id", "bo"):
            end = header.index(word) + len(word)
            assert line[end - 1] != " " and (end == len(line) or line[end] == " ")


def test_no_rows_gives_a_header_and_a_zero_total():
    """With nothing graded yet, is the table a header and a total of 0 rather than an error?"""
    assert _grid(score_table("a", [])) == [["a"], ["exercise", "max"], ["total", "0"]]


def test_a_written_answer_waiting_for_the_grader_reads_pending_not_zero_or_full():
    """Does a written answer not graded yet show 'pending' (not 0, not full, not '-'), count nothing in the total,
    and appear in a last line of points still waiting for the grader?"""
    rows = [CellScore("ada", NB, "test_mse", 2.0, 2.0), CellScore("bob", NB, "test_mse", 0.0, 2.0),
            CellScore("ada", NB, "explain_mean", None, 3.0, pending=True),
            CellScore("bob", NB, "explain_mean", 1.0, 3.0)]
    assert _grid(score_table("01", rows, order=["test_mse", "explain_mean"])) == [
        ["01"], ["exercise", "max", "ada", "bob"], ["mse", "2", "2", "0"], ["explain_mean", "3", "pending", "1"],
        ["total", "5", "2", "1"], ["awaiting", "3", "3", "0"]]
