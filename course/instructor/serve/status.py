"""``descent serve --status``: the queue, each submission's latency, failures; and which submission counts."""
from __future__ import annotations

import csv
import io
import statistics
from datetime import timezone
from pathlib import Path

from nbgrader.utils import parse_utc

from .gradebook_state import autograded_points
from .history import write_file
from .journal import Key, Submission
from .policy import counted


def submitted_at(key: Key) -> "float | None":
    """nbgrader's submission timestamp (``2026-12-05 03:14:16.123456 UTC``) as seconds since the epoch."""
    try:
        when = parse_utc(key.timestamp)
        return (when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when).timestamp()
    except (ValueError, TypeError, OverflowError):
        return None


def latency(sub: Submission) -> "float | None":
    """Seconds from the student's submit to the feedback's release (None until released)."""
    start = submitted_at(sub.key)
    if sub.step != "released" or not sub.released_at or start is None:
        return None
    return sub.released_at - start


#: The parts of a submission's submit-to-feedback time, between the times the journal records.
PHASES = {
    "found": "submit to queued (the inbound's poll)",
    "queued": "queued to a worker (a free worker, the student's earlier submission, the hourly limit)",
    "grading": "in grading (the worker's own time, plus the pass that notices it finished)",
    "worker": "  of which the worker's own grading",
    "releasing": "graded to released (the page written)",
}


def phases(sub: Submission) -> "dict[str, float] | None":
    """Seconds of each of :data:`PHASES` of a released submission; None before its release."""
    start = submitted_at(sub.key)
    if latency(sub) is None or start is None or not sub.grading_at:
        return None
    return {"found": sub.queued_at - start, "queued": sub.grading_at - sub.queued_at,
            "grading": sub.graded_at - sub.grading_at, "releasing": sub.released_at - sub.graded_at,
            "worker": float(sub.result.get("seconds") or 0.0)}


def describe_phases(sub: Submission) -> str:
    """One submission's latency and its phases, for the service's log."""
    parts = phases(sub)
    if parts is None:
        return "no latency (not released, or no timestamp)"
    return (f"submit to feedback {latency(sub):.2f} s: found {parts['found']:.2f}, queued {parts['queued']:.2f}, "
            f"grading {parts['grading']:.2f} ({parts['worker']:.2f} in the worker), "
            f"releasing {parts['releasing']:.2f}")


def phase_lines(subs) -> list[str]:
    """Median and p95 of each of :data:`PHASES` over the released ``subs`` (no lines if none)."""
    split = [p for s in subs if (p := phases(s)) is not None]
    if not split:
        return []
    return ["where the time went (median / p95):"] + [
        f"  {what}: {percentile([p[name] for p in split], 50):.1f} / {percentile([p[name] for p in split], 95):.1f} s"
        for name, what in PHASES.items()]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, interpolated between order statistics."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[min(98, max(0, round(q) - 1))]


def report(subs: dict[Key, Submission], recent: int = 10) -> str:
    """What the instructor reads: queue length, latency figures, the latest submissions, failures."""
    waiting = [s for s in subs.values() if s.step == "waiting"]
    queued = [s for s in subs.values() if not s.done]
    grading = [s for s in subs.values() if s.step == "grading"]
    failed = [s for s in subs.values() if s.step in ("refused", "failed")
              or (s.result and s.result.get("status") != "graded")]
    times = [t for s in subs.values() if (t := latency(s)) is not None]
    lines = [f"queue: {len(queued)} submission(s) not yet released ({len(grading)} grading, "
             f"{len(waiting)} waiting for the hourly limit); {len(subs) - len(queued)} released or refused"]
    if times:
        lines.append(f"submit to feedback: median {percentile(times, 50):.1f} s, p95 {percentile(times, 95):.1f} s, "
                     f"max {max(times):.1f} s over {len(times)} submission(s)")
        lines += phase_lines(subs.values())
    lines.append("latest:")
    for sub in sorted(subs.values(), key=lambda s: s.queued_at)[-recent:]:
        took = latency(sub)
        score = sub.result.get("scores", {}) if sub.result else {}
        total = sum(v for v in score.values() if v is not None)
        lines.append(f"  {sub.key.student} {sub.key.assignment} {sub.key.timestamp}: {sub.step}"
                     + (f", {sub.result.get('status')} {total:g}" if sub.result else "")
                     + (f", {took:.1f} s" if took is not None else ""))
    lines.append(f"failures: {len(failed)}")
    for sub in failed:
        own = sub.step in ("refused", "failed")  # the service's verdict, not the grader's
        why = sub.message if own else sub.result.get("message", "")
        lines.append(f"  {sub.key.student} {sub.key.assignment} {sub.key.timestamp}: "
                     f"{sub.step if own else sub.result.get('status')}: "
                     f"{(why.splitlines() or [''])[0]}")
    return "\n".join(lines)


def write_counted(path: Path, history: dict[str, list[dict]], counts: str) -> Path:
    """``instant.csv``: per student (``history``: student -> kept records, oldest first), the submission that
    counts (``counts``: last or best), its autograded points after the late penalty, and how many were kept."""
    text = io.StringIO(newline="")
    out = csv.writer(text)
    out.writerow(["student", "counted submission", "status", "autograded points after late penalty",
                  "graded submissions", "counts"])
    for student, records in sorted(history.items()):
        chosen = counted(records, counts)
        if chosen is not None:
            out.writerow([student, chosen["timestamp"], chosen.get("status"),
                          f"{autograded_points(chosen['gradebook']):g}", len(records), counts])
    write_file(path, text.getvalue().encode())
    return path
