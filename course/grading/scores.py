"""Read autograded scores from the gradebook, per student, notebook and graded cell."""
from __future__ import annotations

from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry


@dataclass(frozen=True)
class CellScore:
    """The score of one graded cell of one student's notebook."""

    student: str
    notebook: str
    grade_id: str
    score: "float | None"
    max_score: float

    @property
    def full(self) -> bool:
        return self.score is not None and abs(self.score - self.max_score) < 1e-9


def read_scores(db_url: str, assignment: str) -> list[CellScore]:
    """Every graded cell of every submission of ``assignment``, sorted by student and notebook.

    ``score`` is ``None`` where the autograder recorded no score (e.g. the student's
    whole notebook failed to run); nbgrader would export that as 0.
    """
    rows: list[CellScore] = []
    with Gradebook(db_url) as gb:
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
                    rows.append(CellScore(student, nb_name, grade.name,
                                          None if grade.auto_score is None else float(grade.score),
                                          float(grade.max_score)))
    return rows
