"""Hostile and broken submissions go through the real grading path: each is graded as far as it
can be, recorded with a clear status and flags, and the rest of the batch is unharmed."""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import class_factory
import forgery_submissions as forgery
import grading_harness as harness
import hostile_submissions as hostile
import pytest
from hostile_submissions import CASES, tamper
from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.core import nbgrader_run
from course.instructor.grading.core.cells import grade_ids
from course.instructor.grading.feedback.feedback import PLACEHOLDER
from course.instructor.grading.intake import importing
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.publish.release import release
from course.instructor.grading.record.scores import read_scores
from course.instructor.grading.record.verify import verify_gradebook
from course.instructor.grading.run.sandbox import sandbox_status

pytestmark = pytest.mark.slow
A = class_factory.ASSIGNMENT


def released_course(folder: Path):
    """A course copy with ``A`` released; its release notebook and that notebook fully answered."""
    root = CourseRoot.at(harness.REPO).copy_to(folder, with_release=True)
    release(root, [A])
    source = sample_submissions.read(root.source / A / "loss_functions.ipynb")
    blank = sample_submissions.read(root.release / A / "loss_functions.ipynb")
    return root, blank, sample_submissions.mix(source, blank, set(grade_ids(source, "solution")))


def _with_attack(blank, answered, attack):
    """The submission of one :class:`forgery.Attack`: its base, its mse cell, its added cells."""
    nb = sample_submissions.replace_solutions(answered if attack.base == "answered" else blank,
                                       {"mse": attack.mse} if attack.mse else {})
    setup = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    nb.cells[setup + 1:setup + 1] = [new_code_cell(code) for code in attack.top]
    nb.cells += [new_code_cell(code) for code in attack.end]
    if attack.markdown:
        nb.cells.append(new_markdown_cell(attack.markdown))
    if attack.raw:
        nb.cells.append(new_raw_cell(attack.raw))
    return nb


def _secret_file(folder: Path) -> Path:
    """A file only its owner may read (root's, when the tests run as root), for attacks to aim at."""
    secret = folder / "secret.txt"
    secret.write_text(SECRET_TEXT)
    secret.chmod(0o600)
    return secret


SECRET_TEXT = "descent-secret-5b1f0e"
#: Raw notebooks that must not stop the class.
RAW_CASES = {  # name: (status, words in its message or flags)
    "metadata_is_a_string": ("graded", "malformed nbgrader metadata"),
    "absurd_nesting": ("invalid", "nested too deeply"),
    "oversized_notebook": ("invalid", "larger than 20 MB"),
}


def _raw_notebook(kind: str, answered) -> bytes:
    if kind == "metadata_is_a_string":
        nb = sample_submissions.nbformat.from_dict(answered)
        mse_test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "mse")
        mse_test.metadata["nbgrader"] = "oops"
        return sample_submissions.nbformat.writes(nb, version=4).encode()
    if kind == "absurd_nesting":
        return b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {"x": ' + b"[" * 200_000 + b"]" * 200_000 + \
            b'}, "cells": []}'
    padding = b" " * (21 * 2**20)
    return sample_submissions.nbformat.writes(answered, version=4).encode()[:-2] + padding + b"}\n"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root, blank, answered = released_course(base / "course")
    secret = _secret_file(base)
    paths = {"gradebook": str(root.path / "gradebook.db"), "secret": str(secret),
             "source": str(root.source / A / "loss_functions.ipynb")}
    incoming = base / "incoming"
    for name, case in CASES.items():
        folder = incoming / name / A
        folder.mkdir(parents=True)
        if case.raw is not None:
            (folder / "loss_functions.ipynb").write_bytes(case.raw)
            continue
        nb = sample_submissions.replace_solutions(answered, case.cells)
        sample_submissions.nbformat.write(tamper(nb) if case.tamper else nb, folder / "loss_functions.ipynb")
    for name, attack in forgery.attacks(paths).items():
        (incoming / name / A).mkdir(parents=True)
        sample_submissions.nbformat.write(_with_attack(blank, answered, attack),
                                          incoming / name / A / "loss_functions.ipynb")
    for name in RAW_CASES:
        (incoming / name / A).mkdir(parents=True)
        (incoming / name / A / "loss_functions.ipynb").write_bytes(_raw_notebook(name, answered))
    (incoming / "no_notebook" / A).mkdir(parents=True)
    (incoming / "no_notebook" / A / "notes.txt").write_text("I forgot the notebook")
    before = _snapshot(base, exclude=(root.path / "grades", root.path / "autograded", root.path / "feedback",
                                      root.path / "submitted", root.path / ".descent-staging"))
    old = os.environ.get("DESCENT_CELL_TIMEOUT")
    os.environ["DESCENT_CELL_TIMEOUT"] = "5"
    try:
        result = grade_class(root, A, incoming, workers=2)
    finally:
        if old is None:
            del os.environ["DESCENT_CELL_TIMEOUT"]
        else:
            os.environ["DESCENT_CELL_TIMEOUT"] = old
    return root, result, class_factory.read_csv(result.csv_path), before, paths


