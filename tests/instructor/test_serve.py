"""`descent serve` on an exchange folder: real submissions, real grading, real kill -9 of the service.

Students are system accounts that exist on every Debian machine (``daemon``, ``bin``, ...): the
service checks that each inbound folder belongs to the account it names.
"""
from __future__ import annotations

import collections
import json
import os
import signal
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hostile_submissions as hostile  # noqa: E402
import serve_class as sc  # noqa: E402

from course.instructor.grading.publish import sample_submissions  # noqa: E402
from course.instructor.serve.command import status  # noqa: E402

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.geteuid() != 0, reason="submissions owned by other accounts need root")]
HIDDEN = ["BEGIN HIDDEN TESTS", "_reference_log_loss", "_reference_neuron_mse"]


def _lines(root) -> list[dict]:
    return [json.loads(line) for line in (root.path / "serve" / "queue.jsonl").read_text().splitlines()
            if line.strip()]


def _kill_service_only(process, log) -> None:
    """kill -9 the service's own process, as a crash would; its workers must follow it."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(30)
    sc.wait_for(lambda: not sc.group_alive(process), 10, "the service's workers to die with it", log)


def test_kill_9_during_grading_and_during_release_grades_each_submission_once(tmp_path):
    """Killed while grading, then between writing feedback and recording it, does the restarted service
    grade and release every submission exactly once, with the right scores?"""
    root, exchange, answered = sc.served_course(tmp_path)
    log = tmp_path / "serve.log"
    mistaken = sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN})
    handed = [("daemon", mistaken), ("bin", answered), ("daemon", answered)]
    secrets = [sc.submit(exchange, student, nb)[1] for student, nb in handed]

    service = sc.start_service(root, exchange, log, DESCENT_SERVE_PAUSE="released=600")
    sc.wait_for(lambda: "grading" in sc.steps(root), 120, "a grading to start", log, service)
    _kill_service_only(service, log)  # during the first grading
    assert "graded" not in sc.steps(root)

    service = sc.start_service(root, exchange, log, DESCENT_SERVE_PAUSE="released=600")
    sc.wait_for(lambda: "pausing" in log.read_text(), 120, "the first release to pause", log, service)
    assert sc.feedback_page(exchange, secrets[0]) is not None  # written, not yet recorded as released
    _kill_service_only(service, log)  # during the first release
    assert "released" not in sc.steps(root)

    service = sc.start_service(root, exchange, log)
    try:
        sc.wait_for(lambda: sc.steps(root).count("released") == 3, 240, "three releases", log, service)
    finally:
        sc.stop_service(service)
    per_key = collections.Counter((tuple(line["key"]), line["step"]) for line in _lines(root))
    keys = {tuple(line["key"]) for line in _lines(root)}
    assert len(keys) == 3
    assert all(per_key[(k, "graded")] == 1 and per_key[(k, "released")] == 1 for k in keys), per_key
    assert max(per_key[(k, "grading")] for k in keys) == 2  # the one cut short was graded again
    pages = sorted(os.listdir(exchange / "feedback"))
    assert len(pages) == 3 and not any(p.startswith(".") for p in pages)
    first, second, third = (sc.feedback_page(exchange, s) for s in secrets)
    assert "Score: 7.0 / " in first and "you summed the squared errors" in first
    assert "Score: 12.0 / " in second and "Score: 12.0 / " in third
    for page in (first, second, third):
        assert not any(secret in page for secret in HIDDEN)
    text = status(root)
    assert "queue: 0 submission(s) not yet released" in text and "failures: 0" in text


def test_corrupt_and_hostile_submissions_get_their_own_row_and_message_and_the_queue_goes_on(tmp_path):
    """Through the service: does a notebook that is not JSON, and each attack, get its own verdict and page,
    and does an honest submission after them still get its feedback?"""
    root, exchange, answered = sc.served_course(tmp_path)
    log = tmp_path / "serve.log"
    cases = {"daemon": "not_json", "bin": "os_exit", "sys": "rebinds_numpy", "man": "good"}
    handed = {}
    for student, name in cases.items():
        case = hostile.CASES[name]
        nb = case.raw if case.raw is not None else sample_submissions.replace_solutions(answered, case.cells)
        handed[student] = sc.submit(exchange, student, nb)[1]
    sc.submit(exchange, "mail", answered, with_secret=False)  # its page could never be found: refused
    service = sc.start_service(root, exchange, log)
    try:
        sc.wait_for(lambda: sc.steps(root).count("released") == len(cases) and "refused" in sc.steps(root), 300,
                    "every release and the refusal", log, service)
    finally:
        sc.stop_service(service)
    assert sc.steps(root).count("refused") == 1
    results = {line["key"][1]: line["result"] for line in _lines(root) if line["step"] == "graded"}
    for student, name in cases.items():
        case, result = hostile.CASES[name], results[student]
        assert result["status"] == case.status, (name, result)
        total = sum(v for v in result["scores"].values() if v is not None)
        assert total == case.total, (name, total)
        assert case.flag in " ".join(result["flags"]), (name, result["flags"])
        page = sc.feedback_page(exchange, handed[student])
        assert page and not any(secret in page for secret in HIDDEN), name
    assert "Not graded:" in sc.feedback_page(exchange, handed["daemon"])
    assert "Score: 12.0 / " in sc.feedback_page(exchange, handed["man"])
    text = status(root)
    assert "failures: 2" in text and "daemon 01_loss_functions" in text and "no submission_secret.txt" in text


def test_the_hourly_limit_queues_with_a_message_and_hidden_scores_stay_hidden(tmp_path):
    """With max_per_hour = 1 and show_score off: is the second submission told when it will be graded (and
    not graded yet), and does the first one's page name the mistake without a score?"""
    root, exchange, answered = sc.served_course(
        tmp_path, "c.InstantFeedback.max_per_hour = 1\nc.InstantFeedback.show_score = False")
    log = tmp_path / "serve.log"
    first = sc.submit(exchange, "daemon", sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN}))[1]
    service = sc.start_service(root, exchange, log)
    try:
        sc.wait_for(lambda: "released" in sc.steps(root), 120, "the first release", log, service)
        second = sc.submit(exchange, "daemon", answered)[1]
        page = sc.wait_for(lambda: sc.feedback_page(exchange, second), 60, "the waiting message", log, service)
    finally:
        sc.stop_service(service)
    assert "Queued: at most 1 submission(s) of 01_loss_functions are graded per hour" in page
    assert sc.steps(root).count("graded") == 1 and sc.steps(root)[-1] == "waiting"
    shown = sc.feedback_page(exchange, first)
    assert "you summed the squared errors" in shown and "Score:" not in shown and "7.0" not in shown
    assert "1 waiting for the hourly limit" in status(root)


