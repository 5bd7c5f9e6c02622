"""Public checks for 02_parabola_descent: y = (x - 3)**2, its slope, and descent on it.

Expected numbers are worked out by hand in the comments; the outputs of the usual mistakes on the
fixed inputs were recorded when the course was released (:mod:`course.checks.recorded`). No code
here computes an exercise's answer.
"""
from __future__ import annotations

import numpy as np

from ..functions import quadratic
from ..mistakes import said
from . import recorded
from .toolkit import CheckFailed, call, equals, expect_close, expect_true, problem

XS = np.array([0.0, 3.0, 4.5])
TOPIC = "parabola"


def _slope_of_2x2(x):
    """The slope 4x of another function, f(x) = 2x^2, so that an answer that ignores `grad` shows."""
    return 4.0 * x


def fixed() -> dict:
    """The checks' fixed inputs: case -> (exercise, arguments); their outputs are recorded at release."""
    return {
        **{f"parabola({x:g})": ("parabola", (x,)) for x in (1.0, 3.0, 5.0)},
        "parabola(array)": ("parabola", (XS,)),
        **{f"parabola_grad({x:g})": ("parabola_grad", (x,)) for x in (1.0, 5.0)},
        "gradient_descent on the parabola": ("gradient_descent", (quadratic(1.0, 3.0).grad, 1.0, 0.05, 3)),
        "gradient_descent on 2x^2": ("gradient_descent", (_slope_of_2x2, 2.0, 0.1, 2)),
    }


_PARABOLA_WORDS = {"parabola/square-of-x": "that is x^2 - 9: square the difference (x - 3), not x alone."}
_GRAD_WORDS = {
    "parabola_grad/height": "that is the height (x - 3)^2, not its slope.",
    "parabola_grad/slope-of-x-squared": "that is 2x, the slope of x^2: the parabola is shifted to 3, and the chain "
                                        "rule keeps the inside of (x - 3)^2.",
    "parabola_grad/zero-at-minus-three": "that is 2(x + 3), zero at x = -3; the slope of (x - 3)^2 is zero at x = 3.",
}


@problem("parabola",
         hint="How do you write y = (x - 3)^2 in Python: which operator raises to a power? Does your "
              "code use only arithmetic, so that an array of x gives an array of y?")
def _check_parabola(parabola):
    # (1 - 3)^2 = 4, (3 - 3)^2 = 0, (5 - 3)^2 = 4
    for x, want in ((1.0, 4.0), (3.0, 0.0), (5.0, 4.0)):
        case = f"parabola({x:g})"
        expect_close(call(parabola, x, what=case), want, what=case, diagnoses=recorded.matching(
            TOPIC, case, _PARABOLA_WORDS, ids=["parabola/square-of-x", "parabola/plus-three",
                                               "parabola/power-forgotten", "parabola/slope-not-value"]))
    # elementwise on an array: (0-3)^2 = 9, 0, (4.5-3)^2 = 2.25
    expect_close(call(parabola, XS.copy(), what="parabola(array)"), [9.0, 0.0, 2.25],
                 what="parabola(np.array([0, 3, 4.5]))",
                 diagnoses=recorded.matching(TOPIC, "parabola(array)", {
                     "parabola/slope-not-value": "those are slopes 2(x - 3), not heights: this is parabola, "
                                                 "the function itself.",
                     "parabola/not-squared": "the difference is not squared."},
                     ids=["parabola/slope-not-value", "parabola/not-squared"]))


@problem("parabola_grad",
         hint="Differentiate (x - 3)^2 with the chain rule (or expand it first). Where is the parabola "
              "lowest, and is your slope 0 exactly there?")
def _check_parabola_grad(parabola_grad):
    # d/dx (x - 3)^2 = 2(x - 3): at 1 -> -4, at 3 -> 0, at 5 -> 4
    for x, want in ((1.0, -4.0), (5.0, 4.0)):
        case = f"parabola_grad({x:g})"
        expect_close(call(parabola_grad, x, what=case), want, what=case, diagnoses=recorded.matching(
            TOPIC, case, _GRAD_WORDS, ids=["parabola_grad/sign-flipped", "parabola_grad/factor-two-missing",
                                           "parabola_grad/height", "parabola_grad/power-rule",
                                           "parabola_grad/slope-of-x-squared", "parabola_grad/zero-at-minus-three"]))
    expect_close(call(parabola_grad, 3.0, what="parabola_grad(3)"), 0.0, what="parabola_grad(3)",
                 nan_message="parabola_grad(3) is not finite.")
    # 2(x - 3) elementwise: [-6, 0, 3]
    expect_close(call(parabola_grad, XS.copy(), what="parabola_grad(array)"), [-6.0, 0.0, 3.0],
                 what="parabola_grad(np.array([0, 3, 4.5]))")


