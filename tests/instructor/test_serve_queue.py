"""The queue, the policy and the safe reading of `descent serve` (fast: no kernel, no grading)."""
from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest
from nbgrader.utils import notebook_hash
from traitlets import TraitError

from course.instructor.grading import CourseRoot
from course.instructor.grading.record.ledger import append_line
from course.instructor.serve import inbound, release
from course.instructor.serve.journal import Journal, Key
from course.instructor.serve.policy import HOUR, InstantFeedback, load_policy, next_allowed
from course.instructor.serve.status import describe_phases, latency, percentile, phases, report, submitted_at

KEY = Key("01_loss_functions", "ada", "2026-12-05 03:14:16.123456 UTC")


def test_a_submission_queued_twice_is_one_submission(tmp_path):
    """Does the journal key a submission by (assignment, student, timestamp), whatever its folder's name?"""
    journal = Journal(tmp_path / "queue.jsonl")
    journal.record("queued", KEY, folder="a")
    journal.record("queued", KEY, folder="b")
    journal.record("queued", KEY._replace(timestamp="2026-12-05 03:20:00.000000 UTC"), folder="c")
    state = journal.state()
    assert len(state) == 2 and state[KEY].step == "queued"


def test_a_grading_cut_short_is_graded_again_and_recorded_once(tmp_path):
    """After a crash between "grading" and "graded", is the submission still to grade, then graded once?"""
    journal = Journal(tmp_path / "queue.jsonl")
    journal.record("queued", KEY, folder="f")
    journal.record("grading", KEY)
    assert journal.state()[KEY].step == "grading"  # what a restarted service sees: grade it again
    journal.record("grading", KEY)
    journal.record("graded", KEY, result={"status": "graded", "scores": {"test_mse": 2.0}})
    journal.record("released", KEY)
    sub = journal.state()[KEY]
    assert (sub.step, sub.attempts, sub.times_graded, sub.done) == ("released", 2, 1, True)


def test_a_line_torn_by_kill_9_is_ignored_and_the_next_line_kept(tmp_path):
    """Does a half-written line (a crash mid-write) leave the rest of the journal readable?"""
    journal = Journal(tmp_path / "queue.jsonl")
    journal.record("queued", KEY, folder="f")
    with open(journal.path, "ab") as f:
        f.write(b'{"step": "graded", "key": ["01_loss_fu')
    journal.record("grading", KEY)
    sub = journal.state()[KEY]
    assert (sub.step, sub.times_graded) == ("grading", 0)


def test_nothing_reopens_a_released_submission(tmp_path):
    """Is a submission already released left alone when its folder is seen again?"""
    journal = Journal(tmp_path / "queue.jsonl")
    for step in ("queued", "grading", "graded", "released", "queued", "grading"):
        journal.record(step, KEY)
    assert journal.state()[KEY].step == "released"


def test_the_journal_read_a_little_at_a_time_says_what_one_whole_read_says(tmp_path):
    """Does the service's journal, read anew after every line (a torn one too), agree with a journal read once?"""
    journal = Journal(tmp_path / "queue.jsonl")
    other = KEY._replace(student="bob")
    steps = [("queued", KEY, {"folder": "f"}), ("queued", other, {"folder": "g"}), ("grading", KEY, {}),
             ("torn", None, {}), ("grading", KEY, {}), ("waiting", other, {"not_before": 5.0}),
             ("graded", KEY, {"result": {"status": "graded", "scores": {"a": 1.0}}}), ("released", KEY, {}),
             ("queued", KEY, {"folder": "again"})]
    for step, key, fields in steps:
        if key is None:
            with open(journal.path, "ab") as f:
                f.write(b'{"step": "graded", "key": ["01_loss_fu')
        else:
            journal.record(step, key, **fields)
        assert journal.state() == Journal(journal.path).state()
    final = journal.state()
    assert (final[KEY].step, final[KEY].attempts, final[KEY].times_graded, final[other].step) == (
        "released", 2, 1, "waiting")
    journal.path.write_text("")  # a journal replaced by a shorter one is read afresh
    assert journal.state() == {}


def test_the_latency_splits_into_phases_that_add_up(tmp_path):
    """Are found, queued, grading and releasing the gaps between the journal's times, summing to the latency?"""
    start = submitted_at(KEY)
    path = tmp_path / "queue.jsonl"
    for step, after, extra in [("queued", 0.25, {}), ("grading", 1.5, {}),
                               ("graded", 4.0, {"result": {"status": "graded", "seconds": 2.0}}),
                               ("released", 4.25, {})]:
        append_line(path, {"step": step, "key": list(KEY), "at": start + after, **extra})
    sub = Journal(path).state()[KEY]
    parts = phases(sub)
    assert parts == pytest.approx({"found": 0.25, "queued": 1.25, "grading": 2.5, "releasing": 0.25, "worker": 2.0})
    assert sum(parts[p] for p in ("found", "queued", "grading", "releasing")) == pytest.approx(latency(sub))
    assert describe_phases(sub) == ("submit to feedback 4.25 s: found 0.25, queued 1.25, grading 2.50 "
                                    "(2.00 in the worker), releasing 0.25")
    assert "queued to a worker" in report(Journal(path).state())


