"""The submission queue of ``descent serve``, kept as an append-only journal that survives ``kill -9``.

Each step of a submission is one fsynced JSON line (the ledger's guarantees:
:func:`..grading.record.ledger.append_line`); the queue's state is what the lines say, read back in
order. A submission is keyed by (assignment, student, nbgrader's submission timestamp), so a
folder seen twice is queued once. Its steps:

    queued -> [waiting ->] grading -> [died -> grading ->] graded -> released
    (or: refused, for a folder not graded; failed, for feedback that could not be released)

A ``grading`` line with no ``graded`` line after it was cut short by a crash: the submission is
graded again, and its result recorded once. ``died``: the worker grading it died (killed, out of
memory); the submission is graded once more, a new attempt of the same submission, and after a
second death it is recorded ``graded`` as an error. A ``graded`` submission without ``released`` has its
feedback released again (an idempotent copy).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..grading.record.ledger import append_line

#: Steps after which a submission needs nothing more.
DONE = ("released", "refused", "failed")


class Key(NamedTuple):
    """One submission: which assignment, whose, handed in when (nbgrader's timestamp, as a string)."""

    assignment: str
    student: str
    timestamp: str


@dataclass
class Submission:
    """What the journal says of one submission."""

    key: Key
    folder: str = ""
    step: str = "queued"
    queued_at: float = 0.0
    grading_at: float = 0.0  # the latest "grading" line: when a worker was handed it
    graded_at: float = 0.0
    released_at: float = 0.0
    not_before: float = 0.0  # set while it waits for the hourly limit
    message: str = ""
    result: dict = field(default_factory=dict)
    times_graded: int = 0  # "graded" lines: exactly one once it is done
    attempts: int = 0  # "grading" lines: more than one after a crash
    deaths: int = 0  # "died" lines: workers that died grading it

    @property
    def done(self) -> bool:
        return self.step in DONE


class Journal:
    """The queue's journal at ``path`` (a ``.jsonl`` file)."""

    def __init__(self, path: "str | Path"):
        self.path = Path(path)
        self._subs: dict[Key, Submission] = {}  # what the lines read so far say
        self._read_to = 0  # bytes of the file read so far, up to the end of a whole line

    def _new_lines(self) -> list[dict]:
        """The JSON object lines appended since the last call (a torn last line waits for its end;
        a line torn by a crash, ended by the next append, is skipped, as ``read_lines`` skips it)."""
        try:
            with open(self.path, "rb") as f:
                if os.fstat(f.fileno()).st_size < self._read_to:  # replaced by a shorter file: read it afresh
                    self._subs, self._read_to = {}, 0
                f.seek(self._read_to)
                data = f.read()
        except FileNotFoundError:
            return []
        whole = data[:data.rfind(b"\n") + 1]
        self._read_to += len(whole)
        lines = []
        for raw in whole.splitlines():
            try:
                line = json.loads(raw)
            except ValueError:  # not JSON, or not UTF-8
                continue
            if isinstance(line, dict):
                lines.append(line)
        return lines

    def record(self, step: str, key: Key, **fields) -> None:
        """Append one step of ``key`` durably."""
        append_line(self.path, {"step": step, "key": list(key), "at": time.time(), **fields})

    def state(self) -> dict[Key, Submission]:
        """Every submission the journal names, in the order first seen, with its latest step.

        Only the lines appended since the last call are parsed: the service asks several times a
        pass, and a term's journal holds tens of thousands of lines (8,600 submissions: 0.57 s to
        parse whole). The submissions are this journal's own objects, updated by later calls.
        """
        lines = self._new_lines()  # first: a replaced file starts a fresh state
        subs = self._subs
        for line in lines:
            try:
                key, step, at = Key(*line["key"]), line["step"], float(line["at"])
            except (KeyError, TypeError, ValueError):
                continue
            sub = subs.setdefault(key, Submission(key, queued_at=at))
            sub.times_graded += step == "graded"  # counted even where it should not be: a test checks it is 1
            if sub.done and step != "released":
                continue  # nothing reopens a finished submission
            sub.step = step
            sub.folder = line.get("folder", sub.folder)
            sub.message = line.get("message", sub.message)
            if step == "waiting":
                sub.not_before = float(line.get("not_before", 0.0))
            elif step == "grading":
                sub.attempts, sub.grading_at = sub.attempts + 1, at
            elif step == "died":
                sub.deaths += 1
            elif step == "graded":
                sub.graded_at, sub.result = at, line.get("result", {})
            elif step == "released":
                sub.released_at = at
        return dict(subs)
