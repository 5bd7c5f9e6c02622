"""Written answers end to end: autograde leaves them pending, a grader scores and comments on one in a real
formgrader (its HTTP API, as its page does), and grades.csv, the score table, `--verify`, the LMS export and
the feedback the formgrader generates all carry the grader's points and comment."""
from __future__ import annotations

import json
import urllib.request

import class_factory
import grading_harness as harness
import nbformat
import pytest
from lab_server import start_lab

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.core.cells import cell_role, grade_id
from course.instructor.grading.publish.release import release
from course.instructor.grading.record.lms_export import grade_rows
from course.instructor.grading.record.scores import read_scores
from course.instructor.grading.record.table import score_table
from course.instructor.grading.record.verify import verify_gradebook

pytestmark = pytest.mark.slow
A, NB, WRITTEN = "01_loss_functions", "loss_functions", "explain_clipping"
ANSWER = "Without the clip the loss is -log 0, infinite, so the mean over all samples is infinite too."
COMMENT = "Right about the infinite cost; the clipped loss is 27.6 (natural log), which you did not give."


def _with_answer(nb, text: str):
    """The notebook with its written answer replaced by ``text`` (what a student types)."""
    nb = nbformat.from_dict(nb)
    cell = next(c for c in nb.cells if cell_role(c) == "written" and grade_id(c) == WRITTEN)
    cell.source = text
    return nb


def _api(server, method: str, path: str, body: "dict | None" = None):
    """Call the formgrader's JSON API with the server's token (as its own page does, with its cookie)."""
    request = urllib.request.Request(f"{server.base}/formgrader/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {server.token}"})
    with urllib.request.urlopen(request, timeout=300) as reply:
        return json.loads(reply.read() or b"null")


def _grade_in_formgrader(server, student: str, points: float, comment: str) -> None:
    """Score and comment on ``student``'s written answer through the formgrader, then generate their feedback."""
    submission = next(s for s in _api(server, "GET", f"submitted_notebooks/{A}/{NB}") if s["student"] == student)
    grade = next(g for g in _api(server, "GET", f"grades?submission_id={submission['id']}") if g["name"] == WRITTEN)
    note = next(c for c in _api(server, "GET", f"comments?submission_id={submission['id']}") if c["name"] == WRITTEN)
    assert grade["needs_manual_grade"] and grade["auto_score"] is None and grade["manual_score"] is None
    _api(server, "PUT", f"grade/{grade['id']}", {"manual_score": points, "extra_credit": 0})
    _api(server, "PUT", f"comment/{note['id']}", {"manual_comment": comment})
    reply = _api(server, "POST", f"assignment/{A}/{student}/generate_feedback")
    assert reply["success"], reply


def test_written_answer_pending_then_graded_in_the_formgrader_reaches_csv_export_and_feedback(tmp_path):
    """After autograde, is a student's written answer pending everywhere (never 0 or full), the blank one 0, the
    automatic points right; and once a grader scores it 1.5 with a comment in the formgrader, do grades.csv, the
    score table, --verify, the LMS export and the feedback show the 1.5 and the comment, and no rubric?"""
    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course").with_own_gradebook()
    release(root, [A])
    source = nbformat.read(root.source / A / f"{NB}.ipynb", as_version=4)
    blank = nbformat.read(root.release / A / f"{NB}.ipynb", as_version=4)
    for student, nb in (("ada", _with_answer(source, ANSWER)), ("bob", blank)):
        (tmp_path / "class" / student / A).mkdir(parents=True)
        nbformat.write(nb, tmp_path / "class" / student / A / f"{NB}.ipynb")

    first = grade_class(root, A, tmp_path / "class", workers=1, feedback=True, progress=False)
    assert first.failed_now == [] and verify_gradebook(root, A, first.results) == []
    written = {(r.student, r.grade_id): r for r in read_scores(root, A) if r.grade_id == WRITTEN}
    assert written["ada", WRITTEN].pending and written["ada", WRITTEN].score is None
    assert not written["bob", WRITTEN].pending and written["bob", WRITTEN].score == 0
    rows = class_factory.read_csv(first.csv_path)
    max_total, auto_max = float(rows["ada"]["max_total"]), float(rows["ada"]["max_total"]) - 2
    assert (rows["ada"][WRITTEN], float(rows["ada"]["total"])) == ("pending", auto_max)
    assert (rows["bob"][WRITTEN], float(rows["bob"]["total"])) == ("0", 0.0)
    table = {line.split()[0]: line.split() for line in score_table(A, read_scores(root, A)).splitlines()}
    assert table[WRITTEN][-2:] == ["pending", "0"] and table["awaiting"][-2:] == ["2", "0"]
    before = {r.student.student_id: r for r in grade_rows(root, A, None)}
    assert (before["ada"].status, before["ada"].score) == ("needs manual grading", auto_max)

    server = start_lab(root.path, tmp_path / "home", timeout=180, real_home=True)
    try:
        _grade_in_formgrader(server, "ada", 1.5, COMMENT)
    finally:
        server.stop()

    again = grade_class(root, A, tmp_path / "class", workers=1, feedback=False, progress=False)
    assert again.graded_now == [] and verify_gradebook(root, A, again.results) == []
    rows = class_factory.read_csv(again.csv_path)
    assert (rows["ada"][WRITTEN], float(rows["ada"]["total"])) == ("1.5", max_total - 0.5)
    after = {r.student.student_id: r for r in grade_rows(root, A, None)}
    assert (after["ada"].status, after["ada"].score) == ("graded", max_total - 0.5)
    page = (root.feedback / "ada" / A / f"{NB}.html").read_text()
    assert COMMENT in page and ANSWER in page and "Rubric" not in page and "Model answer" not in page
    assert "1.5 / 2" in page or "1.5 / 2.0" in page, "the feedback must show the grader's points"
    # the formgrader's Generate Feedback uses the course's feedback template too
    assert page.lstrip().startswith("<!DOCTYPE html>") and '<html lang="en">' in page[:200]
