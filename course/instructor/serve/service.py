"""The loop of ``descent serve``: queue new submissions, grade them in warm workers, release their feedback.

One service per course (an ``flock`` on ``serve/.serve.lock``). Each pass of the loop:

1. every inbound folder of an assignment the policy grades on submit, not yet in the journal, is
   queued (:mod:`.journal`);
2. finished gradings are recorded (``graded``) and their feedback released (``released``);
3. queued submissions start, oldest first, one at a time per student and assignment, while a
   worker is free and the student's hourly limit allows; one over the limit waits, and the
   student's feedback page says until when;
4. for each student released in this pass, the submission that counts is put in the gradebook
   (:mod:`.history`), while the workers grade.

A pass starts when a grading finishes, else every ``poll_seconds``, and the released line in the log
says where the submission's time went (:func:`.status.describe_phases`).

The queue is the journal, so a service killed at any point resumes: a grading cut short is
graded again (its result recorded once), a release cut short is released again, a count cut
short is done at the start.
"""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import Future
from dataclasses import asdict
from pathlib import Path

from ..grading.autograde import grade_student
from ..grading.core.config import Submissions
from ..grading.core.coursedir import CourseError, CourseRoot
from ..grading.core.runlock import grading_lock
from ..grading.intake import importing
from ..grading.record.student_result import StudentResult
from . import history, inbound, release
from .journal import Journal, Key, Submission
from .locks import AssignmentLocks
from .policy import InstantFeedback, counted, next_allowed
from .status import describe_phases, write_counted
from .workers import DaskPool, WarmPool

log = logging.getLogger("descent.serve")


#: A worker that dies grading a submission is replaced and the submission graded once more; a second death
#: is recorded as an error with this message (as ``descent grade`` retries a student once).
MAX_DEATHS = 2
WORKER_DIED = "the grading worker died twice while grading this submission"

#: Seconds to stop before writing a step (``released=5``): how the tests kill -9 the service at that point.
PAUSE_ENV = "DESCENT_SERVE_PAUSE"


def _pause(step: str) -> None:
    """Sleep where ``$DESCENT_SERVE_PAUSE`` (``step=seconds``) says; nothing when it is unset."""
    name, _, seconds = os.environ.get(PAUSE_ENV, "").partition("=")
    if name == step:
        log.info("pausing %s s before writing %r (%s)", seconds, step, PAUSE_ENV)
        time.sleep(float(seconds))


def serve_dir(root: CourseRoot) -> Path:
    """``serve/`` in the course root: the journal, the service's lock and log."""
    return root.path / "serve"


def _why(result: dict) -> str:
    """What the page of a submission that was not graded tells the student (never a traceback)."""
    if result.get("status") == "invalid":
        return (result.get("message", "").splitlines() or [""])[0]
    if result.get("message", "").startswith(WORKER_DIED):
        return ("grading stopped twice before it finished (the process grading it died); your instructor has "
                "been told")
    return "it could not be graded automatically; your instructor has been told"


def write_instant_csv(root: CourseRoot, assignment: str, counts: str) -> Path:
    """``grades/<assignment>/instant.csv`` from the kept submissions (see :func:`.status.write_counted`)."""
    kept = {s: history.records(root, assignment, s) for s in history.students(root, assignment)}
    return write_counted(root.grades(assignment) / "instant.csv", kept, counts)


def _clock(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(seconds))


