"""Feedback on submit in a real course hub with two graders: `descent hub --instant-feedback --grader A --grader B`.

No instructor acts after releasing the assignment: the grader's `descent serve` (a hub service run
as the first grader) grades each submission into the PostgreSQL gradebook both graders share and
releases its feedback, which the student fetches: the first student with nbgrader's commands, the
second in Chromium through the Assignments panel, told by a notification in the Lab (the student
wheel's `labextension/`) that the feedback is ready. The same hub shows the two graders' side: each
reaches the formgrader, which writes for their group (what they do with the exchange is
``test_exchange_graders.py``).
"""
from __future__ import annotations

import grp
import os
import re
import secrets
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import axe  # noqa: E402
import hub_class  # noqa: E402
import hub_panel  # noqa: E402
import lab_browser  # noqa: E402
import serve_class as sc  # noqa: E402

from course.instructor.grading.publish import sample_submissions  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub starts each student's server as that student")]
POLICY = "c.InstantFeedback.assignments = ['01_loss_functions']\nc.InstantFeedback.poll_seconds = 0.5\n"
#: How often the Lab's notice asks while the Assignments panel is open (labextension/index.js).
NOTICE_POLL_SECONDS = int(re.search(r"QUICK_SECONDS = (\d+);", (
    Path(__file__).resolve().parents[2] / "labextension" / "index.js").read_text()).group(1))
#: The notice's own request and its handling on a loaded machine, beyond one poll interval.
NOTICE_SLACK_SECONDS = 5


#: conftest.py runs this module's tests together, the browser's last: one hub for all of them.
ONE_BLOCK = True


