"""Feedback on submit in a real course hub: `descent hub --instant-feedback`, students submitting with nbgrader.

No instructor acts after releasing the assignment: the grader's `descent serve` (a hub service run
as the grader) grades each submission and releases its feedback, which the student fetches.
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hub_class  # noqa: E402
import serve_class as sc  # noqa: E402

from course.instructor.grading import sample_submissions  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub starts each student's server as that student")]
POLICY = "c.InstantFeedback.assignments = ['01_loss_functions']\nc.InstantFeedback.poll_seconds = 0.5\n"


@pytest.fixture(scope="module")
def hub():
    with hub_class.running_hub(f"sv{secrets.token_hex(2)}", instant_feedback=POLICY) as running:
        yield running


def _grader_can_write_feedback(hub) -> bool:
    """Whether nbconvert's sanitiser works on the grader's interpreter (soupsieve on Debian's 3.11.2 does not)."""
    python = str(hub.state / "grader-env" / "bin" / "python")
    done = hub_class.as_user(hub.grader, [python, "-c", "import soupsieve; soupsieve.compile('img:not([alt])')"])
    return done.returncode == 0


def _hand_in(hub, student: str, nb) -> None:
    """Put ``nb`` in the student's fetched assignment (as the student's file) and `nbgrader submit` it."""
    path = Path(f"/home/{student}") / sc.A / f"{sc.NOTEBOOK}.ipynb"
    sample_submissions.nbformat.write(nb, path)
    subprocess.run(["chown", f"{student}:{student}", str(path)], check=True)
    done = hub.as_student(student, "nbgrader", "submit", sc.A)
    assert done.returncode == 0, done.stderr


def _fetched_pages(hub, student: str) -> dict[str, str]:
    """``nbgrader fetch_feedback`` as the student; ``{submission timestamp: page}`` fetched so far."""
    hub.as_student(student, "nbgrader", "fetch_feedback", sc.A)
    folder = Path(f"/home/{student}") / sc.A / "feedback"
    return {p.parent.name: p.read_text() for p in folder.glob(f"*/{sc.NOTEBOOK}.html")} if folder.is_dir() else {}


def _two_pages(hub, student: str) -> "dict[str, str] | None":
    pages = _fetched_pages(hub, student)
    return pages if len(pages) == 2 else None


def test_a_submission_gets_feedback_naming_its_mistake_and_a_fix_gets_the_new_score(hub):
    """With no instructor action after release: is a planted mistake named, and its fix given the new score?"""
    if not _grader_can_write_feedback(hub):
        pytest.skip("the grader's interpreter here (Debian's 3.11.2) cannot render feedback until the grader "
                    "environment installs a soupsieve it can run (issue 26's feedback release)")
    released = hub.as_grader("release_assignment", sc.A)
    assert released.returncode == 0, released.stderr
    student = hub.students[0]
    assert hub.as_student(student, "nbgrader", "fetch_assignment", sc.A).returncode == 0
    answered = sc.answered_notebook(hub.root)
    began = time.monotonic()
    _hand_in(hub, student, sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN}))
    (first,) = sc.wait_for(lambda: _fetched_pages(hub, student), 180, "the first feedback",
                           hub.root / "serve" / "serve.log").values()
    print(f"\nfirst feedback fetched {time.monotonic() - began:.1f} s after submit")
    assert "you summed the squared errors" in first and "Score: 7.0 / " in first
    time.sleep(1.1)  # nbgrader's timestamps name the submission: a new second
    _hand_in(hub, student, answered)
    pages = sc.wait_for(lambda: _two_pages(hub, student), 180, "the second feedback", hub.root / "serve" / "serve.log")
    newest = pages[max(pages)]
    assert "Score: 12.0 / " in newest and "you summed" not in newest
    status = hub.descent_as_grader("serve", "--status")
    assert "failures: 0" in status.stdout and "queue: 0" in status.stdout, status.stdout + status.stderr