def _snapshot(folder: Path, exclude=()) -> dict:
    """Content, mode and owner of every file under ``folder`` (but ``exclude``), without following links."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if any(path == e or e in path.parents for e in exclude) or path.name.endswith((".lock", "-journal")):
            continue
        info = path.lstat()
        digest = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        found[str(path)] = (digest, info.st_mode, info.st_uid, info.st_gid)
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_submission_is_graded_as_far_as_it_can_be(hostile_run, name):
    """Does each hostile or broken submission get the right status, total and flag?"""
    _, _, rows, _, _ = hostile_run
    case, row = CASES[name], rows[name]
    assert row["status"] == case.status, row
    if case.total is not None:
        assert float(row["total"]) == case.total, str(row)
    if case.flag:
        assert case.flag in row["flags"], row["flags"]
    if case.status == "invalid":
        assert "loss_functions.ipynb" in row["message"]


def test_every_student_has_a_row_and_the_gradebook_is_consistent(hostile_run):
    """After all that, is every student in the CSV with a status, and does the gradebook verify?"""
    root, result, rows, _, _ = hostile_run
    assert set(rows) == set(CASES) | set(forgery.attacks(hostile_run[4])) | set(RAW_CASES) | {"no_notebook"}
    assert rows["no_notebook"]["status"] == "missing"
    assert verify_gradebook(root, A, result.results) == []


def test_honest_submissions_are_not_flagged(hostile_run):
    """Is a plain correct submission free of false alarms (no tampering, no incidents)?"""
    _, _, rows, _, _ = hostile_run
    assert rows["good"]["flags"] == ""


def test_flooded_output_stays_small(hostile_run):
    """Does 100 MB of printing leave a small autograded notebook, feedback page and gradebook?"""
    root, _, _, _, _ = hostile_run
    graded = root.autograded / "prints_100mb" / A / "loss_functions.ipynb"
    feedback = root.feedback / "prints_100mb" / A / "loss_functions.html"
    assert graded.stat().st_size < 2_000_000
    assert feedback.stat().st_size < 2_000_000
    assert (root.path / "gradebook.db").stat().st_size < 5_000_000


def test_feedback_never_shows_hidden_tests(hostile_run):
    """Does every feedback page say which test failed and why, without a line of the hidden tests?"""
    root, _, rows, _, _ = hostile_run
    source = (root.source / A / "loss_functions.ipynb").read_text()
    secrets = ["BEGIN HIDDEN TESTS", "_reference_log_loss", "_reference_neuron_mse"]
    assert all(s in source for s in secrets)
    pages = list(root.feedback.glob(f"*/{A}/*.html"))
    assert len(pages) >= sum(1 for r in rows.values() if r["status"] == "graded")
    for page in pages:
        html = page.read_text()
        assert PLACEHOLDER.split(".")[0] in html
        for secret in secrets:
            assert secret not in html, (page, secret)
    tampered = (root.feedback / "tampered" / A / "loss_functions.html").read_text()
    assert "mse is wrong on random arrays" in tampered


def test_a_rerun_after_hostile_batch_is_a_no_op(hostile_run):
    """Grading the same hostile batch again regrades nothing and changes no row."""
    root, result, rows, _, _ = hostile_run
    again = grade_class(root, A, None, workers=2)
    assert again.graded_now == []
    assert class_factory.read_csv(again.csv_path) == rows


@pytest.mark.skipif(not hostile.SANDBOXED, reason="needs the bubblewrap sandbox")
def test_sandbox_kept_the_attacks_out(hostile_run):
    """Did the attacks on other students, the gradebook and the network fail, and were they reported?"""
    root, _, rows, _, _ = hostile_run
    for name in ("good", "writes_elsewhere"):
        graded = root.autograded / name / A / "loss_functions.ipynb"
        assert sample_submissions.read(graded).cells, f"{name}'s graded notebook was overwritten"
    assert sample_submissions.read(root.submitted / "good" / A / "loss_functions.ipynb").cells
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
    forged = sample_submissions.replace_solutions(answered, attack.cells)
    sample_submissions.submit(root, "mallory", A, {"loss_functions": forged})
    sample_submissions.submit(root, "honest", A, {"loss_functions": answered})
    proc = nbgrader_run.autograde(root, A)
    assert proc.returncode == 0, proc.stderr[-2000:]
    totals = {}
    for score in read_scores(root, A):
        totals[score.student] = totals.get(score.student, 0.0) + (score.score or 0.0)
    assert totals == {"honest": hostile.FULL, "mallory": attack.total}


def test_a_required_sandbox_that_is_missing_stops_grading_with_a_clear_message(tmp_path, monkeypatch):
    """With DESCENT_SANDBOX=bwrap and no bwrap, is each student an 'error' row that says why (not a crash)?"""
    root, blank, _ = released_course(tmp_path / "course")
    sample_submissions.submit(root, "alice", A, {"loss_functions": blank})
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
    assert row["message"].startswith("RuntimeError: DESCENT_SANDBOX=bwrap, but the sandbox is off")
    assert any(line.startswith("ERROR: DESCENT_SANDBOX=bwrap") for line in said)


ATTACKS = sorted(forgery.attacks({"gradebook": "", "secret": "", "source": ""}))


@pytest.mark.parametrize("name", ATTACKS)
def test_each_forgery_scores_what_it_deserves(hostile_run, name):
    """Does each attack on the verdict score no more than its answers deserve, with a flag where one can be seen?"""
    _, _, rows, _, paths = hostile_run
    attack, row = forgery.attacks(paths)[name], rows[name]
    assert row["status"] == "graded", row
    assert float(row["total"]) == attack.total, row
    if attack.flag:
        assert attack.flag in row["flags"], row["flags"]


@pytest.mark.parametrize("name", sorted(RAW_CASES))
def test_a_malformed_notebook_loses_only_itself(hostile_run, name):
    """Does a notebook with string metadata, absurd nesting or an absurd size get a row that says why?"""
    _, _, rows, _, _ = hostile_run
    status, words = RAW_CASES[name]
    assert rows[name]["status"] == status, rows[name]
    assert words in rows[name]["message"] + rows[name]["flags"], rows[name]


def test_nothing_outside_the_students_folders_changed(hostile_run):
    """After the batch: are the course's files, the secret and every other file unchanged in content, mode and owner?"""
    root, _, _, before, paths = hostile_run
    base = Path(paths["secret"]).parent
    after = _snapshot(base, exclude=(root.path / "grades", root.path / "autograded", root.path / "feedback",
                                     root.path / "submitted", root.path / ".descent-staging"))
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p)
                     and not p.endswith("gradebook.db"))
    assert changed == []
    for path in (root.autograded.rglob("*"), root.feedback.rglob("*")):
        assert not any(p.is_symlink() for p in path)


