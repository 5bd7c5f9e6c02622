"""Which kept submission counts, and putting it in a real nbgrader gradebook (fast: no kernel, no grading).

A grading is stood in for by writing the autograder's scores with nbgrader's own API, as its
``SaveAutoGrades`` writes them; the real grading path is in ``test_serve.py``.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from course.instructor.grading import CourseRoot
from course.instructor.serve import history
from course.instructor.serve.gradebook_state import autograded_points, read_state
from course.instructor.serve.journal import Key
from course.instructor.serve.policy import counted
from course.instructor.serve.status import write_counted

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # nbgrader's own session warnings
A, NB, STUDENT = "01_loss_functions", "loss_functions", "ada"


def _record(timestamp: str, tests: list[float], *, status: str = "graded", penalty: float = 0.0,
            written: "float | None" = None) -> dict:
    """A kept submission: autograded test cells scoring ``tests``, one written answer (``written``: its
    hand-given score, None while it waits for the grader), and nbgrader's late penalty."""
    grades = {f"test_{i}": {"auto_score": s, "manual_score": None, "extra_credit": None, "needs_manual_grade": False,
                            "max_score": 3.0, "by_hand": False} for i, s in enumerate(tests)}
    grades["explain"] = {"auto_score": None, "manual_score": written, "extra_credit": None,
                         "needs_manual_grade": written is None, "max_score": 2.0, "by_hand": True}
    state = {"timestamp": None, "notebooks": {NB: {"late_penalty": penalty, "grades": grades, "comments": {}}}}
    return {"timestamp": timestamp, "status": status, "gradebook": None if status == "invalid" else state}


def _stamp(minute: int) -> str:
    return f"2026-12-05 03:{minute:02d}:00.000000 UTC"


def test_a_lower_resubmission_counts_under_last_and_not_under_best():
    """Full marks, then a resubmission losing 3 points: does "last" take the resubmission and "best" the first?"""
    kept = [_record(_stamp(1), [3, 3, 3]), _record(_stamp(2), [3, 3, 0])]
    assert counted(kept, "last")["timestamp"] == _stamp(2)
    assert counted(kept, "best")["timestamp"] == _stamp(1)


def test_of_equal_best_submissions_the_earlier_stays():
    """Two submissions with the same points, written differently: does the earlier one keep counting?"""
    kept = [_record(_stamp(1), [3, 0, 3]), _record(_stamp(2), [3, 3, 0]), _record(_stamp(3), [0, 3, 0])]
    assert counted(kept, "best")["timestamp"] == _stamp(1)
    kept.append(_record(_stamp(4), [3, 3, 1]))
    assert counted(kept, "best")["timestamp"] == _stamp(4)


def test_the_late_penalty_is_taken_off_before_comparing():
    """9 points on time against 12 points late with a 4-point penalty: does the on-time 9 count as best?"""
    on_time, late = _record(_stamp(1), [3, 3, 3]), _record(_stamp(2), [3, 3, 3, 3], penalty=4.0)
    assert (autograded_points(on_time["gradebook"]), autograded_points(late["gradebook"])) == (9.0, 8.0)
    assert counted([on_time, late], "best") is on_time
    late["gradebook"]["notebooks"][NB]["late_penalty"] = 2.0  # 10 after the penalty: now it is better
    assert counted([on_time, late], "best") is late
    assert autograded_points(_record(_stamp(3), [1], penalty=5.0)["gradebook"]) == 0.0  # never below 0


def test_a_written_answer_graded_by_hand_does_not_change_which_counts():
    """Equal autograded points, the first one's written answer graded 2/2 and the second's pending: is the
    choice made on autograded points alone (the earlier stays), whichever has been graded by hand?"""
    graded_by_hand = _record(_stamp(1), [3, 3], written=2.0)
    pending = _record(_stamp(2), [3, 3])
    assert counted([graded_by_hand, pending], "best") is graded_by_hand
    zero_by_hand = _record(_stamp(1), [3, 3], written=0.0)
    assert counted([zero_by_hand, _record(_stamp(2), [3, 3])], "best") is zero_by_hand
    assert counted([_record(_stamp(1), [3, 0], written=2.0), pending], "best") is pending


def test_a_submission_nbgrader_could_not_read_never_counts():
    """After a graded submission, one that is not a notebook at all: does the graded one keep counting,
    under last and best; does an error (nbgrader read it, its kernel died) count under last?"""
    kept = [_record(_stamp(1), [3, 0]), _record(_stamp(2), [], status="invalid")]
    assert counted(kept, "last")["timestamp"] == _stamp(1) and counted(kept, "best")["timestamp"] == _stamp(1)
    kept.append(_record(_stamp(3), [None, None], status="error"))
    assert counted(kept, "last")["timestamp"] == _stamp(3) and counted(kept, "best")["timestamp"] == _stamp(1)
    assert counted(kept[1:2], "best") is None and counted([], "last") is None


def test_instant_csv_lists_the_counted_submission_after_the_penalty(tmp_path):
    """Does instant.csv give each student the submission that counts and its points after the late penalty?"""
    kept = {"ada": [_record(_stamp(1), [3, 3]), _record(_stamp(2), [3, 3, 3], penalty=1.0)],
            "bo": [_record(_stamp(5), [], status="invalid")]}
    lines = write_counted(tmp_path / "instant.csv", kept, "best").read_text().splitlines()
    assert lines[1:] == [f"ada,{_stamp(2)},graded,8,2,best"]


# -- in a real gradebook ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def blank_gradebook(tmp_path_factory) -> Path:
    """A gradebook with A: one autograded test (3 points) and one written answer (2 points); made once."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("blank") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}") as gb:
        gb.add_assignment(A)
        gb.add_notebook(NB, A)
        gb.add_grade_cell("test_mse", NB, A, max_score=3, cell_type="code")
        gb.add_grade_cell("explain", NB, A, max_score=2, cell_type="markdown")
        gb.add_solution_cell("explain", NB, A)
        gb.add_student(STUDENT)
    return path


@pytest.fixture
def course(tmp_path, blank_gradebook) -> CourseRoot:
    """A course root with its own copy of the blank gradebook."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    shutil.copyfile(blank_gradebook, tmp_path / "gradebook.db")
    return CourseRoot(tmp_path)


def _graded(root: CourseRoot, minute: int, test_points: float, penalty: float = 0.0) -> Key:
    """A submission handed in at ``minute``, autograded as nbgrader does it (scores, its files), then kept."""
    from datetime import datetime

    from nbgrader.api import Gradebook

    key = Key(A, STUDENT, _stamp(minute))
    history.before_grading(root, A, STUDENT)
    with Gradebook(root.db_url) as gb:
        sub = gb.update_or_create_submission(A, STUDENT, timestamp=datetime(2026, 12, 5, 3, minute))
        grade = gb.find_grade("test_mse", NB, A, STUDENT)
        grade.auto_score = test_points
        written = gb.find_grade("explain", NB, A, STUDENT)
        written.needs_manual_grade = True  # nbgrader: no autograder score, or a hand-given one kept
        sub.notebooks[0].late_submission_penalty = penalty
        gb.db.commit()
    for folder, name in (("submitted", f"{NB}.ipynb"), ("autograded", f"{NB}.ipynb"), ("feedback", f"{NB}.html")):
        path = root.path / folder / STUDENT / A / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{folder} of minute {minute}")
    (root.path / "submitted" / STUDENT / A / "submission_secret.txt").write_text(f"secret {minute}")
    history.keep(root, key, {"status": "graded"})
    return key


def _grade_by_hand(root: CourseRoot, points: float, comment: str) -> None:
    """What the formgrader writes when the instructor grades the written answer."""
    from nbgrader.api import Gradebook

    with Gradebook(root.db_url) as gb:
        grade = gb.find_grade("explain", NB, A, STUDENT)
        grade.manual_score, grade.needs_manual_grade = points, False
        gb.find_comment("explain", NB, A, STUDENT).manual_comment = comment
        gb.db.commit()


def _in_gradebook(root: CourseRoot) -> tuple:
    grades = read_state(root, A, STUDENT)["notebooks"][NB]["grades"]
    comment = read_state(root, A, STUDENT)["notebooks"][NB]["comments"]["explain"]["manual_comment"]
    return grades["test_mse"]["auto_score"], grades["explain"]["manual_score"], comment