_DESCENT_MISTAKES = ["gradient_descent/ascent", "gradient_descent/rate-subtracted-first"]


@problem("gradient_descent",
         hint="Keep every x you visit, starting with x0. Which slope does each step use: the "
              "parabola's, or the `grad` you were given? And which way does a step go, with it or against it?")
def _check_gradient_descent(gradient_descent):
    slope = quadratic(1.0, 3.0).grad  # the lesson's (x - 3)^2, from the demos' functions (a declared shortcut)
    got = gradient_descent(slope, 1.0, 0.05, 3)
    arr = np.asarray(got, dtype=float) if got is not None else None
    expect_true(arr is not None, "gradient_descent returned None: did you forget `return`?")
    # x1 = 1 - 0.05 * 2(1 - 3) = 1.2, x2 = 1.2 - 0.05 * 2(1.2 - 3) = 1.38, x3 = 1.542
    expect_true(not (arr.ndim == 0 and np.isclose(arr, 1.542)), said("gradient_descent/last-only"))
    expect_true(arr.ndim == 1, "gradient_descent should return all the iterates (a 1-D list or array), "
                               "not only the last one.")
    expect_true(not (arr.shape == (3,) and np.allclose(arr, [1.2, 1.38, 1.542])),
                said("gradient_descent/start-missing"))
    expect_true(len(arr) != 3, "gradient_descent(grad, 1.0, 0.05, 3) returned 3 iterates; the contract "
                               "asks for n_iters + 1 of them, starting with x0 itself.")
    expect_true(len(arr) == 4, f"gradient_descent(grad, 1.0, 0.05, 3) returned {len(arr)} iterates; the "
                               "contract asks for n_iters + 1, starting with x0.")
    expect_true(np.isclose(arr[0], 1.0), "the first iterate must be x0 itself.")
    expect_close(arr, [1.0, 1.2, 1.38, 1.542], what="gradient_descent(2(x - 3), x0=1, rate=0.05, 3 steps)",
                 diagnoses=recorded.matching(TOPIC, "gradient_descent on the parabola", ids=_DESCENT_MISTAKES))
    # another function: f(x) = 2x^2, slope 4x; x1 = 2 - 0.1 * 8 = 1.2, x2 = 1.2 - 0.1 * 4.8 = 0.72
    expect_close(gradient_descent(_slope_of_2x2, 2.0, 0.1, 2), [2.0, 1.2, 0.72],
                 what="gradient_descent on another function (slope 4x, x0=2, rate=0.1, 2 steps)",
                 diagnoses=recorded.matching(TOPIC, "gradient_descent on 2x^2",
                                             ids=["gradient_descent/grad-ignored", *_DESCENT_MISTAKES]))
    expect_close(gradient_descent(_slope_of_2x2, 2.0, 0.1, 0), [2.0], what="gradient_descent with n_iters=0 "
                                                                   "(should be just [x0])")


@problem("descend_until",
         hint="When exactly do you stop: right after which update, judged on what size? Count the updates "
              "as you make them; which kind of loop can never run past max_iters?")
