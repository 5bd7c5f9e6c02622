"""Where a course hub's start and stop time goes: each step timed, each log line stamped as it appeared.

    python tests/benchmarks/bench_hub_start_stop.py [--graders 1] [--instant-feedback] [--hubs 2] [--whole-group]

As root, as the hub tests do (``tests/hub_class.py``): ``--hubs`` hubs one after another, each with one
student and ``--graders`` graders (two need DESCENT_TEST_POSTGRES_URL), the first student's server
started through the hub's API; then the hub stopped with SIGINT (to its whole process group, proxy
included, as a terminal's Ctrl-C, with ``--whole-group``) and the class removed. Prints, per
hub, the seconds of each step (users, student environment, ``descent hub`` until it runs, first server,
the hub's own stop, removing the users, removing the files), the log lines of the hub's start and stop
with the second each appeared, and the load average before and after. The first hub builds the student
environment every later hub of the process reuses.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hub_class  # noqa: E402

POLICY = "c.InstantFeedback.assignments = ['01_loss_functions']\n"


def database(name: str, create: bool) -> str:
    """Create (or drop) database ``name`` on DESCENT_TEST_POSTGRES_URL's server; its URL."""
    import psycopg

    base = os.environ["DESCENT_TEST_POSTGRES_URL"]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' if create else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return base.rsplit("/", 1)[0] + f"/{name}"


def first_server(hub: hub_class.Hub) -> float:
    """Seconds from asking the hub for the first student's server to the server being ready."""
    student = hub.students[0]
    session = hub.login(student)
    began = time.monotonic()
    session.post(f"{hub.url}/hub/api/users/{student}/server", timeout=120)
    while not session.get(f"{hub.url}/hub/api/users/{student}", timeout=30).json()["servers"].get("", {}).get("ready"):
        time.sleep(0.25)
    return time.monotonic() - began


def one_hub(graders: int, instant_feedback: bool, whole_group: bool) -> None:
    """Start, use and stop one hub; print what each step took."""
    print(f"load average before: {os.getloadavg()}", flush=True)
    name = f"descent_bench_hub_{secrets.token_hex(2)}"
    hub = hub_class.start_hub(f"bh{secrets.token_hex(2)}", n_students=1, n_graders=graders,
                              instant_feedback=POLICY if instant_feedback else None,
                              db_url=database(name, create=True) if graders > 1 else None)
    hub.phases["first server"] = first_server(hub)
    started = list(hub.seen)
    hub.seen[:] = [(0.0, line) for line in hub.log.read_text(errors="replace").splitlines()]
    already = len(hub.seen)
    hub_class.stop_hub(hub, whole_group=whole_group)
    if graders > 1:
        database(name, create=False)
    for when, line in started:
        print(f"start {when:6.1f} s  {line[:160]}")
    for when, line in hub.seen[already:]:
        print(f"stop  {when:6.1f} s  {line[:160]}")
    print(f"left running after the stop: {hub.left_running or 'nothing'}")
    print(f"load average after: {os.getloadavg()}")
    print(hub.phase_report(), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graders", type=int, default=1)
    parser.add_argument("--instant-feedback", action="store_true")
    parser.add_argument("--hubs", type=int, default=2, help="hubs one after another (the first builds the "
                                                             "student environment)")
    parser.add_argument("--whole-group", action="store_true", help="SIGINT to the hub's process group, as Ctrl-C")
    args = parser.parse_args()
    for _ in range(args.hubs):
        one_hub(args.graders, args.instant_feedback, args.whole_group)


if __name__ == "__main__":
    main()
