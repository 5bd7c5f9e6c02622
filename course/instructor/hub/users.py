"""``descent roster import FILE --hub``: one system account per roster student, and the hub's allowed list.

Each student's ``student_id`` is their login name (:func:`..grading.intake.lms_roster.login_name`): with
PAM it is the system user the student logs in as; the same name is the student's folder in
nbgrader's exchange and ``submitted/``. Accounts are made with ``useradd --create-home`` (home
mode 0700: Debian's ``useradd`` leaves homes readable by everyone), no password (PAM logins
need one set by the institution's usual means; an OAuth or LTI login needs none) and no
personal data in ``/etc/passwd``, which every account can read. Each joins the group
``<course>-students``: that is how a re-import tells the course's own accounts, which it
leaves as they are, from any other account of the same name, which it refuses to adopt.
Nothing is ever deleted or renamed. The names go into ``STATE/users.txt``, the list
``descent hub`` lets log in.
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..grading.core.coursedir import CourseError
from ..grading.intake.lms_roster import LOGIN

#: Accounts below this uid are the system's own (login.defs' UID_MIN on Debian and most others).
UID_MIN = 1000


def students_group(course: str) -> str:
    """The group every student account of ``course`` belongs to."""
    return f"{course}-students"


@dataclass
class AccountPlan:
    """What ``--hub`` will do: accounts to create, accounts already there, and names it refuses."""

    create: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def plan_accounts(names: list[str], group: str) -> AccountPlan:
    """Sort the roster's login names into new, already the course's, and refused (with why)."""
    plan = AccountPlan()
    try:
        members = set(grp.getgrnam(group).gr_mem)
    except KeyError:
        members = set()
    for name in names:
        if not LOGIN.match(name):
            plan.problems.append(f"{name!r} is not a login name (lowercase letters, digits, '.', '_' or '-', "
                                 "a letter first, at most 32): change its student_id in the roster")
            continue
        try:
            account = pwd.getpwnam(name)
        except KeyError:
            plan.create.append(name)
            continue
        if name in members and account.pw_uid >= UID_MIN:
            plan.existing.append(name)
        else:
            plan.problems.append(f"{name!r} is already a system account that is not one of this course's students "
                                 f"(not in group {group}): give the student another login in the roster, or, if "
                                 f"it is theirs, `usermod -aG {group} {name}`")
    return plan


def check_can_create(plan: AccountPlan) -> None:
    """Refuse before anything is written: not root, or any name refused."""
    if os.geteuid() != 0:
        raise CourseError("--hub creates system accounts: run `descent roster import ... --hub` as root")
    if plan.problems:
        raise CourseError(f"--hub: {len(plan.problems)} login name(s) refused, nothing imported:\n  "
                          + "\n  ".join(plan.problems))


def _private_home(name: str) -> None:
    """chmod 0700 the home ``useradd`` just made, without following a link."""
    account = pwd.getpwnam(name)
    fd = os.open(account.pw_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(fd).st_uid != account.pw_uid:
            raise CourseError(f"{account.pw_dir} is not owned by {name}: left as it is")
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def create_accounts(plan: AccountPlan, group: str) -> list[str]:
    """Create the planned accounts (and the group); the failures, each with ``useradd``'s words."""
    if subprocess.run(["groupadd", "--force", group], capture_output=True, text=True).returncode:
        raise CourseError(f"could not create the group {group}")
    shell = "/bin/bash" if Path("/bin/bash").exists() else "/bin/sh"
    failures = []
    for name in plan.create:
        done = subprocess.run(["useradd", "--create-home", "--shell", shell, "--groups", group, name],
                              capture_output=True, text=True)
        if done.returncode:
            failures.append(f"{name}: useradd failed: {done.stderr.strip()}")
            continue
        _private_home(name)
    return failures


def foreign_owner(folder: Path) -> "str | None":
    """The account owning ``folder`` when root runs this and that account is not root, else None."""
    uid = folder.stat().st_uid
    if os.geteuid() != 0 or uid == 0:
        return None
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def read_allowed(state: Path) -> list[str]:
    """The names in ``STATE/users.txt`` (none if there is no such file)."""
    path = state / "users.txt"
    return [u for u in path.read_text().split() if u] if path.is_file() and not path.is_symlink() else []


def hub_students(state: Path, users_file: "Path | None", graders: list[str]) -> list[str]:
    """Whom ``descent hub`` lets log in besides the graders: ``--users FILE``, else ``STATE/users.txt``."""
    names = users_file.read_text().split() if users_file else read_allowed(state)
    return [n for n in names if n not in graders]


def allow(state: Path, names: list[str]) -> list[str]:
    """Add ``names`` to ``STATE/users.txt`` (kept: everyone already there); the names added."""
    state = state.resolve()
    if state.exists():
        info = state.stat()
        if info.st_uid != 0 or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise CourseError(f"{state} must be owned by root and writable by root only (it holds the hub's secrets)")
    else:
        state.mkdir(mode=0o755, parents=True)
    known = read_allowed(state)
    added = [n for n in names if n not in known]
    if added:
        temporary = state / ".users.txt.new"
        temporary.unlink(missing_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w") as f:
            f.write("".join(f"{n}\n" for n in [*known, *added]))
        os.replace(temporary, state / "users.txt")
    return added


def add_hub_users(names: list[str], state: "Path | None", group: str) -> "tuple[str, bool]":
    """Create the accounts and allow them on the hub; a summary and whether everything worked."""
    plan = plan_accounts(names, group)
    check_can_create(plan)
    failures = create_accounts(plan, group) if plan.create else []
    failed = {f.split(":", 1)[0] for f in failures}
    ready = [n for n in names if n not in failed]
    lines = [f"hub accounts: {len(plan.create) - len(failures)} created (home 0700, group {group}), "
             f"{len(plan.existing)} already there, none deleted or renamed"]
    lines += [f"  {f}" for f in failures]
    if state is not None:
        added = allow(state, ready)
        lines.append(f"hub users: {len(added)} added to {state.resolve() / 'users.txt'} "
                     f"({len(read_allowed(state))} in all); restart `descent hub` to let them log in")
    else:
        lines.append("hub users: no --state given, so no hub's users.txt was changed")
    if plan.create and shutil.which("passwd"):
        lines.append("new accounts have no password: set them (chpasswd) for PAM logins, or log in through "
                     "the institution's OAuth or LTI (README, 'A class on JupyterHub')")
    return "\n".join(lines), not failures
