"""Every assignment through real nbgrader: solutions score full marks, the release scores
zero, its demos run, and the grader tells correct variants from common mistakes."""
from __future__ import annotations

import filecmp

import grading_harness as harness
import pytest

from course.instructor.grading.core.cells import cell_role, exercise_graded_by, grade_id, grade_ids
from course.instructor.grading.publish.sample_submissions import read

pytestmark = pytest.mark.slow

ASSIGNMENTS = harness.course().assignments()
VARIANTS = harness.load_variants()


def _variant_cases(kind: str):
    for assignment, module in sorted(VARIANTS.items()):
        for name in getattr(module, kind):
            yield pytest.param(assignment, name, id=f"{assignment}-{name}")


def _errors(nb, roles):
    """(cell index, grade_id, error name) for every code cell of the given roles that errored."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell_role(cell) in roles:
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                    found.append((i, gid, out.ename, out.evalue[:200]))
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_scores_full_marks(graded_course, assignment):
    """Does every instructor solution, handed in as a submission, get every point (its written answers
    waiting for the grader after autograde, and given full points by hand)?"""
    graded = graded_course[assignment]
    scores = graded.scores["source"]
    assert scores, "no graded cells recorded"
    written = {gid for path in graded.root.notebooks(assignment) for gid in grade_ids(read(path), "written")}
    assert written and graded.by_hand.get("source") == written, "every written answer must wait for the grader"
    lost = {gid: (s.score, s.max_score) for gid, s in scores.items() if not s.full}
    assert not lost, f"source solutions lost marks: {lost}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_runs_without_errors(graded_course, assignment):
    """Does every cell of the solved notebook run without an error?"""
    graded = graded_course[assignment]
    for nb_path in graded.root.notebooks(assignment):
        nb = graded.autograded("source", nb_path.stem)
        assert not _errors(nb, {"solution", "test", "locked", "plain"})


@pytest.mark.parametrize("student", ["source", harness.PLAIN])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_notebook_and_feedback_show_every_figure(graded_course, assignment, student):
    """Do the graded notebook and the feedback page of a full solution hold one image per figure the notebook
    draws in a plain kernel, with kernels forked from the template (``source``, when grading as root) and
    with kernels started afresh (``source-plain``)?"""
    graded = graded_course[assignment]
    assert graded.scores[student] and all(s.full for s in graded.scores[student].values())
    for notebook, drawn in graded.figures.items():
        assert drawn > 0, f"{notebook} draws no figure in a plain kernel: nothing to compare"
        assert harness.images(graded.autograded(student, notebook)) == drawn, notebook
        assert harness.feedback_images(graded.feedback(student, notebook)) == drawn, notebook


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_scores_zero(graded_course, assignment):
    """Does an untouched release notebook score zero on every test cell (no free points)?"""
    scores = graded_course[assignment].scores["release"]
    assert scores
    free = {gid: s.score for gid, s in scores.items() if s.score != 0}
    assert not free, f"the blank release earns points: {free}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_demos_run_before_any_exercise(graded_course, assignment):
    """Do all non-exercise cells of the release run without error before the student writes anything?"""
    graded = graded_course[assignment]
    for nb_path in graded.root.notebooks(assignment):
        nb = graded.autograded("release", nb_path.stem)
        assert not _errors(nb, {"locked", "plain"})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_in_sync_with_source(graded_course, assignment):
    """Is the committed release/ exactly what generating the assignment from source/ gives now?"""
    fresh = graded_course[assignment].root.release / assignment
    committed = harness.REPO / "release" / assignment
    assert committed.is_dir(), f"release/{assignment} is missing: run `descent release`"
    fresh_files = sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    committed_files = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert fresh_files == committed_files
    _, mismatch, errors = filecmp.cmpfiles(fresh, committed, [str(p) for p in fresh_files], shallow=False)
    assert not mismatch and not errors, f"release/{assignment} is stale: {mismatch}; run `descent release`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_solution_has_a_test_and_variants(assignment):
    """Is each solution cell graded by test_<id>, with >= 2 correct variants and >= 3 mistakes?"""
    from course.instructor.grading.publish.sample_submissions import read

    module = VARIANTS.get(assignment)
    assert module is not None, f"tests/variants has no module for {assignment}"
    nb = read(harness.REPO / "source" / assignment / module.NOTEBOOK)
    tests = set(grade_ids(nb, "test"))
    for sid in grade_ids(nb, "solution"):
        assert f"test_{sid}" in tests, f"solution cell {sid} has no test_{sid} cell"
        n_ok = sum(sid in cells for cells in module.CORRECT.values())
        n_bad = sum(sid in cells for cells in module.MISTAKES.values())
        assert n_ok >= 2, f"{sid}: only {n_ok} correct variants"
        assert n_bad >= 3, f"{sid}: only {n_bad} mistaken variants"


@pytest.mark.parametrize("assignment, variant", list(_variant_cases("CORRECT")))
def test_correct_variant_gets_full_marks(graded_course, assignment, variant):
    """Does a correct answer written differently (loops, lists, float32, another formula) get every point?"""
    scores = graded_course[assignment].scores[f"ok-{variant}"]
    lost = {gid: (s.score, s.max_score) for gid, s in scores.items() if not s.full}
    assert not lost, f"a correct variant lost marks: {lost}"


@pytest.mark.parametrize("assignment, variant", list(_variant_cases("MISTAKES")))
def test_mistake_loses_marks(graded_course, assignment, variant):
    """Does each function written with this common mistake lose the marks of its test cell?"""
    scores = graded_course[assignment].scores[f"bad-{variant}"]
    for sid in VARIANTS[assignment].MISTAKES[variant]:
        cell = scores[f"test_{sid}"]
        assert cell.score is not None and cell.score < cell.max_score, \
            f"the mistaken {sid} still earned {cell.score}/{cell.max_score}"


def _planted(assignment: str, graded) -> dict[str, dict[str, str]]:
    """student -> test cell -> the mistake id the grader must record, for every student of the graded course.

    A mistaken variant's own functions: their NAMED id, else ``<exercise>/not-written`` for a stub
    left in place and ``unrecognised`` for the rest; the untouched release: ``not-written`` for every
    stub (a function's, or a value's). Any other test cell that lost marks failed through another
    function (``train`` runs the student's ``loss_gradient``): ``not-written`` if that variant left a
    stub (its NotImplementedError reaches the caller), the knock-on ``<exercise>/uses-wrong-<helper>``
    if a helper its probe uses is the variant's or lost marks too, else ``unrecognised``. Right answers lose nothing and
    get nothing.
    """
    from course.instructor.grading.publish.sample_submissions import read
    from course.instructor.probes import PROBES
    from course.mistakes import UNRECOGNISED, knock_on

    module = VARIANTS[assignment]
    named = getattr(module, "NAMED", {})
    release = read(harness.course().release / assignment / module.NOTEBOOK)
    stubs = {grade_id(c): c.source for c in release.cells if cell_role(c) == "solution"}
    def unwritten(code: str) -> bool:
        return "raise NotImplementedError" in code

    own = {f"bad-{v}": {f"test_{f}": named.get(v, {}).get(f, f"{f}/not-written" if unwritten(code) else UNRECOGNISED)
                        for f, code in cells.items()} for v, cells in module.MISTAKES.items()}
    stubbed = {f"bad-{v}" for v, cells in module.MISTAKES.items() if any(map(unwritten, cells.values()))}
    own["release"] = {f"test_{sid}": f"{sid}/not-written" if "NotImplementedError" in src else UNRECOGNISED
                      for sid, src in stubs.items()}

    def spill(student: str, gid: str, lost: set) -> str:
        exercise = exercise_graded_by(gid)
        if student in stubbed:
            return f"{exercise}/not-written"
        cells = module.MISTAKES.get(student.removeprefix("bad-"), {}) if student.startswith("bad-") else {}
        helpers = [h for h in getattr(PROBES.get(exercise), "uses", ()) if h in cells or f"test_{h}" in lost]
        return knock_on(exercise, helpers[0]) if helpers else UNRECOGNISED

    planted = {}
    for student, scores in graded.scores.items():
        lost = {gid for gid, cell in scores.items() if gid.startswith("test_") and not cell.full}
        mine = own.get(student, {})
        assert set(mine) <= lost, f"{student}: a planted mistake kept its marks"
        planted[student] = {gid: mine.get(gid, spill(student, gid, lost)) for gid in lost}
    return planted


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_grader_names_each_planted_mistake(graded_course, assignment):
    """Does each graded notebook record exactly the planted mistake per failed test cell (none for right answers)?"""
    from course.instructor.grading.run.incidents import mistakes_of

    graded = graded_course[assignment]
    notebook = VARIANTS[assignment].NOTEBOOK.removesuffix(".ipynb")
    planted = _planted(assignment, graded)
    assert all(not planted[f"ok-{v}"] for v in VARIANTS[assignment].CORRECT) and not planted["source"]
    for student, cells in planted.items():
        assert mistakes_of(graded.autograded(student, notebook)) == cells, student


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_report_counts_equal_the_planted_mistakes(graded_course, assignment):
    """Does the class report count, per exercise, exactly the mistakes planted in the graded class?"""
    from collections import Counter

    from course.instructor.grading.record.report import class_mistakes, count_mistakes
    from course.instructor.grading.record.scores import read_scores

    graded = graded_course[assignment]
    rows = read_scores(graded.root, assignment)
    n_students = len({r.student for r in rows})
    counts = count_mistakes(class_mistakes(graded.root, assignment, rows), n_students)
    got = {(c.exercise, c.mistake): (c.students, c.share) for found in counts.values() for c in found}
    planted = Counter((exercise_graded_by(gid), mid) for cells in _planted(assignment, graded).values()
                      for gid, mid in cells.items())
    assert got == {key: (n, n / n_students) for key, n in planted.items()}


# NumPy's shape errors: what a message would say if it showed the shapes of the hidden inputs
_SHAPE_DETAILS = ("broadcast together with", "not aligned", "core dimension", "cannot reshape", "for axis")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_failed_tests_never_show_the_hidden_inputs_shapes(graded_course, assignment):
    """Does no failed test cell's message give a NumPy shape error's sizes, only that shapes disagree?"""
    from course.instructor.grading.judge.hidden_shapes import SHAPES_DISAGREE

    graded = graded_course[assignment]
    notebook = VARIANTS[assignment].NOTEBOOK.removesuffix(".ipynb")
    hidden = 0
    for student in graded.scores:
        for cell in graded.autograded(student, notebook).cells:
            for output in cell.get("outputs", []) if cell_role(cell) == "test" else []:
                text = str(output.get("evalue", ""))
                assert not any(d in text for d in _SHAPE_DETAILS), f"{student} {grade_id(cell)}: {text[:200]}"
                hidden += SHAPES_DISAGREE in text
    if assignment == "04_matrix_weights":  # W @ x on the hidden, rectangular W: a shape error, shown without shapes
        assert hidden, "no shape error reached the feedback: the test above checked nothing"