def test_on_a_dask_cluster_with_a_postgresql_gradebook(tmp_path):
    """With c.InstantFeedback.scheduler set, is a submission graded on the Dask cluster into PostgreSQL?"""
    import psycopg
    from dask_cluster import local_cluster
    from test_grade_class import _fresh_postgres_db, _postgres_base_url

    name = f"descent_serve_{os.getpid()}"
    db = _fresh_postgres_db(name)
    try:
        with local_cluster(1) as address:
            root, exchange, answered = sc.served_course(tmp_path, f"c.InstantFeedback.scheduler = {address!r}",
                                                        db_url=db)
            log = tmp_path / "serve.log"
            mistaken = sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN})
            secret = sc.submit(exchange, "daemon", mistaken)[1]
            service = sc.start_service(root, exchange, log, DESCENT_DB_URL=db)
            try:
                sc.wait_for(lambda: "released" in sc.steps(root), 240, "the release", log, service)
            finally:
                sc.stop_service(service)
        assert f"task(s) at once on {address}" in log.read_text()
        page = sc.feedback_page(exchange, secret)
        assert "Score: 7.0 / " in page and "you summed the squared errors" in page
        from course.instructor.grading.record.scores import read_student_scores

        assert sum(read_student_scores(root.with_gradebook(db), sc.A, "daemon")[0].values()) == 7.0
    finally:
        with psycopg.connect(_postgres_base_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_new_worker_starts_with_its_first_gradings_set_up_done(tmp_path):
    """Does a warm worker start with the judge's imports done (01's setup cells import ``course.data``
    and ``course.plots``), the gradebook read, and a spare kernel waiting for the first submission?"""
    from course.instructor.serve.workers import WarmPool

    root, _, _ = sc.served_course(tmp_path)
    pool = WarmPool(1, 4000, root.with_gradebook(root.db_url))
    try:
        ask = ("(len(__import__('course.instructor.grading.run.spare_kernels', fromlist=['_'])._SPARE), "
               "sorted({'course.data', 'course.plots', 'matplotlib.pyplot'} & set(__import__('sys').modules)))")
        assert pool.submit(eval, ask).result(timeout=120) == (1, ["course.data", "course.plots", "matplotlib.pyplot"])
    finally:
        pool.close()


def _by_hand(root, points: float) -> None:
    """Grade 01's written answer of daemon's submission in the gradebook, as the formgrader does."""
    from nbgrader.api import Gradebook

    with Gradebook(root.db_url) as gb:
        grade = gb.find_grade("explain_clipping", sc.NOTEBOOK, sc.A, "daemon")
        grade.manual_score, grade.needs_manual_grade = points, False
        gb.db.commit()


def _gradebook_total(root) -> float:
    from course.instructor.grading.record.scores import read_scores

    return sum(row.score or 0.0 for row in read_scores(root, sc.A) if row.student == "daemon")


def _lms_score_and_mistakes(root) -> tuple:
    """daemon's score in the LMS export and the mistake the class report names for mse."""
    from course.instructor.grading.record.lms_export import grade_rows
    from course.instructor.grading.record.report import class_mistakes
    from course.instructor.grading.record.scores import read_scores

    score = [r.score for r in grade_rows(root, sc.A, None) if r.student.student_id == "daemon"][0]
    return score, class_mistakes(root, sc.A, read_scores(root, sc.A)).get("daemon", {}).get("test_mse")


def test_best_counts_in_the_gradebook_while_the_newest_page_shows_the_newest(tmp_path):
    """With counts = "best": full marks graded by hand, then a resubmission with a mistake. Does the newest
    page show the resubmission's 7 points (the hand-given 2 not carried to it), while the gradebook,
    autograded/, grades.csv, --verify and instant.csv keep the first submission with its hand-given 2 (14
    points); and does --recount with "last" put the resubmission in (the LMS export's score and the class
    report's mistake with it), and "best" the first again?"""
    from course.instructor.grading.batch import grade_class
    from course.instructor.grading.record.lms_export import grade_rows
    from course.instructor.grading.record.verify import verify_gradebook
    from course.instructor.serve import history
    from course.instructor.serve.command import recount

    root, exchange, answered = sc.served_course(tmp_path, 'c.InstantFeedback.counts = "best"')
    log = tmp_path / "serve.log"
    service = sc.start_service(root, exchange, log)
    try:
        first_stamp, first = sc.submit(exchange, "daemon", answered)
        sc.wait_for(lambda: "counts for daemon" in log.read_text(), 120, "the first count", log, service)
        _by_hand(root, 2.0)
        mistaken = sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN})
        second = sc.submit(exchange, "daemon", mistaken)[1]
        sc.wait_for(lambda: log.read_text().count("counts for daemon") == 2, 120, "the second count", log, service)
    finally:
        sc.stop_service(service)
    newest = sc.feedback_page(exchange, second)
    assert "Score: 7.0 / 14.0" in newest and "you summed the squared errors" in newest
    assert "Score: 12.0 / 14.0" in sc.feedback_page(exchange, first)
    assert _gradebook_total(root) == 14.0
    autograded = (root.path / "autograded" / "daemon" / sc.A / f"{sc.NOTEBOOK}.ipynb").read_text()
    assert "np.sum((np.asarray(predictions)" not in autograded
    kept = history.records(root, sc.A, "daemon")
    assert len(kept) == 2 and kept[0]["manual"][sc.NOTEBOOK]["grades"]["explain_clipping"]["manual_score"] == 2.0
    instant = (root.grades(sc.A) / "instant.csv").read_text().splitlines()
    assert instant[1].startswith(f"daemon,{kept[0]['timestamp']},graded,12,2,best")

    assert "1 changed" in recount(root, sc.A, "last", say=lambda _: None)
    assert _gradebook_total(root) == 7.0
    assert _lms_score_and_mistakes(root) == (7.0, "mse/sum-not-mean")
    assert "1 changed" in recount(root, sc.A, "best", say=lambda _: None)
    assert _gradebook_total(root) == 14.0
    assert _lms_score_and_mistakes(root) == (14.0, None)
    assert [r.timestamp for r in grade_rows(root, sc.A, None)] == [first_stamp[:19] + " UTC"]
    result = grade_class(root, sc.A, workers=1, say=lambda _: None, progress=False)
    assert verify_gradebook(root, sc.A, result.results) == []
    assert [r.total for r in result.results if r.student == "daemon"] == [14.0]
    assert (root.grades(sc.A) / "grades.csv").read_text().splitlines()[1].startswith("daemon,graded,14,14,")


