"""grading.record.gradebook_record: ``grades/<assignment>/`` holds one gradebook's record, others wait aside."""
from __future__ import annotations

import json

import pytest

from course.instructor.grading.core.coursedir import CourseError
from course.instructor.grading.record.gradebook_record import (
    EARLIER,
    OWNER_FILE,
    RECORD_FILES,
    UNNAMED,
    claim,
    folder_name,
    gradebook_name,
    record_dir,
)
from course.instructor.grading.record.ledger import Ledger
from course.instructor.grading.record.student_result import StudentResult

SQLITE = "sqlite:////course/gradebook.db"
POSTGRES = "postgresql://grader:s3cret-pw@db.example.org:5432/descent"


def _ledger_of(folder, *students: str) -> Ledger:
    ledger = Ledger(folder / "ledger.jsonl")
    for s in students:
        ledger.append(StudentResult(s, "01_loss_functions", "graded", digest=f"sha-{s}"))
    return ledger


def _said(fn, *args) -> tuple[object, list[str]]:
    lines: list[str] = []
    return fn(*args, lines.append), lines


def test_a_gradebook_is_named_without_its_password():
    """Is the password left out of a gradebook's name (in the URL and in its query), other parts kept?"""
    name = gradebook_name(POSTGRES)
    assert name == "postgresql://grader@db.example.org:5432/descent"
    assert gradebook_name("postgresql+psycopg://u:pw@h/db?password=pw&sslmode=require") == \
        "postgresql+psycopg://u@h/db?sslmode=require"
    assert gradebook_name(POSTGRES.replace("s3cret-pw", "rotated")) == name, "a new password: the same gradebook"
    assert "s3cret" not in folder_name(name)


def test_an_sqlite_gradebook_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    """Do a relative and an absolute URL of one SQLite file name the same gradebook?"""
    monkeypatch.chdir(tmp_path)
    assert gradebook_name("sqlite:///gradebook.db") == f"sqlite:///{tmp_path / 'gradebook.db'}"


def test_the_first_gradebook_owns_the_folder_and_says_nothing(tmp_path):
    """Graded into one gradebook only, is the record right in grades/<assignment>/, named, and silent?"""
    top = tmp_path / "grades" / "01"
    out, said = _said(claim, top, POSTGRES)
    assert out == top and said == []
    assert (top / OWNER_FILE).read_text().strip() == gradebook_name(POSTGRES)
    _ledger_of(top, "ada")
    assert _said(claim, top, POSTGRES) == (top, [])
    assert not (top / EARLIER).exists()


def test_another_gradebook_sets_the_record_aside_and_switching_back_restores_it(tmp_path):
    """SQLite, then PostgreSQL, then SQLite again: does each run see only its own ledger, and is it said?"""
    top = tmp_path / "grades" / "01"
    claim(top, SQLITE, print)
    _ledger_of(top, "jdoe", "asmith")
    (top / "grades.csv").write_text("student\njdoe\nasmith\n")
    (top / "lms.json").write_text("{}")  # the LMS ids of the downloads: not a gradebook's

    _, said = _said(claim, top, POSTGRES)
    aside = top / EARLIER / folder_name(gradebook_name(SQLITE))
    assert Ledger(top / "ledger.jsonl").latest() == {} and not (top / "grades.csv").exists()
    assert sorted(Ledger(aside / "ledger.jsonl").latest()) == ["asmith", "jdoe"]
    assert (aside / OWNER_FILE).read_text().strip() == gradebook_name(SQLITE)
    assert (top / "lms.json").exists()
    assert len(said) == 1 and f"set aside in {aside}" in said[0] and gradebook_name(SQLITE) in said[0]
    assert "s3cret" not in said[0]
    _ledger_of(top, "s000", "s001")

    _, said = _said(claim, top, SQLITE)
    assert sorted(Ledger(top / "ledger.jsonl").latest()) == ["asmith", "jdoe"]
    assert (top / "grades.csv").read_text() == "student\njdoe\nasmith\n"
    assert (top / OWNER_FILE).read_text().strip() == gradebook_name(SQLITE)
    assert not aside.exists()
    pg_aside = top / EARLIER / folder_name(gradebook_name(POSTGRES))
    assert sorted(Ledger(pg_aside / "ledger.jsonl").latest()) == ["s000", "s001"]
    assert any("resumes from its ledger" in line for line in said)
    for path in tmp_path.rglob("*"):
        assert path.is_dir() or "s3cret" not in path.read_text(errors="replace"), path


