"""A student's function that rewrites the arguments the grader gives it, in every assignment: through
``descent grade`` and through plain ``nbgrader autograde``, forging scores 0 and mutating a right answer
loses only the "must not modify" marks."""
from __future__ import annotations

import shutil

import grading_harness as harness
import mutation_submissions as mutation
import pytest

from course.instructor.grading import CourseRoot
from course.instructor.grading.batch import grade_class
from course.instructor.grading.core import nbgrader_run
from course.instructor.grading.core.cells import cell_role, exercise_graded_by, grade_id, grade_ids
from course.instructor.grading.judge.judge import split_hidden
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.publish.release import release
from course.instructor.grading.record.scores import read_scores

ASSIGNMENTS = sorted(mutation.MUTABLE)
KINDS = sorted(mutation.WRAPPERS)


def _source(assignment: str):
    (path,) = CourseRoot.at(harness.REPO).notebooks(assignment)
    return path.stem, sample_submissions.read(path)


def _points(rows) -> dict[str, dict[str, float]]:
    """``{student: {grade_id: score}}`` from gradebook rows."""
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        found.setdefault(row.student, {})[row.grade_id] = row.score or 0.0
    return found


def test_every_graded_answer_is_accounted_for():
    """Is each solution of 01-08 either rewritten by the mutation students or named as taking no mutable argument,
    and is "must not modify" graded exactly where the mutation students expect it?"""
    solutions, graded = set(), set()
    for assignment in ASSIGNMENTS:
        _, nb = _source(assignment)
        solutions |= set(grade_ids(nb, "solution"))
        graded |= {exercise_graded_by(grade_id(c)) for c in nb.cells
                   if cell_role(c) == "test" and "call_and_report(" in split_hidden(c.source)[1]}
    rewritten = {name for names in mutation.MUTABLE.values() for name in names}
    assert rewritten.isdisjoint(mutation.NOT_MUTABLE)
    assert solutions == rewritten | set(mutation.NOT_MUTABLE)
    assert graded == mutation.MUST_NOT_MODIFY


@pytest.fixture(scope="module")
def mutation_run(tmp_path_factory):
    """Every assignment released and graded by ``descent grade`` for its two mutation students."""
    base = tmp_path_factory.mktemp("mutation")
    root = CourseRoot.at(harness.REPO).copy_to(base / "course", with_release=True)
    release(root, ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        name, source = _source(assignment)
        for kind in KINDS:
            folder = base / "incoming" / assignment / kind / assignment
            folder.mkdir(parents=True)
            sample_submissions.nbformat.write(mutation.submission(source, assignment, kind), folder / f"{name}.ipynb")
        grade_class(root, assignment, base / "incoming" / assignment, workers=2, feedback=False,
                    say=lambda _: None, progress=False)
    return root, {a: _points(read_scores(root, a)) for a in ASSIGNMENTS}


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_rewriting_inputs_forges_nothing(mutation_run, assignment, kind):
    """Through ``descent grade``: does rewriting the grader's arguments score 0 on every exercise it forges, and a right
    answer that also rewrites them lose exactly the cells that grade "must not modify its input"?"""
    _, scores = mutation_run
    rows = read_scores(mutation_run[0], assignment)
    maximum = {row.grade_id: row.max_score for row in rows}
    # a written answer waits for the grader (the formgrader), whatever the code does: 0 until graded by hand
    waiting = {row.grade_id for row in rows if row.pending}
    expected = {gid: 0.0 if gid in waiting else points
                for gid, points in mutation.expected(assignment, kind, maximum).items()}
    assert scores[assignment][kind] == expected


@pytest.mark.slow
def test_plain_nbgrader_autograde_gives_the_same_scores(mutation_run, tmp_path):
    """Through stock ``nbgrader autograde`` (nbgrader_config.py's pipeline), do the same submissions score the same?"""
    graded, scores = mutation_run
    plain = CourseRoot.at(harness.REPO).copy_to(tmp_path / "plain", with_release=True)
    release(plain, ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        for kind in KINDS:
            shutil.copytree(graded.submitted / kind / assignment, plain.submitted / kind / assignment)
        proc = nbgrader_run.run_nbgrader(plain, "autograde", assignment, "--create", "--force", timeout=1200)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert _points(read_scores(plain, assignment)) == scores[assignment], assignment
