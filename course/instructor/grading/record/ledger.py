"""An append-only record of graded students, so that a killed run resumes where it stopped.

One JSON line per finished student, flushed and fsynced before the next; a line
torn by a crash is ignored. The latest line per student wins, so grading the same
class twice adds lines but never duplicates a student in what is read back.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from .student_result import StudentResult


class Ledger:
    """The grading record of one assignment at ``path`` (a ``.jsonl`` file)."""

    def __init__(self, path: "str | Path"):
        self.path = Path(path)

    def latest(self) -> dict[str, StudentResult]:
        """The last recorded result per student."""
        results: dict[str, StudentResult] = {}
        for record in read_lines(self.path):
            try:
                result = StudentResult(**record)
            except TypeError:
                continue  # not a result
            results[result.student] = result
        return results

    def append(self, result: StudentResult) -> None:
        """Record ``result`` durably, on a line of its own even after a line torn by a crash."""
        append_line(self.path, asdict(result))


def append_line(path: Path, record: dict) -> None:
    """Append ``record`` as one JSON line to ``path``, fsynced, ending first a line torn by a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as f:  # appends go to the end, wherever we read
        if f.seek(0, os.SEEK_END) > 0:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":  # the last line was torn by a crash: end it first
                f.write(b"\n")
        f.write(json.dumps(record, sort_keys=True).encode() + b"\n")
        f.flush()
        os.fsync(f.fileno())


def read_lines(path: Path) -> list[dict]:
    """Every whole JSON object line of ``path`` (a line torn by a crash is skipped)."""
    records = []
    if not path.exists():
        return records
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records
