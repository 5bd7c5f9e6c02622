"""LMS in and out: real downloads in each LMS's naming, a roster, one gradebook from the config,
exports parsed back against the gradebook, and two `descent grade` runs at once."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import class_factory
import grading_harness as harness
import pytest

from course.instructor.grading import CourseError, CourseRoot
from course.instructor.grading.intake.importing import import_submissions
from course.instructor.grading.intake.lms_roster import import_roster

A = class_factory.ASSIGNMENT
NB = class_factory.NOTEBOOK
FULL = sum(class_factory.POINTS.values())
#: what the LMS is told the assignment is out of: the autograded points and the written answer's
POSSIBLE = FULL + sum(class_factory.WRITTEN.values())
ROSTER = """student_id,first_name,last_name,email,lms_id
jdoe,Jane,Doe,jane.doe@uni.example,48213
jnunez,José,Núñez Peña,jose.nunez@uni.example,48214
jlee,Jin,Lee,jin.lee@uni.example,48215
mvdb,Marie,van der Berg,marie.vdb@uni.example,48216
absent,Al,Bsent,al.bsent@uni.example,48217
"""


def _notebooks():
    source = (harness.REPO / "source" / A / f"{NB}.ipynb").read_bytes()
    blank = (harness.REPO / "release" / A / f"{NB}.ipynb").read_bytes()
    return source, blank


def _course(tmp_path: Path, roster: bool = True) -> CourseRoot:
    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course", with_release=True)
    if roster:  # what `descent roster import` keeps (the gradebook learns the names when grading)
        (root.path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    return root


def _zip(path: Path, files: dict) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


def _canvas_zip(path: Path) -> Path:
    source, blank = _notebooks()
    return _zip(path, {
        "doejane_48213_7712345_loss_functions.ipynb": source,
        "núñezpeñajosé_48214_7712346_loss_functions.ipynb": blank,
        "leejin_LATE_48215_7712300_loss_functions.ipynb": blank,       # first try, late
        "leejin_LATE_48215_7712399_loss_functions-1.ipynb": source,    # re-uploaded: kept
        "vanderbergmarie_48216_7712401_loss_functions.ipynb": source,
    })


# --- quick: naming, roster, config --------------------------------------------------

def test_moodle_download_with_spaces_and_accents_lands_by_roster_id(tmp_path):
    """Do Moodle's per-student folders (names with spaces and accents, NFD too) land in submitted/ by id?"""
    import unicodedata

    root = _course(tmp_path)
    source, blank = _notebooks()
    archive = _zip(tmp_path / "moodle.zip", {
        "Jane Doe_311201_assignsubmission_file_/loss_functions.ipynb": source,
        unicodedata.normalize("NFD", "José Núñez Peña_311202_assignsubmission_file_/loss_functions.ipynb"): blank,
        "Marie van der Berg_311204_assignsubmission_file_loss_functions.ipynb": source,  # without folders
        "Jin Lee_311203_assignsubmission_onlinetext_/onlinetext.html": b"<p>see file</p>",
    })
    report = import_submissions(root, A, archive)
    assert report.students == ["jdoe", "jnunez", "mvdb"]
    assert report.missing == ["absent", "jlee"]
    assert report.lms_ids == {"jdoe": "311201", "jnunez": "311202", "mvdb": "311204"}
    assert (root.submitted / "jnunez" / A / f"{NB}.ipynb").read_bytes() == blank
    assert not (root.submitted / "jdoe" / A / "timestamp.txt").exists(), "Moodle's names hold no time"


def test_unzipped_moodle_folder_is_accepted(tmp_path):
    """Is the same Moodle download, unzipped, imported too?"""
    root = _course(tmp_path)
    source, _ = _notebooks()
    folder = tmp_path / "download" / "Jane Doe_311201_assignsubmission_file_"
    folder.mkdir(parents=True)
    (folder / f"{NB}.ipynb").write_bytes(source)
    assert import_submissions(root, A, tmp_path / "download").students == ["jdoe"]