class Service:
    """Instant feedback for the course at ``root`` from the exchange folder ``exchange_course``
    (``<Exchange.root>/<course id>``), graded into ``root``'s gradebook (:attr:`.CourseRoot.db_url`)."""

    def __init__(self, root: CourseRoot, exchange_course: Path, policy: InstantFeedback):
        root = root.with_gradebook(root.db_url)  # resolved once, here: every worker grades into this one
        if policy.scheduler and root.db_url.startswith("sqlite"):
            raise CourseError("c.InstantFeedback.scheduler needs a gradebook every Dask worker can reach: "
                              "a PostgreSQL db_url (or --db postgresql://...)")
        self.root, self.exchange_course, self.policy = root, exchange_course, policy
        self.journal = Journal(serve_dir(root) / "queue.jsonl")
        limits = Submissions(config=root.config)
        self.max_bytes, self.memory_mb = limits.max_notebook_bytes, limits.worker_memory_mb
        self.pool: "WarmPool | None" = None
        self.running: dict[Key, Future] = {}
        self.locks = AssignmentLocks(lambda assignment: root.grades(assignment) / ".grade.lock")
        self._told_locked: set[str] = set()
        self._to_count: set[tuple[str, str]] = set()  # (student, assignment) released, not yet counted

    # -- one pass ------------------------------------------------------------------------------
    def discover(self, known: dict[Key, Submission]) -> None:
        for key, folder in inbound.scan(self.exchange_course / "inbound"):
            if key not in known and self.policy.is_on(key.assignment):
                self.journal.record("queued", key, folder=folder)
                log.info("queued %s %s %s", *key)

    def finish(self) -> None:
        for key, future in list(self.running.items()):
            if not future.done():
                continue
            del self.running[key]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 (the worker died: killed, out of memory, a broken pool)
                deaths = self.journal.state()[key].deaths + 1
                if deaths < MAX_DEATHS:
                    self.journal.record("died", key, message=f"the grading worker died: {exc!r}")
                    log.warning("the worker grading %s %s %s died (%r): graded once more", *key, exc)
                    continue
                result = StudentResult(key.student, key.assignment, "error", f"{WORKER_DIED} ({exc!r})")
            kept = self._keep(key, asdict(result))
            self.journal.record("graded", key, result=asdict(result))
            log.info("graded %s %s %s: %s %.1f s, kept in %.2f s%s", *key, result.status, result.seconds, kept,
                     f" ({result.message.splitlines()[0]})" if result.message else "")

    def _keep(self, key: Key, result: dict) -> float:
        """Keep the graded submission in ``grades/<assignment>/history/`` (see :mod:`.history`); the seconds taken."""
        began = time.perf_counter()
        try:
            history.keep(self.root, key, result)
        except OSError as exc:  # recorded; its page then comes from feedback/, and it cannot be chosen later
            log.error("%s %s %s not kept in the history: %s", *key, exc)
        return time.perf_counter() - began

    def release_graded(self, subs: dict[Key, Submission]) -> None:
        for sub in subs.values():
            if sub.step == "graded" and sub.key not in self.running:
                try:
                    self._release(sub)
                    self._to_count.add((sub.key.student, sub.key.assignment))
                except OSError as exc:  # the submission's folder or the exchange: recorded, the queue goes on
                    self.journal.record("failed", sub.key, message=f"feedback not released: {exc}")
                    log.error("feedback of %s %s %s not released: %s", *sub.key, exc)

    def _release(self, sub: Submission) -> None:
        key, result = sub.key, sub.result
        folder = history.student_dir(self.root, key.assignment, key.student) / history.folder_name(key.timestamp)
        if not (folder / "submitted").is_dir():  # not kept: the course's own folder holds it still
            folder = self.root.submitted / key.student / key.assignment
        else:
            folder = folder / "submitted"
        secret = (folder / "submission_secret.txt").read_text()
        if result.get("status") == "graded":
            pages = history.feedback_pages(self.root, key)
            if pages is None:
                pages = release.feedback_pages(self.root.path, key.student, key.assignment, True)
            pages = pages if self.policy.show_score else {k: release.without_scores(v) for k, v in pages.items()}
        else:
            pages = {p.stem: release.message_page(key.assignment, p.stem, f"Not graded: {_why(result)}")
                     for p in sorted(folder.glob("*.ipynb"))}
        release.publish(self.exchange_course, secret, pages)
        _pause("released")
        self.journal.record("released", key, pages=len(pages))
        log.info("released %s %s %s: %d page(s); %s", *key, len(pages), describe_phases(self.journal.state()[key]))

    def count_released(self) -> None:
        """Put the counting submission in the gradebook for each student released in this pass (their next
        submission waits for it; killed before it, the service does it when it starts again)."""
        for student, assignment in sorted(self._to_count):
            if self.locks.take(assignment):  # else `descent grade` grades it now: counted at a later pass
                self._count(assignment, student)
                self._to_count.discard((student, assignment))

    def count_all(self) -> None:
        """Put each student's counting submission in the gradebook where it is not (a service killed between
        a release and counting), for every assignment no ``descent grade`` is grading now."""
        for assignment in self.policy.assignments:
            if not self.locks.take(assignment):
                continue  # `descent grade` regrades what submitted/ holds: the counting submission
            for student in history.students(self.root, assignment):
                chosen = counted(history.records(self.root, assignment, student), self.policy.counts)
                if chosen is not None and history.holds(self.root, assignment, student) != chosen["timestamp"]:
                    self._count(assignment, student)
        self.locks.release_except(set())

    def _count(self, assignment: str, student: str) -> None:
        """Put the student's submission that counts in the gradebook; write ``instant.csv``."""
        began = time.perf_counter()
        try:
            chosen = counted(history.records(self.root, assignment, student), self.policy.counts)
            if chosen is not None:
                history.hand_over(self.root, assignment, student, chosen)
                log.info("counts for %s %s: the submission of %s (%s), in the gradebook in %.2f s", student,
                         assignment, chosen["timestamp"], self.policy.counts, time.perf_counter() - began)
            write_instant_csv(self.root, assignment, self.policy.counts)
        except Exception as exc:  # noqa: BLE001 (the gradebook or a file: said, and the queue goes on)
            log.error("the submission that counts for %s %s was not put in the gradebook (%r): run "
                      "`descent serve --recount %s`", student, assignment, exc, assignment)

    def start(self, subs: dict[Key, Submission]) -> None:
        busy = {(k.student, k.assignment) for k in self.running}
        busy |= {(s.key.student, s.key.assignment) for s in subs.values() if s.step == "graded"}
        busy |= self._to_count
        now = time.time()
        for sub in sorted(subs.values(), key=lambda s: s.key.timestamp):
            key = sub.key
            if sub.done or sub.step == "graded" or key in self.running or (key.student, key.assignment) in busy:
                continue
            if len(self.running) >= self.policy.workers:
                return
            earlier = [s.graded_at for s in subs.values() if s.graded_at and s.key[:2] == key[:2]]
            allowed = next_allowed(earlier, now, self.policy.max_per_hour)
            busy.add((key.student, key.assignment))  # later ones of this student wait for this one
            if allowed > now and sub.step == "waiting" and abs(sub.not_before - allowed) <= 1:
                continue  # already told
            files = self._read(sub)
            if files is None:
                continue
            if allowed > now:
                self._tell_waiting(key, files, allowed)
                continue
            if not self.locks.take(key.assignment):
                if key.assignment not in self._told_locked:
                    log.info("a descent grade of %s is running: its submissions wait for it", key.assignment)
                    self._told_locked.add(key.assignment)
                continue
            self._told_locked.discard(key.assignment)
            importing.add_students(self.root, [key.student])
            try:
                history.before_grading(self.root, key.assignment, key.student)
            except Exception as exc:  # noqa: BLE001 (nbgrader then carries the hand-given grades, as it does)
                log.error("the hand-given grades of %s %s were not set aside before grading: %r", key.student,
                          key.assignment, exc)
            inbound.place(self.root.path, key, files)
            self.journal.record("grading", key)
            self.running[key] = self.pool.submit(grade_student, self.root, key.assignment, key.student, True)
            log.info("grading %s %s %s in a worker (attempt %d)", *key, sub.attempts + 1)

    def _read(self, sub: Submission) -> "dict[str, bytes] | None":
        """The submission's files, read by the collector's rules; None (and a "refused" line) if it breaks one."""
        try:
            files = inbound.read_submission(self.exchange_course / "inbound", sub.folder, sub.key.student,
                                            self.max_bytes)
            if "submission_secret.txt" not in files:
                raise inbound.Refused(f"{sub.folder} has no submission_secret.txt (handed in with an nbgrader "
                                      "before 0.9?): its feedback could not reach the student")
        except inbound.Refused as exc:
            self.journal.record("refused", sub.key, message=str(exc))
            log.warning("refused %s %s %s: %s", *sub.key, exc)
            return None
        return files

    def _tell_waiting(self, key: Key, files: dict[str, bytes], allowed: float) -> None:
        message = (f"Queued: at most {self.policy.max_per_hour} submission(s) of {key.assignment} are graded per "
                   f"hour; this one will be graded at {_clock(allowed)}. Fetch feedback again after that.")
        notebooks = [Path(n).stem for n in files if n.endswith(".ipynb")]
        secret = files.get("submission_secret.txt", b"").decode("utf-8", "replace")
        if secret:
            release.publish(self.exchange_course, secret,
                            {nb: release.message_page(key.assignment, nb, message) for nb in notebooks})
        self.journal.record("waiting", key, not_before=allowed, message=message)
        log.info("waiting %s %s %s until %s (hourly limit)", *key, _clock(allowed))

    def step(self) -> None:
        """One pass of the loop (see the module's docstring)."""
        self.discover(self.journal.state())
        self.finish()
        subs = self.journal.state()
        self.release_graded(subs)
        self.start(self.journal.state())  # workers grade while the released ones are counted
        self.count_released()
        self.locks.release_except({k.assignment for k in self.running})

    # -- the service ---------------------------------------------------------------------------
    def run(self, stop_after: "float | None" = None) -> None:
        """Serve until killed (or for ``stop_after`` seconds, then wait for what is grading)."""
        with grading_lock(serve_dir(self.root) / ".serve.lock", "descent serve", log.info):
            self.pool = (DaskPool(self.policy.scheduler) if self.policy.scheduler
                         else WarmPool(self.policy.workers, self.memory_mb, self.root))
            log.info("serving %s with %d %s; on submit: %s", self.exchange_course, self.policy.workers,
                     f"task(s) at once on {self.policy.scheduler}" if self.policy.scheduler else "warm worker(s)",
                     ", ".join(self.policy.assignments) or "nothing (c.InstantFeedback."
                     "assignments is empty)")
            self.count_all()
            began = time.monotonic()
            try:
                while stop_after is None or time.monotonic() - began < stop_after or self.running:
                    self.step()
                    # the next pass starts as soon as a grading finishes (its feedback waits for no poll),
                    # else after the poll interval, when the inbound is looked at again
                    self.pool.wait(list(self.running.values()), self.policy.poll_seconds)
                self.step()
            finally:
                self.pool.close()
