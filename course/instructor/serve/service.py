"""The loop of ``descent serve``: queue new submissions, grade them in warm workers, release their feedback.

One service per course (an ``flock`` on ``serve/.serve.lock``). Each pass of the loop:

1. every inbound folder of an assignment the policy grades on submit, not yet in the journal, is
   queued (:mod:`.journal`);
2. finished gradings are recorded (``graded``) and their feedback released (``released``);
3. queued submissions start, oldest first, one at a time per student and assignment, while a
   worker is free and the student's hourly limit allows; one over the limit waits, and the
   student's feedback page says until when.

A pass starts when a grading finishes, else every ``poll_seconds``, and the released line in the log
says where the submission's time went (:func:`.status.describe_phases`).

The queue is the journal, so a service killed at any point resumes: a grading cut short is
graded again (its result recorded once), a release cut short is released again.
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
from . import inbound, release
from .journal import Journal, Key, Submission
from .locks import AssignmentLocks
from .policy import InstantFeedback, next_allowed
from .status import describe_phases, write_counted
from .workers import DaskPool, WarmPool

log = logging.getLogger("descent.serve")


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
            except Exception as exc:  # noqa: BLE001 (a worker that died: the submission gets its own message)
                result = StudentResult(key.student, key.assignment, "error", f"the grading worker failed: {exc}")
            self.journal.record("graded", key, result=asdict(result))
            log.info("graded %s %s %s: %s %.1f s%s", *key, result.status, result.seconds,
                     f" ({result.message.splitlines()[0]})" if result.message else "")

    def release_graded(self, subs: dict[Key, Submission]) -> None:
        for sub in subs.values():
            if sub.step == "graded" and sub.key not in self.running:
                try:
                    self._release(sub)
                except OSError as exc:  # the submission's folder or the exchange: recorded, the queue goes on
                    self.journal.record("failed", sub.key, message=f"feedback not released: {exc}")
                    log.error("feedback of %s %s %s not released: %s", *sub.key, exc)

    def _release(self, sub: Submission) -> None:
        key, result = sub.key, sub.result
        folder = self.root.submitted / key.student / key.assignment
        secret = (folder / "submission_secret.txt").read_text()
        if result.get("status") == "graded":
            pages = release.feedback_pages(self.root.path, key.student, key.assignment, self.policy.show_score)
        else:
            why = (result.get("message", "").splitlines() or [""])[0] if result.get("status") == "invalid" else (
                "it could not be graded automatically; your instructor has been told")
            pages = {p.stem: release.message_page(key.assignment, p.stem, f"Not graded: {why}")
                     for p in sorted(folder.glob("*.ipynb"))}
        release.publish(self.exchange_course, secret, pages)
        _pause("released")
        self.journal.record("released", key, pages=len(pages))
        subs = self.journal.state()
        write_counted(self.root.path / "grades" / key.assignment / "instant.csv", subs, key.assignment,
                      self.policy.counts)
        log.info("released %s %s %s: %d page(s); %s", *key, len(pages), describe_phases(subs[key]))

    def start(self, subs: dict[Key, Submission]) -> None:
        busy = {(k.student, k.assignment) for k in self.running}
        busy |= {(s.key.student, s.key.assignment) for s in subs.values() if s.step == "graded"}
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
            inbound.place(self.root.path, key, files)
            importing.add_students(self.root, [key.student])
            self.journal.record("grading", key)
            self.running[key] = self.pool.submit(grade_student, self.root, key.assignment, key.student, True)

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
        self.start(self.journal.state())
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