def test_blackboard_and_brightspace_times_become_nbgrader_timestamps(tmp_path):
    """Are attempt times in Blackboard and Brightspace names written as timestamp.txt (UTC), newest attempt kept?"""
    root = _course(tmp_path)
    source, blank = _notebooks()
    bb = _zip(tmp_path / "bb.zip", {
        "Loss functions_jdoe_attempt_2026-03-02-17-05-33_loss_functions.ipynb": blank,
        "Loss functions_jdoe_attempt_2026-03-03-09-00-00_loss_functions.ipynb": source,
        "Loss functions_jdoe_attempt_2026-03-03-09-00-00.txt": b"Name: Jane Doe",
    })
    import_submissions(root, A, bb, lms="blackboard")
    assert _recorded(root, "jdoe") == _utc(2026, 3, 3, 9, 0)
    assert (root.submitted / "jdoe" / A / f"{NB}.ipynb").read_bytes() == source

    d2l = _zip(tmp_path / "d2l.zip", {
        "157389-419507 - José Núñez Peña - Mar 2, 2026 517 PM - loss_functions.ipynb": source,
        "index.html": b"<html></html>",
    })
    import_submissions(root, A, d2l)  # detected
    assert _recorded(root, "jnunez") == _utc(2026, 3, 2, 17, 17)


def _recorded(root: CourseRoot, student: str):
    """The submission time nbgrader will read for ``student`` (naive UTC, as nbgrader keeps it)."""
    from nbgrader.utils import parse_utc

    return parse_utc((root.submitted / student / A / "timestamp.txt").read_text())


def _utc(*local):
    """A local wall-clock time, as naive UTC."""
    from datetime import datetime, timezone

    return datetime(*local).astimezone(timezone.utc).replace(tzinfo=None)


def test_unknown_files_stop_the_import_and_are_listed(tmp_path):
    """Does a Canvas file of someone not on the roster, or of another notebook, stop the import, named with why?"""
    root = _course(tmp_path)
    source, _ = _notebooks()
    archive = _zip(tmp_path / "canvas.zip", {
        "doejane_48213_7712345_loss_functions.ipynb": source,
        "strangerdan_99999_7712350_loss_functions.ipynb": source,
        "doejane_48213_7712345_notes.ipynb": source,
    })
    with pytest.raises(CourseError) as err:
        import_submissions(root, A, archive)
    message = str(err.value)
    assert "2 of 3 file(s) cannot be imported" in message and "canvas download" in message
    assert "strangerdan_99999_7712350_loss_functions.ipynb: no roster entry for '99999'" in message
    assert "doejane_48213_7712345_notes.ipynb: 'notes' is not a notebook" in message
    assert not root.submitted.exists(), "nothing is imported from a rejected download"


def test_plain_zip_is_imported_by_student_id(tmp_path):
    """Does a zip of STUDENT.ipynb files (in a folder, with macOS junk beside) land in submitted/STUDENT/ASSIGNMENT/?"""
    source, _ = _notebooks()
    own = {}
    for student in ("ada", "bob", "carl"):  # each student's notebook is told apart by its bytes
        notebook = json.loads(source)
        notebook["metadata"]["written_by"] = student
        own[student] = json.dumps(notebook).encode()
    archive = _zip(tmp_path / "lms.zip", {**{f"export/{s}.ipynb": data for s, data in own.items()},
                                          "__MACOSX/._junk": b""})
    root = _course(tmp_path, roster=False)
    report = import_submissions(root, A, archive)
    assert report.students == ["ada", "bob", "carl"]
    for student, data in own.items():
        assert (root.submitted / student / A / f"{NB}.ipynb").read_bytes() == data


