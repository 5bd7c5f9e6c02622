"""A real course hub with two graders: ``descent hub --grader A --grader B`` on 127.0.0.1, a PostgreSQL gradebook.

One hub (one student, two graders, the course root in a folder of /tmp both graders pass);
what the graders do with the exchange is ``test_exchange_graders.py``. Here: the command line
names both, each reaches the formgrader, the formgrader writes for the group and uses the
PostgreSQL gradebook the hub was started with.
"""
from __future__ import annotations

import grp
import os
import secrets
import stat
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hub_class  # noqa: E402

pytestmark = pytest.mark.slow
ASSIGNMENT = "01_loss_functions"


@pytest.fixture(scope="module")
def hub():
    if os.geteuid() != 0:
        pytest.skip("the hub starts each student's server as that student: root only")
    from test_grade_class import _fresh_postgres_db, _postgres_base_url

    tag = secrets.token_hex(2)
    db = _fresh_postgres_db(f"descent_hub_graders_{tag}")
    try:
        hub = hub_class.start_hub(f"dt{tag}", n_students=1, n_graders=2, db_url=db)
        print(f"\nhub with two graders started in {hub.started_seconds:.1f} s")
        yield hub, db
        began = time.monotonic()
        hub_class.stop_hub(hub)
        print(f"\nhub stopped and the class removed in {time.monotonic() - began:.1f} s")
    finally:
        import psycopg

        with psycopg.connect(_postgres_base_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "descent_hub_graders_{tag}"')


def _formgrader(grader: str) -> Path:
    """The /proc folder of the formgrader (``jupyterhub.singleuser`` run as ``grader``)."""
    import pwd

    uid = pwd.getpwnam(grader).pw_uid
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and proc.stat().st_uid == uid \
                and b"jupyterhub.singleuser" in (proc / "cmdline").read_bytes():
            return proc
    raise AssertionError(f"no formgrader running as {grader}")


def _umask(proc: Path) -> str:
    return next(line.split()[1] for line in (proc / "status").read_text().splitlines() if line.startswith("Umask:"))


def test_both_graders_reach_the_formgrader_which_writes_for_their_group_into_postgresql(hub):
    """Does each grader, logged in on the hub, get the course's assignments from the formgrader; does the
    formgrader run as the first grader under umask 002 in a course root the group shares, with the
    gradebook's URL in an environment no student reads; and do the released assignments reach the
    PostgreSQL gradebook (the formgrader's first start fills it)?"""
    hub, db = hub
    assert "shared with" in hub.log.read_text(errors="replace")
    for grader in hub.graders:
        session = hub.login(grader)
        reply = session.get(f"{hub.url}/services/descent/formgrader/api/assignments", timeout=120)
        assert reply.status_code == 200, (grader, reply.status_code, reply.text[:300])
        assert ASSIGNMENT in {a["name"] for a in reply.json()}, reply.json()
    formgrader = _formgrader(hub.graders[0])
    assert _umask(formgrader) == "0002"
    # The gradebook's URL (its password, on a real server) is in the services' and the hub's environment:
    # a student reads neither.
    assert db in (formgrader / "environ").read_text(errors="replace")
    for environ in (formgrader / "environ", Path(f"/proc/{hub.process.pid}/environ")):
        probe = hub.as_student(hub.students[0], "python", "-c", hub_class.READ_PROBE, str(environ))
        assert probe.stdout.strip() == "DENIED", (environ, probe.stdout, probe.stderr)
    info = hub.root.stat()
    assert info.st_gid == grp.getgrnam("descent-graders").gr_gid and stat.S_IMODE(info.st_mode) == 0o2770
    from nbgrader.api import Gradebook

    deadline = time.monotonic() + 90
    while True:
        with Gradebook(db) as gb:
            names = {a.name for a in gb.assignments}
        if ASSIGNMENT in names or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert ASSIGNMENT in names, hub.log.read_text(errors="replace")[-3000:]