def _count(root: CourseRoot, counts: str) -> dict:
    chosen = counted(history.records(root, A, STUDENT), counts)
    history.hand_over(root, A, STUDENT, chosen)
    return chosen


def test_the_counted_submission_is_put_back_and_a_grade_given_by_hand_follows_its_submission(course):
    """Full marks graded by hand, then a lower resubmission: under best, do the gradebook, autograded/,
    feedback/ and submitted/ hold the first again with its hand-given score and comment; under last,
    the resubmission with its written answer waiting for the grader; and back under best, the first's
    hand-given score again?"""
    first = _graded(course, 1, 3.0)
    _count(course, "best")
    _grade_by_hand(course, 2.0, "clear")
    second = _graded(course, 2, 1.0)
    assert _in_gradebook(course) == (1.0, None, None)  # nbgrader would have kept 2.0 on the new answer
    assert _count(course, "best")["timestamp"] == first.timestamp
    assert _in_gradebook(course) == (3.0, 2.0, "clear")
    for folder, name in (("autograded", f"{NB}.ipynb"), ("feedback", f"{NB}.html"), ("submitted", f"{NB}.ipynb")):
        assert (course.path / folder / STUDENT / A / name).read_text() == f"{folder} of minute 1"
    assert history.holds(course, A, STUDENT) == first.timestamp

    assert _count(course, "last")["timestamp"] == second.timestamp
    assert _in_gradebook(course) == (1.0, None, None)
    assert (course.path / "autograded" / STUDENT / A / f"{NB}.ipynb").read_text() == "autograded of minute 2"
    _grade_by_hand(course, 1.0, "partly")
    _count(course, "best")
    assert _in_gradebook(course) == (3.0, 2.0, "clear")
    _count(course, "last")
    assert _in_gradebook(course) == (1.0, 1.0, "partly")  # each submission keeps its own hand-given grade


def test_every_graded_submission_is_kept_with_its_pages_and_scores(course):
    """Does each graded submission keep its record (scores, late penalty), its feedback page and its files,
    keyed by nbgrader's timestamp, with no temporary file left behind?"""
    keys = [_graded(course, 1, 3.0), _graded(course, 2, 0.0, penalty=1.0)]
    kept = history.records(course, A, STUDENT)
    assert [r["timestamp"] for r in kept] == [k.timestamp for k in keys]
    assert [autograded_points(r["gradebook"]) for r in kept] == [3.0, 0.0]
    assert kept[1]["gradebook"]["notebooks"][NB]["late_penalty"] == 1.0
    assert history.feedback_pages(course, keys[0]) == {NB: "feedback of minute 1"}
    assert history.feedback_pages(course, Key(A, STUDENT, "never handed in")) is None
    leftovers = [p for p in (course.grades(A) / "history").rglob(".*")]
    assert leftovers == []
    holder = json.loads((history.student_dir(course, A, STUDENT) / history.HOLDER).read_text())
    assert holder == {"holds": keys[1].timestamp}


def test_a_timestamp_cannot_name_a_folder_outside_the_history():
    """Is a timestamp from a hostile inbound folder name ('..', slashes) made into one safe folder name?"""
    for stamp in ("..", "../../etc", "a/b", "", " "):
        name = history.folder_name(stamp)
        assert "/" not in name and not name.startswith(".") and name not in ("", "..")
    assert history.folder_name("a b") != history.folder_name("a-b")


def test_an_unreadable_resubmission_leaves_the_counted_one_with_its_hand_given_grade(course):
    """Graded by hand, then a resubmission nbgrader could not read (no gradebook state): under last, does
    the gradebook hold the first again with its hand-given score and comment?"""
    first = _graded(course, 1, 3.0)
    _count(course, "last")
    _grade_by_hand(course, 2.0, "clear")
    history.before_grading(course, A, STUDENT)
    (course.path / "submitted" / STUDENT / A / f"{NB}.ipynb").write_text("not JSON")
    history.keep(course, Key(A, STUDENT, _stamp(2)), {"status": "invalid"})
    assert _in_gradebook(course) == (3.0, None, None)  # cleared while it was graded
    assert _count(course, "last")["timestamp"] == first.timestamp
    assert _in_gradebook(course) == (3.0, 2.0, "clear")
    assert len(history.records(course, A, STUDENT)) == 2


