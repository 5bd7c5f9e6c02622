"""The grader names catalogued mistakes, and never names one for a right answer (no kernels here).

Each variant of ``tests/variants/`` is run as its notebook would run it (the source's solution
cells with the variant's cells in their place), and its functions are diagnosed as the judge
diagnoses a failed test cell: called on fresh inputs and compared with the catalogued wrong
implementations. The kernel-side path is covered by ``tests/test_notebooks.py``.
"""
from __future__ import annotations

import ast

import grading_harness as harness
import numpy as np
import pytest

from course import check, mistakes
from course.instructor.grading import diagnosis, submissions
from course.instructor.grading.cells import cell_role, grade_id
from course.instructor.grading.probes import PROBES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the variants' own NumPy warnings

VARIANTS = harness.load_variants()
PROBED = sorted(PROBES)


class Local:
    """A function of this process with the judge proxy's ``strict`` (errstate applied around the call)."""

    def __init__(self, fn, errstate=None):
        self.fn, self.errstate = fn, errstate

    def __call__(self, *args, **kwargs):
        with np.errstate(**(self.errstate or {})):
            return self.fn(*args, **kwargs)

    def strict(self, **errstate):
        return Local(self.fn, errstate)


def _namespace(assignment: str, cells: dict) -> dict:
    module = VARIANTS[assignment]
    nb = submissions.read(harness.REPO / "source" / assignment / module.NOTEBOOK)
    nb = submissions.replace_solutions(nb, cells)
    namespace = {"np": np}
    for cell in nb.cells:  # the given code: imports and functions of locked cells (no plots, no data)
        if cell.cell_type == "code" and cell_role(cell) == "locked":
            tree = ast.parse(cell.source)
            tree.body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
            exec(compile(tree, f"<{assignment} given>", "exec"), namespace)
    for cell in nb.cells:
        if cell_role(cell) == "solution" and cell.cell_type == "code" and f"def {grade_id(cell)}(" in cell.source:
            exec(compile(cell.source, f"<{assignment}>", "exec"), namespace)  # functions only, not values
    return namespace


def _cases(table: str):
    for assignment, module in sorted(VARIANTS.items()):
        for variant, cells in getattr(module, table).items():
            probed = [f for f in cells if f in PROBES]
            if probed:
                yield pytest.param(assignment, variant, probed, id=f"{assignment}-{variant}")


def _diagnose(namespace: dict, exercise: str, seed: int = 0):
    return diagnosis.diagnose(exercise, Local(namespace[exercise]), np.random.default_rng(seed))


@pytest.mark.parametrize("assignment, variant, functions", list(_cases("MISTAKES")))
def test_each_planted_mistake_is_named(assignment, variant, functions):
    """Is every mistaken function given exactly the catalogued id planted for it (else unrecognised)?"""
    namespace = _namespace(assignment, VARIANTS[assignment].MISTAKES[variant])
    planted = getattr(VARIANTS[assignment], "NAMED", {}).get(variant, {})
    for exercise in functions:
        for seed in (0, 1):
            found = _diagnose(namespace, exercise, seed) or mistakes.UNRECOGNISED
            assert found == planted.get(exercise, mistakes.UNRECOGNISED), f"{exercise} (seed {seed})"


@pytest.mark.parametrize("assignment, variant, functions", list(_cases("CORRECT")))
def test_correct_variant_never_gets_a_mistake(assignment, variant, functions):
    """Is a right answer written differently (loops, lists, float32, another formula) never diagnosed?"""
    namespace = _namespace(assignment, VARIANTS[assignment].CORRECT[variant])
    for exercise in functions:
        assert _diagnose(namespace, exercise) is None, exercise


def test_source_solutions_are_never_diagnosed():
    """Are the instructor's own solutions of every probed exercise right on every probe?"""
    seen = set()
    for assignment, module in sorted(VARIANTS.items()):
        if any(e in cells for cells in module.CORRECT.values() for e in PROBED):
            namespace = _namespace(assignment, {})
            for exercise in (e for e in PROBED if e in namespace):
                seen.add(exercise)
                assert _diagnose(namespace, exercise) is None, exercise
    assert seen == set(PROBED)


def test_a_stub_is_not_written():
    def mse(predictions, targets):
        raise NotImplementedError("replace this line with your code")

    assert _diagnose({"mse": mse}, "mse") == "mse/not-written"


def test_every_planted_and_probed_id_is_in_the_catalogue():
    """Is each id a probe can give, and each id a test plants, described (message and hint) in the catalogue?"""
    ids = {mid for probe in PROBES.values() for mid in probe.wrong}
    ids |= {mid for module in VARIANTS.values() for named in getattr(module, "NAMED", {}).values()
            for mid in named.values()}
    for mid in sorted(ids):
        entry = mistakes.describe(mid)
        assert entry is not None and entry.message and entry.hint, mid
        assert entry.exercise in check.names(), f"{mid} names no exercise with a visible check"
    assert set(mistakes.known_ids()) == {mid for probe in PROBES.values() for mid in probe.wrong}


def test_explanation_never_shows_inputs_or_answers():
    """What the student reads is the catalogue's words, or the exercise's hint when nothing matched."""
    text = diagnosis.explanation("mse", "mse/sum-not-mean")
    assert text.startswith("What went wrong: you summed") and "Hint: divide" in text
    assert diagnosis.explanation("mse", mistakes.UNRECOGNISED) == f"Hint: {check.hint_text('mse')}"
    assert mistakes.describe("nonsense") is None and mistakes.describe("mse/not-written").hint


def test_same_compares_structures():
    assert diagnosis.same((np.ones(2), {"v": [1.0, 2.0]}), [[1.0, 1.0], {"v": np.array([1.0, 2.0])}])
    assert not diagnosis.same(np.ones(2), np.ones(3))
    assert not diagnosis.same({"v": 1.0}, {"s": 1.0})
    assert diagnosis.same(2.0, np.array([2.0]))
    assert diagnosis.same(float("nan"), np.nan)
