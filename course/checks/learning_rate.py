"""Public checks for 03_learning_rate: naming the regime, the ideal rate, and Newton's step.

Expected values are worked out by hand in the comments; none comes from a solution.
"""
from __future__ import annotations

import numpy as np

from ..mistakes import said
from .toolkit import CheckFailed, equals, expect_close, expect_true, problem, scaled

REGIMES = ("slow", "ideal", "oscillating", "stuck", "diverging")


def _expect_value_error(fn, args, what: str, mistake: str) -> None:
    """``fn(*args)`` must refuse with a ValueError (not return, not another error); ``mistake`` says why."""
    try:
        result = fn(*args)
    except ValueError:
        return
    except ZeroDivisionError:
        raise CheckFailed(f"{what} divided by zero: {said(mistake)}") from None
    except Exception as exc:  # noqa: BLE001  (any other error is the wrong kind)
        raise CheckFailed(f"{what} raised {type(exc).__name__}; it should raise a ValueError that says "
                          "what is wrong with the argument.") from None
    raise CheckFailed(f"{what} returned {result!r}: {said(mistake)}")


@problem("classify_rate",
         hint="Work with the text's contraction factor q, one minus the rate times the curvature: which values of q "
              "shrink the error, and which flip its sign? Compare with np.isclose at the two boundaries.")
def _check_classify_rate(classify_rate):
    # f'' = 2: 1/f'' = 0.5 and 2/f'' = 1.0
    cases = [((0.1, 2.0), "slow"), ((0.5, 2.0), "ideal"), ((0.75, 2.0), "oscillating"),
             ((1.0, 2.0), "stuck"), ((1.5, 2.0), "diverging"),
             # f'' = 8: 0.1 is below 1/8 = 0.125, 0.2 is between 1/8 and 2/8, 0.3 beyond 2/8
             ((0.1, 8.0), "slow"), ((0.2, 8.0), "oscillating"), ((0.3, 8.0), "diverging")]
    for (lr, c), want in cases:
        got = classify_rate(lr, c)
        expect_true(isinstance(got, str) and got in REGIMES,
                    f"classify_rate({lr}, {c}) returned {got!r}; it should return one of {', '.join(REGIMES)}.")
        if got == want:
            continue
        if want == "oscillating" and got == "diverging":
            raise CheckFailed(f"classify_rate({lr}, {c}) is not 'diverging': "
                              f"{said('classify_rate/diverges-past-ideal')}")
        if want == "stuck" and got == "oscillating":
            raise CheckFailed(f"classify_rate({lr}, {c}): {said('classify_rate/stuck-as-oscillating')}")
        if want in ("ideal", "stuck"):
            raise CheckFailed(f"classify_rate({lr}, {c}) should recognise a boundary rate: compare "
                              "learning_rate * curvature with 1 and with 2.")
        raise CheckFailed(f"classify_rate({lr}, {c}) returned {got!r}, which is the wrong regime.")
    # rates that are on a boundary only up to rounding: (1/9.1) * 9.1 = 0.9999999999999999
    got = classify_rate(1 / 9.1, 9.1)
    expect_true(got == "ideal", f"classify_rate(1/9.1, 9.1) returned {got!r} (in floating point 1/9.1 * 9.1 "
                                f"is 0.9999999999999999): {said('classify_rate/exact-comparison')}")
    got = classify_rate(2 / 9.1 * (1 + 1e-14), 9.1)
    expect_true(got == "stuck", f"a rate 2/f'' up to rounding returned {got!r}: "
                                f"{said('classify_rate/exact-comparison')}")
    for args, what in (((0.1, 0.0), "classify_rate(0.1, curvature=0)"),
                       ((0.1, -2.0), "classify_rate(0.1, curvature=-2)"),
                       ((0.0, 2.0), "classify_rate(learning_rate=0, 2)"),
                       ((-0.1, 2.0), "classify_rate(learning_rate=-0.1, 2)")):
        _expect_value_error(classify_rate, args, what, "classify_rate/no-value-error")


@problem("ideal_rate",
         hint="Which rate makes the contraction factor 1 - rate * f'' equal to zero?")
