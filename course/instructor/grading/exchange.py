"""Submissions from nbgrader's exchange (a course hub): ``descent grade ASSIGNMENT --exchange``.

``nbgrader collect`` copies each student's latest submission from the exchange's inbound into
``submitted/<student>/<assignment>/``; the usual pipeline then grades ``submitted/``. Every
student can write into the inbound, so its collector is :class:`SafeCollect`: a submission
folder counts only if it is a real folder owned by the student it names (nbgrader's own
collector only warns), and its files are copied without following a link, size capped, so a
link planted there cannot make the grader copy what the grader may read and the student may not.
"""
from __future__ import annotations

import fnmatch
import os
import pwd
import stat
import subprocess
import sys
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect

from .coursedir import CourseError, CourseRoot
from .safe_io import NotARegularFile, read_capped


class SafeCollect(ExchangeCollect):
    """nbgrader's collector, keeping only submissions owned by their student and copying no link."""

    def _owned_by_its_student(self, record: dict) -> bool:
        path = os.path.join(self.inbound_path, record["filename"])
        try:
            info = os.lstat(path)
            uid = pwd.getpwnam(record["username"]).pw_uid
        except (OSError, KeyError):
            info, uid = None, None
        genuine = info is not None and stat.S_ISDIR(info.st_mode) and info.st_uid == uid
        if not genuine:
            self.log.error(f"{record['filename']} is not a folder owned by {record['username']}: not collected")
        return genuine

    def _sort_by_timestamp(self, records):
        # Each student's latest *genuine* submission: a folder another account planted under a
        # student's name neither counts nor hides the student's own.
        genuine = [r for r in records if not self.check_owner or self._owned_by_its_student(r)]
        return super()._sort_by_timestamp(genuine or records)

    def do_copy(self, src, dest, log=None):
        if self.check_owner and not self._owned_by_its_student(
                {"filename": os.path.basename(src), "username": Path(dest).parent.name}):
            return
        _copy_without_links(Path(src), Path(dest), self.coursedir.max_file_size * 1000, self.coursedir.ignore,
                            self.log)


def _copy_without_links(src: Path, dest: Path, max_bytes: int, ignore: list, log) -> None:
    """Copy the regular files and folders under ``src`` (never a link, nothing over ``max_bytes``)."""
    dest.mkdir(parents=True, exist_ok=True)
    with os.scandir(src) as entries:
        for entry in entries:
            if any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignore):
                continue
            if entry.is_dir(follow_symlinks=False):
                _copy_without_links(src / entry.name, dest / entry.name, max_bytes, ignore, log)
            elif entry.is_file(follow_symlinks=False):
                try:
                    data = read_capped(src / entry.name, max_bytes)
                except (OSError, NotARegularFile):  # swapped for a link since the listing
                    log.error(f"{src / entry.name} could not be read as a file: not collected")
                    continue
                if len(data) > max_bytes:
                    log.error(f"{src / entry.name} is over {max_bytes} bytes: not collected")
                    continue
                (dest / entry.name).write_bytes(data)
            else:
                log.error(f"{src / entry.name} is a link or not a file: not collected")


def collect(root: CourseRoot, assignment: str) -> str:
    """Run ``nbgrader collect`` with :class:`SafeCollect` in the course root; its log."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", "collect", "--update", assignment,
                             f"--ExchangeFactory.collect={SafeCollect.__module__}.{SafeCollect.__name__}"],
                            cwd=root.path, capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"nbgrader collect {assignment} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr
