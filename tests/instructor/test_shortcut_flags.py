"""Answers that use the course's own parabola or descent engine get a review flag, honest ones do not."""
from __future__ import annotations

from pathlib import Path

import class_factory
import grading_harness as harness
import nbformat
import pytest

from course.instructor.grading import CourseRoot
from course.instructor.grading.core.cells import grade_ids
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.stage.shortcut_flags import shortcut_flags
from course.shortcuts import SHORTCUTS

REPO = Path(__file__).resolve().parents[2]
A = "02_parabola_descent"
NOTEBOOK = "parabola_descent.ipynb"
#: An answer to parabola, parabola_grad and gradient_descent through the course's own code; right, but not written.
BORROWED = {
    "parabola": "from course.functions import quadratic as _q\ndef parabola(x):\n    return _q(1.0, 3.0)(x)",
    "parabola_grad": "import course.functions\ndef parabola_grad(x):\n"
                     "    return course.functions.quadratic(1, 3).grad(x)",
    "gradient_descent": "from course import descent\ndef gradient_descent(grad, x0, learning_rate, n_iters):\n"
                        "    return descent.path(grad, float(x0), learning_rate, n_iters)",
}


def _notebook(cells: dict[str, str]):
    """The 02 release answered with the instructor's solutions, some of them replaced; and the release."""
    source = sample_submissions.read(REPO / "source" / A / NOTEBOOK)
    blank = sample_submissions.read(REPO / "release" / A / NOTEBOOK)
    answered = sample_submissions.mix(source, blank, set(grade_ids(source, "solution")))
    return sample_submissions.replace_solutions(answered, cells), blank


def test_every_shortcut_names_a_function_of_the_lessons_wing():
    """Does each dotted name in SHORTCUTS exist in the lessons' wing (a typo would flag nothing)?"""
    import importlib

    for names in SHORTCUTS.values():
        for dotted in names:
            module, _, name = dotted.rpartition(".")
            assert not module.startswith("course.instructor")
            assert callable(getattr(importlib.import_module(module), name)), dotted


@pytest.mark.parametrize("exercise", sorted(BORROWED))
def test_an_answer_through_the_courses_code_is_flagged(exercise):
    """Is an answer that imports or calls the course's own version (any import style) flagged, naming it?"""
    submitted, release = _notebook({exercise: BORROWED[exercise]})
    flags = shortcut_flags(submitted, release)
    assert len(flags) == 1 and flags[0].startswith(f"review: {exercise} uses the course's own "), flags
    assert exercise in flags[0]


@pytest.mark.parametrize("path", sorted(REPO.glob("source/*/*.ipynb")), ids=lambda p: p.parent.name)
def test_written_answers_and_the_courses_own_cells_are_not_flagged(path):
    """Are the instructor's solutions (and the demos that use quadratic and path) free of shortcut flags?"""
    source = nbformat.read(path, as_version=4)
    release = nbformat.read(REPO / "release" / path.parent.name / path.name, as_version=4)
    assert shortcut_flags(source, release) == []


@pytest.mark.slow
def test_a_graded_submission_that_uses_a_shortcut_is_flagged_in_grades_csv(tmp_path):
    """Does grading a real submission whose parabola, slope and descent call the course's code keep its points but
    write a review flag for each in grades.csv, while an honest student gets none?"""
    from course.instructor.grading.batch import grade_class
    from course.instructor.grading.publish.release import release

    root = CourseRoot.at(harness.REPO).copy_to(tmp_path / "course", with_release=True)
    release(root, [A])
    borrowed, _ = _notebook(BORROWED)
    honest, _ = _notebook({})
    incoming = tmp_path / "incoming"
    for student, nb in (("borrower", borrowed), ("honest", honest)):
        (incoming / student / A).mkdir(parents=True)
        nbformat.write(nb, incoming / student / A / NOTEBOOK)
    result = grade_class(root, A, incoming, workers=1, feedback=False, progress=False)
    rows = class_factory.read_csv(result.csv_path)
    assert rows["honest"]["flags"] == ""
    for exercise in BORROWED:
        assert f"review: {exercise} uses the course's own" in rows["borrower"]["flags"], rows["borrower"]["flags"]
    assert rows["borrower"]["total"] == rows["honest"]["total"], "a right answer keeps its points (flagged for review)"
