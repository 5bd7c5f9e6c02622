"""A course served by ``descent serve`` without a hub: an exchange folder, submissions made as nbgrader's
``submit`` makes them (a folder owned by the student, its timestamp and secret), the service as a process.

Students are existing system accounts (``daemon``, ``bin``, ...) or ones a caller made: the service
checks that each folder belongs to the account it names, so it must be a real one.
"""
from __future__ import annotations

import json
import os
import pwd
import secrets
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import grading_harness as harness
import nbformat

from course.instructor.grading import CourseRoot
from course.instructor.grading.core.cells import grade_ids
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.publish.release import release
from course.instructor.serve.journal import Journal

A = "01_loss_functions"
NOTEBOOK = "loss_functions"
#: The planted mistake: mse sums the squared errors (the catalogue's mse/sum-not-mean).
SUM_NOT_MEAN = "def mse(predictions, targets):\n    return np.sum((np.asarray(predictions) - np.asarray(targets)) ** 2)"


def served_course(folder: Path, policy: str = "",
                  db_url: "str | None" = None) -> tuple[CourseRoot, Path, nbformat.NotebookNode]:
    """A released course copy whose policy grades ``A`` on submit (plus ``policy`` lines), its exchange's
    course folder (``inbound/`` 0733, as ``release_assignment`` leaves it) and the answered notebook.
    ``db_url``: the gradebook ``A`` is released into (default: the course's SQLite file)."""
    root = CourseRoot.at(harness.REPO).copy_to(folder / "course", with_release=True)
    with open(root.path / "nbgrader_config.py", "a") as f:
        f.write(f"\nc.InstantFeedback.assignments = [{A!r}]\nc.InstantFeedback.poll_seconds = 0.2\n{policy}\n")
    release(root.with_gradebook(db_url), [A])
    exchange = folder / "exchange" / "descent"
    (exchange / "inbound").mkdir(parents=True)
    (exchange / "inbound").chmod(0o733)
    return root, exchange, answered_notebook(root.path)


def answered_notebook(root: Path) -> nbformat.NotebookNode:
    """``A``'s release notebook with every solution cell answered as the source answers it."""
    source = sample_submissions.read(root / "source" / A / f"{NOTEBOOK}.ipynb")
    blank = sample_submissions.read(root / "release" / A / f"{NOTEBOOK}.ipynb")
    return sample_submissions.mix(source, blank, set(grade_ids(source, "solution")))


def submit(exchange: Path, student: str, notebook: "nbformat.NotebookNode | bytes",
           with_secret: bool = True) -> tuple[str, str]:
    """Hand ``notebook`` in as ``student`` would with ``nbgrader submit``; ``(timestamp, secret)``.
    ``with_secret=False``: as an nbgrader before 0.9 would, with no ``submission_secret.txt``."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    secret = secrets.token_hex(16)
    folder = exchange / "inbound" / f"{student}+{A}+{stamp}+{secrets.token_urlsafe(9)[:12]}"
    staging = exchange / f".staging-{secrets.token_hex(4)}"  # as submit does: whole, then renamed
    staging.mkdir()
    data = notebook if isinstance(notebook, bytes) else nbformat.writes(notebook).encode()
    (staging / f"{NOTEBOOK}.ipynb").write_bytes(data)
    (staging / "timestamp.txt").write_text(stamp)
    if with_secret:
        (staging / "submission_secret.txt").write_text(secret)
    uid = pwd.getpwnam(student).pw_uid
    for path in (staging, *staging.iterdir()):
        os.chown(path, uid, uid)
    staging.rename(folder)
    return stamp, secret


def feedback_page(exchange: Path, secret: str) -> "str | None":
    """The page ``fetch_feedback`` would fetch for the submission with ``secret``, if released."""
    from nbgrader.utils import notebook_hash

    page = exchange / "feedback" / f"{notebook_hash(secret=secret, notebook_id=NOTEBOOK)}.html"
    return page.read_text() if page.exists() else None


def start_service(root: CourseRoot, exchange: Path, log: Path, **env: str) -> subprocess.Popen:
    """``descent serve`` in its own process group, logging to ``log``, with ``env`` added to its environment."""
    return subprocess.Popen([sys.executable, "-m", "course", "--root", str(root.path), "serve",
                             "--exchange", str(exchange.parent)], stdout=log.open("a"), stderr=subprocess.STDOUT,
                            start_new_session=True, env={**os.environ, **env})


def group_alive(process: subprocess.Popen) -> list[int]:
    """Pids still in the service's process group (its workers, their kernels)."""
    alive = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if os.getpgid(int(proc.name)) == process.pid:
                    alive.append(int(proc.name))
            except ProcessLookupError:
                pass
    return alive


def stop_service(process: subprocess.Popen) -> None:
    """SIGKILL the service's whole process group (its workers and their kernels too)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)


def wait_for(predicate, seconds: float, what: str, log: "Path | None" = None,
             process: "subprocess.Popen | None" = None):
    """Poll ``predicate`` until it returns something true; fail saying ``what`` (and the log's end),
    at once if ``process`` has ended."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and (process is None or process.poll() is None):
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s" + (f":\n{log.read_text()[-3000:]}" if log else ""))


def journal(root: CourseRoot) -> Journal:
    return Journal(root.path / "serve" / "queue.jsonl")


def steps(root: CourseRoot) -> list[str]:
    """Every step the journal holds, in order."""
    path = root.path / "serve" / "queue.jsonl"
    return [json.loads(line)["step"] for line in path.read_text().splitlines() if line.strip()] if path.exists() else []
