"""Several graders of one course (``descent hub --grader a --grader b``): one group, one course root, one gradebook.

The graders' system group ``<course>-graders`` holds every grader account. The course root is
shared with it (:mod:`..grading.group_share`: set-group-id folders, the group given the owner's
rights), by its owner's own process, never by root, so no link a grader left there is followed
with root's rights. The exchange's course folder is the group's too (:mod:`.layout`). The
gradebook must be a database server every grader reaches: PostgreSQL. SQLite is refused: its
gradebook is one file every grader's processes would write, through journal files each one makes
with its own owner and umask, beside the lock file ``descent`` holds; a database server takes
writers from any account.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..grading.core.coursedir import CourseError

#: POSIX's portable user and group names: letters, digits, '.', '_', '-'; not starting with '-'.
_NOT_PORTABLE = re.compile(r"[^a-z0-9._-]+")
#: Longest group name ``groupadd`` accepts on Debian and most others.
GROUP_NAME_MAX = 32


def graders_group(course: str) -> str:
    """The group of ``course``'s graders: ``<course>-graders``, made a portable group name (at most 32)."""
    name = _NOT_PORTABLE.sub("-", course.lower()).strip("-.") or "course"
    if not name[0].isalpha() and name[0] != "_":
        name = f"c{name}"
    return f"{name[:GROUP_NAME_MAX - len('-graders')]}-graders"


def split_graders(given: "list[str] | None", default: str) -> list[str]:
    """``--grader a --grader b,c`` as ``[a, b, c]`` (each once, in order); ``[default]`` if none given."""
    names = [n.strip() for item in given or [] for n in item.split(",") if n.strip()]
    return list(dict.fromkeys(names)) or [default]


def check_shared_gradebook(url: str, graders: list[str]) -> None:
    """Refuse, with how to fix it, a gradebook several graders cannot share (SQLite)."""
    if len(graders) > 1 and url.startswith("sqlite"):
        raise CourseError(f"{len(graders)} graders ({', '.join(graders)}) would share the SQLite gradebook {url}: "
                          "give them one PostgreSQL database instead, e.g. start the hub with "
                          "DESCENT_DB_URL=postgresql://descent@db-host/descent (or set c.CourseDirectory.db_url "
                          "in the course's nbgrader_config.py)")


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, cwd="/")


def ensure_group(group: str, graders: list[str]) -> None:
    """Make the group (if absent) and add every grader to it (members already there stay)."""
    if _run(["groupadd", "--force", group]).returncode:
        raise CourseError(f"could not create the graders' group {group} (groupadd)")
    for name in graders:
        added = _run(["usermod", "--append", "--groups", group, name])
        if added.returncode:
            raise CourseError(f"could not add {name} to {group}: {added.stderr.strip()}")


def as_owner(owner: str, python: Path, root: Path, *args: str) -> subprocess.CompletedProcess:
    """``python args`` run as ``owner`` in the course root (its environment: root's, as ``runuser`` keeps it)."""
    return subprocess.run(["runuser", "-u", owner, "--", str(python), *args], capture_output=True, text=True,
                          cwd=str(root))


def gradebook_url(owner: str, python: Path, root: Path) -> str:
    """The gradebook URL the course names, read as ``owner`` (root never runs the course's configuration)."""
    said = as_owner(owner, python, root, "-c", "from course.instructor.grading.core.coursedir import CourseRoot; "
                    f"print(CourseRoot.at({str(root)!r}).db_url)")
    if said.returncode:
        raise CourseError(f"could not read the course's gradebook URL as {owner}:\n{said.stderr[-2000:]}")
    return said.stdout.strip().splitlines()[-1]


def share_course_root(owner: str, python: Path, root: Path, group: str) -> None:
    """Share the course root with ``group``, as its owner (see :mod:`..grading.group_share`)."""
    done = as_owner(owner, python, root, "-m", "course.instructor.grading.core.group_share", str(root), group)
    if done.returncode:
        raise CourseError(f"sharing {root} with {group}, as its owner {owner}, left some of it as it was "
                          f"(their owners may run `chgrp -R {group}` and `chmod -R g=u` on them):\n"
                          f"{done.stderr[-3000:]}")


def check_graders_reach(root: Path, graders: list[str]) -> None:
    """Refuse when a grader cannot write the course root or read ``source/`` (a folder above it is closed)."""
    for name in graders:
        if _run(["runuser", "-u", name, "--", "test", "-w", str(root), "-a", "-r", str(root / "source")]).returncode:
            raise CourseError(f"the grader {name} cannot reach the course root {root}: keep a course several graders "
                              "share outside any one grader's home (e.g. /srv/descent-course, `chmod 711 /srv`), so "
                              "that each folder above it lets every grader pass")