@pytest.fixture(scope="module")
def hub():
    import psycopg
    from test_grade_class import _fresh_postgres_db, _postgres_base_url

    name = f"descent_serve_hub_{secrets.token_hex(2)}"
    db = _fresh_postgres_db(name)
    try:
        with hub_class.running_hub(f"sv{secrets.token_hex(2)}", instant_feedback=POLICY, n_graders=2,
                                   db_url=db) as running:
            yield running
    finally:
        with psycopg.connect(_postgres_base_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _formgrader(grader: str) -> Path:
    """The /proc folder of the formgrader (``jupyterhub.singleuser`` run as ``grader``)."""
    for pid, command in hub_class.processes_of(grader).items():
        if "jupyterhub.singleuser" in command:
            return Path(f"/proc/{pid}")
    raise AssertionError(f"no formgrader running as {grader}")


def _umask(proc: Path) -> str:
    return next(line.split()[1] for line in (proc / "status").read_text().splitlines() if line.startswith("Umask:"))


def test_both_graders_reach_the_formgrader_which_writes_for_their_group_into_postgresql(hub):
    """Does each grader, logged in on the hub, get the course's assignments from the formgrader; does the
    formgrader run as the first grader under umask 002 in a course root the group shares, with the
    gradebook's URL in an environment no student reads; and do the course's assignments reach the
    PostgreSQL gradebook (the formgrader's first start fills it)?"""
    assert "shared with" in hub.log.read_text(errors="replace")
    for grader in hub.graders:
        session = hub.login(grader)
        reply = session.get(f"{hub.url}/services/descent/formgrader/api/assignments", timeout=120)
        assert reply.status_code == 200, (grader, reply.status_code, reply.text[:300])
        assert sc.A in {a["name"] for a in reply.json()}, reply.json()
    formgrader = _formgrader(hub.graders[0])
    assert _umask(formgrader) == "0002"
    # The gradebook's URL (its password, on a real server) is in the services' and the hub's environment:
    # a student reads neither.
    assert hub.db_url in (formgrader / "environ").read_text(errors="replace")
    for environ in (formgrader / "environ", Path(f"/proc/{hub.process.pid}/environ")):
        probe = hub.as_student(hub.students[0], "python", "-c", hub_class.READ_PROBE, str(environ))
        assert probe.stdout.strip() == "DENIED", (environ, probe.stdout, probe.stderr)
    info = hub.root.stat()
    assert info.st_gid == grp.getgrnam("descent-graders").gr_gid and stat.S_IMODE(info.st_mode) == 0o2770
    from nbgrader.api import Gradebook

    deadline = time.monotonic() + 90
    while True:
        with Gradebook(hub.db_url) as gb:
            names = {a.name for a in gb.assignments}
        if sc.A in names or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert sc.A in names, hub.log.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def released(hub):
    """01 released to the class by the grader (the last instructor action), once the grader's Python is
    known to render feedback pages."""
    python = str(hub.state / "grader-env" / "bin" / "python")
    sanitiser = hub_class.as_user(hub.grader, [python, "-c", "import soupsieve; soupsieve.compile('img:not([alt])')"])
    assert sanitiser.returncode == 0, (
        "the grader's Python cannot run its soupsieve, so nbconvert's sanitiser cannot write a feedback page "
        "(soupsieve 3.0+ on a Python before 3.11.5, such as Debian's 3.11.2): course/instructor/hub/grader_env.py "
        "must install one it can run\n" + sanitiser.stderr[-2000:])
    done = hub.as_grader("release_assignment", sc.A)
    assert done.returncode == 0, done.stderr


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


def test_a_submission_gets_feedback_naming_its_mistake_and_a_fix_gets_the_new_score(hub, released):
    """With no instructor action after release: is a planted mistake named, and its fix given the new score?"""
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
    began = time.monotonic()
    pages = sc.wait_for(lambda: _two_pages(hub, student), 180, "the second feedback", hub.root / "serve" / "serve.log")
    print(f"second feedback fetched {time.monotonic() - began:.1f} s after submit")
    newest = pages[max(pages)]
    assert "Score: 12.0 / " in newest and "you summed" not in newest
    status = hub.descent_as_grader("serve", "--status")
    assert "failures: 0" in status.stdout and "queue: 0" in status.stdout, status.stdout + status.stderr


def _submit_in_panel(page, submissions: int) -> float:
    """Press Submit on 01's row of the fetched list; wait until the submitted row lists ``submissions``
    hand-ins. The time the button was pressed (``time.monotonic()``)."""
    hub_panel.open_assignments(page)
    row = page.locator("#fetched_assignments_list .list_item", has_text=sc.A).first
    pressed = time.monotonic()
    row.locator("button", has_text=re.compile("^Submit$")).click()
    listed = page.locator("#submitted_assignments_list .nested_list_item")
    deadline = time.monotonic() + 120
    while listed.count() < submissions:
        assert time.monotonic() < deadline, f"the panel did not list submission {submissions} within 120 s"
        page.wait_for_timeout(200)
    return pressed


def _fetch_feedback_in_panel(hub, page, student: str, pages: int, seconds: float = 180) -> tuple[str, int]:
    """Press Fetch Feedback on 01's submitted row until ``pages`` submissions show "(view feedback)"
    (bounded by ``seconds``), then open the newest fetched page: its text, and how many presses it took."""
    links = page.locator("#submitted_assignments_list").get_by_text("(view feedback)")
    deadline = time.monotonic() + seconds
    presses = 0
    while links.count() < pages:
        if time.monotonic() > deadline:
            log = hub.root / "serve" / "serve.log"
            raise AssertionError(f"no feedback {pages} in the panel within {seconds} s:\n"
                                 + (log.read_text(errors="replace")[-3000:] if log.exists() else ""))
        button = page.locator("#submitted_assignments_list .list_item", has_text=sc.A).first.locator(
            "button", has_text=re.compile("^Fetch Feedback$"))
        button.click()
        presses += 1
        page.locator("#submitted_assignments_list button", has_text=re.compile("^Fetch Feedback$")).first.wait_for(
            timeout=60_000)
        if links.count() < pages:
            page.wait_for_timeout(1000)
            hub_panel.refresh_assignments(page)
    found = hub.as_student(student, "find", sc.A + "/feedback", "-name", f"{sc.NOTEBOOK}.html").stdout.split("\n")
    newest = max(path for path in found if path)  # feedback/<nbgrader's timestamp of the hand-in>/...
    page.goto(f"{hub.url}/user/{student}/files/{quote(newest)}")
    return page.inner_text("body"), presses


def _feedback_pages_released(hub) -> int:
    """How many feedback pages the exchange holds (each released submission adds one)."""
    return len(list((hub.state / "exchange" / "descent" / "feedback").glob("*.html")))


def _wait_for_notice(hub, page, released_before: int, seconds: float = 180) -> tuple[float, float]:
    """Wait, with the Lab open, until the feedback notice shows; when its feedback page reached the exchange
    and when the notice showed (``time.monotonic()``)."""
    notice = hub_panel.feedback_notice(page, sc.A)
    deadline = time.monotonic() + seconds
    released = None
    while notice.count() == 0:
        if released is None and _feedback_pages_released(hub) > released_before:
            released = time.monotonic()
        assert time.monotonic() < deadline, f"no notification within {seconds} s (feedback released: {released})"
        page.wait_for_timeout(200)
    shown = time.monotonic()
    assert _feedback_pages_released(hub) > released_before, "a notification before any feedback was released"
    return (released if released is not None else shown), shown


def _open_lab_without_a_second_notice(page, url: str) -> None:
    """Load the Lab at ``url`` (a reload), wait for the notice's first look at the assignment list and a
    moment more: is no notification shown?"""
    with page.expect_response(lambda reply: hub_panel.is_notice_poll(reply.url), timeout=120_000):
        page.goto(url)
    page.wait_for_timeout(1500)
    assert hub_panel.feedback_notice(page, sc.A).count() == 0, "the same feedback was announced again"


def _seconds_per_poll(hub, student: str, times: int = 10) -> list[float]:
    """The notice's request, sent ``times`` times as the logged-in student: seconds each (the student's server
    lists the assignments as the panel does)."""
    session = hub.login(student)
    spent = []
    for _ in range(times):
        began = time.monotonic()
        reply = session.get(f"{hub.url}/user/{student}/assignments?course_id=", timeout=60)
        spent.append(time.monotonic() - began)
        assert reply.status_code == 200 and reply.json()["success"], reply.text[:500]
    return spent


def _score(text: str) -> float:
    """The notebook's score on its feedback page (out of 14: 12 autograded, 2 for the written answer,
    graded by hand and 0 until then)."""
    found = re.search(r"loss_functions \(Score: ([0-9.]+) / 14\.0\)", text)
    assert found, text[:2000]
    return float(found.group(1))


@lab_browser.in_chromium
def test_in_chromium_submit_in_the_panel_then_fetch_feedback_naming_the_mistake_then_the_fix(hub, released):
    """In Chromium, as the second student: fetch 01 in the Assignments panel, write mse summing (the
    catalogue's mistake) and mae right, save, submit in the panel; with no instructor action, does a
    notification say the feedback is ready within one poll of its release (its button opening the panel, axe
    finding nothing wrong in it, and no second one after a reload), and Fetch Feedback bring a page with 2
    points (of 14) and the mistake's words; after fetching and a reload, no notification; after fixing mse and
    submitting again, a new notification and a page with the higher score (4)?"""
    from playwright.sync_api import sync_playwright

    student = hub.students[1]
    noticed = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(lab_browser.CHROMIUM),
                                              args=lab_browser.CHROMIUM_ARGS)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            hub_panel.log_in(page, hub.url, student, hub.passwords[student])
            hub_panel.open_assignments(page)
            hub_panel.press_in_list(page, "released_assignments_list", sc.A, "Fetch", "fetched_assignments_list")
            notebook = f"{hub.url}/user/{student}/lab/tree/{sc.A}/{sc.NOTEBOOK}.ipynb"
            page.goto(notebook)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            lab_browser.wait_until_settled(page, timeout=120)
            hub_panel.replace_cell(page, hub_panel.MSE, hub_panel.MSE_SUMMED)
            hub_panel.replace_cell(page, hub_panel.MAE, hub_panel.MAE_RIGHT)
            hub_panel.save(page)
            before = _feedback_pages_released(hub)
            submitted = _submit_in_panel(page, 1)
            released_at, shown_at = _wait_for_notice(hub, page, before)
            noticed.append((released_at - submitted, shown_at - submitted))
            assert shown_at - released_at <= NOTICE_POLL_SECONDS + NOTICE_SLACK_SECONDS
            problems = axe.violations(page, ".jp-toastContainer")
            assert problems == [], "axe-core, WCAG 2.1 A/AA, in the notification:\n" + axe.summary(problems)
            hub_panel.close_assignments(page)
            hub_panel.feedback_notice(page, sc.A).locator("button", has_text="Open Assignments").click()
            page.wait_for_selector("#nbgrader-assignment-list", state="visible", timeout=30_000)
            _open_lab_without_a_second_notice(page, notebook)  # announced, not yet fetched

            hub_panel.open_assignments(page)
            first, first_presses = _fetch_feedback_in_panel(hub, page, student, 1)
            first_seconds = time.monotonic() - submitted
            assert "you summed the squared errors instead of averaging them" in first, first[:4000]
            assert _score(first) == 2.0

            _open_lab_without_a_second_notice(page, notebook)  # fetched
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            lab_browser.wait_until_settled(page, timeout=120)
            hub_panel.replace_cell(page, hub_panel.MSE, hub_panel.MSE_RIGHT)
            hub_panel.save(page)
            time.sleep(1.1)  # nbgrader's timestamps name the submission: a new second
            before = _feedback_pages_released(hub)
            submitted = _submit_in_panel(page, 2)
            released_at, shown_at = _wait_for_notice(hub, page, before)
            noticed.append((released_at - submitted, shown_at - submitted))
            assert shown_at - released_at <= NOTICE_POLL_SECONDS + NOTICE_SLACK_SECONDS
            second, second_presses = _fetch_feedback_in_panel(hub, page, student, 2)
            second_seconds = time.monotonic() - submitted
            assert "you summed" not in second, second[:4000]
            assert _score(second) == 4.0 > _score(first)  # mse's 2 points now
        finally:
            chromium.close()
    polls = sorted(_seconds_per_poll(hub, student))
    print(f"\nin Chromium, Submit pressed to feedback page shown: {first_seconds:.1f} s (the mistake, "
          f"{first_presses} presses of Fetch Feedback), {second_seconds:.1f} s (the fix, {second_presses})")
    print("Submit pressed to feedback released, to the notification shown: "
          + ", ".join(f"{released:.1f} s, {shown:.1f} s" for released, shown in noticed))
    print(f"the notice's request at the student's server, {len(polls)} times: median "
          f"{1000 * polls[len(polls) // 2]:.0f} ms, max {1000 * polls[-1]:.0f} ms")
    status = hub.descent_as_grader("serve", "--status")
    assert "failures: 0" in status.stdout and "queue: 0" in status.stdout, status.stdout + status.stderr
