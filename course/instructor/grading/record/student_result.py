"""What grading one student's submission of one assignment gave: the record every later step reads."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StudentResult:
    """What grading one student's submission of one assignment gave."""

    student: str
    assignment: str
    #: "graded"; "error" (nbgrader could not grade it: message says why); "invalid" (no notebook
    #: could be staged: missing, too large, not JSON); "missing" (no submission for the assignment).
    status: str
    message: str = ""
    scores: dict = field(default_factory=dict)  # grade_id -> points (None: not scored)
    max_scores: dict = field(default_factory=dict)  # grade_id -> max points
    digest: str = ""
    seconds: float = 0.0
    flags: list = field(default_factory=list)  # incidents for the instructor: timeouts, crashes, tampering
    mistakes: dict = field(default_factory=dict)  # grade_id -> mistake id, for failed test cells

    @property
    def total(self) -> float:
        return float(sum(v for v in self.scores.values() if v is not None))
