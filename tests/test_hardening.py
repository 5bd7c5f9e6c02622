"""Hostile and broken submissions go through the real grading path: each is graded as far as it
can be, recorded with a clear status and flags, and the rest of the batch is unharmed."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import class_factory
import grading_harness as harness
import hostile_submissions as hostile
from course.grading import CourseRoot, nbgrader_run, submissions
from course.grading.batch import grade_class
from course.grading.feedback import PLACEHOLDER
from course.grading.release import release
from course.grading.sandbox import sandbox_status
from course.grading.scores import read_scores
from course.grading.verify import verify_gradebook
from hostile_submissions import CASES, tamper

pytestmark = pytest.mark.slow
A = class_factory.ASSIGNMENT


def released_course(folder: Path):
    """A course copy with ``A`` released; its release notebook and that notebook fully answered."""
    root = CourseRoot.at(harness.REPO).copy_to(folder, with_release=True)
    release(root, [A])
    source = submissions.read(root.source / A / "loss_functions.ipynb")
    blank = submissions.read(root.release / A / "loss_functions.ipynb")
    return root, blank, submissions.mix(source, blank, set(submissions.solution_ids(source)))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root, _, answered = released_course(base / "course")
    incoming = base / "incoming"
    for name, case in CASES.items():
        folder = incoming / name / A
        folder.mkdir(parents=True)
        if case.raw is not None:
            (folder / "loss_functions.ipynb").write_bytes(case.raw)
            continue
        nb = submissions.replace_solutions(answered, case.cells)
        submissions.nbformat.write(tamper(nb) if case.tamper else nb, folder / "loss_functions.ipynb")
    (incoming / "no_notebook" / A).mkdir(parents=True)
    (incoming / "no_notebook" / A / "notes.txt").write_text("I forgot the notebook")
    old = os.environ.get("DESCENT_CELL_TIMEOUT")
    os.environ["DESCENT_CELL_TIMEOUT"] = "5"
    try:
        result = grade_class(root, A, incoming, workers=2)
    finally:
        if old is None:
            del os.environ["DESCENT_CELL_TIMEOUT"]
        else:
            os.environ["DESCENT_CELL_TIMEOUT"] = old
    return root, result, class_factory.read_csv(result.csv_path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_submission_is_graded_as_far_as_it_can_be(hostile_run, name):
    """Does each hostile or broken submission get the right status, total and flag?"""
    _, _, rows = hostile_run
    case, row = CASES[name], rows[name]
    assert row["status"] == case.status, row
    if case.total is not None:
        assert float(row["total"]) == case.total, row
    if case.flag:
        assert case.flag in row["flags"], row["flags"]
    if case.status == "invalid":
        assert "loss_functions.ipynb" in row["message"]


def test_every_student_has_a_row_and_the_gradebook_is_consistent(hostile_run):
    """After all that, is every student in the CSV with a status, and does the gradebook verify?"""
    root, result, rows = hostile_run
    assert set(rows) == set(CASES) | {"no_notebook"}
    assert rows["no_notebook"]["status"] == "missing"
    assert verify_gradebook(root.gradebook_url, A, result.results) == []


def test_honest_submissions_are_not_flagged(hostile_run):
    """Is a plain correct submission free of false alarms (no tampering, no incidents)?"""
    _, _, rows = hostile_run
    assert rows["good"]["flags"] == ""


def test_flooded_output_stays_small(hostile_run):
    """Does 100 MB of printing leave a small autograded notebook, feedback page and gradebook?"""
    root, _, _ = hostile_run
    graded = root.autograded / "prints_100mb" / A / "loss_functions.ipynb"
    feedback = root.feedback / "prints_100mb" / A / "loss_functions.html"
    assert graded.stat().st_size < 2_000_000
    assert feedback.stat().st_size < 2_000_000
    assert (root.path / "gradebook.db").stat().st_size < 5_000_000


def test_feedback_never_shows_hidden_tests(hostile_run):
    """Does every feedback page say which test failed and why, without a line of the hidden tests?"""
    root, _, rows = hostile_run
    source = (root.source / A / "loss_functions.ipynb").read_text()
    secrets = ["BEGIN HIDDEN TESTS", "_reference_log_loss", "20261101", "default_rng(2026"]
    assert all(s in source for s in secrets[:3])
    pages = list(root.feedback.glob(f"*/{A}/*.html"))
    assert len(pages) >= sum(1 for r in rows.values() if r["status"] == "graded")
    for page in pages:
        html = page.read_text()
        assert PLACEHOLDER.split(".")[0] in html
        for secret in secrets:
            assert secret not in html, (page, secret)
    tampered = (root.feedback / "tampered" / A / "loss_functions.html").read_text()
    assert "mse" in tampered and "returned a wrong value" in tampered


def test_a_rerun_after_hostile_batch_is_a_no_op(hostile_run):
    """Grading the same hostile batch again regrades nothing and changes no row."""
    root, result, rows = hostile_run
    again = grade_class(root, A, None, workers=2)
    assert again.graded_now == []
    assert class_factory.read_csv(again.csv_path) == rows


@pytest.mark.skipif(not hostile.SANDBOXED, reason="needs the bubblewrap sandbox")
def test_sandbox_kept_the_attacks_out(hostile_run):
    """Did the attacks on other students, the gradebook and the network fail, and were they reported?"""
    root, _, rows = hostile_run
    for name in ("good", "writes_elsewhere"):
        graded = root.autograded / name / A / "loss_functions.ipynb"
        assert submissions.read(graded).cells, f"{name}'s graded notebook was overwritten"
    assert submissions.read(root.submitted / "good" / A / "loss_functions.ipynb").cells
    assert (root.path / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"
    assert "blocked in mae: the course's files are hidden" in rows["writes_elsewhere"]["flags"]
    assert "blocked in mae: the course's files are hidden" in rows["reads_solutions"]["flags"]
    assert "blocked in mae: no network" in rows["network"]["flags"]
    assert "review: mae starts processes" in rows["fork_bomb"]["flags"]


@pytest.mark.skipif(not hostile.SANDBOXED, reason="needs the bubblewrap sandbox")
def test_plain_nbgrader_autograde_is_sandboxed_too(tmp_path):
    """Does stock ``nbgrader autograde`` (through nbgrader_config.py) also hide the solutions and the gradebook?"""
    root, _, answered = released_course(tmp_path / "course")
    attack = hostile.SANDBOX_CASES["reads_solutions"]
    submissions.submit(root, "mallory", A, {"loss_functions": submissions.replace_solutions(answered, attack.cells)})
    submissions.submit(root, "honest", A, {"loss_functions": answered})
    proc = nbgrader_run.autograde(root, A)
    assert proc.returncode == 0, proc.stderr[-2000:]
    totals = {}
    for score in read_scores(root.gradebook_url, A):
        totals[score.student] = totals.get(score.student, 0.0) + (score.score or 0.0)
    assert totals == {"honest": hostile.FULL, "mallory": attack.total}


def test_a_required_sandbox_that_is_missing_stops_grading_with_a_clear_message(tmp_path, monkeypatch):
    """With DESCENT_SANDBOX=bwrap and no bwrap, is each student an 'error' row that says why (not a crash)?"""
    root, blank, _ = released_course(tmp_path / "course")
    submissions.submit(root, "alice", A, {"loss_functions": blank})
    monkeypatch.setenv("DESCENT_SANDBOX", "bwrap")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))  # python and jupyter, no bwrap
    said = []
    sandbox_status.cache_clear()
    try:
        result = grade_class(root, A, None, workers=1, progress=False, say=said.append)
    finally:
        monkeypatch.undo()
        sandbox_status.cache_clear()
    row = class_factory.read_csv(result.csv_path)["alice"]
    assert row["status"] == "error"
    assert row["message"].startswith("RuntimeError: SandboxedKernelManager.sandbox = 'bwrap', but the sandbox is off")
    assert any(line.startswith("ERROR: DESCENT_SANDBOX=bwrap") for line in said)
