"""`descent roster import FILE --hub`: which login names it takes and whom `descent hub` lets in; then,
run for real as root, the students' system accounts, the hub's users.txt, a re-import that only adds,
and a name that belongs to another account refused. Every account and the group are removed at the end."""
from __future__ import annotations

import codecs
import grp
import os
import pwd
import secrets
import shutil
import stat
import subprocess
from pathlib import Path

import grading_harness as harness
import pytest

from course.instructor.cli import main
from course.instructor.grading import CourseRoot
from course.instructor.hub.users import students_group

GROUP = students_group("descent")
root_only = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("useradd"),
                               reason="creates system accounts: root and useradd needed")


def _brightspace(path: Path, logins: list[str]) -> Path:
    rows = ["OrgDefinedId,Username,Last Name,First Name,Email,End-of-Line Indicator"]
    rows += [f"#{20260000 + i},#{login},Last{i},First{i},{login}@uni.example,#" for i, login in enumerate(logins)]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(rows).encode() + b"\r\n")
    return path


@pytest.fixture
def logins():
    """Three login names no other test uses; their accounts (and a group made here) go afterwards."""
    tag = secrets.token_hex(3)
    names = [f"zt{tag}{letter}" for letter in "abc"]
    group_existed = _exists(grp.getgrnam, GROUP)
    yield names
    for name in names:
        subprocess.run(["userdel", "--remove", name], capture_output=True)
    if not group_existed:
        subprocess.run(["groupdel", GROUP], capture_output=True)


def _exists(lookup, name: str) -> bool:
    try:
        lookup(name)
        return True
    except KeyError:
        return False


@pytest.mark.slow  # about 11 s: a course copy and two gradebook fills
@root_only
def test_hub_accounts_are_created_kept_and_never_adopted(tmp_path, logins, capsys):
    """Does --hub create private accounts and allow them, add only the new on re-import, and refuse a taken name?"""
    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course")
    state = tmp_path / "state"
    first = _brightspace(tmp_path / "first.csv", logins[:2])
    assert main(["--root", str(root.path), "roster", "import", str(first), "--hub", "--state", str(state)]) == 0
    said = capsys.readouterr().out
    assert "hub accounts: 2 created (home 0700, group descent-students), 0 already there" in said
    for name in logins[:2]:
        account = pwd.getpwnam(name)
        home = os.lstat(account.pw_dir)
        assert stat.S_ISDIR(home.st_mode) and stat.S_IMODE(home.st_mode) == 0o700 and home.st_uid == account.pw_uid
        assert name in grp.getgrnam(GROUP).gr_mem and account.pw_gecos == ""  # no names in /etc/passwd
    assert (state / "users.txt").read_text().split() == logins[:2]
    uids = [pwd.getpwnam(n).pw_uid for n in logins[:2]]

    again = _brightspace(tmp_path / "again.csv", logins)
    assert main(["--root", str(root.path), "roster", "import", str(again), "--hub", "--state", str(state)]) == 0
    said = capsys.readouterr().out
    assert "1 created" in said and "2 already there" in said and "1 added" in said
    assert (state / "users.txt").read_text().split() == logins
    assert [pwd.getpwnam(n).pw_uid for n in logins[:2]] == uids

    taken = _brightspace(tmp_path / "taken.csv", [*logins, "daemon"])
    roster_before = (root.path / "roster.csv").read_text()
    assert main(["--root", str(root.path), "roster", "import", str(taken), "--hub", "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert "'daemon' is already a system account that is not one of this course's students" in err
    assert "nothing imported" in err
    assert (root.path / "roster.csv").read_text() == roster_before
    assert (state / "users.txt").read_text().split() == logins

    os.chown(root.path, pwd.getpwnam("nobody").pw_uid, -1)  # a course root in the grader's home
    (root.path / "roster.csv").unlink()
    assert main(["--root", str(root.path), "roster", "import", str(again), "--hub", "--state", str(state)]) == 0
    said = capsys.readouterr().out
    assert "not saved: the course root belongs to nobody" in said and "3 already there" in said
    assert not (root.path / "roster.csv").exists()


def test_descent_hub_keeps_the_imported_users_unless_told_otherwise(tmp_path):
    """Without --users, does `descent hub` let in whom `roster import --hub` added to users.txt (grader apart)?"""
    from course.instructor.hub.users import hub_students

    (tmp_path / "users.txt").write_text("jdoe\njlee\ngrader-descent\n")
    assert hub_students(tmp_path, None, ["grader-descent"]) == ["jdoe", "jlee"]
    given = tmp_path / "students.txt"
    given.write_text("mvdb\n")
    assert hub_students(tmp_path, given, ["grader-descent"]) == ["mvdb"]
    assert hub_students(tmp_path / "new-state", None, ["grader-descent"]) == []


def test_taken_and_invalid_names_are_refused_before_anything_is_made():
    """Are an existing system account (root) and a name no system takes refused, and a free name planned?"""
    from course.instructor.hub.users import plan_accounts

    plan = plan_accounts(["root", "Bad Name", "zz-free-name-26b"], GROUP)
    assert plan.create == ["zz-free-name-26b"] and plan.existing == []
    assert "'root' is already a system account that is not one of this course's students" in plan.problems[0]
    assert "'Bad Name' is not a login name" in plan.problems[1]


def test_state_without_hub_is_refused(tmp_path, capsys):
    """Does --state without --hub stop with a sentence rather than quietly skip the hub?"""
    root = harness.REPO
    csv_file = tmp_path / "r.csv"
    csv_file.write_text("student_id\njdoe\n")
    assert main(["--root", str(root), "roster", "import", str(csv_file), "--state", str(tmp_path)]) == 2
    assert "add --hub" in capsys.readouterr().err