def test_feedback_holds_only_pages_without_secrets_or_student_scripts(hostile_run):
    """Is each feedback folder one HTML page per notebook (beside what `nbgrader release_feedback` reads), with no
    secret, no solution and no student script?"""
    from course.instructor.grading.stage.staging import FEEDBACK_RELEASE_FILES

    root, _, rows, _, paths = hostile_run
    good = (root.feedback / "good" / A / "loss_functions.html").read_text()
    template_scripts = set(re.findall(r"<script.*?</script>", good, re.S))
    solution = "e = np.exp(-np.abs(z))"  # a line of the instructor's sigmoid
    for folder in root.feedback.iterdir():
        files = sorted(p.name for p in (folder / A).iterdir() if p.name not in FEEDBACK_RELEASE_FILES)
        assert files == ["loss_functions.html"], (folder.name, files)
        assert all((folder / A / name).stat().st_size <= 300 for name in FEEDBACK_RELEASE_FILES
                   if (folder / A / name).exists())
        html = (folder / A / "loss_functions.html").read_text()
        for secret in (SECRET_TEXT, solution, "_reference_neuron_mse", "BEGIN HIDDEN TESTS", "np.tanh(_z / 2.0)"):
            assert secret not in html, (folder.name, secret)
        scripts = set(re.findall(r"<script.*?</script>", html, re.S)) - template_scripts
        assert not scripts, (folder.name, scripts)
        assert not re.search(r"<[^>]+\son\w+\s*=", html), folder.name
        assert html.lower().count("javascript:") <= good.lower().count("javascript:"), folder.name


def test_plain_nbgrader_gives_the_same_scores(hostile_run, tmp_path):
    """Through stock ``nbgrader autograde`` (nbgrader_config.py's pipeline), do the forgeries score the same?"""
    root, _, rows, _, paths = hostile_run
    plain, _, _ = released_course(tmp_path / "plain")
    names = [n for n in ATTACKS if n not in ("crashes_and_sleeps", "huge_html_output")] + ["good"]
    for name in names:
        folder = plain.submitted / name / A
        folder.mkdir(parents=True)
        shutil.copy(root.submitted / name / A / "loss_functions.ipynb", folder / "loss_functions.ipynb")
    proc = nbgrader_run.run_nbgrader(plain, "autograde", A, "--create", "--force", timeout=1200)
    assert proc.returncode == 0, proc.stderr[-2000:]
    totals = {}
    for score in read_scores(plain, A):
        totals[score.student] = totals.get(score.student, 0.0) + (score.score or 0.0)
    assert totals == {n: float(rows[n]["total"]) for n in names}


