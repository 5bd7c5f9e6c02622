"""A class hands in through nbgrader's exchange and one student deletes their ``submission_secret.txt``.

Real accounts (``useradd``: a grader and three students), the exchange as ``descent hub`` lays it
out, real nbgrader commands run as each account (``release_assignment``, ``fetch_assignment``,
``submit``, ``collect`` through ``descent grade --exchange``, ``release_feedback``,
``fetch_feedback``); no hub process. The students run nbgrader from the grader's thin
environment (the same nbgrader as the student environment, which only the hub tests build).
"""
from __future__ import annotations

import csv
import os
import re
import secrets
import shutil
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import hub_class  # noqa: E402

from course.instructor.hub import grader_env, layout  # noqa: E402

pytestmark = pytest.mark.slow
A = "01_loss_functions"
PAGE = "loss_functions.html"


@dataclass
class Class:
    state: Path
    root: Path
    python: Path
    grader: str
    students: list[str]

    def nbgrader(self, user: str, *args: str):
        cwd = str(self.root) if user == self.grader else None
        return hub_class.as_user(user, [str(self.python), "-m", "nbgrader", *args], cwd=cwd,
                                 env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config")})

    def descent(self, *args: str):
        return hub_class.as_user(self.grader, [str(self.python), "-m", "course", *args], cwd=str(self.root),
                                 env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config"),
                                      "PATH": f"{self.python.parent}:/usr/bin:/bin"})


@pytest.fixture(scope="module")
def klass():
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("creates system accounts: root and useradd needed")
    tag = secrets.token_hex(2)
    grader, students = f"zg{tag}", [f"zs{tag}{letter}" for letter in "abc"]
    state = Path(tempfile.mkdtemp(prefix="descent-exchange-", dir="/tmp"))
    state.chmod(0o755)
    opened = []
    try:
        for name in (grader, *students):
            hub_class.make_user(name)
        opened = hub_class.let_everyone_through(Path(sysconfig.get_paths()["purelib"]), REPO / "course")
        root = hub_class.grader_course(grader)
        hub = layout.prepare(state / "state", REPO, "descent", [*students, grader], grader=grader)
        yield Class(hub.state, root, grader_env.build(hub.grader_env), grader, students)
    finally:
        for name in (grader, *students):
            hub_class.remove_user(name)
        shutil.rmtree(state, ignore_errors=True)
        for folder, mode in reversed(opened):
            folder.chmod(mode)


def test_a_deleted_submission_secret_keeps_feedback_for_the_rest_of_the_class(klass):
    """One student deletes submission_secret.txt from their inbound folder (theirs to change): does
    `descent grade --exchange` grade everyone and flag that student, `nbgrader release_feedback`
    finish, and every other student fetch their own feedback page?"""
    began = time.monotonic()
    done = klass.nbgrader(klass.grader, "release_assignment", A)
    assert done.returncode == 0, done.stderr  # into the course folder `descent hub` made the grader's
    for student in klass.students:
        for step in ("fetch_assignment", "submit"):
            done = klass.nbgrader(student, step, A)
            assert done.returncode == 0, (student, step, done.stderr)
    deleter = klass.students[1]
    inbound = klass.state / "exchange" / "descent" / "inbound"
    (folder,) = inbound.glob(f"{deleter}+{A}+*")
    done = hub_class.as_user(deleter, ["rm", str(folder / "submission_secret.txt")])
    assert done.returncode == 0, done.stderr
    handed_in = time.monotonic()

    # What the formgrader does when the hub starts it: register the released assignments in the gradebook.
    synced = hub_class.as_user(klass.grader, [str(klass.python), "-m",
                                              "course.instructor.grading.publish.gradebook_sync",
                                              str(klass.root), f"sqlite:///{klass.root / 'gradebook.db'}"])
    assert synced.returncode == 0, synced.stderr
    graded = klass.descent("grade", A, "--exchange", "--workers", "1")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    (record,) = (klass.root / "grades" / A).rglob("grades.csv")
    rows = {row["student"]: row for row in csv.DictReader(record.open())}
    assert all(rows[s]["status"] == "graded" for s in klass.students), rows
    assert "submission_secret.txt is missing" in rows[deleter]["flags"], rows[deleter]
    assert not any("submission_secret" in rows[s]["flags"] for s in klass.students if s != deleter)
    released = klass.nbgrader(klass.grader, "release_feedback", A)
    assert released.returncode == 0, released.stdout + released.stderr
    graded_at = time.monotonic()

    for student in klass.students:
        fetched = klass.nbgrader(student, "fetch_feedback", A)
        assert fetched.returncode == 0, (student, fetched.stderr)
        pages = list(Path(f"/home/{student}/{A}/feedback").glob(f"*/{PAGE}"))
        if student == deleter:  # their copy of the secret no longer names any page
            assert pages == []
        else:
            assert len(pages) == 1, (student, pages)
            text = pages[0].read_text()
            assert re.search(r"loss_functions \(Score: 0\.0 / \d+\.0\)", text), student  # as released: no answers
    print(f"\nreleased, fetched, submitted in {handed_in - began:.1f} s; graded and released in "
          f"{graded_at - handed_in:.1f} s; feedback fetched in {time.monotonic() - graded_at:.1f} s")


def test_release_feedback_passes_over_a_folder_without_its_secret(klass):
    """A feedback folder without submission_secret.txt (the formgrader's, or graded before): does nbgrader's
    own release stop for the class, and the course's (nbgrader_config.py) release the others, naming it?"""
    feedback = klass.root / "feedback"
    if not (feedback / klass.students[0] / A / PAGE).exists():
        pytest.skip("needs the class graded by the test above")
    (feedback / klass.students[0] / A / "submission_secret.txt").unlink()
    for page in (klass.state / "exchange" / "descent" / "feedback").glob("*.html"):
        hub_class.as_user(klass.grader, ["rm", str(page)])
    nbgraders = klass.nbgrader(klass.grader, "release_feedback", A, "--ExchangeFactory.release_feedback="
                               "nbgrader.exchange.default.release_feedback.ExchangeReleaseFeedback")
    assert nbgraders.returncode != 0 and "submission_secret.txt" in nbgraders.stderr
    released = klass.nbgrader(klass.grader, "release_feedback", A)
    assert released.returncode == 0, released.stderr
    assert f"no submission_secret.txt beside it, so {klass.students[0]} could not find it" in released.stderr
    assert len(list((klass.state / "exchange" / "descent" / "feedback").glob("*.html"))) == 2
    fetched = klass.nbgrader(klass.students[2], "fetch_feedback", A)
    assert fetched.returncode == 0, fetched.stderr
