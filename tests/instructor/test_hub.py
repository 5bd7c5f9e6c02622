"""A class on the course hub: real JupyterHub on 127.0.0.1, real proxy, real system users, nbgrader's exchange.

One hub for the module (``descent hub`` with three students and a grader created by
``useradd``); the tests run in order: log in and start a server, release, fetch, submit
(the first student in a terminal, the third in Chromium through the login page and the
Assignments panel), grade with feedback, release the feedback, fetch it, then a second
student tries to read what is not theirs.
"""
from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hub_class  # noqa: E402
import hub_panel  # noqa: E402
import lab_browser  # noqa: E402
from hub_panel import MAE, MAE_CHECK, MAE_RIGHT, MSE, MSE_CHECK, MSE_SUMMED, SETUP  # noqa: E402
from lab_browser import in_chromium  # noqa: E402

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_loss_functions"
#: conftest.py runs this module's tests together, the browser's last: one hub for all of them.
ONE_BLOCK = True


def _max_points(assignment: str) -> float:
    """The assignment's points as its source notebook gives them (auto-graded and written answers)."""
    notebook = next((Path(__file__).resolve().parents[2] / "source" / assignment).glob("*.ipynb"))
    cells = json.loads(notebook.read_text())["cells"]
    return float(sum(c["metadata"].get("nbgrader", {}).get("points", 0) for c in cells
                     if c["metadata"].get("nbgrader", {}).get("grade")))


MAX = _max_points(ASSIGNMENT)
NOTEBOOK = "loss_functions.ipynb"


@pytest.fixture(scope="module")
def hub():
    import os

    if os.geteuid() != 0:
        pytest.skip("the hub starts each student's server as that student: root only")
    with hub_class.running_hub(f"dh{secrets.token_hex(2)}", n_students=3) as running:
        yield running


@pytest.fixture(scope="module")
def walker(hub, released):
    """The third student in Chromium, logged in through the hub's login page: ``(page, name)``."""
    from playwright.sync_api import sync_playwright

    student = hub.students[2]
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(lab_browser.CHROMIUM),
                                              args=lab_browser.CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        began = time.monotonic()
        hub_panel.log_in(page, hub.url, student, hub.passwords[student])
        print(f"\n{student} logged in, Lab shown in {time.monotonic() - began:.1f} s")
        yield page, student
        chromium.close()


def _server_ready(session, hub, name: str, seconds: float = 120) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        server = session.get(f"{hub.url}/hub/api/users/{name}", timeout=30).json().get("servers", {}).get("", {})
        if server.get("ready"):
            return time.monotonic() - began
        time.sleep(0.5)
    raise AssertionError(f"{name}'s server did not start:\n{hub.log.read_text(errors='replace')[-3000:]}")


def _rss_mib(user: str) -> float:
    """Resident memory of ``user``'s processes (their Jupyter server), MiB."""
    import pwd

    uid, total = pwd.getpwnam(user).pw_uid, 0
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and proc.stat().st_uid == uid:
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def test_student_logs_in_and_gets_their_own_server(hub):
    """Does a student who logs in with their system password get a JupyterLab running as their own user?"""
    student = hub.students[0]
    session = hub.login(student)
    began = time.monotonic()
    assert session.post(f"{hub.url}/hub/api/users/{student}/server", timeout=120).status_code in (201, 202)
    seconds = time.monotonic() - began + _server_ready(session, hub, student)
    lab = session.get(f"{hub.url}/user/{student}/lab", timeout=60)
    assert lab.status_code == 200 and lab.url.endswith(f"/user/{student}/lab")
    print(f"\n{student}'s server ready in {seconds:.1f} s, {_rss_mib(student):.0f} MiB resident")
    hub.sessions[student] = session