def _check_descend_until(descend_until):
    slope = quadratic(1.0, 3.0).grad
    got = descend_until(slope, 1.0, 0.25, 1e-3, 100)
    expect_true(isinstance(got, (tuple, list)) and len(got) == 2,
                "descend_until should return a pair (x, n_steps).")
    x, n = got
    expect_true(isinstance(n, (int, np.integer)), f"n_steps should be a whole number (an int), got "
                                                  f"{type(n).__name__}.")
    # rate 0.25 halves the distance: x_k = 3 - 2 / 2^k, the step to x_k has size 2 / 2^k,
    # first below 1e-3 at k = 11 (2/2048 = 0.00098): x_11 = 3 - 2/2048 = 2.9990234375. The slope
    # 2(x_k - 3) = -4 / 2^k first falls below 1e-3 at k = 12; the point before the stop is x_10.
    if n == 12 and np.isclose(x, 3 - 2 / 4096):
        raise CheckFailed(f"descend_until(2(x-3), 1, rate 0.25, tol 1e-3): {said('descend_until/slope-not-step')}")
    if n == 10 and np.isclose(x, 3 - 2 / 1024):
        raise CheckFailed(f"descend_until(2(x-3), 1, rate 0.25, tol 1e-3): {said('descend_until/step-not-counted')}")
    if n == 12:
        raise CheckFailed("descend_until(2(x-3), 1, rate 0.25, tol 1e-3) took one step too many: count the "
                          "updates you made, and stop on the size of the step |x_new - x| (not the slope).")
    if n == 10:
        raise CheckFailed("descend_until(2(x-3), 1, rate 0.25, tol 1e-3) reports one step too few: the step "
                          "that fell below tol was made, so it counts.")
    expect_true(n == 11, "descend_until(2(x-3), 1, rate 0.25, tol 1e-3) stopped after the wrong number of "
                         "steps: stop right after the first step with |x_new - x| < tol.")
    expect_close(x, 2.9990234375, what="the x returned by descend_until(2(x-3), 1, rate 0.25, tol 1e-3)",
                 diagnoses=[equals(3 - 2 / 1024, "that is the point before the last step: return the x the "
                                                "last step reached.")])
    # rate 0.75 jumps over 3 each step: x = 4, 2.5, 3.25, 2.875 with steps +3, -1.5, +0.75, -0.375;
    # the first step of size below 0.5 is the fourth: (2.875, 4). A signed step would stop at the second.
    x, n = descend_until(slope, 1.0, 0.75, 0.5, 100)
    expect_true(np.isclose(x, 2.875) and n == 4, "with rate 0.75 the run jumps over 3 at every step (steps "
                                                 "+3, -1.5, +0.75, -0.375): the first step whose size "
                                                 "|x_new - x| is below tol 0.5 is the fourth, so the answer "
                                                 "is (2.875, 4).")
    # the guard: rate 0.01 shrinks the distance by 0.98 per step; tol 1e-12 is far away, so
    # it must stop at max_iters = 5 with x_5 = 3 - 2 * 0.98^5 = 1.1921584064
    x, n = descend_until(slope, 1.0, 0.01, 1e-12, 5)
    expect_true(n <= 5, "descend_until went past max_iters: it must never take more than max_iters steps.")
    expect_true(n != 4, f"descend_until(2(x-3), 1, rate 0.01, tol 1e-12, max_iters 5): "
                        f"{said('descend_until/stops-before-max')}")
    expect_true(n == 5, "descend_until stopped before max_iters although no step was below tol.")
    expect_close(x, 1.1921584064, what="x after max_iters=5 steps at rate 0.01")


@problem("challenge",
         hint="Each step multiplies the distance to 3 by the same factor (derive it from the update "
              "rule). How small must that factor be for the distance 2 to fall below 1e-6 in your "
              "number of steps?")
def _check_challenge(values):
    my_rate, my_iters = values
    expect_true(my_rate is not None and my_iters is not None, "set both my_rate and my_iters.")
    expect_true(isinstance(my_iters, (int, np.integer)) and not isinstance(my_iters, bool),
                "my_iters should be a whole number (an int).")
    expect_true(my_iters <= 10, said("challenge/too-many-iterations"))
    expect_true(0 <= my_iters, "my_iters must be between 0 and 10: the challenge is to get there "
                               "in at most 10 iterations.")
    expect_true(np.isfinite(float(my_rate)), "my_rate must be a finite number.")
    # closed form on (x - 3)^2 from x0 = 1: |x_n - 3| = 2 |1 - 2 rate|^n
    factor = abs(1.0 - 2.0 * float(my_rate))
    distance = 2.0 * factor ** int(my_iters)
    if distance < 1e-6:
        return
    if factor >= 1:
        raise CheckFailed(said("challenge/not-contracting"))
    raise CheckFailed(f"{said('challenge/too-slow')} (The distance left is {distance:.1e}.)")
