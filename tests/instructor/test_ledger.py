"""grading.record.ledger: the record a killed grading run resumes from."""
from __future__ import annotations

import json

from course.instructor.grading.record.ledger import Ledger
from course.instructor.grading.record.student_result import StudentResult


def _result(student: str, points: float = 1.0, status: str = "graded") -> StudentResult:
    return StudentResult(student=student, assignment="01_loss_functions", status=status,
                         scores={"test_mse": points}, max_scores={"test_mse": 2.0}, digest=f"sha-{student}",
                         seconds=1.5, flags=["timeout in cell 3"] if status == "error" else [])


def test_missing_ledger_reads_as_empty(tmp_path):
    """Does a run with no ledger yet start from nothing (and create no file by reading)?"""
    ledger = Ledger(tmp_path / "grades" / "ledger.jsonl")
    assert ledger.latest() == {}
    assert not ledger.path.exists()


def test_appended_results_come_back_equal_one_line_each(tmp_path):
    """Is every appended result read back field for field, one JSON line per result, folders made?"""
    ledger = Ledger(tmp_path / "grades" / "a1" / "ledger.jsonl")
    ada, bob = _result("ada", 2.0), _result("bob", 0.0, status="error")
    ledger.append(ada)
    ledger.append(bob)
    assert ledger.latest() == {"ada": ada, "bob": bob}
    lines = ledger.path.read_text().splitlines()
    assert [json.loads(line)["student"] for line in lines] == ["ada", "bob"]
    assert ledger.path.read_text().endswith("\n")


def test_latest_line_per_student_wins(tmp_path):
    """Graded twice, is a student read back once, with the later result?"""
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.append(_result("ada", 0.0))
    ledger.append(_result("bob", 1.0))
    ledger.append(_result("ada", 2.0))
    latest = ledger.latest()
    assert sorted(latest) == ["ada", "bob"] and latest["ada"].scores == {"test_mse": 2.0}
    assert len(ledger.path.read_text().splitlines()) == 3


def test_a_line_torn_by_a_crash_is_ignored_and_the_next_record_survives(tmp_path):
    """After a crash cut a line in half, is it skipped, and is the next run's record still read?"""
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.append(_result("ada"))
    ledger.append(_result("bob"))
    whole = ledger.path.read_bytes()
    ledger.path.write_bytes(whole[: len(whole) - 25])  # bob's line torn, no newline at the end
    assert sorted(ledger.latest()) == ["ada"]
    ledger.append(_result("carl"))  # the resumed run records its next student
    assert sorted(ledger.latest()) == ["ada", "carl"]


def test_lines_that_are_not_results_are_ignored(tmp_path):
    """Are blank lines, JSON of another shape and unknown fields skipped rather than fatal?"""
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.append(_result("ada"))
    with open(ledger.path, "a", encoding="utf-8") as f:
        f.write("\n" + json.dumps({"student": "eve", "colour": "red"}) + "\n" + "[1, 2]\n")
    assert sorted(ledger.latest()) == ["ada"]
