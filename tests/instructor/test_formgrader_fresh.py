"""The formgrader on a fresh copy of the course, in a real browser: the first Autograde click grades.

A fresh clone has ``release/`` but no gradebook entry for any assignment. The instructor
imports a roster, a student's notebook is in ``submitted/``, JupyterLab starts, and in the
formgrader's Manage Submissions the student shows by name; one click on Autograde grades.
Needs Debian's Chromium and playwright, like ``tests/test_browser.py``.
"""
from __future__ import annotations

import shutil

from lab_server import scratch_course, start_lab
from test_browser import (  # noqa: F401 (skips too)
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    _screenshot,
    pytestmark,  # noqa: F401  (slow, browser, and the skips when Chromium is missing)
    sync_playwright,
)

A = "01_loss_functions"


def test_first_autograde_click_on_a_fresh_clone_grades_the_student_shown_by_name(tmp_path):
    """Fresh course, roster imported: does Manage Submissions show 'Doe, Jane' and does Autograde succeed?"""
    from nbgrader.api import Gradebook

    from course.instructor.grading import CourseRoot
    from course.instructor.grading.intake.lms_roster import import_roster

    course = scratch_course(REPO, tmp_path / "course")
    root = CourseRoot.at(course)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,first_name,last_name,email,lms_id\njdoe,Jane,Doe,jane@uni.example,48213\n")
    import_roster(root, roster)  # a gradebook with the student, without any assignment
    submitted = course / "submitted" / "jdoe" / A
    submitted.mkdir(parents=True)
    shutil.copy2(REPO / "source" / A / "loss_functions.ipynb", submitted / "loss_functions.ipynb")

    server = start_lab(course, tmp_path / "home", timeout=180, real_home=True)
    try:
        assert f"descent: added {A}" in server.log.read_text(errors="replace")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(server.url("lab"))  # logs in: the formgrader's own requests then carry the cookie
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=120_000)
            page.goto(f"{server.base}/formgrader/manage_submissions/{A}")
            row = page.locator("tr", has_text="jdoe").first
            row.get_by_text("Doe, Jane").wait_for()
            row.locator(".autograde a").click()
            dialog = page.locator("#success-modal, #error-modal").first
            dialog.wait_for(timeout=300_000)
            _screenshot(page, "formgrader-first-autograde")
            text = dialog.inner_text()
            browser.close()
        assert "Successfully autograded" in text, text[-3000:]
        with Gradebook(root.db_url) as gb:
            assert gb.find_submission(A, "jdoe").score == 12
    finally:
        server.stop()
