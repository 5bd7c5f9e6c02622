"""The service and ``descent grade`` take turns on an assignment: both write ``submitted/`` and the staging folder.

The service holds ``grades/<assignment>/.grade.lock`` (the lock of :mod:`..grading.core.runlock`)
while any submission of that assignment is grading or awaiting release, and never waits for it:
while a ``descent grade`` holds it, that assignment's submissions stay queued.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path


class AssignmentLocks:
    """Non-blocking ``flock`` s of the assignments' grading locks, one open file per assignment."""

    def __init__(self, lock_path):
        self._lock_path = lock_path  # assignment -> Path
        self._held: dict[str, int] = {}

    def take(self, assignment: str) -> bool:
        """Hold ``assignment``'s lock (already held: True); False while another process holds it."""
        if assignment in self._held:
            return True
        path: Path = self._lock_path(assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)  # 0664 where graders share the root
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"descent serve, pid {os.getpid()}".encode())
        self._held[assignment] = fd
        return True

    def release_except(self, busy: set[str]) -> None:
        """Let go of every held lock but those of ``busy`` assignments."""
        for assignment in [a for a in self._held if a not in busy]:
            fd = self._held.pop(assignment)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