def test_badly_named_zip_entries_are_listed(tmp_path):
    """Are files that do not follow the naming rule rejected, all of them named in the message?"""
    archive = _zip(tmp_path / "lms.zip", {"ada.ipynb": "{}", "bob smith.ipynb": "{}", "carl.txt": "hi",
                                          "dee__other_notebook.ipynb": "{}"})
    root = _course(tmp_path, roster=False)
    with pytest.raises(CourseError) as err:
        import_submissions(root, A, archive)
    message = str(err.value)
    for name in ("bob smith.ipynb", "carl.txt", "dee__other_notebook.ipynb"):
        assert name in message
    assert "ada.ipynb" not in message.split(":", 2)[-1] and "STUDENT.ipynb" in message
    assert not root.submitted.exists(), "nothing is imported from a rejected zip"


def test_corrupt_zip_is_a_clear_error(tmp_path):
    """Is a truncated or damaged zip reported as such instead of crashing?"""
    archive = _zip(tmp_path / "lms.zip", {"ada.ipynb": "{" + "x" * 5000 + "}"})
    data = archive.read_bytes()
    root = _course(tmp_path, roster=False)
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(CourseError, match="not a readable zip"):
        import_submissions(root, A, archive)
    damaged = bytearray(data)
    damaged[40] ^= 0xFF  # flip a byte of the stored entry: its CRC no longer matches
    archive.write_bytes(bytes(damaged))
    with pytest.raises(CourseError, match="damaged zip|not a readable zip"):
        import_submissions(root, A, archive)


def test_canvas_without_a_roster_says_what_to_run(tmp_path):
    """Without a roster, does a Canvas download say to import one (rather than invent student ids)?"""
    root = _course(tmp_path, roster=False)
    with pytest.raises(CourseError, match="descent roster import roster.csv"):
        import_submissions(root, A, _canvas_zip(tmp_path / "canvas.zip"))


def test_pattern_with_named_groups(tmp_path):
    """Does --pattern read student ids, notebooks and times as nbgrader's zip_collect groups do?"""
    root = _course(tmp_path, roster=False)
    source, _ = _notebooks()
    archive = _zip(tmp_path / "other.zip", {"hw1/ada-lovelace--loss_functions--2026-03-01T10:00:00Z.ipynb": source})
    pattern = r"(?P<student_id>[a-z-]+?)--(?P<file_id>\w+)--(?P<timestamp>[^/]+)\.ipynb$"
    report = import_submissions(root, A, archive, pattern=pattern)
    assert report.students == ["ada-lovelace"]
    assert (root.submitted / "ada-lovelace" / A / "timestamp.txt").read_text().startswith("2026-03-01 10:00:00")
    with pytest.raises(CourseError, match="student_id"):
        import_submissions(root, A, archive, pattern=r"(?P<who>.+)\.ipynb")


def test_roster_problems_are_listed(tmp_path):
    """Does a roster with a bad id and a duplicate name both lines?"""
    root = _course(tmp_path, roster=False)
    bad = tmp_path / "bad.csv"
    bad.write_text("student_id,first_name\nok1,A\nnot ok,B\nok1,C\n")
    with pytest.raises(CourseError) as err:
        import_roster(root, bad)
    assert "line 3: 'not ok' is not a valid student id" in str(err.value)
    assert "line 4: ok1 is already on line 2" in str(err.value)


def test_gradebook_url_is_read_from_nbgrader_config(tmp_path, monkeypatch):
    """Is c.CourseDirectory.db_url from nbgrader_config.py used, with --db and DESCENT_DB_URL winning?"""
    root = _course(tmp_path, roster=False)
    config = root.path / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.CourseDirectory.db_url = "sqlite:///elsewhere/gb.db"\n')
    monkeypatch.delenv("DESCENT_DB_URL", raising=False)
    assert CourseRoot.at(root.path).db_url == f"sqlite:///{root.path / 'elsewhere' / 'gb.db'}"
    monkeypatch.setenv("DESCENT_DB_URL", "sqlite:////env.db")
    assert CourseRoot.at(root.path).db_url == "sqlite:////env.db"
    assert CourseRoot.at(root.path, "postgresql://x/y").db_url == "postgresql://x/y"


# --- slow: graded end to end with real nbgrader ------------------------------------

def _late_penalty_course(tmp_path: Path) -> CourseRoot:
    """A course whose assignment is long overdue and whose late penalty is nbgrader's "zero"."""
    from course.instructor.grading.core import nbgrader_run
    from course.instructor.grading.publish.release import release

    root = _course(tmp_path)
    config = root.path / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    release(root, [A])
    nbgrader_run.run_nbgrader(root, "db", "assignment", "add", A, "--duedate=2026-01-01 00:00:00 UTC")
    return root


def _read(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


@pytest.mark.slow
def test_canvas_download_graded_end_to_end_and_exported(tmp_path):
    """A Canvas zip (late, re-uploaded, accented names) graded for real: names, late penalty, exports = gradebook."""
    from nbgrader.api import Gradebook

    from course.instructor.cli import main

    root = _late_penalty_course(tmp_path)
    archive = _canvas_zip(tmp_path / "canvas.zip")
    assert main(["--root", str(root.path), "grade", A, "--submissions", str(archive), "--workers", "2",
                 "--no-feedback", "--verify"]) == 0
    with Gradebook(root.db_url) as gb:
        assert gb.find_student("jnunez").last_name == "Núñez Peña"
        late = gb.find_submission(A, "jlee")
        assert late.total_seconds_late > 0 and late.late_submission_penalty == FULL
        on_time = gb.find_submission(A, "jdoe")
        assert on_time.timestamp is None and on_time.score == FULL
        expected = {s: max(0.0, gb.find_submission(A, s).score - gb.find_submission(A, s).late_submission_penalty)
                    for s in ("jdoe", "jnunez", "jlee", "mvdb")}
    assert expected == {"jdoe": FULL, "jnunez": 0.0, "jlee": 0.0, "mvdb": FULL}

    for fmt in ("canvas", "moodle", "csv"):
        assert main(["--root", str(root.path), "export", A, "--format", fmt,
                     "--column", "Loss functions (4401)"]) == 0
    # an LMS import carries a timestamp.txt and never nbgrader's secret: no exchange flag for it
    assert "submission_secret" not in (root.path / "grades" / A / "grades.csv").read_text()
    canvas = _read(root.path / "grades" / A / "canvas.csv")
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Loss functions (4401)"]
    assert canvas[1][0].strip() == "Points Possible" and float(canvas[1][5]) == POSSIBLE
    got = {row[2]: row for row in canvas[2:]}
    assert got["jnunez"][:2] == ["Núñez Peña, José", "48214"]
    assert {s: float(got[s][5]) for s in expected} == expected and got["absent"][5] == ""

    moodle = _read(root.path / "grades" / A / "moodle.csv")
    assert moodle[0][:6] == ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade"]
    by_name = {row[1]: row for row in moodle[1:]}
    assert by_name["Jane Doe"][0] == "Participant 48213" and float(by_name["Jane Doe"][4]) == FULL
    assert by_name["Al Bsent"][3:5] == ["No submission", ""]

    plain = {row["student_id"]: row for row in csv.DictReader(open(root.path / "grades" / A / "csv.csv"))}
    assert {s: float(plain[s]["score"]) for s in expected} == expected
    assert plain["jlee"]["late_penalty"] == f"{FULL:g}" and plain["absent"]["status"] == "missing"


def _grade_cmd(root: CourseRoot, submissions: Path) -> list[str]:
    return [sys.executable, "-m", "course", "--root", str(root.path), "grade", A, "--submissions",
            str(submissions), "--workers", "1", "--no-feedback"]


@pytest.mark.slow
def test_two_concurrent_grade_runs_wait_for_each_other_on_the_configured_gradebook(tmp_path):
    """Two `descent grade` at once: does the second wait, saying so, and do both end with every grade right,
    in the gradebook nbgrader_config.py names (no --db, no DESCENT_DB_URL)?"""
    from nbgrader.api import Gradebook

    from course.instructor.grading.publish.release import release

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course", with_release=True)
    config = root.path / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.CourseDirectory.db_url = "sqlite:///books/main.db"\n')
    (root.path / "books").mkdir()
    db = f"sqlite:///{root.path / 'books' / 'main.db'}"
    release(root.with_gradebook(db), [A])
    expected = class_factory.make_class(tmp_path / "class", n=4, seed=3)
    env = {k: v for k, v in os.environ.items() if k != "DESCENT_DB_URL"}
    first = subprocess.Popen(_grade_cmd(root, tmp_path / "class"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, env=env)
    lock = root.path / "grades" / A / ".grade.lock"
    while not (lock.exists() and lock.read_text()):
        assert first.poll() is None, first.stdout.read()
    second = subprocess.run(_grade_cmd(root, tmp_path / "class"), capture_output=True, text=True, env=env,
                            timeout=900)
    out_first = first.communicate(timeout=900)[0]
    assert first.returncode == 0, out_first[-2000:]
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert f"another `descent grade {A}` is running (pid {first.pid}" in second.stdout
    assert "(0 to grade, 4 unchanged" in second.stdout, "the second run regrades nothing the first graded"
    rows = class_factory.read_csv(root.path / "grades" / A / "grades.csv")
    assert {s: float(r["total"]) for s, r in rows.items()} == {s: sum(p.values()) for s, p in expected.items()}
    with Gradebook(db) as gb:
        assert len(gb.find_assignment(A).submissions) == 4
    assert not (root.path / "gradebook.db").exists(), "no second gradebook beside the configured one"


@pytest.mark.slow
def test_a_run_with_a_failed_student_lists_it_and_exits_1(tmp_path):
    """Does a run whose progress counted a failure name the student and exit non-zero?"""
    from course.instructor.grading.publish.release import release

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course", with_release=True)
    release(root, [A])
    folder = tmp_path / "class" / "broken" / A
    folder.mkdir(parents=True)
    (folder / f"{NB}.ipynb").write_text("this is not a notebook")
    proc = subprocess.run(_grade_cmd(root, tmp_path / "class"), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 submission(s) failed to grade in this run: broken" in proc.stdout


@pytest.mark.slow
def test_moodle_and_blackboard_downloads_graded_end_to_end(tmp_path):
    """Moodle's download graded and exported with its participant numbers; a Blackboard attempt made
    after the due date is late for nbgrader too."""
    from nbgrader.api import Gradebook

    from course.instructor.cli import main

    root = _late_penalty_course(tmp_path)
    source, blank = _notebooks()
    moodle = _zip(tmp_path / "moodle.zip", {
        "Jane Doe_311201_assignsubmission_file_/loss_functions.ipynb": source,
        "José Núñez Peña_311202_assignsubmission_file_/loss_functions.ipynb": blank,
    })
    blackboard = _zip(tmp_path / "bb.zip", {
        "Loss functions_jlee_attempt_2026-03-02-17-05-33_loss_functions.ipynb": source,
        "Loss functions_jlee_attempt_2026-03-02-17-05-33.txt": b"Name: Jin Lee",
    })
    args = ["--root", str(root.path), "grade", A, "--workers", "1", "--no-feedback", "--submissions"]
    assert main([*args, str(moodle), "--lms", "moodle"]) == 0
    assert main(["--root", str(root.path), "export", A, "--format", "moodle"]) == 0
    rows = {row[0]: row for row in _read(root.path / "grades" / A / "moodle.csv")[1:]}
    assert float(rows["Participant 311201"][4]) == FULL and float(rows["Participant 311202"][4]) == 0.0
    assert rows["Participant 311202"][1] == "José Núñez Peña"

    assert main([*args, str(blackboard)]) == 0  # detected as Blackboard
    with Gradebook(root.db_url) as gb:
        late = gb.find_submission(A, "jlee")
        assert late.score == FULL and late.total_seconds_late > 0 and late.late_submission_penalty == FULL
