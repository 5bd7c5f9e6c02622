"""One ``descent grade`` at a time per course and assignment.

Two runs of the same assignment (a second terminal, a cron job) would share
``submitted/``, the staging folder, ``autograded/`` and the ledger: one could delete
the notebook the other is grading. The second run therefore waits for the first,
saying so, on an exclusive ``flock`` of ``grades/<assignment>/.grade.lock``. The
kernel releases the lock when the holder exits, even after ``kill -9``.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from pathlib import Path
from typing import Callable, Iterator


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 512).decode("utf-8", "replace").strip()
    return f" ({text})" if text else ""


@contextlib.contextmanager
def grading_lock(lock_path: Path, what: str, say: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the lock at ``lock_path``; if another process holds it, say so and wait.

    Parameters
    ----------
    lock_path
        The lock file (created if missing).
    what
        What is locked, for the message, e.g. ``"descent grade 01_loss_functions"``.
    say
        Where the waiting message goes.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask decides: 0664 where graders share the root
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another `{what}` is running{_holder(fd)}: waiting for it to finish "
                "(Ctrl-C to stop waiting)")
            began = time.monotonic()
            fcntl.flock(fd, fcntl.LOCK_EX)
            say(f"the other `{what}` finished after {time.monotonic() - began:.0f} s of waiting: grading now")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {time.strftime('%H:%M:%S')}".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