def _traversable_by_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in (path, *path.parents) if p != Path("/root"))


@contextlib.contextmanager
def _root_home_traversable():
    """Let other users pass through /root (not list it) while the test runs: pyenv's Python lives there."""
    mode = Path("/root").stat().st_mode & 0o7777
    os.chmod("/root", mode | 0o001)
    try:
        yield
    finally:
        os.chmod("/root", mode)


@pytest.mark.skipif(os.geteuid() != 0 or not hostile.SANDBOXED, reason="needs root (to become another user) and bwrap")
@pytest.mark.skipif(not _traversable_by_others(Path(sys.executable).resolve().parent) or
                    not _traversable_by_others(harness.REPO), reason="another user cannot reach this Python or clone")
def test_an_unprivileged_grader_is_as_safe(hostile_run):
    """Graded by an unprivileged user (bwrap in a user namespace), do the escapes fail and the forgeries score 0?"""
    root, _, rows, _, paths = hostile_run
    base = Path(tempfile.mkdtemp(prefix="descent-unprivileged-"))
    base.chmod(0o755)
    try:
        course = CourseRoot.at(harness.REPO).copy_to(base / "course", with_release=True)
        names = ["good", "links_graded_notebook", "links_for_feedback", "rebinds_names", "links_in_socket_folder"]
        incoming = base / "incoming"
        for name in names:
            (incoming / name / A).mkdir(parents=True)
            shutil.copy(root.submitted / name / A / "loss_functions.ipynb", incoming / name / A)
        (base / "home").mkdir()
        subprocess.run(["chown", "-R", "nobody:nogroup", str(base)], check=True)
        env = [f"PATH={Path(sys.executable).parent}:/usr/bin:/bin", f"HOME={base / 'home'}", "DESCENT_CELL_TIMEOUT=5"]
        with _root_home_traversable():
            for step in (["release", A], ["grade", A, "--submissions", str(incoming), "--workers", "2"]):
                proc = subprocess.run([shutil.which("runuser"), "-u", "nobody", "--", "env", "-i", *env,
                                       sys.executable, "-m", "course", *step],
                                      cwd=course.path, capture_output=True, text=True, timeout=900)
                assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        mine = class_factory.read_csv(course.path / "grades" / A / "grades.csv")
        assert all(mine[n]["status"] == "graded" for n in names), mine
        assert {n: mine[n]["total"] for n in names} == {n: rows[n]["total"] for n in names}
        assert "UNSANDBOXED" not in proc.stdout
        secret = Path(paths["secret"]).stat()
        assert secret.st_uid == 0 and secret.st_mode & 0o777 == 0o600
        assert not any(p.is_symlink() for p in (course.path / "feedback").rglob("*"))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_zip_bomb_loses_only_itself(tmp_path):
    """Does a small zip holding a 300 MB notebook become one 'invalid' row, read no further than the cap?"""
    import zipfile

    root, _, answered = released_course(tmp_path / "course")
    bundle = tmp_path / "lms.zip"
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("honest.ipynb", sample_submissions.nbformat.writes(answered, version=4))
        with archive.open("bomb.ipynb", "w", force_zip64=True) as member:
            block = b" " * 2**20
            for _ in range(300):
                member.write(block)
    assert bundle.stat().st_size < 2 * 2**20
    result = grade_class(root, A, bundle, workers=1, feedback=False, progress=False, say=lambda _: None)
    rows = class_factory.read_csv(result.csv_path)
    assert rows["honest"]["status"] == "graded" and float(rows["honest"]["total"]) == hostile.FULL
    assert rows["bomb"]["status"] == "invalid" and "larger than 20 MB" in rows["bomb"]["message"]
    assert (root.submitted / "bomb" / A / "loss_functions.ipynb").stat().st_size <= importing.IMPORT_CAP + 1


def test_rich_outputs_are_capped(hostile_run):
    """Does 30 MB of HTML output leave a small graded notebook and feedback page?"""
    root, _, _, _, _ = hostile_run
    assert (root.autograded / "huge_html_output" / A / "loss_functions.ipynb").stat().st_size < 3_000_000
    assert (root.feedback / "huge_html_output" / A / "loss_functions.html").stat().st_size < 3_000_000
