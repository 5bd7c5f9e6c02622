"""The course hub's checks and state folder, without starting a hub (fast)."""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

from course.instructor.grading.coursedir import CourseError, CourseRoot
from course.instructor.hub import layout
from course.instructor.hub.launch import HubSettings, check_machine

REPO = Path(__file__).resolve().parents[2]
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
                           users=[], grader="root")
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
