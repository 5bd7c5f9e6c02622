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

from .autograde import StudentResult


class Ledger:
    """The grading record of one assignment at ``path`` (a ``.jsonl`` file)."""

    def __init__(self, path: "str | Path"):
        self.path = Path(path)

    def latest(self) -> dict[str, StudentResult]:
        """The last recorded result per student."""
        results: dict[str, StudentResult] = {}
        if not self.path.exists():
            return results
        for line in self.path.read_text().splitlines():
            try:
                record = json.loads(line)
                result = StudentResult(**record)
            except (json.JSONDecodeError, TypeError):
                continue  # a line torn by a crash
            results[result.student] = result
        return results

    def append(self, result: StudentResult) -> None:
        """Record ``result`` durably."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(asdict(result), sort_keys=True) + "\n")
            f.flush()
            os.fsync(f.fileno())
