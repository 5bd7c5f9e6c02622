"""The course hub's checks and state folder, without starting a hub (fast)."""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from course.instructor.grading.core.coursedir import CourseError, CourseRoot
from course.instructor.hub import layout
from course.instructor.hub.launch import HubSettings, check_machine

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import hub_class  # noqa: E402

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="the hub is set up by root")


@pytest.fixture
def open_course():
    """A minimal course root in a folder every account can pass through (not pytest's private tmp)."""
    base = Path(tempfile.mkdtemp(dir="/tmp"))
    base.chmod(0o755)
    (base / "source").mkdir(mode=0o755)
    (base / "nbgrader_config.py").write_text("")
    (base / "hub" / "student").mkdir(parents=True)
    shutil.copyfile(REPO / layout.STUDENT_SERVER_CONFIG, base / layout.STUDENT_SERVER_CONFIG)
    yield base
    shutil.rmtree(base)


@root_only
def test_hub_refuses_a_course_whose_solutions_every_account_can_read(open_course):
    """Does `descent hub` refuse to start when students could read source/, and start once it is private?"""
    settings = HubSettings(root=CourseRoot.at(open_course), state=open_course / "state", bundle=open_course,
                           users=[], graders=("root",))
    with pytest.raises(CourseError, match="can be read by every account"):
        check_machine(settings)
    open_course.chmod(0o700)
    check_machine(settings)


@root_only
def test_state_folder_keeps_the_hubs_secrets_private_and_the_exchange_as_nbgrader_documents(open_course):
    """Are the hub's private folder 0700, the exchange world-writable with the sticky bit, the rest readable?"""
    hub = layout.prepare(open_course / "state", open_course, "descent", ["alice", "bob"])
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)
    assert mode(hub.private) == 0o700
    assert mode(hub.exchange) == 0o1777
    assert mode(hub.student_config) == mode(hub.exchange_config) == 0o755
    assert hub.users.read_text().split() == ["alice", "bob"]
    config = (hub.exchange_config / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = {str(hub.exchange)!r}" in config and "course_id = 'descent'" in config


@pytest.fixture
def grader_and_student():
    """A grader account and a student account (useradd), removed afterwards."""
    tag = secrets.token_hex(2)
    names = [f"zg{tag}", f"zs{tag}"]
    try:
        for name in names:
            hub_class.make_user(name)
        yield names
    finally:
        for name in names:
            hub_class.remove_user(name)


@root_only
def test_a_student_cannot_take_the_courses_folder_in_the_exchange(open_course, grader_and_student):
    """A student who makes ``exchange/descent`` (or a link there) before the hub's setup: is the hub refused,
    naming them, with nothing of theirs changed? Once it is gone, is the folder the grader's with nbgrader's
    modes, and can the student hand in but not replace, list or write where only the grader may?"""
    grader, student = grader_and_student
    state = open_course / "state"
    exchange = state / "exchange"
    exchange.mkdir(parents=True)
    exchange.chmod(0o1777)  # as `descent hub` leaves it (a hub set up before this check, or restarted)
    course = exchange / "descent"
    as_student = lambda *command: hub_class.as_user(student, [str(c) for c in command])  # noqa: E731
    assert as_student("mkdir", course).returncode == 0
    made = course.lstat()
    with pytest.raises(CourseError, match=f"{course} belongs to {student}, not to the grader {grader}"):
        layout.prepare(state, open_course, "descent", [student, grader], grader=grader)
    after = course.lstat()
    assert (after.st_uid, after.st_mode, after.st_ino) == (made.st_uid, made.st_mode, made.st_ino)
    assert not any(course.iterdir())

    private = open_course / "private"
    private.mkdir(mode=0o700)
    assert as_student("rmdir", course).returncode == 0 and as_student("ln", "-s", private, course).returncode == 0
    with pytest.raises(CourseError, match="is not a folder but a link made by " + student):
        layout.prepare(state, open_course, "descent", [student, grader], grader=grader)
    assert (private.stat().st_uid, stat.S_IMODE(private.stat().st_mode)) == (0, 0o700) and not any(private.iterdir())

    assert as_student("rm", course).returncode == 0
    layout.prepare(state, open_course, "descent", [student, grader], grader=grader)
    layout.prepare(state, open_course, "descent", [student, grader], grader=grader)  # a restart keeps it
    uid = pwd.getpwnam(grader).pw_uid
    for folder, mode in ((course, 0o755), *((course / name, m) for name, m in layout.COURSE_FOLDERS.items())):
        info = folder.lstat()
        assert stat.S_ISDIR(info.st_mode) and (info.st_uid, stat.S_IMODE(info.st_mode)) == (uid, mode), folder
    for attempt in (("mkdir", course), ("mv", course, exchange / "mine"), ("rm", "-rf", course),
                    ("mkdir", course / "outbound" / "01_loss_functions"), ("touch", course / "feedback" / "x.html"),
                    ("ls", course / "inbound")):
        assert as_student(*attempt).returncode != 0, attempt
    assert as_student("mkdir", course / "inbound" / f"{student}+01_loss_functions+2026-01-01 00:00:00 UTC+x"
                      ).returncode == 0


def test_a_package_whose_requires_python_excludes_the_graders_interpreter_is_found(tmp_path):
    """Is soupsieve 3+ (``Requires-Python >=3.11.5``) found as unusable on 3.11.2 and usable on 3.11.7?"""
    from course.instructor.hub.grader_env import excluded_by_requires_python

    for name, needs in (("soupsieve", ">=3.11.5"), ("numpy", ">=3.10"), ("oddball", "not a specifier")):
        info = tmp_path / f"{name}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\nRequires-Python: {needs}\n")
    assert excluded_by_requires_python(str(tmp_path), "3.11.2") == ["soupsieve"]
    assert excluded_by_requires_python(str(tmp_path), "3.11.7") == []


@pytest.mark.slow
def test_the_graders_environment_parses_the_selector_nbconverts_feedback_uses():
    """On the grader's interpreter (Debian's 3.11.2 here), does ``img:not([alt])`` select what it should?

    soupsieve 3 and later write their grammar with possessive quantifiers that CPython's ``re``
    matched wrongly before 3.11.5 (gh-106052): on such an interpreter the grader's environment must
    hold a soupsieve that runs there, or no feedback page is written.
    """
    import subprocess

    from course.instructor.hub import grader_env

    env = Path(tempfile.mkdtemp(dir="/tmp")) / "grader-env"
    try:
        python = grader_env.build(env)
        probe = ("import bs4; soup = bs4.BeautifulSoup('<img src=a><img src=b alt=ok>', 'html.parser'); "
                 "print([i['src'] for i in soup.select('img:not([alt])')])")
        result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
        assert result.stdout.strip() == "['a']", result.stderr
    finally:
        shutil.rmtree(env.parent)
