"""grading.batch without kernels: what reaches grades.csv from the ledger and the gradebook."""
from __future__ import annotations

import class_factory
import grading_harness as harness

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import write_outputs
from course.instructor.grading.record.ledger import Ledger
from course.instructor.grading.record.student_result import StudentResult

A = class_factory.ASSIGNMENT


def test_a_ledger_line_of_a_student_the_gradebook_does_not_know_is_reported_not_listed(tmp_path):
    """A ledger naming a student absent from the gradebook: is the student named in the output and left out
    of grades.csv, while the gradebook's students are listed?"""
    from nbgrader.api import Gradebook

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course")
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db) as gb:
        gb.add_assignment(A)
        gb.add_student("ada")
        gb.add_student("bob")
    ledger = Ledger(root.path / "grades" / A / "ledger.jsonl")
    for student, points in (("ada", 2.0), ("ghost", 1.0)):
        ledger.append(StudentResult(student, A, "graded", scores={"test_mse": points}, digest=f"sha-{student}"))
    ledger.append(StudentResult("bob", A, "missing", f"no notebook for {A}"))

    said: list[str] = []
    results, csv_path, _ = write_outputs(root.with_gradebook(db), A, ledger, {"test_mse": 2.0}, said.append)

    assert sorted(r.student for r in results) == ["ada", "bob"]
    rows = class_factory.read_csv(csv_path)
    assert sorted(rows) == ["ada", "bob"]
    assert rows["ada"]["mse"] == "2" and rows["bob"]["status"] == "missing"
    reported = [line for line in said if "ghost" in line]
    assert len(reported) == 1 and "does not know" in reported[0] and "left out of grades.csv" in reported[0]
    assert sorted(ledger.latest()) == ["ada", "bob", "ghost"], "the ledger itself loses nothing"