def _check_ideal_rate(ideal_rate):
    # q = 1 - lr f'' = 0  <=>  lr = 1/f'': 1/2 = 0.5, 1/8 = 0.125, 1/0.5 = 2
    for c, want in ((2.0, 0.5), (8.0, 0.125), (0.5, 2.0)):
        expect_close(ideal_rate(c), want, what=f"ideal_rate({c})",
                     diagnoses=[scaled(2.0, said("ideal_rate/edge-of-stability")),
                                scaled(0.5, said("ideal_rate/half")),
                                lambda got, exp, c=c: ("that is f'' itself; the rate is its reciprocal."
                                                       if np.isclose(got, c) else None)])
    _expect_value_error(ideal_rate, (0.0,), "ideal_rate(0)", "ideal_rate/no-value-error")
    _expect_value_error(ideal_rate, (-3.0,), "ideal_rate(-3)", "ideal_rate/no-value-error")


@problem("newton_step",
         hint="The step is H^-1 g, with the inverse matrix, not 1/H entry by entry: which NumPy function "
              "solves H d = g for d without forming the inverse? Then, which way do you move?")
def _check_newton_step(newton_step):
    # bowl f(w) = 1/2 (w - c)^T H (w - c), H = [[2, 1], [1, 4]], c = (1, -2): one step lands on c
    H = np.array([[2.0, 1.0], [1.0, 4.0]])
    c = np.array([1.0, -2.0])
    got = newton_step(lambda w: H @ (np.asarray(w) - c), lambda w: H, np.zeros(2))
    arr = np.asarray(got, dtype=float) if got is not None else None
    expect_true(arr is not None, "newton_step returned None: did you forget `return`?")
    expect_true(arr.shape != (2, 2), "newton_step returned a 2x2 array: dividing the gradient by H entry by "
                                     "entry is not H^-1 g. Use a matrix solve.")
    # -H^-1 g at 0 is c itself: gradient -Hc, step c
    expect_close(arr, c, what="newton_step on a quadratic bowl from (0, 0)",
                 diagnoses=[scaled(-1.0, said("newton_step/ascent")),
                            # g(0) = -Hc = (0, 7); dividing by diag(H) = (2, 4) instead gives (0, -1.75)
                            equals([0.0, -1.75], said("newton_step/diagonal-only")),
                            equals([0.0, -7.0], said("newton_step/gradient-step")),
                            # 1/H entry by entry is [[1/2, 1], [1, 1/4]]: times g = (0, 7) that is (7, 1.75)
                            equals([-7.0, -1.75], said("newton_step/entrywise-inverse")),
                            # H g = (7, 28): multiplying by H instead of solving with it
                            lambda got, exp: ("the step multiplies the gradient by H: Newton's step divides by "
                                              "it, with the inverse matrix H^-1 (solve H d = g)."
                                              if np.allclose(got, [-7.0, -28.0]) else None)])
    # f(w) = w0^4 + w1^2 + w0 w1 at w = (1, 1): g = (5, 3), H = [[12, 1], [1, 2]], det 23,
    # H^-1 g = (2*5 - 3, -5 + 12*3) / 23 = (7, 31) / 23, so w_new = (16/23, -8/23)
    grad = lambda w: np.array([4 * w[0] ** 3 + w[1], 2 * w[1] + w[0]])  # noqa: E731
    hess = lambda w: np.array([[12 * w[0] ** 2, 1.0], [1.0, 2.0]])  # noqa: E731
    expect_close(newton_step(grad, hess, np.array([1.0, 1.0])), [16 / 23, -8 / 23],
                 what="newton_step on w0^4 + w1^2 + w0 w1 from (1, 1)",
                 diagnoses=[equals([-4.0, -2.0], said("newton_step/gradient-step")),
                            equals([30 / 23, 54 / 23], said("newton_step/ascent")),
                            equals([7 / 12, -0.5], said("newton_step/diagonal-only"))])
    # a list for w works too: from (3, 4) the bowl's step still lands on c
    expect_close(newton_step(lambda w: H @ (np.asarray(w, dtype=float) - c), lambda w: H, [3.0, 4.0]), c,
                 what="newton_step with w given as a list")
