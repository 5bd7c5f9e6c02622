"""Feedback on submit: how long from `nbgrader submit` to feedback a student can fetch, and how many per minute.

Runs ``descent serve`` (as root, ``c.InstantFeedback.workers = 2``) on an exchange folder of a course
copy, and hands in submissions as ``nbgrader submit`` lays them out (a folder owned by the student,
its timestamp and secret). The hub adds nothing to this path (the service reads the exchange
folder), so it is left out. Run from the repository root, as root:

    python tests/benchmarks/bench_serve.py [--students 20] [--seconds 80]

(a) one submission of 01 on an idle, warm service, three times: submit to feedback released;
(b) two submissions from each of ``--students`` accounts (made with ``useradd`` and removed after),
spread at random over ``--seconds``: exactly-once (graded and released lines per submission), p50
and p95 submit to feedback, throughput; then ``descent grade --workers 2`` on the same notebooks,
one folder per submission.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import serve_class as sc  # noqa: E402

from course.instructor.grading import sample_submissions  # noqa: E402
from course.instructor.grading.batch import grade_class  # noqa: E402
from course.instructor.serve.status import percentile  # noqa: E402


def _released_within(exchange: Path, secrets: dict[str, float], seconds: float) -> dict[str, float]:
    """``{secret: seconds from submit to its page}`` as each page appears (polled every 50 ms)."""
    seen: dict[str, float] = {}
    deadline = time.monotonic() + seconds
    while len(seen) < len(secrets) and time.monotonic() < deadline:
        for secret, handed in secrets.items():
            if secret not in seen and sc.feedback_page(exchange, secret) is not None:
                seen[secret] = time.time() - handed
        time.sleep(0.05)
    return seen


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def idle(exchange: Path, answered, students: list[str]) -> list[float]:
    """(a): one submission at a time on the warm, idle service."""
    times = []
    for student in students:
        time.sleep(3)  # idle: nothing grading
        _, secret = sc.submit(exchange, student, answered)
        times.append(_released_within(exchange, {secret: time.time()}, 120).get(secret, float("nan")))
    return times


def _logged_seconds(log: Path, pattern: str) -> list[float]:
    """Every figure ``pattern``'s group matches in the service's log."""
    return [float(m) for m in re.findall(pattern, log.read_text())]


def rush(exchange: Path, notebooks: list, students: list[str], seconds: float, seed: int = 0):
    """(b): each student hands in twice, at random times over ``seconds``; ``(handed, latencies, span)``."""
    rng = random.Random(seed)
    plan = sorted((rng.uniform(0, seconds), student, k) for student in students for k in (0, 1))
    order = collections.Counter()
    handed: dict[str, float] = {}
    began = time.time()
    for at, student, _ in plan:
        time.sleep(max(0.0, began + at - time.time()))
        nb = notebooks[order[student]]  # the first with a mistake, the second the fix
        order[student] += 1
        _, secret = sc.submit(exchange, student, nb)
        handed[secret] = time.time()
    latencies = _released_within(exchange, handed, 600)
    span = max(handed[s] + t for s, t in latencies.items()) - began
    return handed, latencies, span


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=80.0)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: submissions are folders owned by each student's account")
    students = [f"dsb{i:02d}" for i in range(args.students)]
    for name in students:
        subprocess.run(["useradd", "-M", "-s", "/usr/sbin/nologin", name], check=True)
    service = None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root, exchange, answered = sc.served_course(Path(tmp), "c.InstantFeedback.workers = 2")
            mistaken = sample_submissions.replace_solutions(answered, {"mse": sc.SUM_NOT_MEAN})
            log = Path(tmp) / "serve.log"
            print(f"load average before: {_load()}")
            service = sc.start_service(root, exchange, log)
            sc.wait_for(lambda: "serving" in log.read_text(), 120, "the service to warm up", log, service)
            time.sleep(5)
            first = idle(exchange, answered, ["daemon", "bin", "sys"])
            print("(a) idle warm service, one submission of 01: submit to feedback "
                  + ", ".join(f"{t:.2f}" for t in first) + f" s (median {statistics.median(first):.2f} s)")
            print(f"    load average: {_load()}")

            handed, latencies, span = rush(exchange, [mistaken, answered], students, args.seconds)
            sc.stop_service(service)
            service = None
            lines = [json.loads(x) for x in (root.path / "serve" / "queue.jsonl").read_text().splitlines() if x]
            steps = collections.Counter((tuple(x["key"]), x["step"]) for x in lines)
            keys = {tuple(x["key"]) for x in lines if x["key"][1] in students}
            once = all(steps[(k, "graded")] == 1 and steps[(k, "released")] == 1 for k in keys)
            values = sorted(latencies.values())
            n = len(handed)
            print(f"(b) {n} submissions from {len(students)} students over {args.seconds:.0f} s: "
                  f"{len(keys)} queued, {len(values)} released, each graded and released exactly once: {once}")
            print(f"    submit to feedback: p50 {percentile(values, 50):.1f} s, p95 {percentile(values, 95):.1f} s, "
                  f"max {values[-1]:.1f} s; throughput {len(values) / span * 60:.1f} per minute "
                  f"(first submit to last feedback {span:.1f} s)")
            print(f"    load average: {_load()}")
            kept = _logged_seconds(log, r"kept in ([\d.]+) s")
            counted = _logged_seconds(log, r"in the gradebook in ([\d.]+) s")
            if kept and counted:
                print("    in the service's loop, per submission: kept in the history, median "
                      f"{statistics.median(kept):.2f} s (max {max(kept):.2f}); the counting one put in the "
                      f"gradebook, median {statistics.median(counted):.2f} s (max {max(counted):.2f})")

            incoming = Path(tmp) / "incoming"
            for i, nb in enumerate([mistaken, answered] * len(students)):
                folder = incoming / f"g{i:03d}" / sc.A
                folder.mkdir(parents=True)
                sample_submissions.nbformat.write(nb, folder / f"{sc.NOTEBOOK}.ipynb")
            began = time.perf_counter()
            result = grade_class(root, sc.A, incoming, workers=2, progress=False, say=lambda _: None)
            took = time.perf_counter() - began
            print(f"    descent grade --workers 2, the same {len(result.results)} notebooks with feedback: "
                  f"{took:.1f} s, {len(result.results) / took * 60:.1f} per minute")
            print(f"load average after: {_load()}")
    finally:
        if service is not None:
            sc.stop_service(service)
        for name in students:
            subprocess.run(["userdel", name], capture_output=True)


if __name__ == "__main__":
    main()
