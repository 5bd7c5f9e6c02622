"""Two graders share one course through nbgrader's exchange and one PostgreSQL gradebook.

Real accounts (``useradd``: two graders and two students), the graders' side of ``descent hub
--grader A --grader B`` (:func:`~course.instructor.hub.launch.prepare_graders`: the group, the
shared course root outside any home, the exchange; refused first on the course's SQLite
gradebook), real nbgrader commands run as each account; no hub process (the students run
nbgrader from the grader's thin environment, as in ``test_exchange_feedback.py``). Everything
made is removed afterwards: accounts, the group, the folders and the database.
"""
from __future__ import annotations

import csv
import grp
import os
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
import hub_class  # noqa: E402

from course.instructor.grading.core.coursedir import CourseError, CourseRoot  # noqa: E402
from course.instructor.hub.launch import HubSettings, check_machine, prepare_graders  # noqa: E402

pytestmark = pytest.mark.slow
A = "01_loss_functions"
PAGE = "loss_functions.html"


def _fresh_database(name: str) -> "tuple[str, str]":
    """A new PostgreSQL database: its URL and the server's (``$DESCENT_TEST_POSTGRES_URL``)."""
    from test_grade_class import _fresh_postgres_db, _postgres_base_url

    return _fresh_postgres_db(name), _postgres_base_url()


@pytest.fixture(scope="module")
def course():
    """Two graders sharing a course root in /tmp (no home), two students, the state folder, the database."""
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("creates system accounts: root and useradd needed")
    tag = secrets.token_hex(2)
    graders, students = [f"zg{tag}a", f"zg{tag}b"], [f"zs{tag}a", f"zs{tag}b"]
    db, server = _fresh_database(f"descent_graders_{tag}")
    base = Path(tempfile.mkdtemp(prefix="descent-graders-", dir="/tmp"))
    base.chmod(0o711)  # as /srv would be: every grader passes, no one lists it
    opened, saved = [], os.environ.pop("DESCENT_DB_URL", None)
    group = f"{HubSettings.course}-graders"
    group_existed = subprocess.run(["getent", "group", group], capture_output=True).returncode == 0
    try:
        for name in (*graders, *students):
            hub_class.make_user(name)
        opened = hub_class.let_everyone_through(Path(sysconfig.get_paths()["purelib"]), REPO / "course")
        root = hub_class.grader_course(graders[0], base / "course")
        settings = HubSettings(root=CourseRoot.at(root), state=base / "state", bundle=base, users=students,
                               graders=tuple(graders))
        check_machine(settings)
        with pytest.raises(CourseError, match="would share the SQLite gradebook .*gradebook.db: give them one "
                                              "PostgreSQL database"):
            prepare_graders(settings)  # the course's own default, read as its owner
        os.environ["DESCENT_DB_URL"] = db  # as the hub is started: its services and the checks read it
        began = time.monotonic()
        hub, python = prepare_graders(settings)
        print(f"\ngraders' side of descent hub (group, exchange, grader environment, sharing) in "
              f"{time.monotonic() - began:.1f} s")
        yield hub, root, python, graders, students, db
    finally:
        for name in (*graders, *students):
            hub_class.remove_user(name)
        if not group_existed:
            subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
        for folder, mode in reversed(opened):
            folder.chmod(mode)
        if saved is None:
            os.environ.pop("DESCENT_DB_URL", None)
        else:
            os.environ["DESCENT_DB_URL"] = saved
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db.rsplit("/", 1)[1]}"')


def _as(user: str, hub, root: Path, python: Path, *args: str, db: "str | None" = None):
    """``python args`` as ``user`` with the hub's exchange (a grader: in the course root, with the gradebook)."""
    env = {"JUPYTER_CONFIG_PATH": str(hub.exchange_config), "PATH": f"{python.parent}:/usr/bin:/bin"}
    if db:
        env["DESCENT_DB_URL"] = db
    return hub_class.as_user(user, [str(python), *args], cwd=str(root) if db else None, env=env)


