"""The instructor's policy for instant feedback, as traits set in ``nbgrader_config.py``.

    c.InstantFeedback.assignments = ["01_loss_functions"]   # on for these (empty: off)
    c.InstantFeedback.show_score = False                     # mistakes and hints only
    c.InstantFeedback.max_per_hour = 3                       # later submissions wait, they are not dropped
    c.InstantFeedback.counts = "best"                        # which graded submission counts: last or best
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from traitlets import Bool, Enum, Float, Int, List, Unicode
from traitlets.config import Configurable

from .gradebook_state import autograded_points

if TYPE_CHECKING:
    from ..grading.core.coursedir import CourseRoot

HOUR = 3600.0


class InstantFeedback(Configurable):
    """What ``descent serve`` grades and what it shows the student."""

    assignments = List(Unicode(), default_value=[],
                       help="Assignments graded on submit; empty: instant feedback is off.").tag(config=True)
    show_score = Bool(True, help="Show the score in the feedback; False: the named mistakes and hints "
                                 "only.").tag(config=True)
    max_per_hour = Int(0, min=0, help="Graded submissions per student and assignment in any hour; later ones "
                                      "wait in the queue (with a message), they are never dropped. 0: no "
                                      "limit.").tag(config=True)
    counts = Enum(["last", "best"], default_value="last",
                  help="Which of a student's graded submissions the gradebook holds (so grades.csv, the "
                       "report, the LMS export and the formgrader): the latest or the one with the most "
                       "autograded points after the late penalty (the earliest of equals).").tag(config=True)
    poll_seconds = Float(1.0, min=0.05, help="How often the exchange's inbound is looked at.").tag(config=True)
    workers = Int(1, min=1, help="Warm grading workers kept between submissions (with a scheduler: "
                                 "submissions grading at once).").tag(config=True)
    scheduler = Unicode("", help="A Dask scheduler (tcp://HOST:8786), as `descent grade --scheduler` uses: grade "
                                 "there instead of in local workers (needs a PostgreSQL gradebook).").tag(config=True)

    def is_on(self, assignment: str) -> bool:
        """Whether ``assignment`` is graded on submit."""
        return assignment in self.assignments


def load_policy(root: "CourseRoot") -> InstantFeedback:
    """The policy the course's configuration sets (Jupyter's config folders, then the course root's file)."""
    return InstantFeedback(config=root.config)


def next_allowed(graded_at: list[float], now: float, max_per_hour: int) -> float:
    """When the next submission may be graded (``<= now``: at once), given when earlier ones were graded.

    Parameters
    ----------
    graded_at
        Times (seconds since the epoch) at which this student's earlier submissions of the
        assignment were graded.
    now
        The current time.
    max_per_hour
        The policy's limit; 0 means none.
    """
    if max_per_hour <= 0:
        return now
    recent = sorted(t for t in graded_at if t > now - HOUR)
    if len(recent) < max_per_hour:
        return now
    return recent[len(recent) - max_per_hour] + HOUR


def counted(history: list[dict], counts: str) -> "dict | None":
    """The kept submission that counts, from ``history`` (records of :mod:`.history`, oldest first).

    Only a submission nbgrader graded can be in the gradebook: one it could not read at all
    (``invalid``: not JSON, no notebook) never counts, and the gradebook keeps the one before.

    ``"last"``: the latest of the others, whatever its score (a grading error included).
    ``"best"``: the one with the most autograded points after nbgrader's late penalty
    (:func:`.gradebook_state.autograded_points`; cells graded by hand are left out, so grading a
    written answer never changes which submission counts); of equals, the earliest stays. With none
    graded, the latest.
    """
    held = [h for h in history if h.get("gradebook")]
    if not held:
        return None
    graded = [h for h in held if h.get("status") == "graded"]
    if counts == "last" or not graded:
        return held[-1]
    return max(graded, key=lambda h: autograded_points(h["gradebook"]))  # max keeps the first of equals
