"""Read autograded scores from the gradebook, per student, notebook and graded cell."""
from __future__ import annotations

from dataclasses import dataclass, replace

from nbgrader.api import GradeCell, MissingEntry

from ..core.coursedir import CourseRoot


@dataclass(frozen=True)
class CellScore:
    """The score of one graded cell of one student's notebook."""

    student: str
    notebook: str
    grade_id: str
    score: "float | None"
    max_score: float
    #: A written answer or task the grader has not scored yet in the formgrader (``score`` is None).
    pending: bool = False

    @property
    def full(self) -> bool:
        return self.score is not None and abs(self.score - self.max_score) < 1e-9


def read_scores(course: CourseRoot, assignment: str) -> list[CellScore]:
    """Every graded cell of every submission of ``assignment``, sorted by student and notebook.

    ``score`` is the manual score where a grader gave one, else the autograder's; ``None``
    where neither exists (the student's whole notebook failed to run, or a manually graded
    cell or task is not graded yet); nbgrader would export that as 0.
    """
    rows: list[CellScore] = []
    with course.open_gradebook() as gb:
        try:
            nb_names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        except MissingEntry:
            return []
        for student in sorted(s.id for s in gb.students):
            for nb_name in nb_names:
                try:
                    sub_nb = gb.find_submission_notebook(nb_name, assignment, student)
                except MissingEntry:
                    continue
                for grade in sorted(sub_nb.grades, key=lambda g: g.cell.name if g.cell else g.name):
                    score = _score(grade)
                    rows.append(CellScore(student, nb_name, grade.name, score, float(grade.max_score),
                                          pending=score is None and graded_by_hand(grade)))
    return rows


def graded_by_hand(grade) -> bool:
    """Whether a person grades this cell in the formgrader: a task, or an answer cell (Markdown or code) that
    is also a grade cell. The autograder owns the rest: the code test cells."""
    cell = grade.cell
    if not isinstance(cell, GradeCell) or cell.cell_type != "code":
        return True
    return any(c.name == cell.name for c in grade.notebook.notebook.solution_cells)


def gradebook_students(course: CourseRoot) -> set[str]:
    """The ids of every student the course's gradebook knows."""
    with course.open_gradebook() as gb:
        return {s.id for s in gb.students}


def _score(grade) -> "float | None":
    if grade.auto_score is None and grade.manual_score is None:
        return None
    return float(grade.score)


def with_gradebook_scores(results: list, course: CourseRoot, assignment: str,
                          rows: "list[CellScore] | None" = None) -> list:
    """``results`` (``StudentResult``) with each cell's points as the gradebook holds them now.

    Manual scores given in the formgrader, and tasks, then reach ``grades.csv``; students
    without a graded submission keep what grading recorded. ``rows``: :func:`read_scores`'s, if read already.
    """
    current: dict[str, dict] = {}
    for row in read_scores(course, assignment) if rows is None else rows:
        current.setdefault(row.student, {})[row.grade_id] = row.score
    return [replace(r, scores={**r.scores, **current[r.student]}) if r.status == "graded" and r.student in current
            else r for r in results]


def read_student_scores(course: CourseRoot, assignment: str, student: str) -> tuple[dict, dict]:
    """``(scores, max_scores)`` by grade_id for one student's submission, from the gradebook."""
    scores, maxima = {}, {}
    with course.open_gradebook() as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return scores, maxima
        for nb in submission.notebooks:
            for grade in nb.grades:
                scores[grade.name] = None if grade.auto_score is None else float(grade.score)
                maxima[grade.name] = float(grade.max_score)
    return scores, maxima
