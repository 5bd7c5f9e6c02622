"""`descent grade`: a class graded in parallel with real nbgrader gives exactly the expected
grades, on SQLite, PostgreSQL and a Dask cluster; re-runs are idempotent and resumable."""
from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import class_factory
import grading_harness as harness
import pytest
from dask_cluster import local_cluster

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.core.cells import exercise_graded_by
from course.instructor.grading.publish import sample_submissions

pytestmark = pytest.mark.slow

A = class_factory.ASSIGNMENT
EXERCISES = [exercise_graded_by(g) for g in class_factory.POINTS]
WRITTEN = "explain_clipping"  # 01's written answer, graded by hand
PLANTED: dict = {}  # student -> grade_id -> the mistake id planted (filled by the generated_class fixture)


def _new_course(path: Path) -> CourseRoot:
    root = CourseRoot.at(harness.REPO).copy_to(path, with_release=True)
    return root


def _released_course(path: Path, db_url: "str | None" = None) -> CourseRoot:
    from course.instructor.grading.publish.release import release

    root = _new_course(path).with_gradebook(db_url) if db_url else _new_course(path).with_own_gradebook()
    release(root, [A])
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
    planted: dict = {}
    expected = class_factory.make_class(folder, n=30, planted=planted)
    PLANTED.update(planted)
    return folder, expected


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
    """Is there a feedback page per student, any figure on it with a text alternative, and a histogram PNG?"""
    from bs4 import BeautifulSoup

    from course.figure_text import PLACEHOLDER

    root, result, expected = sqlite_run
    for student in expected:
        page = root.feedback / student / A / "loss_functions.html"
        assert page.stat().st_size > 1000
        # every figure the page shows says what it shows (how the words get there: test_feedback.py)
        soup = BeautifulSoup(page.read_text(), features="html.parser")
        assert soup.html.get("lang") == "en", "a screen reader needs the page's language"
        alts = [img.get("alt", "") for img in soup.find_all("img")]
        assert all(len(a.split()) >= 5 and PLACEHOLDER not in a and "No description" not in a for a in alts), alts
        assert alts or not student.endswith("-correct"), f"{student}'s solutions draw figures: none on the page"
    assert result.histogram_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_full_solutions_show_every_figure_in_the_graded_notebook_and_the_feedback(sqlite_run):
    """Do `descent grade`'s graded notebook and feedback page of each student who handed in the solutions hold
    one image per figure the source notebook draws in a plain kernel?"""
    root, result, expected = sqlite_run
    drawn = harness.images(harness.run_plainly(root.source / A / "loss_functions.ipynb"))
    assert drawn > 0
    correct = [s for s in expected if s.endswith("-correct")]
    assert correct
    for student in correct:
        graded = sample_submissions.read(root.autograded / student / A / "loss_functions.ipynb")
        html = (root.feedback / student / A / "loss_functions.html").read_text()
        assert (harness.images(graded), harness.feedback_images(html)) == (drawn, drawn), student


def test_rerun_is_idempotent_and_regrades_only_a_changed_submission(sqlite_run, generated_class):
    """Does grading again change nothing, and does changing one submission regrade just that one?"""
    from nbgrader.api import Gradebook

    root, first, expected = sqlite_run
    before = first.first_csv
    again = grade_class(root, A, generated_class[0], workers=2)
    assert again.graded_now == [] and len(again.skipped) == 30
    assert again.csv_path.read_bytes() == before
    with Gradebook(root.db_url) as gb:
        assert len(gb.students) == 30
        assert len(gb.find_assignment(A).submissions) == 30

    blank = next(s for s in expected if s.endswith("blank"))
    changed = root.submitted / blank / A / "loss_functions.ipynb"
    original = changed.read_bytes()
    changed.write_bytes((harness.REPO / "source" / A / "loss_functions.ipynb").read_bytes())
    third = grade_class(root, A, None, workers=2)
    assert third.graded_now == [blank]
    rows = class_factory.read_csv(third.csv_path)
    assert float(rows[blank]["total"]) == sum(class_factory.POINTS.values())
    with Gradebook(root.db_url) as gb:
        assert len(gb.find_assignment(A).submissions) == 30

    # Hand the blank notebook back in: the class is as the other tests of this module expect it.
    changed.write_bytes(original)
    fourth = grade_class(root, A, None, workers=2)
    assert fourth.graded_now == [blank]
    first_rows = {row["student"]: row for row in csv.DictReader(io.StringIO(before.decode("utf-8")))}
    assert class_factory.read_csv(fourth.csv_path)[blank] == first_rows[blank]


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
    result = grade_class(root, A, generated_class[0], workers=2)
    assert result.csv_path.read_bytes() == sqlite_run[1].first_csv