def test_student_server_runs_from_the_student_environment(hub):
    """Is the student's server the student environment's Python, with no instructor's code on its path?"""
    import pwd

    student = hub.students[0]
    uid = pwd.getpwnam(student).pw_uid
    commands = [(p / "cmdline").read_bytes().split(b"\0") for p in Path("/proc").iterdir()
                if p.name.isdigit() and p.stat().st_uid == uid]
    servers = [c for c in commands if any(b"jupyterhub-singleuser" in part for part in c)]
    assert servers, commands
    assert str(hub.state / "student-env").encode() in servers[0][0] + servers[0][1]


def test_student_server_has_the_assignments_panel_and_no_instructor_tools(hub):
    """Does the student's server answer nbgrader's Assignments API and refuse the formgrader?"""
    session, student = hub.sessions[hub.students[0]], hub.students[0]
    listing = session.get(f"{hub.url}/user/{student}/assignments", params={"course_id": "descent"}, timeout=60)
    assert listing.status_code == 200 and listing.json()["success"], listing.text
    assert session.get(f"{hub.url}/user/{student}/formgrader", timeout=60).status_code == 404
    assert session.get(f"{hub.url}/user/{student}/formgrader/api/assignments", timeout=60).status_code == 404


def test_student_environment_cannot_import_the_instructors_wing(hub):
    """In the student's own Python, does `import course` work and `import course.instructor` fail?"""
    student = hub.students[1]
    result = hub.as_student(student, "python", "-c", "import course; import course.instructor")
    assert "No module named 'course.instructor'" in result.stderr, result.stderr
    assert hub.as_student(student, "python", "-c", "import course.check").returncode == 0


@pytest.fixture(scope="module")
def released(hub):
    """01 released to the class by the grader, once per hub (the module's browser tests share it, run last)."""
    done = hub.as_grader("release_assignment", ASSIGNMENT)
    assert done.returncode == 0, done.stderr
    return done


def test_grader_releases_student_fetches_and_submits_grader_collects(hub, released):
    """Does 01 go from the grader's release/ through the exchange to a student and back to submitted/?"""
    student = hub.students[0]
    session = hub.sessions[student]
    listing = session.get(f"{hub.url}/user/{student}/assignments", params={"course_id": "descent"}, timeout=60)
    assert [(a["assignment_id"], a["status"]) for a in listing.json()["value"]] == [(ASSIGNMENT, "released")]
    fetched = hub.as_student(student, "nbgrader", "fetch_assignment", ASSIGNMENT)
    assert fetched.returncode == 0, fetched.stderr
    assert (Path(f"/home/{student}") / ASSIGNMENT / "loss_functions.ipynb").exists()
    submitted = hub.as_student(student, "nbgrader", "submit", ASSIGNMENT)
    assert submitted.returncode == 0, submitted.stderr
    collected = hub.as_grader("collect", ASSIGNMENT)
    assert collected.returncode == 0, collected.stderr
    assert (hub.root / "submitted" / student / ASSIGNMENT / "loss_functions.ipynb").exists()


