"""Submissions from nbgrader's exchange (a course hub): ``descent grade ASSIGNMENT --exchange``.

``nbgrader collect`` copies each student's latest submission from the exchange's inbound into
``submitted/<student>/<assignment>/``; the usual pipeline then grades ``submitted/``. Every
student can write into the inbound, so its collector is :class:`SafeCollect`: a submission
folder counts only if it is a real folder owned by the student it names (nbgrader's own
collector only warns), and its files are copied without following a link, size capped, so a
link planted there cannot make the grader copy what the grader may read and the student may not.
A submission whose ``timestamp.txt`` the student deleted gets the time its folder is named by.

``nbgrader release_feedback`` goes through :class:`SafeReleaseFeedback` (``nbgrader_config.py``):
a feedback folder without its submission's secret is passed over, the rest of the class gets theirs.

Several graders (``descent hub --grader a --grader b``) share the exchange's course folder through
one group, with nbgrader's ``groupshared`` modes; nbgrader then no longer asks that a grader own
the folders it writes into. Both classes ask instead that the course's folders be made by root,
by this grader or by another member of their group (:func:`.group_share.made_by_a_colleague`),
and the collector gives the group what it copies, so any grader may grade it again.
"""
from __future__ import annotations

import contextlib
import fnmatch
import glob
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.utils import notebook_hash

from ..core.coursedir import CourseError, CourseRoot
from ..core.group_share import made_by_a_colleague, shared_mode
from ..core.safe_io import NotARegularFile, read_capped

#: The hand-in time in a feedback folder whose submission came without one.
UNKNOWN_TIMESTAMP = "unknown (the submission had no timestamp.txt)"
#: written by the course's collector beside each submission it copies from nbgrader's exchange, so
#: staging can tell an exchange hand-in (which must carry nbgrader's secret) from an LMS import,
#: which has a timestamp.txt and never a secret
COLLECTED_MARK = ".collected_from_exchange"


def refuse_strangers_folders(exchange, *paths: str) -> None:
    """``exchange.fail`` unless each of ``paths`` is a real folder made by root, this grader or a colleague."""
    for path in paths:
        try:
            info = os.lstat(path)
        except OSError:
            continue  # absent: nbgrader's own step says so, or makes it
        if not made_by_a_colleague(info):
            exchange.fail(f"{path} is not a folder made by root, by you or by a grader of your group: nothing done "
                          "(`descent hub` makes the course's folders in the exchange)")


class SafeCollect(ExchangeCollect):
    """nbgrader's collector, keeping only submissions owned by their student and copying no link."""

    def init_src(self):
        course = os.path.join(self.root, self.coursedir.course_id)
        refuse_strangers_folders(self, course, os.path.join(course, "inbound"))
        super().init_src()

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
        parts = os.path.basename(src).split("+")
        if len(parts) >= 3 and not os.path.lexists(os.path.join(dest, "timestamp.txt")):
            # The student deleted it from their inbound folder: the hand-in time nbgrader named the
            # folder by stands in (late penalties, and `release_feedback` reads it).
            self.log.warning(f"{src} has no timestamp.txt: the time in its name is used")
            Path(dest, "timestamp.txt").write_text(parts[2][:100])
        try:  # never through anything the student's folder held under that name (a folder, say)
            flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
            os.close(os.open(os.path.join(dest, COLLECTED_MARK), flags, 0o644))
        except OSError as exc:
            self.log.error(f"{dest}: could not mark it as collected from the exchange ({exc})")
        if self.coursedir.groupshared:  # nbgrader's own copy does this step; the course's copy replaces it
            _give_the_group(Path(dest), self.log)


class SafeReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release of feedback (the same pages, the same names), passing over with an error a
    feedback folder it cannot release.

    nbgrader's own stops the whole class at the first folder without ``submission_secret.txt`` or
    ``timestamp.txt``; ``descent grade`` always writes both, but feedback the formgrader made, or a
    folder graded before, may lack them.
    """

    def init_dest(self):
        course = os.path.join(self.root, self.coursedir.course_id)
        refuse_strangers_folders(self, course, os.path.join(course, "feedback"))
        super().init_dest()

    def copy_files(self):
        exclude = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
        pattern = re.escape(os.path.sep).join([
            self.coursedir.format_path(self.coursedir.feedback_directory, "(?P<student_id>.*)",
                                       self.coursedir.assignment_id, escape=True),
            "(?P<notebook_id>.*).html"])
        for page in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            found = re.match(pattern, page)
            if found is None:
                self.log.error(f"Could not match '{page}' with regexp '{pattern}'")
                continue
            student, notebook = found.group("student_id"), found.group("notebook_id")
            if student in exclude:
                continue
            folder = os.path.dirname(page)
            try:
                with open(os.path.join(folder, "submission_secret.txt")) as fh:
                    secret = fh.read()
            except OSError:
                self.log.error(f"{page}: no submission_secret.txt beside it, so {student} could not find it: not "
                               "released (grade the assignment again with `descent grade ASSIGNMENT --exchange`)")
                continue
            try:
                with open(os.path.join(folder, "timestamp.txt")) as fh:
                    timestamp = fh.read()
            except OSError:
                timestamp = UNKNOWN_TIMESTAMP
            checksum = notebook_hash(secret=secret, notebook_id=notebook)
            self.log.info(f"Releasing feedback for student '{student}' on assignment "
                          f"'{self.coursedir.course_id}/{self.coursedir.assignment_id}/{notebook}' ({timestamp})")
            temporary = os.path.join(self.dest_path, f"{checksum}-tmp.html")
            with contextlib.suppress(FileNotFoundError):  # left by a release that stopped (another grader's)
                os.unlink(temporary)
            shutil.copy(page, temporary)
            shutil.move(temporary, os.path.join(self.dest_path, f"{checksum}.html"))  # atomic, as nbgrader's


def _give_the_group(dest: Path, log) -> None:
    """Every folder and file nbgrader's collect just made under ``dest`` (links left alone): the group's too."""
    for folder, _subfolders, files in os.walk(dest, followlinks=False):
        for path in [folder, *(os.path.join(folder, name) for name in files)]:
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
                try:
                    os.chmod(path, shared_mode(info.st_mode, stat.S_ISDIR(info.st_mode)))
                except PermissionError:
                    log.warning(f"Could not update permissions of {path} to make it groupshared")


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
    # nbgrader runs `alembic` from PATH when it creates the gradebook: this environment's first.
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    result = subprocess.run([sys.executable, "-m", "nbgrader", "collect", "--update", assignment,
                             f"--ExchangeFactory.collect={SafeCollect.__module__}.{SafeCollect.__name__}"],
                            cwd=root.path, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise CourseError(f"nbgrader collect {assignment} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr
