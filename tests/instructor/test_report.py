"""``descent report``'s tables, counts, CSV and HTML page, and grades.csv's mistake columns (no grading here)."""
from __future__ import annotations

import base64
import csv
import re

import pytest

from course.instructor.grading.record import export, report
from course.instructor.grading.record.scores import CellScore
from course.instructor.grading.record.student_result import StudentResult


def _rows():
    """Four students, two exercises: mse worth 2, mae worth 1."""
    scores = {"ann": (2.0, 1.0), "bob": (0.0, 1.0), "cy": (0.0, 0.0), "dee": (0.0, 1.0)}
    return [CellScore(s, "nb", gid, points[i], (2.0, 1.0)[i])
            for s, points in scores.items() for i, gid in enumerate(("test_mse", "test_mae"))]


MISTAKES = {"bob": {"test_mse": "mse/sum-not-mean"},
            "cy": {"test_mse": "mse/sum-not-mean", "test_mae": "unrecognised"},
            "dee": {"test_mse": "mse/root-taken", "test_mae": "mae/squared"},  # mae kept full marks (formgrader)
            "ann": {}}


def test_struggle_table_gives_mean_and_share_that_lost_marks():
    lines = report.struggle_table("01", _rows(), ["test_mse", "test_mae"]).splitlines()
    assert lines[0] == "01: 4 students"
    assert lines[2].split() == ["mse", "2", "0.50", "75%", "0"]
    assert lines[3].split() == ["mae", "1", "0.75", "25%", "0"]


def test_mistakes_count_only_where_marks_were_lost():
    kept = report.lost_marks(_rows(), MISTAKES)
    assert kept["dee"] == {"test_mse": "mse/root-taken"}
    assert kept["cy"] == MISTAKES["cy"] and kept["ann"] == {}


def test_counts_are_ranked_by_students_then_id():
    counts = report.count_mistakes(report.lost_marks(_rows(), MISTAKES), 4, ["test_mse", "test_mae"])
    assert list(counts) == ["mse", "mae"]
    assert [(c.mistake, c.students, c.share) for c in counts["mse"]] == [
        ("mse/sum-not-mean", 2, 0.5), ("mse/root-taken", 1, 0.25)]
    assert [(c.mistake, c.students) for c in counts["mae"]] == [("unrecognised", 1)]
    assert counts["mse"][0].message.startswith("you summed")
    assert "no catalogued mistake" in counts["mae"][0].message


def test_knock_ons_are_ranked_apart_after_the_exercises_own_mistakes():
    """Does a right train on a wrong loss_gradient, however many made it, come after train's own mistakes?"""
    found = {f"s{i}": {"test_train": "train/uses-wrong-loss_gradient"} for i in range(3)}
    found["t"] = {"test_train": "train/ascent"}
    counts = report.count_mistakes(found, 4)
    assert [(c.mistake, c.students) for c in counts["train"]] == [
        ("train/ascent", 1), ("train/uses-wrong-loss_gradient", 3)]
    assert "built on your loss_gradient, which is wrong" in counts["train"][1].message
    lines = report.mistake_table("04", counts, 4).splitlines()
    assert lines.index(next(ln for ln in lines if ln.strip().startswith("knock-ons"))) == \
        lines.index(next(ln for ln in lines if "uses-wrong" in ln)) - 1


def test_mistake_table_lists_count_share_and_words():
    counts = report.count_mistakes(report.lost_marks(_rows(), MISTAKES), 4)
    text = report.mistake_table("01", counts, 4)
    assert text.splitlines()[0] == "01: mistakes of 4 students (share of the class)"
    line = next(ln for ln in text.splitlines() if "mse/sum-not-mean" in ln)
    assert line.split()[:3] == ["mse/sum-not-mean", "2", "50%"] and "summed" in line
    assert "no mistakes recorded" in report.mistake_table("01", {}, 0)


def test_csv_and_html_are_self_contained(tmp_path):
    counts = report.count_mistakes(report.lost_marks(_rows(), MISTAKES), 4, ["test_mse", "test_mae"])
    csv_path = report.write_mistakes_csv(tmp_path / "mistakes.csv", counts)
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["exercise"], r["mistake"], r["students"], r["share"]) for r in rows] == [
        ("mse", "mse/sum-not-mean", "2", "0.5000"), ("mse", "mse/root-taken", "1", "0.2500"),
        ("mae", "unrecognised", "1", "0.2500")]
    page = report.write_mistakes_html(tmp_path / "m.html", "01 <x>", counts, 4).read_text()
    assert "01 &lt;x&gt;" in page and "<x>" not in page
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert len(images) == 2 and all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert not re.search(r"(src|href)=['\"]?(https?:|//)", page) and "<script" not in page


def test_student_table_lists_mistakes_across_assignments():
    text = report.student_table("bob", {"01": {"test_mse": "mse/sum-not-mean"}, "08": {"test_adam_step": "x"}})
    assert "01  mse: mse/sum-not-mean (you summed" in text and "08  adam_step: x" in text
    assert "none recorded" in report.student_table("ann", {})


@pytest.mark.parametrize("points, shown", [(0.0, "mse/sum-not-mean"), (2.0, ""), (None, "mse/sum-not-mean")])
def test_grades_csv_shows_the_mistake_only_where_points_were_lost(tmp_path, points, shown):
    result = StudentResult("bob", "01", "graded", scores={"test_mse": points}, max_scores={"test_mse": 2.0},
                           mistakes={"test_mse": "mse/sum-not-mean"})
    path = export.write_csv(tmp_path / "grades.csv", [result], ["test_mse"], {"test_mse": 2.0})
    with open(path, newline="") as f:
        row = next(csv.DictReader(f))
    assert row["mse mistake"] == shown


def test_an_old_ledger_line_without_mistakes_still_loads(tmp_path):
    from course.instructor.grading.record.ledger import Ledger

    path = tmp_path / "ledger.jsonl"
    path.write_text('{"student": "ann", "assignment": "01", "status": "graded"}\n')
    assert Ledger(path).latest()["ann"].mistakes == {}
