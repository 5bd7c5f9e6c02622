"""Feedback on submit: how long from `nbgrader submit` to feedback a student can fetch, and how many per minute.

Runs ``descent serve`` (as root, ``c.InstantFeedback.workers = 2``) on an exchange folder of a course
copy, and hands in submissions as ``nbgrader submit`` lays them out (a folder owned by the student,
its timestamp and secret). The hub adds nothing to this path (the service reads the exchange
folder), so it is left out. Run from the repository root, as root:

    python tests/benchmarks/bench_serve.py [--students 20] [--seconds 80] [--keep DIR]

(a) one submission of 01 on an idle, warm service, three times: submit to feedback released;
(b) two submissions from each of ``--students`` accounts (made with ``useradd`` and removed after),
spread at random over ``--seconds``: p50 and p95 submit to feedback, each page timed as it
appears (also while later submissions are still arriving), and throughput (capped by the
arrivals); (c) the same again, handed in at once: the service's own rate. For (b) and (c), where
the time went, per phase, from the service's journal (what ``descent serve --status`` prints);
then exactly-once (graded and released lines per submission) and ``descent grade --workers 2`` on
the same notebooks, one folder per submission. ``--keep DIR`` copies the service's log and
journal there.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import serve_class as sc  # noqa: E402

from course.instructor.grading.batch import grade_class  # noqa: E402
from course.instructor.grading.publish import sample_submissions  # noqa: E402
from course.instructor.serve.journal import Journal  # noqa: E402
from course.instructor.serve.status import percentile, phase_lines  # noqa: E402


def _watch(exchange: Path, handed: dict[str, float], seen: dict[str, float], until: float) -> None:
    """Note in ``seen`` each page of ``handed`` (``{secret: when submitted}``) as it appears, as seconds
    from submit (polled every 50 ms), until every page is seen or the clock reaches ``until``."""
    while len(seen) < len(handed) and time.time() < until:
        for secret, at in handed.items():
            if secret not in seen and sc.feedback_page(exchange, secret) is not None:
                seen[secret] = time.time() - at
        time.sleep(0.05)


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def idle(exchange: Path, answered, students: list[str]) -> list[float]:
    """(a): one submission at a time on the warm, idle service."""
    times = []
    for student in students:
        time.sleep(3)  # idle: nothing grading
        _, secret = sc.submit(exchange, student, answered)
        seen: dict[str, float] = {}
        _watch(exchange, {secret: time.time()}, seen, time.time() + 120)
        times.append(seen.get(secret, float("nan")))
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
    latencies: dict[str, float] = {}
    began = time.time()
    for at, student, _ in plan:
        _watch(exchange, handed, latencies, began + at)  # pages are timed as they appear, between submits too
        time.sleep(max(0.0, began + at - time.time()))
        nb = notebooks[order[student]]  # the first with a mistake, the second the fix
        order[student] += 1
        _, secret = sc.submit(exchange, student, nb)
        handed[secret] = time.time()
    _watch(exchange, handed, latencies, time.time() + 600)
    span = max(handed[s] + t for s, t in latencies.items()) - began
    return handed, latencies, span


def print_rush(label: str, seconds: float, handed: dict, latencies: dict, span: float, root: Path,
               students: list[str], earlier: set) -> set:
    """Print a rush's figures and, from the service's journal, where its time went; its submissions' keys."""
    values = sorted(latencies.values())
    print(f"({label}) {len(handed)} submissions from {len(students)} students "
          + (f"over {seconds:.0f} s" if seconds else "handed in at once") + f": {len(values)} released")
    print(f"    submit to feedback: p50 {percentile(values, 50):.1f} s, p95 {percentile(values, 95):.1f} s, "
          f"max {values[-1]:.1f} s; throughput {len(values) / span * 60:.1f} per minute "
          f"(first submit to last feedback {span:.1f} s)")
    subs = {k: s for k, s in Journal(root / "serve" / "queue.jsonl").state().items()
            if k.student in students and k not in earlier}
    print("\n".join("    " + line for line in phase_lines(subs.values())))
    print(f"    load average: {_load()}")
    return set(subs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=80.0)
    parser.add_argument("--keep", type=Path, help="copy the service's log and journal into this folder")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: submissions are folders owned by each student's account")
    students = [f"dsb{os.getpid() % 10000:04d}x{i:02d}" for i in range(args.students)]  # two runs at once: no clash
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

            earlier: set = set()
            for label, seconds in (("b", args.seconds), ("c", 0.0)):
                handed, latencies, span = rush(exchange, [mistaken, answered], students, seconds)
                earlier |= print_rush(label, seconds, handed, latencies, span, root.path, students, earlier)
            sc.stop_service(service)
            service = None
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(log, args.keep / "serve.log")
                shutil.copy(root.path / "serve" / "queue.jsonl", args.keep / "queue.jsonl")
            lines = [json.loads(x) for x in (root.path / "serve" / "queue.jsonl").read_text().splitlines() if x]
            steps = collections.Counter((tuple(x["key"]), x["step"]) for x in lines)
            keys = {tuple(x["key"]) for x in lines if x["key"][1] in students}
            once = all(steps[(k, "graded")] == 1 and steps[(k, "released")] == 1 for k in keys)
            print(f"(b) and (c): {len(keys)} submissions queued, each graded and released exactly once: {once}")
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
