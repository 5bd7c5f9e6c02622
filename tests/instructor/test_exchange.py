"""Collecting from nbgrader's exchange, where every account may write: only a student's own folders, no links."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.instructor.grading.intake.exchange import SafeCollect

NOTEBOOK = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _collect(exchange: Path, course: Path) -> subprocess.CompletedProcess:
    """``nbgrader collect --update a1`` with the course's collector, course ``c`` in ``exchange``."""
    return subprocess.run([sys.executable, "-m", "nbgrader", "collect", "--update", "a1",
                           f"--ExchangeFactory.collect={SafeCollect.__module__}.SafeCollect",
                           f"--Exchange.root={exchange}", "--CourseDirectory.course_id=c",
                           f"--CourseDirectory.root={course}"], cwd=course, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})


@pytest.mark.skipif(os.geteuid() != 0, reason="folders owned by another account need root to make")
def test_collect_takes_only_the_students_own_folder_and_copies_no_link(tmp_path):
    """Does a folder planted under a student's name, or a link inside a submission, reach submitted/? (It must not.)"""
    inbound = tmp_path / "exchange" / "c" / "inbound"
    inbound.mkdir(parents=True)
    secret = tmp_path / "secret.ipynb"
    secret.write_text("the grader may read this, the student may not")
    own = inbound / "root+a1+2026-01-01 00:00:00.000000 UTC+aaaa"
    own.mkdir()
    (own / "work.ipynb").write_text(NOTEBOOK)
    (own / "stolen.ipynb").symlink_to(secret)
    (own / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    planted = inbound / "root+a1+2026-06-01 00:00:00.000000 UTC+bbbb"  # later, but another account's
    planted.mkdir()
    (planted / "work.ipynb").write_text("planted")
    os.chown(planted, 1, 1)
    (inbound / "root+a1+2026-07-01 00:00:00.000000 UTC+cccc").symlink_to(own)  # latest, and a link
    course = tmp_path / "course"
    course.mkdir()
    done = _collect(tmp_path / "exchange", course)
    assert done.returncode == 0, done.stderr
    got = course / "submitted" / "root" / "a1"
    assert sorted(p.name for p in got.iterdir()) == [".collected_from_exchange", "timestamp.txt", "work.ipynb"]
    assert (got / "work.ipynb").read_text() == NOTEBOOK
    assert "not a folder owned by root" in done.stderr and "is a link or not a file" in done.stderr
    assert not any(p.is_symlink() for p in Path(got).rglob("*"))


@pytest.mark.skipif(os.geteuid() != 0, reason="SafeCollect checks the folder's owner: run as root")
def test_collect_gives_a_submission_without_timestamp_the_time_its_folder_is_named_by(tmp_path):
    """A student deleted timestamp.txt from their inbound folder: does submitted/ get the time nbgrader
    named the folder by (late penalties and `release_feedback` read it)?"""
    inbound = tmp_path / "exchange" / "c" / "inbound"
    folder = inbound / "root+a1+2026-02-02 10:00:00.000000 UTC+dddd"
    folder.mkdir(parents=True)
    (folder / "work.ipynb").write_text(NOTEBOOK)
    course = tmp_path / "course"
    course.mkdir()
    done = _collect(tmp_path / "exchange", course)
    assert done.returncode == 0, done.stderr
    got = course / "submitted" / "root" / "a1"
    assert (got / "timestamp.txt").read_text() == "2026-02-02 10:00:00.000000 UTC"
    assert "has no timestamp.txt" in done.stderr


def test_staging_keeps_nbgraders_submission_secret_and_refuses_anything_else(tmp_path):
    """Does a submission's secret (what `nbgrader release_feedback` names feedback by) reach the staging
    folder as written, and a file that is not such a secret give way to a fresh secret, with a flag?"""
    from course.instructor.grading.core.coursedir import CourseRoot
    from course.instructor.grading.stage.staging import stage_submission

    course = CourseRoot(tmp_path)
    secret = "0123456789abcdef" * 8
    for student, text in (("ada", secret + "\n"), ("bob", "../../etc/passwd")):
        folder = tmp_path / "submitted" / student / "a1"
        folder.mkdir(parents=True)
        (folder / "submission_secret.txt").write_text(text)
        stage_submission(course, "a1", student, 20 * 2**20)
    assert (course.staging / "ada" / "a1" / "submission_secret.txt").read_text() == secret
    _, flags, _ = stage_submission(course, "a1", "bob", 20 * 2**20)
    fresh = (course.staging / "bob" / "a1" / "submission_secret.txt").read_text()
    assert len(fresh) == 128 and fresh != secret
    assert any("submission_secret.txt" in flag for flag in flags), flags


def test_staging_gives_a_submission_whose_secret_was_deleted_a_fresh_one_with_a_flag(tmp_path):
    """An exchange submission (marked by the collector) without submission_secret.txt: is a fresh secret
    staged, so `nbgrader release_feedback` goes on for the class, and the submission flagged? A submission
    that did not come through the exchange (no file at all, or an LMS import's timestamp.txt) gets neither."""
    from course.instructor.grading.core.coursedir import CourseRoot
    from course.instructor.grading.intake.exchange import COLLECTED_MARK
    from course.instructor.grading.stage.staging import stage_submission

    course = CourseRoot(tmp_path)

    deleted = tmp_path / "submitted" / "ada" / "a1"
    deleted.mkdir(parents=True)
    (deleted / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    (deleted / COLLECTED_MARK).write_text("")
    (tmp_path / "submitted" / "bob" / "a1").mkdir(parents=True)
    imported = tmp_path / "submitted" / "cy" / "a1"  # an LMS import: a timestamp.txt, never a secret
    imported.mkdir(parents=True)
    (imported / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    _, flags, _ = stage_submission(course, "a1", "ada", 20 * 2**20)
    fresh = (course.staging / "ada" / "a1" / "submission_secret.txt").read_text()
    assert len(fresh) == 128 and int(fresh, 16) >= 0
    assert any("submission_secret.txt is missing" in flag for flag in flags), flags
    _, flags, _ = stage_submission(course, "a1", "bob", 20 * 2**20)
    assert flags == [] and not (course.staging / "bob" / "a1" / "submission_secret.txt").exists()
    _, flags, _ = stage_submission(course, "a1", "cy", 20 * 2**20)
    assert flags == [] and not (course.staging / "cy" / "a1" / "submission_secret.txt").exists()
