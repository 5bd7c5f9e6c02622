"""``grades/<assignment>/`` holds the record of one gradebook at a time.

What ``descent grade``, ``descent report`` and ``descent export`` write there (the ledger,
``grades.csv``, ``scores.png``, ``mistakes.*``, the LMS files) describes one gradebook, named
in ``gradebook.txt`` by its URL without the password. A run against another gradebook sets
that record aside in ``earlier/<name>/`` and, if that gradebook was graded here before, brings
its own record back, so each gradebook resumes from its own ledger and no file mixes two.

Moving a record is a handful of renames under the grading lock, ordered so that a run killed
halfway leaves a state the next run finishes: the owner file is written first when a record
comes in and removed last when it goes out.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Callable

from sqlalchemy.engine import URL, make_url

from ..core.coursedir import CourseError

#: The file naming the gradebook whose record a folder holds.
OWNER_FILE = "gradebook.txt"
#: Files written from one gradebook: they move with its record (``lms.json`` and the lock stay).
RECORD_FILES = ("ledger.jsonl", "grades.csv", "scores.png", "mistakes.csv", "mistakes.html",
                "canvas.csv", "moodle.csv", "csv.csv")
#: Where records of other gradebooks wait, inside ``grades/<assignment>/``.
EARLIER = "earlier"
#: A record written before records named their gradebook.
UNNAMED = "unnamed"


def gradebook_name(db_url: str) -> str:
    """``db_url`` without its password (and an SQLite path made absolute): how a gradebook is named.

    Two URLs that differ only in the password name the same gradebook.
    """
    url = make_url(db_url)
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        database = str(Path(database).resolve())
    url = URL.create(url.drivername, url.username, None, url.host, url.port, database,  # no password
                     {k: v for k, v in url.query.items() if k.lower() != "password"})
    return url.render_as_string(hide_password=False)


def folder_name(name: str) -> str:
    """A file-system-safe folder for the gradebook ``name``: backend, database, and a hash of the whole."""
    backend = name.split(":", 1)[0].split("+", 1)[0]
    database = re.split(r"[/\\]", name.split("?", 1)[0].rstrip("/"))[-1]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{backend}_{database}").strip("-.") or "gradebook"
    return f"{readable}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def owner(folder: Path) -> "str | None":
    """The gradebook whose record ``folder`` holds: its name, :data:`UNNAMED`, or None when it holds none."""
    named = folder / OWNER_FILE
    if named.is_file():
        return named.read_text(encoding="utf-8").strip()
    return UNNAMED if _record_files(folder) else None


def record_dir(top: Path, db_url: str) -> Path:
    """Where the record of ``db_url``'s gradebook lives now (``top`` is ``grades/<assignment>/``).

    ``top`` if it holds that gradebook's record or none (it is then named for it), else
    ``top/earlier/<name>/``. Moves nothing: ``descent report`` and ``descent export`` use it.
    """
    name = gradebook_name(db_url)
    here = owner(top)
    if here is None:
        _name_folder(top, name)
        return top
    if here == name:
        return top
    folder = top / EARLIER / folder_name(name)
    _name_folder(folder, name)
    return folder


def claim(top: Path, db_url: str, say: Callable[[str], None] = print) -> Path:
    """Make ``top`` hold ``db_url``'s record: set another gradebook's aside, bring this one's back.

    Call under the grading lock. Says what it moved. Returns ``top``.
    """
    name = gradebook_name(db_url)
    here = owner(top)
    if here is not None and here != name:
        kept = top / EARLIER / (UNNAMED if here == UNNAMED else folder_name(here))
        if _move_record(top, kept, here):
            say(f"{top} held the record of another gradebook ({_describe(here)}): set aside in {kept}; "
                f"this run records into {name}")
    _name_folder(top, name)
    mine = top / EARLIER / folder_name(name)
    if mine.is_dir():
        moved = _move_record(mine, top, name)
        (mine / OWNER_FILE).unlink(missing_ok=True)
        _remove_if_empty(mine)
        _remove_if_empty(top / EARLIER)
        if moved:
            say(f"{name} was graded here before: its record is back in {top}"
                + ("; this run resumes from its ledger" if "ledger.jsonl" in moved else ""))
    return top


def _describe(name: str) -> str:
    return "written before records named their gradebook" if name == UNNAMED else name


def _record_files(folder: Path) -> list[str]:
    return [f for f in RECORD_FILES if (folder / f).is_file()]


def _name_folder(folder: Path, name: str) -> None:
    """Write ``folder/gradebook.txt`` atomically (a reader never sees half a name)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / OWNER_FILE
    if path.is_file() and path.read_text(encoding="utf-8").strip() == name:
        return
    tmp = folder / f".{OWNER_FILE}.{os.getpid()}"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _move_record(src: Path, dest: Path, name: str) -> list[str]:
    """Move ``src``'s record files into ``dest`` (named ``name`` first), refusing to overwrite any; the files moved."""
    files = _record_files(src)
    if not files:
        return []  # nothing to move (a folder named but never written, or a move a crash had finished)
    clashes = [f for f in files if (dest / f).exists()]
    if clashes:
        raise CourseError(f"both {src} and {dest} hold {', '.join(clashes)} of gradebook "
                          f"{_describe(name)}: move one of them away, then grade again")
    dest.mkdir(parents=True, exist_ok=True)
    if name != UNNAMED:
        _name_folder(dest, name)
    for f in files:
        os.replace(src / f, dest / f)
    return files


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty (another record, or a file the instructor put there): leave it
