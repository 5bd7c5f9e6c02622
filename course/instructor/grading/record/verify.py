"""Check a gradebook after grading: the database is sound and every graded student is in it."""
from __future__ import annotations

from nbgrader.api import MissingEntry
from sqlalchemy import create_engine, text

from ..core.coursedir import CourseRoot
from .scores import graded_by_hand
from .student_result import StudentResult


def verify_gradebook(course: CourseRoot, assignment: str, results: list[StudentResult]) -> list[str]:
    """Problems found (an empty list means the course's gradebook is consistent with the grading record)."""
    db_url = course.db_url
    problems = []
    if db_url.startswith("sqlite"):
        engine = create_engine(db_url)
        with engine.connect() as conn:
            verdict = conn.execute(text("PRAGMA integrity_check")).scalar()
        engine.dispose()
        if verdict != "ok":
            problems.append(f"SQLite integrity check: {verdict}")
    with course.open_gradebook() as gb:
        try:
            submissions = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return problems + [f"{assignment} is not in the gradebook"]
        by_student = {}
        for sub in submissions:
            by_student.setdefault(sub.student.id, []).append(sub)
        for student, subs in by_student.items():
            if len(subs) > 1:
                problems.append(f"{student} has {len(subs)} submissions of {assignment}")
        for result in results:
            if result.status != "graded":
                continue
            subs = by_student.get(result.student)
            if not subs:
                problems.append(f"{result.student} was graded but has no submission in the gradebook")
                continue
            for nb in subs[0].notebooks:
                unscored = [g.name for g in nb.grades if g.auto_score is None and not graded_by_hand(g)]
                if unscored:
                    problems.append(f"{result.student}/{nb.name}: no score for {', '.join(unscored)}")
    return problems
