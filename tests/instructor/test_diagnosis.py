"""The grader names catalogued mistakes, and never names one for a right answer (no kernels here).

Each variant of ``tests/variants/`` is run as its notebook would run it (the source's solution
cells with the variant's cells in their place), and its functions are diagnosed as the judge
diagnoses a failed test cell: called on fresh inputs and compared with the catalogued wrong
implementations (its value answers: matched against their rules). The kernel-side path is
covered by ``tests/test_notebooks.py``.
"""
from __future__ import annotations

import diagnosis_harness as dh
import numpy as np
import pytest

import course.data
from course import check, mistakes
from course.instructor.grading.judge import diagnosis
from course.instructor.probes import ANSWERS, PROBES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the variants' own NumPy warnings

VARIANTS = dh.VARIANTS
PROBED = sorted(PROBES) + sorted(ANSWERS)


def _namespace(assignment: str, cells: dict) -> dict:
    return dh.namespace_of(assignment, cells)


def _cases(table: str):
    for assignment, module in sorted(VARIANTS.items()):
        for variant, cells in getattr(module, table).items():
            probed = [f for f in cells if f in PROBES or f in ANSWERS]
            if probed:
                yield pytest.param(assignment, variant, probed, id=f"{assignment}-{variant}")


def _names(exercise: str) -> tuple:
    """Where the exercise's answer is kept: its function's name, or its value answer's names."""
    return ANSWERS[exercise].names if exercise in ANSWERS else (exercise,)


def _diagnose(namespace: dict, exercise: str, seed: int = 0):
    return dh.diagnose(namespace, exercise, seed)


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
            for exercise in (e for e in PROBED if all(n in namespace for n in _names(e))):
                seen.add(exercise)
                assert _diagnose(namespace, exercise) is None, exercise
    assert seen == set(PROBED)


def test_a_stub_is_not_written():
    def mse(predictions, targets):
        raise NotImplementedError("replace this line with your code")

    assert _diagnose({"mse": mse}, "mse") == "mse/not-written"


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


def test_a_right_loop_around_a_wrong_gradient_is_the_gradients_knock_on():
    """Is train, right itself, named as built on the student's wrong loss_gradient, and never given a mistake?"""
    namespace = _namespace("04_matrix_weights", VARIANTS["04_matrix_weights"].MISTAKES["sign_error_in_gradient"])
    assert _diagnose(namespace, "train") == "train/uses-wrong-loss_gradient"
    text = diagnosis.explanation("train", "train/uses-wrong-loss_gradient")
    assert "built on your loss_gradient, which is wrong" in text


def test_a_right_neuron_mse_on_a_summing_mse_is_not_blamed():
    """Is a right neuron_mse that calls a summing mse named as mse's knock-on, not as a sum of its own?"""
    namespace = _namespace("01_loss_functions", {
        "mse": VARIANTS["01_loss_functions"].MISTAKES["sum_instead_of_mean"]["mse"],
        "neuron_mse": "def neuron_mse(w, b, x, t):\n    return mse(sigmoid(w * np.asarray(x) + b), t)"})
    assert _diagnose(namespace, "neuron_mse") == "neuron_mse/uses-wrong-mse"
    assert _diagnose(namespace, "mse") == "mse/sum-not-mean"


def test_an_update_in_place_is_named():
    """Does a training loop that is right but changes the caller's W get train/changes-input?"""
    namespace = _namespace("04_matrix_weights", {"train": '''def train(x, W, target, learning_rate, n_steps):
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W -= learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history'''})
    assert _diagnose(namespace, "train") == "train/changes-input"


def test_value_rules_name_only_failing_answers():
    """Does a value answer's rule hold only for an answer its hidden test fails (and never for a right one)?"""
    for rate in np.linspace(-0.5, 1.5, 81):
        for iters in range(13):
            x = 1.0
            for _ in range(iters):
                x = x - rate * 2.0 * (x - 3.0)
            passes = iters <= 10 and abs(x - 3.0) < 1e-6
            found = diagnosis.diagnose_answer("challenge", {"my_rate": float(rate), "my_iters": iters})
            assert not (passes and found), (rate, iters, found)
    named = {B: diagnosis.diagnose_answer("quiet_batch_size", {"quiet_batch_size": B}) for B in range(1, 601)}
    assert named[84] is None and {B for B, found in named.items() if found} == {83, 97}
    x, target, W1_init = course.data.matrix_exercise()
    for rate, steps in ((0.01, 15), (0.05, 40), (1 / 15, 1), (0.1, 30)):  # right training that reaches the target
        W = W1_init.copy()
        for _ in range(steps):
            W = W - rate * 0.5 * np.outer(x, x @ W - target)
        assert diagnosis.diagnose_answer("train_W1", {"W1": W}) is None, (rate, steps)
    assert diagnosis.diagnose_answer("train_W1", {}) is None  # a missing W1 is no catalogued mistake


@pytest.mark.parametrize("assignment, exercise", [("02_parabola_descent", "challenge"),
                                                  ("04_matrix_weights", "train_W1")])
def test_a_blank_value_answer_is_not_written(assignment, exercise):
    """Is a value answer whose cell still raises its stub's NotImplementedError named not-written?"""
    import grading_harness as harness

    from course.instructor.grading.publish import sample_submissions

    release = sample_submissions.read(harness.course().release / assignment / VARIANTS[assignment].NOTEBOOK)
    namespace = dh.namespace_of(assignment, {}, release)
    assert exercise in namespace[dh.STUBBED]
    assert _diagnose(namespace, exercise) == f"{exercise}/not-written"
    assert diagnosis.diagnose_answer("challenge", {"my_rate": None, "my_iters": None}) == "challenge/not-written"


def test_only_a_huge_or_broken_loss_is_divergence():
    """Is W1 called diverged for NaN or a loss near 1e26 (rate 0.5), never for a walk past the target that a
    gradient computed once makes (on descent's line too, with a loss of about 195)?"""
    x, target, W1_init = course.data.matrix_exercise()
    def trained(rate, steps, once=False):
        W, G = W1_init.copy(), 0.5 * np.outer(x, x @ W1_init - target)
        with np.errstate(all="ignore"):
            for _ in range(steps):
                W = W - rate * (G if once else 0.5 * np.outer(x, x @ W - target))
        return W
    assert diagnosis.diagnose_answer("train_W1", {"W1": trained(0.5, 15)}) == "train_W1/diverged"
    assert diagnosis.diagnose_answer("train_W1", {"W1": trained(0.5, 200)}) == "train_W1/diverged"
    assert diagnosis.diagnose_answer("train_W1", {"W1": trained(0.01, 15, once=True)}) is None