def test_dask_cluster_gives_the_same_csv(tmp_path, generated_class, sqlite_run):
    """Sent to a real Dask scheduler with two workers, does the class get the same grades.csv?"""
    db = _fresh_postgres_db(f"descent_dask_{os.getpid()}")
    root = _released_course(tmp_path / "course", db_url=db)
    with local_cluster(2) as address:
        result = grade_class(root, A, generated_class[0], scheduler=address)
    assert result.csv_path.read_bytes() == sqlite_run[1].first_csv


def test_report_shows_where_the_class_struggles(sqlite_run, capsys):
    """Does `descent report` give each exercise's mean and share of students who lost marks, as grades.csv has them?"""
    from course.instructor.cli import main

    root, result, _ = sqlite_run
    assert main(["--root", str(root.path), "report", A]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{A}: 30 students"
    lines = {line.split()[0]: line.split() for line in out[2:out.index("")]}
    rows = class_factory.read_csv(result.csv_path).values()
    assert sorted(lines) == sorted([*EXERCISES, WRITTEN])
    for gid, max_points in class_factory.POINTS.items():
        name = exercise_graded_by(gid)
        points = [float(r[name]) for r in rows]
        _, max_col, mean_col, lost_col, pending_col = lines[name]
        assert float(max_col) == max_points and pending_col == "0"
        assert float(mean_col) == pytest.approx(sum(points) / len(points), abs=0.005)
        assert lost_col == f"{sum(p < max_points for p in points) / len(points):.0%}"
    written = [r[WRITTEN] for r in rows]  # "pending" (an answer, to grade by hand) or "0" (left blank)
    scored = [float(w) for w in written if w not in ("pending", "")]
    _, _, mean_col, lost_col, pending_col = lines[WRITTEN]
    assert int(pending_col) == written.count("pending") > 0, "written answers wait for the grader, not 0 or full"
    assert (mean_col, lost_col) == (("0.00", "100%") if scored else ("-", "-"))


def test_grades_csv_names_each_planted_mistake(sqlite_run):
    """Does grades.csv have, per exercise, the mistake id planted in each student's lost cell, and nothing else?"""
    root, result, expected = sqlite_run
    rows = class_factory.read_csv(result.csv_path)
    for student in expected:
        got = {f"test_{e}": rows[student][f"{e} mistake"] for e in EXERCISES if rows[student][f"{e} mistake"]}
        assert got == PLANTED[student], student


def test_report_counts_exactly_the_planted_mistakes(sqlite_run, capsys):
    """Does `descent report` rank each exercise's mistakes with the counts planted, and write its HTML and CSV?"""
    import csv
    from collections import Counter

    from course.instructor.cli import main

    root, result, expected = sqlite_run
    assert main(["--root", str(root.path), "report", A]) == 0
    out = capsys.readouterr().out
    planted = Counter((exercise_graded_by(gid), mid) for cells in PLANTED.values() for gid, mid in cells.items())
    with open(root.path / "grades" / A / "mistakes.csv", newline="") as f:
        written = {(r["exercise"], r["mistake"]): int(r["students"]) for r in csv.DictReader(f)}
    assert written == dict(planted)
    for (_, mid), n in planted.items():
        assert f"  {mid}" in out and f"{n / len(expected):.0%}" in out
    page = (root.path / "grades" / A / "mistakes.html").read_text()
    assert page.count("data:image/png;base64,") == len({e for e, _ in planted})
    assert "http://" not in page and "https://" not in page and "<script" not in page


def test_feedback_names_the_mistake_and_hides_the_tests(sqlite_run):
    """Does each student's feedback say what went wrong (and the hint) for each planted mistake, never a hidden test?"""
    from course.instructor.grading.publish import sample_submissions
    from course.mistakes import describe

    root, result, expected = sqlite_run
    source = sample_submissions.read(root.source / A / "loss_functions.ipynb")
    hidden_lines = {line.strip() for cell in source.cells if "### BEGIN HIDDEN TESTS" in cell.source
                    for line in cell.source.split("### BEGIN HIDDEN TESTS", 1)[1].splitlines()
                    if len(line.strip()) > 20 and "END HIDDEN" not in line}
    import html as html_module

    for student in expected:
        page = html_module.unescape((root.feedback / student / A / "loss_functions.html").read_text())
        for mid in PLANTED[student].values():
            entry = describe(mid)
            if entry is not None:
                assert entry.message in page and entry.hint in page, (student, mid)
            else:
                assert "Hint: " in page, student
        leaked = [line for line in hidden_lines if line in page]
        assert not leaked, (student, leaked[:3])


def test_report_for_one_student_lists_their_mistakes(sqlite_run, capsys):
    """Does `descent report --student ID` list exactly that student's planted mistakes?"""
    from course.instructor.cli import main

    root, _, _ = sqlite_run
    student = next(s for s, cells in sorted(PLANTED.items()) if "partial" in s and cells)
    assert main(["--root", str(root.path), "report", "--student", student]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{student}: mistakes where marks were lost"
    listed = {tuple(line.split()[1:3]) for line in lines[1:]}
    assert listed == {(f"{exercise_graded_by(gid)}:", mid) for gid, mid in PLANTED[student].items()}


def _class_named(dest: Path, names: list[str], seed: int) -> dict:
    """A class from :func:`class_factory.make_class` with its students renamed ``names``, in turn."""
    made = class_factory.make_class(dest, n=len(names), seed=seed)
    expected = {}
    for old, new in zip(sorted(made), names):
        (dest / old).rename(dest / new)
        expected[new] = made[old]
    return expected


def test_moving_to_postgres_and_back_keeps_each_gradebook_s_record_apart(tmp_path, capsys):
    """One course root graded into SQLite, then PostgreSQL, then SQLite again: does each grades.csv hold exactly
    its gradebook's students, does --verify pass, is the move said, and does SQLite resume from its own ledger?"""
    from course.instructor.cli import main
    from course.instructor.grading.publish.release import release
    from course.instructor.grading.record.gradebook_record import folder_name, gradebook_name

    password = "not-the-pw-4a7"  # the test server trusts local connections: any password is accepted
    db = _fresh_postgres_db(f"descent_move_{os.getpid()}").replace("://descent@", f"://descent:{password}@")
    root = _new_course(tmp_path / "course")
    release(root.with_own_gradebook(), [A])
    release(root.with_gradebook(db), [A])
    canvas = _class_named(tmp_path / "canvas", ["asmith", "jdoe"], seed=1)
    (tmp_path / "canvas" / "nobook" / A).mkdir(parents=True)  # a student folder without the notebook
    big = _class_named(tmp_path / "big", ["p01", "p02"], seed=2)
    top = root.path / "grades" / A
    grade = ["--root", str(root.path), "grade", A, "--workers", "2", "--no-feedback", "--verify", "--submissions"]

    assert main([*grade, str(tmp_path / "canvas")]) == 0
    sqlite_csv = (top / "grades.csv").read_bytes()
    rows = class_factory.read_csv(top / "grades.csv")
    assert rows.pop("nobook")["status"] == "missing"
    assert {s: float(r["total"]) for s, r in rows.items()} == {s: sum(p.values()) for s, p in canvas.items()}

    assert main([*grade, str(tmp_path / "big"), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "gradebook verified: consistent" in out
    _assert_matches(top / "grades.csv", big)
    sqlite_aside = top / "earlier" / folder_name(gradebook_name(root.with_own_gradebook().db_url))
    assert f"set aside in {sqlite_aside}" in out
    assert (top / "gradebook.txt").read_text().strip() == gradebook_name(db)
    assert (sqlite_aside / "grades.csv").read_bytes() == sqlite_csv

    assert main([*grade, str(tmp_path / "canvas")]) == 0
    out += capsys.readouterr().out
    assert "(0 to grade, 2 unchanged" in out, "SQLite resumes from its own ledger"
    assert "its record is back" in out and "gradebook verified: consistent" in out
    assert (top / "grades.csv").read_bytes() == sqlite_csv

    assert main(["--root", str(root.path), "report", A, "--db", db]) == 0
    out += capsys.readouterr().out
    pg_aside = top / "earlier" / folder_name(gradebook_name(db))
    assert "2 students graded" in (pg_aside / "mistakes.html").read_text()
    assert not (top / "mistakes.html").exists(), "the report of PostgreSQL is not SQLite's"
    written = "".join(p.read_text(errors="replace") for p in top.rglob("*") if p.is_file())
    assert password not in out and password not in written
