"""The hub's state folder, laid out with the modes that keep students apart.

    STATE/                  0755 root  (students traverse it to reach their environment)
      hub/                  0700 root  the hub's database, cookie secret, proxy pid: no student reads them
      student-env/          0755 root  the students' Python: the student wheel and Jupyter, nothing else
      grader-env/           0755 root  the formgrader's Python (the instructor's packages; see grader_env.py)
      student-config/       0755 root  the students' JupyterLab configuration (Assignments on)
      exchange-config/      0755 root  nbgrader_config.py naming the course and the exchange
      exchange/             1777 root  nbgrader's exchange, as nbgrader documents it (world-writable,
                                       sticky)
        <course_id>/        0755 grader  made here, before any student may log in: in a world-writable
                                       folder the first to make it owns it, and nbgrader refuses a
                                       course folder its grader does not own
          inbound/          2733 grader  write-only for students: they hand in, they cannot list
          outbound/         0755 grader  the released assignments
          feedback/         0711 grader  feedback pages, each found only by its hash
      users.txt             0644 root  who may log in (students and graders), one name a line

With several graders (``descent hub --grader a --grader b``) the course's folder and its three are
the first grader's and the graders' group's, with the modes nbgrader's ``groupshared`` gives them
(:data:`SHARED_COURSE_FOLDERS`: 2775, inbound 2773, outbound 2775, feedback 2771): every grader
lists the inbound, releases, collects and releases feedback; students' rights are unchanged.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from ..grading.core.coursedir import CourseError

#: The student's Lab on the hub, kept in the repository next to the hub's config.
STUDENT_SERVER_CONFIG = Path("hub") / "student" / "jupyter_server_config.py"


@dataclass(frozen=True)
class HubLayout:
    """Paths of a hub's state folder ``state``."""

    state: Path

    @property
    def private(self) -> Path:
        return self.state / "hub"

    @property
    def student_env(self) -> Path:
        return self.state / "student-env"

    @property
    def grader_env(self) -> Path:
        return self.state / "grader-env"

    @property
    def student_config(self) -> Path:
        return self.state / "student-config"

    @property
    def exchange_config(self) -> Path:
        return self.state / "exchange-config"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def users(self) -> Path:
        return self.state / "users.txt"


def _folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, 0, 0)
    path.chmod(mode)  # set explicitly: mkdir's mode is filtered by the umask
    return path


#: The course's folders in the exchange, with the modes nbgrader's release_assignment and
#: release_feedback give them (not group-shared).
COURSE_FOLDERS = {"inbound": 0o2733, "outbound": 0o755, "feedback": 0o711}
#: The same with nbgrader's ``groupshared`` (nbgrader 0.9's exchange/default/release_assignment.py and
#: release_feedback.py; ``tests/instructor/test_hub_graders.py`` runs them): the course folder first.
SHARED_COURSE_FOLDERS = {"": 0o2775, "inbound": 0o2773, "outbound": 0o2775, "feedback": 0o2771}


