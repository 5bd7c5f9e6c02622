"""Several graders of one course: the modes of a shared course root and exchange, the group's name, the
gradebook they may share, and the hub's configuration for them (fast: no account made, no hub started)."""
from __future__ import annotations

import os
import runpy
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from traitlets.config import Config

from course.instructor.grading.core.coursedir import CourseError
from course.instructor.grading.core.group_share import is_group_shared, share_tree, shared_mode
from course.instructor.hub import layout
from course.instructor.hub.graders import check_shared_gradebook, graders_group, split_graders

REPO = Path(__file__).resolve().parents[2]


def test_a_shared_mode_gives_the_group_exactly_the_owners_rights_and_others_nothing_more():
    """Does 0700 become 2770 for a folder, 0644 become 0664 and 0755 become 0775 for a file, 0444 stay 0444?"""
    assert shared_mode(0o40700, is_dir=True) == 0o2770
    assert shared_mode(0o40755, is_dir=True) == 0o2775
    assert shared_mode(0o100644, is_dir=False) == 0o664
    assert shared_mode(0o100755, is_dir=False) == 0o775
    assert shared_mode(0o100444, is_dir=False) == 0o444
    assert shared_mode(0o100670, is_dir=False) == 0o660  # never more for the group than for the owner
    assert shared_mode(0o102750, is_dir=False) == 0o770  # set-group-id is for folders only


def test_the_graders_group_is_a_portable_group_name():
    """Is ``<course>-graders`` lower case, made of portable characters, started by a letter, at most 32 long?"""
    assert graders_group("descent") == "descent-graders"
    assert graders_group("Math 101: Descent") == "math-101-descent-graders"
    assert graders_group("2026.ml") == "c2026.ml-graders"
    long = graders_group("a" * 60)
    assert len(long) == 32 and long.endswith("-graders")


def test_graders_are_named_by_repeating_the_option_or_by_a_list():
    """Do ``--grader a --grader b,c`` give a, b, c once each, and no option give the default grader?"""
    assert split_graders(["ga", "gb,gc", "ga"], "grader-descent") == ["ga", "gb", "gc"]
    assert split_graders(None, "grader-descent") == ["grader-descent"]


def test_several_graders_are_refused_a_sqlite_gradebook_and_given_postgresql():
    """Is SQLite refused for two graders (the message says what to set), and PostgreSQL, or SQLite for one, let by?"""
    with pytest.raises(CourseError, match="give them one PostgreSQL database instead.*DESCENT_DB_URL"):
        check_shared_gradebook("sqlite:////home/ga/course/gradebook.db", ["ga", "gb"])
    check_shared_gradebook("postgresql://descent@db/descent", ["ga", "gb"])
    check_shared_gradebook("sqlite:////home/ga/course/gradebook.db", ["ga"])


@pytest.mark.parametrize("groupshared", [False, True])
def test_the_exchange_modes_descent_hub_sets_are_the_ones_nbgrader_sets(tmp_path, groupshared):
    """Run nbgrader's own release steps into an empty exchange: are the course folder, inbound, outbound and
    feedback given the modes descent hub gives them, group-shared or not?"""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment
    from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

    cfg = Config()
    cfg.CourseDirectory.course_id = "descent"
    cfg.CourseDirectory.assignment_id = "01_loss_functions"
    cfg.CourseDirectory.groupshared = groupshared
    cfg.Exchange.root = str(tmp_path)
    coursedir = CourseDirectory(config=cfg)
    for step in (ExchangeReleaseAssignment, ExchangeReleaseFeedback):
        step(coursedir=coursedir, config=cfg).init_dest()
    expected = layout.SHARED_COURSE_FOLDERS if groupshared else {"": 0o755, **layout.COURSE_FOLDERS}
    made = {name: stat.S_IMODE((tmp_path / "descent" / name).stat().st_mode) for name in expected}
    assert made == expected


def test_sharing_a_course_root_changes_every_file_and_folder_and_follows_no_link(tmp_path):
    """Does share_tree make the root and its folders set-group-id and group-writable, each file group-writable,
    mark the root as shared, and leave a link's target (outside the root) as it was?"""
    root, outside = tmp_path / "course", tmp_path / "private.txt"
    (root / "source" / "01").mkdir(parents=True, mode=0o755)
    (root / "source" / "01" / "nb.ipynb").write_text("{}")
    outside.write_text("not the course's")
    outside.chmod(0o600)
    (root / "link").symlink_to(outside)
    root.chmod(0o700)
    assert not is_group_shared(root)
    assert share_tree(root, os.getgid()) == []
    mode = lambda p: stat.S_IMODE(p.lstat().st_mode)  # noqa: E731
    assert mode(root) == 0o2770  # others kept out of the whole course, as before
    assert mode(root / "source") == mode(root / "source" / "01") == 0o2775
    assert mode(root / "source" / "01" / "nb.ipynb") & 0o060 == 0o060
    assert mode(outside) == 0o600 and is_group_shared(root)