@in_chromium
def test_walkthrough_a_student_fetches_works_checks_and_submits_in_the_panel(hub, walker):
    """In Chromium, as the third student: fetch 01 in the Assignments panel, write mse (summing) and mae
    (right), run their visible checks, save, submit in the panel. Does each check say what it should?"""
    page, student = walker
    began = time.monotonic()
    hub_panel.open_assignments(page)
    hub_panel.press_in_list(page, "released_assignments_list", ASSIGNMENT, "Fetch", "fetched_assignments_list")
    page.goto(f"{hub.url}/user/{student}/lab/tree/{ASSIGNMENT}/{NOTEBOOK}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    lab_browser.wait_until_settled(page, timeout=120)
    hub_panel.replace_cell(page, MSE, MSE_SUMMED)
    hub_panel.replace_cell(page, MAE, MAE_RIGHT)
    lab_browser.run_cells(page, [SETUP, MSE, MSE_CHECK, MAE, MAE_CHECK])
    assert "you summed the squared errors" in hub_panel.cell_output(page, MSE_CHECK)
    assert "public checks passed" in hub_panel.cell_output(page, MAE_CHECK)
    hub_panel.save(page)
    hub_panel.open_assignments(page)
    hub_panel.press_in_list(page, "fetched_assignments_list", ASSIGNMENT, "Submit", "submitted_assignments_list")
    print(f"\nwalk-through, fetch to submit: {time.monotonic() - began:.1f} s")
    saved = json.loads(hub.as_student(student, "cat", f"{ASSIGNMENT}/{NOTEBOOK}").stdout)
    (mse_cell,) = ["".join(c["source"]) for c in saved["cells"] if "".join(c["source"]).startswith("def mse(")]
    assert "np.sum(" in mse_cell


def grade_and_release(hub) -> dict:
    """The grader collects and grades 01 with feedback (`descent grade --exchange`), then releases the
    feedback (`nbgrader release_feedback`); ``grades.csv``'s rows by student."""
    import csv

    began = time.monotonic()
    graded = hub.descent_as_grader("grade", ASSIGNMENT, "--exchange", "--workers", "1")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    released = hub.as_grader("release_feedback", ASSIGNMENT)
    assert released.returncode == 0, released.stdout + released.stderr
    print(f"\ngraded and feedback released in {time.monotonic() - began:.1f} s")
    (record,) = (hub.root / "grades" / ASSIGNMENT).rglob("grades.csv")
    return {row["student"]: row for row in csv.DictReader(record.open())}


@pytest.fixture(scope="module")
def graded(hub):
    """The class graded once, its feedback released (``grades.csv``'s rows by student)."""
    return grade_and_release(hub)


def test_grader_grades_the_class_from_the_exchange_with_feedback(hub, graded):
    """Does `descent grade 01 --exchange`, run by the grader, grade the submission into grades.csv, write
    its feedback page, and `nbgrader release_feedback` put it in the exchange?"""
    student = hub.students[0]
    assert graded[student]["status"] == "graded", graded
    page = hub.root / "feedback" / student / ASSIGNMENT / NOTEBOOK.replace(".ipynb", ".html")
    assert f"loss_functions (Score: 0.0 / {MAX})" in page.read_text()
    assert len(list((hub.state / "exchange" / "descent" / "feedback").glob("*.html"))) >= 1


def test_student_fetches_their_feedback_through_the_exchange(hub, graded):
    """As the first student, does `nbgrader fetch_feedback` bring the page with their score and what is missing?"""
    student = hub.students[0]
    fetched = hub.as_student(student, "nbgrader", "fetch_feedback", ASSIGNMENT)
    assert fetched.returncode == 0, fetched.stderr
    (page,) = Path(f"/home/{student}/{ASSIGNMENT}/feedback").glob(f"*/{NOTEBOOK.replace('.ipynb', '.html')}")
    text = page.read_text()
    assert f"loss_functions (Score: 0.0 / {MAX})" in text and "NotImplementedError" in text


@in_chromium
def test_walkthrough_the_student_fetches_feedback_in_the_panel_and_reads_score_and_mistake(hub, walker):
    """The grader grades and releases feedback; in Chromium, does Fetch Feedback in the panel bring the page,
    showing 2 of 14 points and naming the mistake (a sum for the mean) in the catalogue's words?"""
    page, student = walker
    rows = grade_and_release(hub)  # browser tests run last: the class was graded before this student submitted
    assert rows[student]["status"] == "graded", rows
    hub_panel.open_assignments(page)
    hub_panel.refresh_assignments(page)
    row = page.locator("#submitted_assignments_list .list_item", has_text=ASSIGNMENT).first
    row.locator("button", has_text="Fetch Feedback").click()
    row.get_by_text("(view feedback)").first.wait_for(timeout=120_000)
    found = hub.as_student(student, "find", ASSIGNMENT + "/feedback", "-name", "*.html").stdout.splitlines()
    (local,) = found  # feedback/<when it was handed in>/loss_functions.html
    page.goto(f"{hub.url}/user/{student}/files/{quote(local)}")
    text = page.inner_text("body")
    assert f"loss_functions (Score: 2.0 / {MAX})" in text, text[:2000]
    assert "you summed the squared errors instead of averaging them" in text, text[:4000]


def _private_paths(hub) -> dict[str, Path]:
    first = hub.students[0]
    inbound = hub.state / "exchange" / "descent" / "inbound"
    return {
        "the first student's home": Path(f"/home/{first}") / ASSIGNMENT / "loss_functions.ipynb",
        "the exchange's inbound listing": inbound,
        "the exchange's feedback listing": inbound.parent / "feedback",
        "source/": hub.root / "source" / ASSIGNMENT / "loss_functions.ipynb",
        "the gradebook": hub.root / "gradebook.db",
        "the grader's home": Path(f"/home/{hub.grader}"),
        "the hub's database": hub.state / "hub" / "jupyterhub.sqlite",
        "the hub's cookie secret": hub.state / "hub" / "jupyterhub_cookie_secret",
    }


def test_second_student_cannot_read_what_is_not_theirs(hub, graded):
    """As the second student's system user: is each read of others' work and feedback, solutions, gradebook,
    hub secrets denied?"""
    second = hub.students[1]
    for what, path in _private_paths(hub).items():
        result = hub.as_student(second, "python", "-c", hub_class.READ_PROBE, str(path))
        assert result.stdout.strip() == "DENIED", f"{what} ({path}): {result.stdout} {result.stderr}"


def test_a_submission_cannot_be_found_without_its_random_name(hub):
    """nbgrader leaves a submission readable to whoever knows its folder's name: is that name unguessable?

    The inbound cannot be listed (tested above); the name ends in 12 characters of base64 from
    ``os.urandom(9)`` (72 bits). The same name with another random part is not there.
    """
    inbound = hub.state / "exchange" / "descent" / "inbound"
    (submission,) = inbound.glob(f"{hub.students[0]}+*")
    student, assignment, timestamp, random_part = submission.name.split("+")
    assert (student, assignment, len(random_part)) == (hub.students[0], ASSIGNMENT, 12)
    guess = inbound / "+".join([student, assignment, timestamp, "A" * 12]) / "loss_functions.ipynb"
    result = hub.as_student(hub.students[1], "cat", str(guess))
    assert result.returncode != 0 and "No such file" in result.stderr, result.stderr


def test_student_cannot_start_or_stop_another_students_server(hub):
    """Logged in as the second student, are the first student's server and Lab out of reach?"""
    first, second = hub.students[:2]
    session = hub.login(second)
    assert session.delete(f"{hub.url}/hub/api/users/{first}/server", timeout=60).status_code in (403, 404)
    assert session.post(f"{hub.url}/hub/api/users/{hub.grader}/server", timeout=60).status_code in (403, 404)
    other_lab = session.get(f"{hub.url}/user/{first}/api/contents", timeout=60)
    assert other_lab.status_code == 403
    assert hub.sessions[first].get(f"{hub.url}/hub/api/users/{first}", timeout=30).json()["servers"][""]["ready"]


def test_formgrader_is_the_graders_service_and_closed_to_students(hub):
    """Does the grader reach the course's formgrader through the hub, and a student get refused?"""
    grader = hub.login(hub.grader)
    page = grader.get(f"{hub.url}/services/descent/formgrader", timeout=120)
    assert page.status_code == 200 and "formgrader" in page.text.lower()
    student = hub.login(hub.students[1])
    refused = student.get(f"{hub.url}/services/descent/formgrader", timeout=60)
    assert refused.status_code in (403, 404) or "/hub/login" in refused.url


def test_formgrader_lists_the_submissions(hub, graded):
    """As the grader, through the hub: does the formgrader's API list each graded submission with its score?"""
    grader = hub.login(hub.grader)
    reply = grader.get(f"{hub.url}/services/descent/formgrader/api/submissions/{ASSIGNMENT}", timeout=120)
    assert reply.status_code == 200, reply.text[:500]
    listed = {row["student"]: row for row in reply.json()}
    for student in graded:
        assert listed[student]["autograded"] and listed[student]["max_score"] == MAX, listed