def owner_name(uid: int) -> str:
    """The account name of ``uid`` (``uid N`` for an unknown one)."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _graders_folder(parent_fd: int, name: str, shown: Path, grader: pwd.struct_passwd, mode: int,
                    group: "grp.struct_group | None" = None) -> int:
    """Open folder ``name`` of ``parent_fd`` (made if absent) as the grader's, with ``mode``; its descriptor.

    Never through a link and never a folder another account made: a folder that is not root's or the
    grader's (or, with the graders' ``group``, a member's) is refused with its owner's name, untouched
    (no chown or chmod reaches it). With ``group`` the folder is given that group.
    """
    try:
        os.mkdir(name, 0o700, dir_fd=parent_fd)  # root's until it is the grader's, below
    except FileExistsError:
        pass
    before = os.stat(name, dir_fd=parent_fd, follow_symlinks=False)
    if not stat.S_ISDIR(before.st_mode):
        raise CourseError(f"{shown} is not a folder but a {'link' if stat.S_ISLNK(before.st_mode) else 'file'} "
                          f"made by {owner_name(before.st_uid)}: remove it (rm {shown}) and start `descent hub` again")
    colleagues = {pwd.getpwnam(name).pw_uid for name in group.gr_mem} if group else set()
    if before.st_uid not in {0, grader.pw_uid, *colleagues}:
        raise CourseError(f"{shown} belongs to {owner_name(before.st_uid)}, not to the grader {grader.pw_name}: "
                          "any account may make it in the world-writable exchange (a student who logged in "
                          "before the course's first release, or the hub's grader before a change of --grader), "
                          "and nbgrader then refuses to release into it (\"You don't own the directory\"). See "
                          f"what it holds, remove it (rm -r {shown}) and start `descent hub` again")
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent_fd)
    try:
        info = os.fstat(fd)
        if (info.st_dev, info.st_ino, info.st_uid) != (before.st_dev, before.st_ino, before.st_uid):
            raise CourseError(f"{shown} changed while `descent hub` set it up: start `descent hub` again")
        os.fchown(fd, grader.pw_uid, group.gr_gid if group else grader.pw_gid)
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


def course_exchange(exchange: Path, course: str, grader: str, group: "str | None" = None) -> None:
    """``exchange/<course>`` and its inbound, outbound and feedback: the grader's, with nbgrader's modes
    (with the graders' ``group``: the group's too, with nbgrader's group-shared modes).

    The exchange is world-writable, so a student could make the course folder first; it is made
    here, before the hub lets anyone log in, and one another account made is refused (see
    :func:`_graders_folder`).
    """
    account = pwd.getpwnam(grader)
    shared = grp.getgrnam(group) if group else None
    modes = SHARED_COURSE_FOLDERS if shared else {"": 0o755, **COURSE_FOLDERS}
    exchange_fd = os.open(exchange, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(exchange_fd).st_uid != 0:
            raise CourseError(f"{exchange} is not root's: remove it and start `descent hub` again")
        course_fd = _graders_folder(exchange_fd, course, exchange / course, account, modes[""], shared)
        try:
            for name in COURSE_FOLDERS:
                os.close(_graders_folder(course_fd, name, exchange / course / name, account, modes[name], shared))
        finally:
            os.close(course_fd)
    finally:
        os.close(exchange_fd)


def exchange_config_text(exchange: Path, course: str) -> str:
    """``nbgrader_config.py`` for everyone on the hub: the course id and the exchange root."""
    return ('"""Written by `descent hub`: the course and nbgrader\'s exchange on this hub."""\n'
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {course!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n")


def prepare(state: Path, root: Path, course: str, users: list[str], grader: str = "root",
            group: "str | None" = None) -> HubLayout:
    """Create or refresh the state folder's folders and files with their owners and modes.

    ``group``: the graders' group, when several graders share the course (``grader`` is the first).
    Raises :class:`CourseError` (nothing started, nothing of a student's changed) when the course's
    folder in the exchange was made by someone other than root, ``grader`` or a member of ``group``."""
    layout = HubLayout(state.resolve())
    _folder(layout.state, 0o755)
    _folder(layout.private, 0o700)
    _folder(layout.student_config, 0o755)
    _folder(layout.exchange_config, 0o755)
    _folder(layout.exchange, 0o1777)
    course_exchange(layout.exchange, course, grader, group)
    shutil.copyfile(root / STUDENT_SERVER_CONFIG, layout.student_config / "jupyter_server_config.py")
    (layout.exchange_config / "nbgrader_config.py").write_text(exchange_config_text(layout.exchange, course))
    layout.users.write_text("".join(f"{u}\n" for u in users))
    for written in (layout.student_config / "jupyter_server_config.py",
                    layout.exchange_config / "nbgrader_config.py", layout.users):
        written.chmod(0o644)
    return layout
