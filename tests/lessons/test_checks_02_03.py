"""Visible checks of 02 and 03: they pass the solutions and the correct variants, and diagnose the mistakes."""
import json
from pathlib import Path

import grading_harness as harness
import numpy as np
import pytest
import student_code

from course import check

VARIANTS = harness.load_variants()
V02 = VARIANTS["02_parabola_descent"]
V03 = VARIANTS["03_learning_rate"]
SOURCE_02 = Path(__file__).resolve().parents[2] / "source" / "02_parabola_descent" / "parabola_descent.ipynb"
IDS = {V02: ["parabola", "parabola_grad", "gradient_descent", "descend_until", "challenge"],
       V03: ["classify_rate", "ideal_rate", "newton_step"]}


def _run(name, ns):
    """The failure message of check.verify on the namespace's answer, or None when it passes."""
    obj = (ns["my_rate"], ns["my_iters"]) if name == "challenge" else ns[name]
    try:
        check.verify(name, obj)
    except check.CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize("module", [V02, V03], ids=["02", "03"])
def test_source_solutions_pass(module):
    """Do the instructor's solutions pass every visible check?"""
    ns = student_code.namespace(module.ASSIGNMENT, module.NOTEBOOK)
    for name in IDS[module]:
        assert _run(name, ns) is None, name


def _cases(kind):
    for module in (V02, V03):
        for variant in getattr(module, kind):
            yield pytest.param(module, variant, id=f"{module.ASSIGNMENT[:2]}-{variant}")


@pytest.mark.parametrize("module, variant", list(_cases("CORRECT")))
def test_correct_variants_pass(module, variant):
    """Do correct answers written differently also pass the visible checks?"""
    ns = student_code.namespace(module.ASSIGNMENT, module.NOTEBOOK, module.CORRECT[variant])
    for name in module.CORRECT[variant]:
        assert _run(name, ns) is None, name


@pytest.mark.parametrize("module, variant", list(_cases("MISTAKES")))
def test_mistakes_fail(module, variant):
    """Does every mistake the grader punishes also fail its visible check?"""
    ns = student_code.namespace(module.ASSIGNMENT, module.NOTEBOOK, module.MISTAKES[variant])
    for name in module.MISTAKES[variant]:
        assert _run(name, ns) is not None, name


@pytest.mark.parametrize("module, variant, name, words", [
    (V02, "power_forgotten", "parabola", "subtract 3 *before* squaring"),
    (V02, "sign_errors", "parabola", "(x + 3)^2"),
    (V02, "seed_rule_and_guards", "parabola", "the slope 2(x - 3)"),
    (V02, "sign_errors", "parabola_grad", "wrong sign"),
    (V02, "power_forgotten", "parabola_grad", "both terms"),
    (V02, "seed_rule_and_guards", "parabola_grad", "half the right size"),
    (V02, "power_forgotten", "gradient_descent", "starting with x0"),
    (V02, "sign_errors", "gradient_descent", "uphill"),
    (V02, "seed_rule_and_guards", "gradient_descent", "(x - rate) * slope"),
    (V02, "hard_coded", "gradient_descent", "not the `grad`"),
    (V02, "power_forgotten", "descend_until", "one step too few"),
    (V02, "sign_errors", "descend_until", "not the slope"),
    (V02, "seed_rule_and_guards", "descend_until", "stopped before max_iters"),
    (V02, "hard_coded", "descend_until", "past max_iters"),
    (V02, "sign_errors", "challenge", "bounces between 1 and 5"),
    (V02, "seed_rule_and_guards", "challenge", "at most 10"),
    (V02, "power_forgotten", "challenge", "still"),
    (V03, "diverges_from_one_over_curvature", "classify_rate", "Divergence starts at 2/f''"),
    (V03, "exact_equality", "classify_rate", "np.isclose"),
    (V03, "no_value_errors", "classify_rate", "ValueError"),
    (V03, "stuck_and_half_rate", "classify_rate", "boundary"),
    (V03, "diverges_from_one_over_curvature", "ideal_rate", "2/f''"),
    (V03, "stuck_and_half_rate", "ideal_rate", "half the ideal rate"),
    (V03, "exact_equality", "ideal_rate", "divided by zero"),
    (V03, "no_value_errors", "ideal_rate", "ValueError"),
    (V03, "diverges_from_one_over_curvature", "newton_step", "diagonal"),
    (V03, "exact_equality", "newton_step", "wrong way"),
    (V03, "stuck_and_half_rate", "newton_step", "plain gradient"),
])
def test_mistakes_are_diagnosed(module, variant, name, words):
    """Does the failure message name the likely mistake (not just 'wrong value')?"""
    ns = student_code.namespace(module.ASSIGNMENT, module.NOTEBOOK, module.MISTAKES[variant])
    message = _run(name, ns)
    assert message is not None and words in message, message