def test_a_record_that_names_no_gradebook_is_set_aside_unread(tmp_path):
    """A ledger written before records named their gradebook: is it kept aside, said so, never read as ours?"""
    top = tmp_path / "grades" / "01"
    _ledger_of(top, "jdoe")
    _, said = _said(claim, top, POSTGRES)
    assert Ledger(top / "ledger.jsonl").latest() == {}
    assert sorted(Ledger(top / EARLIER / UNNAMED / "ledger.jsonl").latest()) == ["jdoe"]
    assert len(said) == 1 and "before records named their gradebook" in said[0]


def test_report_and_export_write_where_their_gradebook_s_record_lives(tmp_path):
    """Without moving anything: the owner's record is the top folder, another gradebook's is its folder aside."""
    top = tmp_path / "grades" / "01"
    assert record_dir(top, SQLITE) == top  # an empty folder is named for the first gradebook
    assert (top / OWNER_FILE).read_text().strip() == gradebook_name(SQLITE)
    _ledger_of(top, "jdoe")
    other = record_dir(top, POSTGRES)
    assert other == top / EARLIER / folder_name(gradebook_name(POSTGRES))
    assert (other / OWNER_FILE).read_text().strip() == gradebook_name(POSTGRES)
    assert (top / OWNER_FILE).read_text().strip() == gradebook_name(SQLITE)
    (other / "mistakes.csv").write_text("exercise\n")
    claim(top, POSTGRES, print)  # the next grade run against PostgreSQL takes its report along
    assert (top / "mistakes.csv").read_text() == "exercise\n"


def test_a_run_killed_while_restoring_a_record_is_finished_by_the_next(tmp_path):
    """Named for a gradebook whose ledger still waits aside (a crash between renames): is it brought back?"""
    top = tmp_path / "grades" / "01"
    aside = top / EARLIER / folder_name(gradebook_name(SQLITE))
    aside.mkdir(parents=True)
    (aside / OWNER_FILE).write_text(gradebook_name(SQLITE) + "\n")
    _ledger_of(aside, "jdoe")
    (top / OWNER_FILE).write_text(gradebook_name(SQLITE) + "\n")
    claim(top, SQLITE, print)
    assert sorted(Ledger(top / "ledger.jsonl").latest()) == ["jdoe"] and not aside.exists()


def test_a_clash_is_refused_and_nothing_moves(tmp_path):
    """Two ledgers of one gradebook (one top, one aside, put there by hand): is it a clear error, both kept?"""
    top = tmp_path / "grades" / "01"
    claim(top, SQLITE, print)
    _ledger_of(top, "jdoe")
    aside = top / EARLIER / folder_name(gradebook_name(SQLITE))
    _ledger_of(aside, "other")
    with pytest.raises(CourseError, match="move one of them away"):
        claim(top, SQLITE, print)
    assert [json.loads(line)["student"] for line in (top / "ledger.jsonl").read_text().splitlines()] == ["jdoe"]
    assert sorted(Ledger(aside / "ledger.jsonl").latest()) == ["other"]


def test_every_file_written_from_a_gradebook_moves_with_its_record(tmp_path):
    """Ledger, grades.csv, scores.png, mistakes.* and the export CSVs: do they all go aside, the lock stays?"""
    top = tmp_path / "grades" / "01"
    claim(top, SQLITE, print)
    for name in RECORD_FILES:
        (top / name).write_text(name)
    (top / ".grade.lock").write_text("")
    claim(top, POSTGRES, print)
    aside = top / EARLIER / folder_name(gradebook_name(SQLITE))
    assert sorted(p.name for p in aside.iterdir()) == sorted([*RECORD_FILES, OWNER_FILE])
    assert all((aside / name).read_text() == name for name in RECORD_FILES)
    assert sorted(p.name for p in top.iterdir()) == sorted([".grade.lock", EARLIER, OWNER_FILE])
    assert {"grades.csv", "scores.png", "mistakes.csv", "mistakes.html", "canvas.csv"} <= set(RECORD_FILES)


def test_a_folder_named_for_a_gradebook_but_empty_is_taken_over_silently(tmp_path):
    """Named by a report that wrote nothing yet: does another gradebook take it without a false 'set aside'?"""
    top = tmp_path / "grades" / "01"
    record_dir(top, SQLITE)
    _, said = _said(claim, top, POSTGRES)
    assert said == [] and not (top / EARLIER).exists()
    assert (top / OWNER_FILE).read_text().strip() == gradebook_name(POSTGRES)
