"""A course root several graders share through one group (``descent hub --grader a --grader b``).

Sharing is marked on the course root itself: a folder with the set-group-id bit and group
write. Inside it every folder is set-group-id (what a grader makes there takes the folder's
group, not the grader's own) and gives its group what it gives its owner, and so does every
file; every grader works under umask 002, so what one writes the others may rewrite. The
course's ``nbgrader_config.py`` reads the mark: nbgrader (``groupshared``), the formgrader and
``descent`` then keep it that way. A root without the mark is one grader's, as before.

``python -m course.instructor.grading.core.group_share ROOT GROUP`` shares a root; ``descent hub``
runs it as the root's owner (never as root), so it changes nothing its owner could not.
"""
from __future__ import annotations

import grp
import os
import pwd
import stat
import sys
from pathlib import Path

#: What a process writing into a shared course root uses: its group may write too, others nothing more.
SHARED_UMASK = 0o002


def shared_mode(mode: int, is_dir: bool) -> int:
    """The permission bits of ``mode`` with the group given exactly the owner's; folders set-group-id.

    Others keep what they had (nothing, in a course root students must not read).
    """
    bits = stat.S_IMODE(mode)
    shared = (bits & ~0o070) | ((bits & 0o700) >> 3)
    return shared | stat.S_ISGID if is_dir else shared & ~stat.S_ISGID


def is_group_shared(root: "str | Path") -> bool:
    """Whether ``root`` is a real folder marked as shared (set-group-id, group-writable)."""
    try:
        info = os.lstat(root)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and bool(info.st_mode & stat.S_ISGID) and bool(info.st_mode & stat.S_IWGRP)


def adopt_group_umask(root: "str | Path") -> bool:
    """In a shared course root, make this process write for its group (umask 002); whether it is shared."""
    if not is_group_shared(root):
        return False
    before = os.umask(SHARED_UMASK)
    os.umask((before & ~0o070) | SHARED_UMASK)  # the group may write; others keep what they were denied
    return True


def group_members(gid: int) -> set[str]:
    """The accounts in group ``gid``: listed in it, or having it as their own group."""
    try:
        members = set(grp.getgrgid(gid).gr_mem)
    except KeyError:
        return set()
    return members | {p.pw_name for p in pwd.getpwall() if p.pw_gid == gid}


def made_by_a_colleague(info: os.stat_result) -> bool:
    """Whether a folder (``lstat``) is one this grader may trust in a shared exchange: a real folder owned
    by root, by this account, or by a member of a group this account is in that is the folder's group.

    A student's submission folder in the set-group-id inbound takes the graders' group too, but its
    owner is not a member: it is not trusted.
    """
    if not stat.S_ISDIR(info.st_mode):
        return False
    if info.st_uid in (0, os.geteuid()):
        return True
    if info.st_gid not in os.getgroups() and info.st_gid != os.getegid():
        return False
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        return False
    return owner in group_members(info.st_gid)


def _share_one(path: Path, gid: int) -> None:
    info = os.lstat(path)
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        return  # a link (or a device, a socket): left alone
    wanted = shared_mode(info.st_mode, stat.S_ISDIR(info.st_mode))
    if info.st_gid != gid:
        os.chown(path, -1, gid, follow_symlinks=False)
    if stat.S_IMODE(info.st_mode) != wanted or info.st_gid != gid:  # a chown may drop set-group-id
        os.chmod(path, wanted)


def share_tree(root: Path, gid: int) -> list[str]:
    """Give every folder and file under ``root`` (``root`` too) the group ``gid`` and :func:`shared_mode`.

    Links are neither followed nor changed. What this account may not change (another grader's
    file) is left as it is and named in the returned list.
    """
    problems = []
    for folder, _subfolders, files in os.walk(root, followlinks=False):  # each subfolder is its own step
        for path in [Path(folder), *(Path(folder) / name for name in files)]:
            try:
                _share_one(path, gid)
            except OSError as exc:
                problems.append(f"{path}: {exc.strerror}")
    return problems


def main(argv: "list[str] | None" = None) -> int:
    """``ROOT GROUP``: share ``ROOT`` with ``GROUP``; what could not be changed goes to stderr."""
    root, group = (argv if argv is not None else sys.argv[1:])
    problems = share_tree(Path(root), grp.getgrnam(group).gr_gid)
    for problem in problems:
        print(f"not shared: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
