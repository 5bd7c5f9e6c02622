"""`descent grade`: a class graded in parallel with real nbgrader gives exactly the expected
grades, on SQLite, PostgreSQL and a Dask cluster; re-runs are idempotent and resumable."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import class_factory
from dask_cluster import local_cluster
import grading_harness as harness
from course.instructor.grading import CourseError, CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.importing import import_submissions

pytestmark = pytest.mark.slow

A = class_factory.ASSIGNMENT
EXERCISES = [g.removeprefix("test_") for g in class_factory.POINTS]


def _new_course(path: Path) -> CourseRoot:
    root = CourseRoot.at(harness.REPO).copy_to(path, with_release=True)
    return root


def _released_course(path: Path, db_url: "str | None" = None) -> CourseRoot:
    from course.instructor.grading.release import release

    root = _new_course(path)
    release(root, [A], db_url=db_url or root.gradebook_url)
    return root


def _assert_matches(csv_path: Path, expected: dict) -> None:
    rows = class_factory.read_csv(csv_path)
    assert sorted(rows) == sorted(expected)
    for student, points in expected.items():
        row = rows[student]
        got = {f"test_{e}": float(row[e]) for e in EXERCISES}
        assert row["status"] == "graded", (student, row["message"])
        assert got == points, student
        assert float(row["total"]) == sum(points.values())


@pytest.fixture(scope="module")
def generated_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    return folder, class_factory.make_class(folder, n=30)


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory, generated_class):
    folder, expected = generated_class
    root = _released_course(tmp_path_factory.mktemp("sqlite") / "course")
    result = grade_class(root, A, folder, workers=2)
    result.first_csv = result.csv_path.read_bytes()  # later tests regrade one student in place
    return root, result, expected


def test_class_of_30_with_two_workers_gets_exactly_the_expected_points(sqlite_run):
    """Does every one of 30 students (correct, variant, partial, blank, broken) get exactly their points?"""
    root, result, expected = sqlite_run
    assert sorted(result.graded_now) == sorted(expected)
    _assert_matches(result.csv_path, expected)


def test_feedback_and_histogram_are_written(sqlite_run):
    """Is there a feedback page per student and a histogram PNG of the totals?"""
    root, result, expected = sqlite_run
    for student in expected:
        assert (root.feedback / student / A / "loss_functions.html").stat().st_size > 1000
    assert result.histogram_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_rerun_is_idempotent_and_regrades_only_a_changed_submission(sqlite_run, generated_class):
    """Does grading again change nothing, and does changing one submission regrade just that one?"""
    from nbgrader.api import Gradebook

    root, first, expected = sqlite_run
    before = first.first_csv
    again = grade_class(root, A, generated_class[0], workers=2)
    assert again.graded_now == [] and len(again.skipped) == 30
    assert again.csv_path.read_bytes() == before
    with Gradebook(root.gradebook_url) as gb:
        assert len(gb.students) == 30
        assert len(gb.find_assignment(A).submissions) == 30

    blank = next(s for s in expected if s.endswith("blank"))
    changed = root.submitted / blank / A / "loss_functions.ipynb"
    changed.write_bytes((harness.REPO / "source" / A / "loss_functions.ipynb").read_bytes())
    third = grade_class(root, A, None, workers=2)
    assert third.graded_now == [blank]
    rows = class_factory.read_csv(third.csv_path)
    assert float(rows[blank]["total"]) == sum(class_factory.POINTS.values())
    with Gradebook(root.gradebook_url) as gb:
        assert len(gb.find_assignment(A).submissions) == 30


def test_killed_run_resumes_without_regrading_and_loses_nothing(tmp_path):
    """After kill -9 mid-batch, does a second run grade only the rest and end with every grade right?"""
    root = _released_course(tmp_path / "course")
    expected = class_factory.make_class(tmp_path / "class", n=8, seed=5)
    cmd = [sys.executable, "-m", "course", "--root", str(root.path), "grade", A,
           "--submissions", str(tmp_path / "class"), "--workers", "1", "--no-feedback"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    ledger = root.path / "grades" / A / "ledger.jsonl"
    deadline = time.time() + 300
    while time.time() < deadline and (not ledger.exists() or len(ledger.read_text().splitlines()) < 3):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(ledger.read_text().splitlines())
    assert 3 <= done_before < 8, "the run should have been killed halfway"

    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert f"({8 - done_before} to grade, {done_before} unchanged" in out.stdout
    _assert_matches(root.path / "grades" / A / "grades.csv", expected)


def test_lms_zip_is_imported_by_student_id(tmp_path, generated_class):
    """Does a zip of STUDENT.ipynb files land in submitted/STUDENT/ASSIGNMENT/?"""
    folder, expected = generated_class
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for student in list(expected)[:5]:
            z.write(folder / student / A / "loss_functions.ipynb", f"export/{student}.ipynb")
        z.writestr("__MACOSX/._junk", b"")
    root = _new_course(tmp_path / "course")
    report = import_submissions(root, A, archive)
    assert report.students == sorted(list(expected)[:5])
    for student in report.students:
        assert (root.submitted / student / A / "loss_functions.ipynb").read_bytes() == \
            (folder / student / A / "loss_functions.ipynb").read_bytes()


def test_badly_named_zip_entries_are_listed(tmp_path):
    """Are files that do not follow the naming rule rejected, all of them named in the message?"""
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ada.ipynb", "{}")
        z.writestr("bob smith.ipynb", "{}")
        z.writestr("carl.txt", "hi")
        z.writestr("dee__other_notebook.ipynb", "{}")
    root = _new_course(tmp_path / "course")
    with pytest.raises(CourseError) as err:
        import_submissions(root, A, archive)
    message = str(err.value)
    for name in ("bob smith.ipynb", "carl.txt", "dee__other_notebook.ipynb"):
        assert name in message
    assert "ada.ipynb" not in message.split(":", 2)[-1] and "STUDENT.ipynb" in message
    assert not root.submitted.exists(), "nothing is imported from a rejected zip"


def test_corrupt_zip_is_a_clear_error(tmp_path):
    """Is a truncated or damaged zip reported as such instead of crashing?"""
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ada.ipynb", "{" + "x" * 5000 + "}")
    data = archive.read_bytes()
    root = _new_course(tmp_path / "course")
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(CourseError, match="not a readable zip"):
        import_submissions(root, A, archive)
    damaged = bytearray(data)
    damaged[40] ^= 0xFF  # flip a byte of the stored entry: its CRC no longer matches
    archive.write_bytes(bytes(damaged))
    with pytest.raises(CourseError, match="damaged zip|not a readable zip"):
        import_submissions(root, A, archive)


# --- PostgreSQL and Dask, for real ------------------------------------------------------

def _postgres_base_url() -> str:
    url = os.environ.get("DESCENT_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("DESCENT_TEST_POSTGRES_URL is not set: .ci/run should start PostgreSQL")
        pytest.skip("no PostgreSQL: run .ci/start-postgres and set DESCENT_TEST_POSTGRES_URL")
    return url


def _fresh_postgres_db(name: str) -> str:
    import psycopg

    base = _postgres_base_url()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + f"/{name}"


def test_postgres_gradebook_gives_the_same_csv(tmp_path, generated_class, sqlite_run):
    """Graded against PostgreSQL, does the same class give the same grades.csv as with SQLite?"""
    db = _fresh_postgres_db(f"descent_test_{os.getpid()}")
    root = _released_course(tmp_path / "course", db_url=db)
    result = grade_class(root, A, generated_class[0], workers=2, db_url=db)
    assert result.csv_path.read_bytes() == sqlite_run[1].first_csv


def test_dask_cluster_gives_the_same_csv(tmp_path, generated_class, sqlite_run):
    """Sent to a real Dask scheduler with two workers, does the class get the same grades.csv?"""
    db = _fresh_postgres_db(f"descent_dask_{os.getpid()}")
    root = _released_course(tmp_path / "course", db_url=db)
    with local_cluster(2) as address:
        result = grade_class(root, A, generated_class[0], db_url=db, scheduler=address)
    assert result.csv_path.read_bytes() == sqlite_run[1].first_csv


def test_report_shows_where_the_class_struggles(sqlite_run, capsys):
    """Does `descent report` give each exercise's mean and share of students who lost marks, as grades.csv has them?"""
    from course.instructor.cli import main

    root, result, _ = sqlite_run
    assert main(["--root", str(root.path), "report", A]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{A}: 30 students"
    lines = {line.split()[0]: line.split() for line in out[2:]}
    rows = class_factory.read_csv(result.csv_path).values()
    assert sorted(lines) == sorted(EXERCISES)
    for gid, max_points in class_factory.POINTS.items():
        name = gid.removeprefix("test_")
        points = [float(r[name]) for r in rows]
        _, max_col, mean_col, lost_col = lines[name]
        assert float(max_col) == max_points
        assert float(mean_col) == pytest.approx(sum(points) / len(points), abs=0.005)
        assert lost_col == f"{sum(p < max_points for p in points) / len(points):.0%}"
