"""Releasing one submission's feedback into the exchange, as ``nbgrader release_feedback --student`` does.

nbgrader's student side (``fetch_feedback``) looks for ``<course>/feedback/<hash>.html`` in the
exchange, the hash being MD5 of the submission's secret and the notebook's name; each submission
has its own secret, so each gets its own page. Pages are written to a temporary name and renamed
(a student never fetches half a page), relative to the feedback folder opened without following
a link. When the policy hides the score, every "Score: x / y" of nbgrader's page is removed.
"""
from __future__ import annotations

import html
import os
import re
import stat
from pathlib import Path

from nbgrader.utils import notebook_hash

_SCORE = re.compile(r"\s*\(?Score: -?[\d.]+ / -?[\d.]+\)?")


def without_scores(page: str) -> str:
    """nbgrader's feedback page with every "Score: x / y" (and its brackets) removed."""
    return _SCORE.sub("", page)


def message_page(assignment: str, notebook: str, message: str) -> str:
    """A small page in place of feedback: the submission waits, or could not be graded."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(assignment)}: {html.escape(notebook)}</title></head>\n"
            f"<body><h1>{html.escape(notebook)}</h1><p>{html.escape(message)}</p></body></html>\n")


def _feedback_folder(exchange_course: Path) -> int:
    """The exchange's ``<course>/feedback`` folder (made 0711, as nbgrader makes it), opened; its fd.

    The course folder and the feedback folder must both be the grader's own real folders (the
    exchange root is writable by every account: a link or a folder a student made there is refused).
    """
    me = os.geteuid()
    course = os.open(exchange_course, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(course).st_uid != me:
            raise PermissionError(f"{exchange_course} is not the grader's own folder: nothing released")
        try:
            os.mkdir("feedback", 0o711, dir_fd=course)
            os.chmod("feedback", 0o711, dir_fd=course)  # mkdir's mode passes through the umask
        except FileExistsError:
            pass
        fd = os.open("feedback", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=course)
    finally:
        os.close(course)
    if os.fstat(fd).st_uid != me:
        os.close(fd)
        raise PermissionError(f"{exchange_course / 'feedback'} is not the grader's own folder: nothing released")
    return fd


def publish(exchange_course: Path, secret: str, pages: dict[str, str]) -> list[str]:
    """Write ``{notebook name: page}`` for the submission whose secret is ``secret``; the files' names."""
    fd = _feedback_folder(exchange_course)
    written = []
    try:
        for notebook, page in pages.items():
            name = f"{notebook_hash(secret=secret, notebook_id=notebook)}.html"
            temporary = f".{name}.tmp"
            with _NewFile(temporary, fd) as handle:
                handle.write(page.encode("utf-8"))
            os.rename(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
            written.append(name)
    finally:
        os.close(fd)
    return written


class _NewFile:
    """A file created fresh (never through a link) in the folder ``dir_fd``, mode 0644."""

    def __init__(self, name: str, dir_fd: int):
        self.name, self.dir_fd = name, dir_fd

    def __enter__(self):
        try:
            os.unlink(self.name, dir_fd=self.dir_fd)
        except FileNotFoundError:
            pass
        fd = os.open(self.name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=self.dir_fd)
        os.fchmod(fd, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        self.handle = os.fdopen(fd, "wb")
        return self.handle

    def __exit__(self, *exc):
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()


def feedback_pages(root: Path, student: str, assignment: str, show_score: bool) -> dict[str, str]:
    """``{notebook name: page}`` from ``feedback/<student>/<assignment>/``, scores removed unless shown."""
    folder = root / "feedback" / student / assignment
    pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))} if folder.is_dir() else {}
    return pages if show_score else {k: without_scores(v) for k, v in pages.items()}