@pytest.mark.parametrize("name", ["parabola", "parabola_grad", "gradient_descent", "descend_until", "challenge",
                                  "classify_rate", "ideal_rate", "newton_step"])
def test_unwritten_exercise_gets_a_friendly_message(name):
    """Does a release stub (raise NotImplementedError) get 'not written yet', not a traceback?"""
    def stub(*args, **kwargs):
        raise NotImplementedError("Write this function")

    obj = (None, None) if name == "challenge" else stub
    with pytest.raises(check.CheckFailed) as failure:
        check.verify(name, obj)
    assert "not written yet" in str(failure.value) or "set both" in str(failure.value)


@pytest.mark.parametrize("name", ["parabola", "parabola_grad", "gradient_descent", "descend_until", "challenge",
                                  "classify_rate", "ideal_rate", "newton_step"])
def test_hints_exist_and_do_not_give_numbers_away(name, capsys):
    """Is there a hint, without the answer's numbers in it?"""
    check.hint(name)
    out = capsys.readouterr().out
    assert out.startswith(f"Hint for {name}:")
    for leak in ("0.5", "1/f''", "2.84", "np.linalg.solve(hess"):
        if name in ("ideal_rate", "challenge"):
            assert leak not in out


def test_caret_instead_of_power_is_explained():
    """Does `(x - 3) ^ 2` (xor, an error on floats) get a message about `**`?"""
    with pytest.raises(check.CheckFailed) as failure:
        check.verify("parabola", lambda x: (x - 3) ^ 2)
    assert "`**`" in str(failure.value)


def _challenge_verdicts(my_rate, my_iters):
    """(visible check passes, hidden test passes) for a challenge answer, the hidden test read from the source."""
    cell = next(c for c in json.loads(SOURCE_02.read_text())["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_challenge")
    hidden = "".join(cell["source"]).split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
    try:
        exec(hidden, {"np": np, "my_rate": my_rate, "my_iters": my_iters})
        hidden_ok = True
    except AssertionError:
        hidden_ok = False
    return _run("challenge", {"my_rate": my_rate, "my_iters": my_iters}) is None, hidden_ok


@pytest.mark.parametrize("n", [1, 4, 7, 10])
def test_challenge_accepts_every_rate_inside_the_interval_and_none_outside(n):
    """With n steps, are rates just inside ((1 - q)/2, (1 + q)/2), q = (5e-7)^(1/n), accepted by the visible check
    and the hidden test alike, and rates just outside refused (the contract's exact interval, both edges)?"""
    q = 5e-7 ** (1 / n)
    low, high = (1 - q) / 2, (1 + q) / 2
    margin = 1e-4 * (high - low)  # 1e-4 of the interval's width: far above rounding, far below the width
    for rate in (low + margin, high - margin, 0.5):
        assert _challenge_verdicts(rate, n) == (True, True), (rate, n)
    for rate in (low - margin, high + margin):
        assert _challenge_verdicts(rate, n) == (False, False), (rate, n)


@pytest.mark.parametrize("my_rate, my_iters", [(0.5, 11), (0.5, 0), (0.5, True), (float("nan"), 10), (1.0, 10),
                                               (0.45, 6)])
def test_challenge_refuses_invalid_pairs(my_rate, my_iters):
    """Too many steps, none, a bool, NaN, a bouncing rate and a good rate with too few steps: all refused?"""
    assert _challenge_verdicts(my_rate, my_iters) == (False, False)