def test_a_grade_given_by_hand_before_the_service_is_carried_as_nbgrader_carries_it(course):
    """A submission graded by `descent grade` and by hand before the service kept anything: is its hand-given
    score carried to the next submission (as nbgrader keeps it on the row), rather than lost?"""
    from datetime import datetime

    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        gb.update_or_create_submission(A, STUDENT, timestamp=datetime(2026, 12, 5, 2, 0))
        gb.find_grade("test_mse", NB, A, STUDENT).auto_score = 3.0
        gb.db.commit()
    _grade_by_hand(course, 2.0, "clear")
    _graded(course, 1, 1.0)
    _count(course, "best")
    assert _in_gradebook(course) == (1.0, 2.0, "clear")


def test_recount_waits_for_the_assignment_and_then_switches_the_counted_submission(course):
    """While the service (or `descent grade`) holds the assignment's lock, does --recount wait, saying so,
    then put the submission that counts in the gradebook and report how many changed?"""
    import fcntl
    import os
    import threading

    from course.instructor.serve.command import recount

    (course.source / A).mkdir(parents=True)
    (course.source / A / f"{NB}.ipynb").write_text("{}")
    _graded(course, 1, 3.0)
    _graded(course, 2, 1.0)
    assert _in_gradebook(course)[0] == 1.0
    lock = course.grades(A) / ".grade.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    said, done = [], []
    worker = threading.Thread(target=lambda: done.append(recount(course, A, "best", say=said.append)))
    worker.start()
    worker.join(1.0)
    assert not done and "waiting" in said[0]
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    worker.join(30)
    assert done == [f"{A}: the best submission of 1 student(s) in the gradebook, 1 changed; "
                    f"see {course.grades(A) / 'instant.csv'}"]
    assert _in_gradebook(course)[0] == 3.0
    assert "0 changed" in recount(course, A, "best", say=said.append)


def test_a_grading_error_counts_under_last_as_nbgrader_leaves_it(course):
    """A resubmission whose grading failed (nbgrader deletes its autograded folder, its scores stay empty):
    under last, is there no autograded folder and no score; under best, the first submission's again?"""
    _graded(course, 1, 3.0)
    history.before_grading(course, A, STUDENT)
    shutil.rmtree(course.path / "autograded" / STUDENT / A)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        gb.find_grade("test_mse", NB, A, STUDENT).auto_score = None
        gb.db.commit()
    history.keep(course, Key(A, STUDENT, _stamp(2)), {"status": "error"})
    assert _count(course, "last")["status"] == "error"
    assert _in_gradebook(course) == (None, None, None)
    assert not (course.path / "autograded" / STUDENT / A).exists()
    assert _count(course, "best")["timestamp"] == _stamp(1)
    assert (course.path / "autograded" / STUDENT / A / f"{NB}.ipynb").read_text() == "autograded of minute 1"


def test_a_service_killed_between_release_and_counting_counts_when_it_starts_again(course, tmp_path):
    """The gradebook left holding a lower resubmission (the service killed after recording its release,
    before counting): does the service, starting, put the best one back, and leave a right one alone?"""
    from course.instructor.serve.policy import InstantFeedback
    from course.instructor.serve.service import Service

    first = _graded(course, 1, 3.0)
    _graded(course, 2, 1.0)
    service = Service(course, tmp_path / "exchange", InstantFeedback(assignments=[A], counts="best"))
    service.count_all()
    assert history.holds(course, A, STUDENT) == first.timestamp and _in_gradebook(course)[0] == 3.0
    assert (course.grades(A) / "instant.csv").read_text().splitlines()[1].startswith(f"{STUDENT},{first.timestamp}")
    (course.path / "autograded" / STUDENT / A / f"{NB}.ipynb").write_text("left alone")
    service.count_all()
    assert (course.path / "autograded" / STUDENT / A / f"{NB}.ipynb").read_text() == "left alone"
