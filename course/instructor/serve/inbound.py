"""New submissions in nbgrader's exchange inbound, read as the collector's rules demand.

Every account may write into the inbound, so a folder counts only if it is a real folder owned
by the student its name gives (as :class:`..grading.intake.exchange.SafeCollect` collects), and nothing is
opened through a path a student made: the folder is opened once without following a link, its
owner read from that open folder, and its files opened relative to it, again without following
links, each size capped. Only what grading reads is taken: the notebooks, ``timestamp.txt``
(for nbgrader's late penalty) and ``submission_secret.txt`` (to release the feedback).
"""
from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
from pathlib import Path

from .journal import Key

_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
#: Files of a submission that grading and release read; everything else stays in the exchange.
KEPT = ("timestamp.txt", "submission_secret.txt")


class Refused(Exception):
    """A folder in the inbound that is not a gradable submission: the message says why."""


def parse(name: str) -> "Key | None":
    """The key of an inbound folder named ``student+assignment+timestamp+random`` (nbgrader 0.9); else None."""
    parts = name.split("+")
    if len(parts) != 4 or not all(_NAME.match(p) for p in parts[:2]) or parts[0] in (".", ".."):
        return None
    return Key(parts[1], parts[0], parts[2])


def scan(inbound: Path) -> list[tuple[Key, str]]:
    """``(key, folder name)`` of every entry of the inbound whose name parses, in timestamp order."""
    try:
        names = os.listdir(inbound)
    except FileNotFoundError:
        return []
    found = [(key, name) for name in names if (key := parse(name)) is not None]
    return sorted(found, key=lambda kn: (kn[0].timestamp, kn[1]))


def _read_file(name: str, dir_fd: int, max_bytes: int) -> bytes:
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError as exc:
        raise Refused(f"{name} could not be opened as a file ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Refused(f"{name} is not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Refused(f"{name} is over {max_bytes // 2**20} MB (c.Submissions.max_notebook_mb)")
    return data


def read_submission(inbound: Path, folder: str, student: str, max_bytes: int) -> dict[str, bytes]:
    """``{file name: bytes}`` of the notebooks and :data:`KEPT` files of one submission folder.

    Raises :class:`Refused` if the folder is a link, not a folder, not owned by ``student``, or holds
    no notebook. A notebook that is a link or too large is refused with it: a submission is graded
    whole or not at all.
    """
    try:
        uid = pwd.getpwnam(student).pw_uid
    except KeyError:
        raise Refused(f"{student} is not an account on this machine") from None
    top = os.open(inbound, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        try:
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
        except OSError:
            raise Refused(f"{folder} is a link or not a folder") from None
        try:
            if os.fstat(fd).st_uid != uid:
                raise Refused(f"{folder} is not owned by {student}")
            wanted = [n for n in sorted(os.listdir(fd)) if n.endswith(".ipynb") or n in KEPT]
            files = {name: _read_file(name, fd, max_bytes) for name in wanted}
        finally:
            os.close(fd)
    finally:
        os.close(top)
    if not any(name.endswith(".ipynb") for name in files):
        raise Refused(f"{folder} holds no notebook")
    return files


def place(root: Path, key: Key, files: dict[str, bytes]) -> Path:
    """Write ``files`` as ``submitted/<student>/<assignment>/``, replacing what was there; the folder."""
    dest = root / "submitted" / key.student / key.assignment
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name, data in files.items():
        (dest / name).write_bytes(data)
    return dest