def test_the_service_wakes_when_a_grading_finishes_not_at_the_next_poll():
    """Does the loop's wait return once a grading is done, long before a poll interval of a minute?"""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from course.instructor.serve.workers import WarmPool

    pool = WarmPool.__new__(WarmPool)  # its wait alone: no workers to start
    with ThreadPoolExecutor(1) as grading:
        quick = grading.submit(time.sleep, 0.1)
        began = time.monotonic()
        pool.wait([quick], 60.0)
        assert quick.done() and time.monotonic() - began < 30


def test_the_hourly_limit_delays_and_never_drops():
    """With 3 per hour, is a 4th submission within the hour graded one hour after the earliest of the last 3?"""
    now = 10_000.0
    assert next_allowed([], now, 3) == now
    assert next_allowed([now - 100, now - 50], now, 3) == now
    assert next_allowed([now - 3000, now - 100, now - 50], now, 3) == now - 3000 + HOUR
    assert next_allowed([now - 5000, now - 3000, now - 100, now - 50], now, 3) == now - 3000 + HOUR
    assert next_allowed([now - 2 * HOUR, now - 1.5 * HOUR, now - 1.1 * HOUR], now, 3) == now
    assert next_allowed([now] * 50, now, 0) == now  # 0: no limit


def test_the_policy_is_read_from_nbgrader_config(tmp_path):
    """Do c.InstantFeedback traits in the course's nbgrader_config.py reach the service, and a bad value fail?"""
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.InstantFeedback.assignments = ['01_loss_functions']\n"
        "c.InstantFeedback.show_score = False\nc.InstantFeedback.max_per_hour = 3\nc.InstantFeedback.counts = 'best'\n")
    policy = load_policy(CourseRoot(tmp_path))
    assert (policy.is_on("01_loss_functions"), policy.is_on("02_gradients")) == (True, False)
    assert (policy.show_score, policy.max_per_hour, policy.counts) == (False, 3, "best")
    assert InstantFeedback().assignments == []  # off unless the instructor names assignments
    with pytest.raises(TraitError):
        InstantFeedback(counts="first")
    with pytest.raises(TraitError):
        InstantFeedback(max_per_hour=-1)


def test_inbound_names_parse_into_keys():
    """Is only nbgrader 0.9's student+assignment+timestamp+random with safe names a submission?"""
    assert inbound.parse(f"ada+01_loss_functions+{KEY.timestamp}+AbCdEf123456") == KEY
    for name in ("ada+01+ts", "../x+01+ts+r", "a/b+01+ts+r", "..+01+ts+r", "ada+01+ts+r+extra"):
        assert inbound.parse(name) is None, name


def _submission(inbound_dir, name="ada+01_loss_functions+ts+r"):
    folder = inbound_dir / name
    folder.mkdir(parents=True)
    (folder / "loss_functions.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text(KEY.timestamp)
    (folder / "submission_secret.txt").write_text("s3cret")
    (folder / "notes.txt").write_text("not read")
    return folder


def test_a_submission_is_read_without_following_links(tmp_path):
    """Are the notebook and the two files grading needs read, and a link (folder or file) refused?"""
    me = pwd.getpwuid(os.geteuid()).pw_name
    folder = _submission(tmp_path, f"{me}+a+ts+r")
    files = inbound.read_submission(tmp_path, folder.name, me, 1000)
    assert sorted(files) == ["loss_functions.ipynb", "submission_secret.txt", "timestamp.txt"]
    (tmp_path / f"{me}+a+ts+link").symlink_to(folder)
    with pytest.raises(inbound.Refused, match="link or not a folder"):
        inbound.read_submission(tmp_path, f"{me}+a+ts+link", me, 1000)
    (tmp_path / "secret").write_text("the grader's")
    (folder / "other.ipynb").symlink_to(tmp_path / "secret")
    with pytest.raises(inbound.Refused, match="other.ipynb could not be opened"):
        inbound.read_submission(tmp_path, folder.name, me, 1000)
    (folder / "other.ipynb").unlink()
    (folder / "loss_functions.ipynb").write_text("x" * 2000)
    with pytest.raises(inbound.Refused, match="over"):
        inbound.read_submission(tmp_path, folder.name, me, 1000)


@pytest.mark.skipif(os.geteuid() != 0, reason="a folder owned by another account needs root to make")
def test_a_folder_owned_by_another_account_is_refused(tmp_path):
    """Is a folder named for root but made by another account (uid 1) refused?"""
    folder = _submission(tmp_path, "root+a+ts+r")
    os.chown(folder, 1, 1)
    with pytest.raises(inbound.Refused, match="not owned by root"):
        inbound.read_submission(tmp_path, folder.name, "root", 1000)


def test_feedback_is_released_where_fetch_feedback_looks(tmp_path):
    """Is each page at <course>/feedback/<md5 of secret and notebook>.html, readable by all, nothing else left?"""
    written = release.publish(tmp_path, "s3cret", {"loss_functions": "<p>page</p>"})
    expected = f"{notebook_hash(secret='s3cret', notebook_id='loss_functions')}.html"
    assert written == [expected]
    assert sorted(os.listdir(tmp_path / "feedback")) == [expected]
    assert stat.S_IMODE((tmp_path / "feedback" / expected).stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "feedback").stat().st_mode) == 0o711
    release.publish(tmp_path, "s3cret", {"loss_functions": "<p>again</p>"})
    assert (tmp_path / "feedback" / expected).read_text() == "<p>again</p>"


