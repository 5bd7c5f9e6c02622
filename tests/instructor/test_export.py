"""grading.record.export: grades.csv (one row per student) and the histogram of totals."""
from __future__ import annotations

import csv

from course.instructor.grading.record.export import write_csv, write_histogram
from course.instructor.grading.record.student_result import StudentResult

A = "01_loss_functions"
COLUMNS = ["test_mse", "test_mae", "test_huber"]
MAX = {"test_mse": 2.0, "test_mae": 1.0, "test_huber": 3.0, "test_not_a_column": 10.0}


def _results() -> list[StudentResult]:
    return [StudentResult("bob", A, "error", "kernel died in cell 4\nTraceback (most recent call last): ...",
                          scores={"test_mse": 2.0, "test_mae": None}, max_scores=MAX,
                          flags=["kernel crash", "output limit"]),
            StudentResult("ada", A, "graded", scores={"test_mse": 1.5, "test_mae": 0.0, "test_huber": 3.0},
                          max_scores=MAX, mistakes={"test_mse": "mse/sum-not-mean", "test_mae": "unrecognised"}),
            StudentResult("zoë", A, "graded", scores={"test_mse": 0.5, "test_mae": 1.0, "test_huber": 0.25},
                          max_scores=MAX, mistakes={"test_mae": "mae/squared"})]  # mae at full marks: not shown


def test_grades_csv_has_one_row_per_student_sorted_with_every_field(tmp_path):
    """Read back, does grades.csv hold each student's status, total, points, first message line, flags and
    the mistake named in each cell that lost points?"""
    path = write_csv(tmp_path / "grades" / A / "grades.csv", _results(), COLUMNS, MAX)
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["student", "status", "total", "max_total", "mse", "mae", "huber", "message", "flags",
         "mse mistake", "mae mistake", "huber mistake"],
        ["ada", "graded", "4.5", "6", "1.5", "0", "3", "", "", "mse/sum-not-mean", "unrecognised", ""],
        ["bob", "error", "2", "6", "2", "", "", "kernel died in cell 4", "kernel crash | output limit", "", "", ""],
        ["zoë", "graded", "1.75", "6", "0.5", "1", "0.25", "", "", "", "", ""],
    ]


def test_a_written_answer_waiting_for_the_grader_reads_pending_in_grades_csv(tmp_path):
    """Does a written answer the formgrader has not scored read 'pending' (not empty, not 0), the total count the
    points given so far, and a scored one its points?"""
    columns, most = ["test_mse", "explain_mean"], {"test_mse": 2.0, "explain_mean": 3.0}
    results = [StudentResult("ada", A, "graded", scores={"test_mse": 2.0, "explain_mean": None}, max_scores=most),
               StudentResult("bob", A, "graded", scores={"test_mse": 1.0, "explain_mean": 2.5}, max_scores=most)]
    path = write_csv(tmp_path / "grades.csv", results, columns, most, pending={("ada", "explain_mean")})
    with open(path, newline="", encoding="utf-8") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert (rows["ada"]["explain_mean"], rows["ada"]["total"], rows["ada"]["max_total"]) == ("pending", "2", "5")
    assert (rows["bob"]["explain_mean"], rows["bob"]["total"]) == ("2.5", "3.5")


def test_histogram_is_a_png_of_the_totals(tmp_path):
    """Is the histogram written as a PNG image, for a class and for an empty one?"""
    from PIL import Image

    for results, name in ((_results(), "scores.png"), ([], "empty.png")):
        path = write_histogram(tmp_path / "grades" / name, A, results, 6.0)
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width > 200 and image.height > 150
