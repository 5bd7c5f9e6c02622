"""One writer at a time for a SQLite gradebook shared by several grading processes.

SQLite allows a single writer, and nbgrader opens short transactions all through
autograding. Rather than let parallel workers race for SQLite's own lock (and
fail with "database is locked"), every step that touches the gradebook takes an
exclusive ``flock`` on a file beside it. Notebook execution, the slow part, runs
outside the lock, so workers still overlap where it matters. PostgreSQL needs no
such lock: it has real concurrent transactions.

The lock is per open file, not per process: never take it again while it is held.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Iterator


def lock_path_for(db_url: str) -> "Path | None":
    """The lock file for a SQLite URL (``sqlite:////abs/path.db``), or None for other databases."""
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url.removeprefix("sqlite:///") + ".lock")


@contextlib.contextmanager
def held(db_url: str) -> Iterator[None]:
    """Hold the lock of the gradebook at ``db_url`` (a no-op for databases that need none)."""
    lock_path = lock_path_for(db_url)
    if lock_path is None:
        yield
        return
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)  # the umask decides: 0664 where graders share the root
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextlib.contextmanager
def open_gradebook(db_url: str) -> Iterator:
    """nbgrader's ``Gradebook`` at ``db_url``, opened, used and closed with its lock held."""
    from nbgrader.api import Gradebook  # SQLAlchemy and nbgrader: not on the `descent --help` path

    with held(db_url), Gradebook(db_url) as gb:
        yield gb