def test_a_process_in_a_shared_root_writes_for_the_group(tmp_path):
    """Loading the course's nbgrader_config.py in a shared root: does it set nbgrader's groupshared, and does
    a file written afterwards (umask 022 before) come out group-writable? In a root of one grader, neither?"""
    probe = ("import os, sys; from traitlets.config.loader import PyFileConfigLoader; os.umask(0o022)\n"
             "c = PyFileConfigLoader('nbgrader_config.py', path=sys.argv[1]).load_config()\n"
             "open(sys.argv[2], 'w').close()\n"
             "print(c.CourseDirectory.groupshared, oct(os.stat(sys.argv[2]).st_mode & 0o777))\n")
    for shared, said in ((False, "False 0o644"), (True, "True 0o664")):
        root = tmp_path / f"course-{shared}"
        root.mkdir(mode=0o700)
        (root / "nbgrader_config.py").write_bytes((REPO / "nbgrader_config.py").read_bytes())
        if shared:
            root.chmod(0o2770)
        done = subprocess.run([sys.executable, "-c", probe, str(root), str(root / "written")],
                              capture_output=True, text=True, cwd=root)
        assert done.stdout.strip() == said, done.stderr


def test_the_hub_config_gives_every_grader_the_formgrader_and_the_gradebook(tmp_path, monkeypatch):
    """hub/jupyterhub_config.py with two graders: may both log in and reach the formgrader (the group its
    role names), do the services run as the first under umask 002, and do they get DESCENT_DB_URL?"""
    url = "postgresql://descent@db/descent"
    for name, value in (("DESCENT_HUB_STATE", tmp_path), ("DESCENT_HUB_ROOT", tmp_path / "course"),
                        ("DESCENT_HUB_GRADER_PYTHON", tmp_path / "grader-env" / "bin" / "python"),
                        ("DESCENT_HUB_GRADERS", "ga,gb"), ("DESCENT_DB_URL", url),
                        ("DESCENT_HUB_INSTANT_FEEDBACK", "1")):
        monkeypatch.setenv(name, str(value))
    c = Config()
    runpy.run_path(str(REPO / "hub" / "jupyterhub_config.py"), init_globals={"get_config": lambda: c})
    assert {"ga", "gb"} <= c.Authenticator.allowed_users and c.Authenticator.admin_users == {"ga", "gb"}
    assert c.JupyterHub.load_groups == {"formgrade-descent": {"users": ["ga", "gb"]}}
    (role,) = c.JupyterHub.load_roles
    assert role["groups"] == ["formgrade-descent"] and "access:services!service=descent" in role["scopes"]
    for service in c.JupyterHub.services:
        assert service["user"] == "ga" and service["command"][:3] == ["/bin/sh", "-c", 'umask 002 && exec "$@"']
        assert service["environment"]["DESCENT_DB_URL"] == url
    monkeypatch.setenv("DESCENT_HUB_GRADERS", "ga")
    one = Config()
    runpy.run_path(str(REPO / "hub" / "jupyterhub_config.py"), init_globals={"get_config": lambda: one})
    assert all(s["command"][0] != "/bin/sh" for s in one.JupyterHub.services)


@pytest.mark.skipif(os.geteuid() != 0, reason="gives folders to other accounts: root only")
def test_an_exchange_folder_is_trusted_only_when_made_by_root_this_account_or_a_colleague(tmp_path):
    """Is a folder of root's (or this account's) trusted, and one owned by an account outside the folder's
    group (a student's submission in the set-group-id inbound takes the graders' group), or a file, not?"""
    from course.instructor.grading.core.group_share import made_by_a_colleague

    folder = tmp_path / "feedback"
    folder.mkdir()
    assert made_by_a_colleague(folder.lstat())
    os.chown(folder, 65534, 0)  # nobody's, in root's own group: nobody is no member of it
    assert not made_by_a_colleague(folder.lstat())
    (tmp_path / "page.html").write_text("")
    assert not made_by_a_colleague((tmp_path / "page.html").lstat())
