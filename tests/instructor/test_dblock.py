"""grading.core.dblock: one writer at a time for a SQLite gradebook shared by grading processes."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.instructor.grading.core import dblock

REPO = Path(__file__).resolve().parents[2]

#: A worker: wait for the go file, hold the gradebook lock for HOLD seconds, write when it held it.
WORKER = """
import sys, time
from pathlib import Path
from course.instructor.grading.core import dblock
url, go, out, hold = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4])
out.with_suffix(".ready").touch()
while not go.exists():
    time.sleep(0.005)
with dblock.held(url):
    start = time.monotonic()
    time.sleep(hold)
    end = time.monotonic()
out.write_text(f"{start} {end}")
"""
HOLD = 0.4


def _contend(tmp_path: Path, url: str, n: int = 2) -> list[tuple[float, float]]:
    """Start ``n`` workers at once on ``url``; the (start, end) of each one's time holding the lock."""
    go = tmp_path / "go"
    outs = [tmp_path / f"worker{i}.txt" for i in range(n)]
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(go), str(out), str(HOLD)], cwd=REPO)
             for out in outs]
    deadline = time.monotonic() + 60
    while not all(out.with_suffix(".ready").exists() for out in outs):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a worker did not start"
        time.sleep(0.01)
    go.touch()
    for p in procs:
        assert p.wait(timeout=60) == 0
    return sorted(tuple(map(float, out.read_text().split())) for out in outs)


def test_sqlite_writers_in_two_processes_take_turns(tmp_path):
    """Do two processes that want the lock at the same moment hold it one after the other?"""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    (first_start, first_end), (second_start, second_end) = _contend(tmp_path, url)
    assert first_end <= second_start, "both held the gradebook's lock at once"
    assert second_end - first_start >= 2 * HOLD
    assert (tmp_path / "gradebook.db.lock").exists()


def test_without_the_lock_the_same_workers_overlap(tmp_path):
    """The control: on a URL that needs no lock (PostgreSQL), do the same workers run at once?"""
    (first_start, first_end), (second_start, _) = _contend(tmp_path, "postgresql://nobody@localhost/gradebook")
    assert second_start < first_end


def test_lock_file_sits_beside_a_sqlite_gradebook_only():
    """Is the lock file the database's path plus .lock, and is there none for other databases?"""
    assert dblock.lock_path_for("sqlite:////srv/course/gradebook.db") == Path("/srv/course/gradebook.db.lock")
    assert dblock.lock_path_for("sqlite:///gradebook.db") == Path("gradebook.db.lock")
    assert dblock.lock_path_for("postgresql://grader@db/course") is None


def test_lock_is_released_when_the_holder_fails(tmp_path):
    """After an exception inside held(), can another open of the lock file take it at once?"""
    import fcntl
    import os

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with pytest.raises(RuntimeError):
        with dblock.held(url):
            raise RuntimeError("nbgrader failed mid-transaction")
    fd = os.open(tmp_path / "gradebook.db.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if still held
    finally:
        os.close(fd)