@pytest.mark.skipif(os.geteuid() != 0, reason="a folder owned by another account needs root to make")
def test_feedback_is_not_released_into_a_folder_another_account_made(tmp_path):
    """Is a course or feedback folder of the exchange that another account owns (or a link) refused?"""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, 1, 1)
    with pytest.raises(PermissionError, match="not the grader's own folder"):
        release.publish(theirs, "s3cret", {"nb": "<p>page</p>"})
    ours = tmp_path / "ours"
    (ours / "feedback").mkdir(parents=True)
    os.chown(ours / "feedback", 1, 1)
    with pytest.raises(PermissionError, match="not the grader's own folder"):
        release.publish(ours, "s3cret", {"nb": "<p>page</p>"})
    (tmp_path / "link").symlink_to(tmp_path / "ours")
    with pytest.raises(OSError):
        release.publish(tmp_path / "link", "s3cret", {"nb": "<p>page</p>"})
    assert os.listdir(ours / "feedback") == [] and os.listdir(theirs) == []


def test_scores_are_removed_when_the_policy_hides_them():
    """With show_score off, does nbgrader's page lose every "Score: x / y" and keep the mistake's words?"""
    page = ('<h4>loss_functions (Score: 9.0 / 12.0)</h4><li><a href="#test_mse">Test cell</a> '
            '(Score: 0.0 / 2.0)</li><div class="score">Score: 0.0 / 2.0 <a href="#top">(Top)</a></div>'
            "<pre>AssertionError: mse sums the squared errors instead of averaging them</pre>")
    hidden = release.without_scores(page)
    assert "Score" not in hidden and "12.0" not in hidden
    assert "sums the squared errors" in hidden and "(Top)" in hidden


def test_status_reports_queue_latency_and_failures(tmp_path):
    """Does the status name the queue's length, the median and p95 latency, and each failure with its reason?"""
    journal = Journal(tmp_path / "queue.jsonl")
    start = submitted_at(KEY)
    assert start is not None
    journal.record("queued", KEY)
    journal.record("graded", KEY, result={"status": "graded", "scores": {"a": 2.0}})
    journal.record("released", KEY)
    other = KEY._replace(student="bob")
    journal.record("queued", other)
    journal.record("graded", other, result={"status": "invalid", "message": "loss_functions.ipynb is not JSON"})
    journal.record("released", other)
    late = KEY._replace(student="cy")
    journal.record("queued", late)
    state = journal.state()
    assert latency(state[KEY]) == pytest.approx(state[KEY].released_at - start)
    text = report(state)
    assert "queue: 1 submission(s) not yet released" in text
    assert "submit to feedback: median" in text and "p95" in text
    assert "failures: 1" in text and "bob 01_loss_functions" in text and "is not JSON" in text


def test_percentiles():
    """Are the median and the 95th percentile those of the order statistics?"""
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 95) == pytest.approx(95.05)
    assert percentile([3.0], 95) == 3.0


def test_the_service_and_descent_grade_take_turns_on_an_assignment(tmp_path):
    """While `descent grade` holds an assignment's grading lock, is the service refused it, and given it after?"""
    from course.instructor.grading.core.runlock import grading_lock
    from course.instructor.serve.locks import AssignmentLocks

    locks = AssignmentLocks(lambda assignment: tmp_path / assignment / ".grade.lock")
    with grading_lock(tmp_path / "a1" / ".grade.lock", "descent grade a1"):
        assert not locks.take("a1")
        assert locks.take("a2")
    assert locks.take("a1") and locks.take("a1")
    said = []
    locks.release_except({"a2"})
    with grading_lock(tmp_path / "a1" / ".grade.lock", "descent grade a1", said.append):
        pass
    assert said == []  # a1 was free again: no waiting


def test_serve_refuses_an_unknown_assignment_and_status_starts_empty(tmp_path, capsys):
    """Does `descent serve` name a policy's unknown assignment clearly, and `--status` of a new course say 0?"""
    from course.instructor.cli import main

    root = CourseRoot.at(Path(__file__).resolve().parents[2]).copy_to(tmp_path / "course")
    assert main(["--root", str(root.path), "serve", "--status"]) == 0
    assert "queue: 0 submission(s) not yet released" in capsys.readouterr().out
    with open(root.path / "nbgrader_config.py", "a") as f:
        f.write("\nc.InstantFeedback.assignments = ['99_nothing']\n")
    assert main(["--root", str(root.path), "serve"]) == 2
    assert "no assignment '99_nothing'" in capsys.readouterr().err
