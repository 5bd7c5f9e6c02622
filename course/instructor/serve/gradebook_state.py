"""One student's graded submission of one assignment as the gradebook holds it, read out and written back.

nbgrader's gradebook holds one submission per student and assignment. To keep every graded
submission and let the instructor choose which counts, the service reads that submission's state
out after each grading (:func:`read_state`) and writes a chosen one back (:func:`write_state`):
per graded cell the autograder's score, the hand-given score and extra credit and whether it needs
grading by hand; per answer cell the comments; per notebook nbgrader's late penalty; the hand-in time.
The state is plain data (JSON).
"""
from __future__ import annotations

import warnings
from datetime import datetime
from typing import TYPE_CHECKING

from nbgrader.api import MissingEntry
from sqlalchemy.exc import SAWarning

from ..grading.record.scores import graded_by_hand

if TYPE_CHECKING:
    from ..grading.core.coursedir import CourseRoot

#: What a person gives in the formgrader, kept with the submission it was given to.
MANUAL_GRADE = ("manual_score", "extra_credit")
MANUAL_COMMENT = ("manual_comment",)


def read_state(course: "CourseRoot", assignment: str, student: str) -> "dict | None":
    """The gradebook's submission of ``assignment`` by ``student`` as plain data; None if it has none."""
    with course.open_gradebook() as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        notebooks = {}
        for nb in sub.notebooks:
            notebooks[nb.name] = {
                "late_penalty": nb.late_submission_penalty,
                "grades": {g.name: {"auto_score": g.auto_score, "manual_score": g.manual_score,
                                    "extra_credit": g.extra_credit, "needs_manual_grade": bool(g.needs_manual_grade),
                                    "max_score": float(g.max_score), "by_hand": graded_by_hand(g)}
                           for g in nb.grades},
                "comments": {c.name: {"auto_comment": c.auto_comment, "manual_comment": c.manual_comment}
                             for c in nb.comments},
            }
        return {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None, "notebooks": notebooks}


def without_manual(state: dict) -> dict:
    """``state`` with nothing a person gave: the autograder's part of a submission, as a fresh grading leaves it.

    nbgrader keeps a hand-given score on the gradebook's row when the next submission is autograded;
    that score was given to another submission's answer, so it is taken out of this one's state.
    """
    notebooks = {}
    for name, nb in state["notebooks"].items():
        grades = {gid: {**g, "manual_score": None, "extra_credit": None, "needs_manual_grade": g["auto_score"] is None}
                  for gid, g in nb["grades"].items()}
        comments = {cid: {**c, "manual_comment": None} for cid, c in nb["comments"].items()}
        notebooks[name] = {**nb, "grades": grades, "comments": comments}
    return {**state, "notebooks": notebooks}


def manual_part(state: dict) -> dict:
    """``{notebook: {"grades": {...}, "comments": {...}}}``: only what a person gave, and whether it is reviewed."""
    return {name: {"grades": {gid: {k: g[k] for k in (*MANUAL_GRADE, "needs_manual_grade")}
                              for gid, g in nb["grades"].items()},
                   "comments": {cid: {k: c[k] for k in MANUAL_COMMENT} for cid, c in nb["comments"].items()}}
            for name, nb in state["notebooks"].items()}


def with_manual(state: dict, manual: dict) -> dict:
    """``state`` with the hand-given part ``manual`` (from :func:`manual_part`) laid over it."""
    notebooks = {}
    for name, nb in state["notebooks"].items():
        given = manual.get(name, {})
        grades = {gid: {**g, **given.get("grades", {}).get(gid, {})} for gid, g in nb["grades"].items()}
        comments = {cid: {**c, **given.get("comments", {}).get(cid, {})} for cid, c in nb["comments"].items()}
        notebooks[name] = {**nb, "grades": grades, "comments": comments}
    return {**state, "notebooks": notebooks}


def write_state(course: "CourseRoot", assignment: str, student: str, state: dict) -> None:
    """Make the gradebook's submission of ``assignment`` by ``student`` hold ``state`` (from :func:`read_state`)."""
    with course.open_gradebook() as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)  # nbgrader's own session warnings, as autograde.py ignores them
        sub = gb.update_or_create_submission(assignment, student)
        sub.timestamp = datetime.fromisoformat(state["timestamp"]) if state.get("timestamp") else None
        for nb in sub.notebooks:
            kept = state["notebooks"].get(nb.name)
            if kept is None:
                continue
            nb.late_submission_penalty = kept.get("late_penalty")
            for grade in nb.grades:
                for field, value in kept["grades"].get(grade.name, {}).items():
                    if field in ("auto_score", *MANUAL_GRADE, "needs_manual_grade"):
                        setattr(grade, field, value)
            for comment in nb.comments:
                for field, value in kept["comments"].get(comment.name, {}).items():
                    setattr(comment, field, value)
        gb.db.commit()


def autograded_points(state: "dict | None") -> float:
    """Points the autograder gave (cells graded by hand left out), minus nbgrader's late penalty, at least 0.

    What "best" compares: grading a written answer by hand never changes which submission counts.
    """
    if not state:
        return 0.0
    total = 0.0
    for nb in state["notebooks"].values():
        points = sum(g["auto_score"] or 0.0 for g in nb["grades"].values() if not g["by_hand"])
        total += max(0.0, points - float(nb.get("late_penalty") or 0.0))
    return total