def test_a_second_grader_grades_and_releases_what_the_first_released_and_the_first_regrades(course):
    """Grader A releases 01; two students fetch and submit; grader B collects, grades and releases the
    feedback; both students fetch theirs; one resubmits and grader A collects and grades again and
    releases. Does every step succeed, does the shared PostgreSQL gradebook hold both students, is
    everything in the course root the group's to rewrite, and can a student still list neither the
    inbound nor anything of the course root?"""
    hub, root, python, (first, second), students, db = course
    nbgrader = lambda user, *args: _as(user, hub, root, python, "-m", "nbgrader", *args,  # noqa: E731
                                       db=db if user in (first, second) else None)
    descent = lambda user, *args: _as(user, hub, root, python, "-m", "course", *args, db=db)  # noqa: E731
    began = time.monotonic()
    done = nbgrader(first, "release_assignment", A)
    assert done.returncode == 0, done.stderr
    for student in students:
        for step in ("fetch_assignment", "submit"):
            done = nbgrader(student, step, A)
            assert done.returncode == 0, (student, step, done.stderr)
    synced = _as(first, hub, root, python, "-m", "course.instructor.grading.publish.gradebook_sync", str(root), db,
                 db=db)
    assert synced.returncode == 0, synced.stderr  # what the formgrader does when the hub starts it
    handed_in = time.monotonic()

    graded = descent(second, "grade", A, "--exchange", "--workers", "1")
    assert graded.returncode == 0, graded.stdout + graded.stderr
    released = nbgrader(second, "release_feedback", A)
    assert released.returncode == 0, released.stdout + released.stderr
    for student in students:
        assert nbgrader(student, "fetch_feedback", A).returncode == 0
        assert len(list(Path(f"/home/{student}/{A}/feedback").glob(f"*/{PAGE}"))) == 1, student
    by_second = time.monotonic()

    time.sleep(1.1)  # nbgrader names a submission by the second it was made
    assert nbgrader(students[0], "submit", A).returncode == 0
    regraded = descent(first, "grade", A, "--exchange", "--workers", "1")
    assert regraded.returncode == 0, regraded.stdout + regraded.stderr
    assert "1 to grade" in regraded.stdout, regraded.stdout
    released = nbgrader(first, "release_feedback", A)
    assert released.returncode == 0, released.stdout + released.stderr
    assert nbgrader(students[0], "fetch_feedback", A).returncode == 0
    assert len(list(Path(f"/home/{students[0]}/{A}/feedback").glob(f"*/{PAGE}"))) == 2
    print(f"\nreleased, fetched, submitted in {handed_in - began:.1f} s; graded by the second grader, released "
          f"and fetched in {by_second - handed_in:.1f} s; resubmitted, regraded by the first and released in "
          f"{time.monotonic() - by_second:.1f} s")

    (record,) = (root / "grades" / A).rglob("grades.csv")
    rows = {row["student"]: row for row in csv.DictReader(record.open())}
    assert all(rows[s]["status"] == "graded" for s in students), rows
    from nbgrader.api import Gradebook

    with Gradebook(db) as gb:
        assert sorted(s.student.id for s in gb.assignment_submissions(A)) == sorted(students)

    group = grp.getgrnam(f"{HubSettings.course}-graders").gr_gid
    not_shared = []
    for folder, _subfolders, files in os.walk(root):
        for path in [folder, *(os.path.join(folder, f) for f in files)]:
            info = os.lstat(path)
            wants = 0o2070 if stat.S_ISDIR(info.st_mode) else 0o060
            if not stat.S_ISLNK(info.st_mode) and (info.st_gid != group or info.st_mode & wants != wants):
                not_shared.append(f"{path} {oct(info.st_mode)} gid {info.st_gid}")
    assert not_shared == [], not_shared[:20]

    inbound = hub.exchange / "descent" / "inbound"
    for target in (inbound, root, root / "source" / A, root / "nbgrader_config.py", root / "grades"):
        probe = hub_class.as_user(students[1], [str(python), "-c", hub_class.READ_PROBE, str(target)])
        assert probe.stdout.strip() == "DENIED", (target, probe.stdout, probe.stderr)