def _worker(service, killed: set[int], log) -> int:
    """The pid of the service's grading worker (a process spawned by multiprocessing), not one killed already."""
    def find():
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit() and int(proc.name) not in killed:
                try:
                    stat = (proc / "stat").read_text()
                    cmdline = (proc / "cmdline").read_bytes()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == service.pid and b"spawn_main" in cmdline:
                    return int(proc.name)
        return None
    return sc.wait_for(find, 30, "the grading worker", log, service)


def test_a_worker_killed_while_grading_is_replaced_and_the_submission_graded_once_more(tmp_path):
    """kill -9 of the worker grading a submission: is it graded once more and released once with its score;
    and a submission whose worker is killed twice, recorded as an error with a page saying so, released once?"""
    root, exchange, answered = sc.served_course(tmp_path)
    log = tmp_path / "serve.log"
    service = sc.start_service(root, exchange, log)
    killed: set[int] = set()

    def kill_worker_at(attempt: int, student: str) -> None:
        sc.wait_for(lambda: f"grading {sc.A} {student}" in log.read_text()
                    and f"(attempt {attempt})" in log.read_text().split(f"grading {sc.A} {student}")[-1],
                    120, f"{student}'s attempt {attempt}", log, service)
        pid = _worker(service, killed, log)
        os.kill(pid, signal.SIGKILL)
        killed.add(pid)

    try:
        once = sc.submit(exchange, "daemon", answered)[1]
        kill_worker_at(1, "daemon")
        sc.wait_for(lambda: "released" in sc.steps(root), 120, "daemon's release", log, service)
        twice = sc.submit(exchange, "bin", answered)[1]
        kill_worker_at(1, "bin")
        kill_worker_at(2, "bin")
        sc.wait_for(lambda: sc.steps(root).count("released") == 2, 120, "bin's release", log, service)
    finally:
        sc.stop_service(service)
    per_key = collections.Counter((line["key"][1], line["step"]) for line in _lines(root))
    assert [per_key[("daemon", s)] for s in ("grading", "died", "graded", "released")] == [2, 1, 1, 1]
    assert [per_key[("bin", s)] for s in ("grading", "died", "graded", "released")] == [2, 1, 1, 1]
    results = {line["key"][1]: line["result"] for line in _lines(root) if line["step"] == "graded"}
    assert results["daemon"]["status"] == "graded" and "Score: 12.0 / " in sc.feedback_page(exchange, once)
    assert results["bin"]["status"] == "error" and "died twice" in results["bin"]["message"]
    page = sc.feedback_page(exchange, twice)
    assert "Not graded: grading stopped twice" in page and "Score:" not in page
    assert "died twice" in status(root)
