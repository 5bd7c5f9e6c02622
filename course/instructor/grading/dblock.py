"""One writer at a time for a SQLite gradebook shared by several grading processes.

SQLite allows a single writer, and nbgrader opens short transactions all through
autograding. Rather than let parallel workers race for SQLite's own lock (and
fail with "database is locked"), every step that touches the gradebook takes an
exclusive ``flock`` on a file beside it. Notebook execution, the slow part, runs
outside the lock, so workers still overlap where it matters. PostgreSQL needs no
such lock: it has real concurrent transactions.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

_lock_path: "Path | None" = None


def lock_path_for(db_url: str) -> "Path | None":
    """The lock file for a SQLite URL (``sqlite:////abs/path.db``), or None for other databases."""
    if not db_url.startswith("sqlite:///"):
        return None
    return Path(db_url.removeprefix("sqlite:///") + ".lock")


def use(db_url: str) -> None:
    """Make :func:`held` lock the gradebook at ``db_url`` in this process."""
    global _lock_path
    _lock_path = lock_path_for(db_url)


@contextlib.contextmanager
def held():
    """Hold the gradebook's lock (a no-op for databases that need none)."""
    if _lock_path is None:
        yield
        return
    fd = os.open(_lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
