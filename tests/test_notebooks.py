"""Every assignment through real nbgrader: solutions score full marks, the release scores
zero, its demos run, and the grader tells correct variants from common mistakes."""
from __future__ import annotations

import filecmp

import pytest

import grading_harness as harness
from course.instructor.grading.cells import cell_role, grade_id, grade_ids

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
    """Does every instructor solution, handed in as a submission, get every point?"""
    scores = graded_course[assignment].scores["source"]
    assert scores, "no graded cells recorded"
    lost = {gid: (s.score, s.max_score) for gid, s in scores.items() if not s.full}
    assert not lost, f"source solutions lost marks: {lost}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_runs_without_errors(graded_course, assignment):
    """Does every cell of the solved notebook run without an error?"""
    graded = graded_course[assignment]
    for nb_path in graded.root.notebooks(assignment):
        nb = graded.autograded("source", nb_path.stem)
        assert not _errors(nb, {"solution", "test", "locked", "plain"})


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
    from course.instructor.grading.submissions import read

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
