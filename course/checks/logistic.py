"""Public checks for 05_logistic_regression: probabilities, log-loss gradients, training.

Hand-worked cases use rates of 3 so that the probabilities are round:
sigmoid(log 3) = 3/4, sigmoid(0) = 1/2, sigmoid(-log 3) = 1/4.
"""
from __future__ import annotations

import numpy as np

from ..data import train_test_split, two_clouds
from ..mistakes import said
from .toolkit import CheckFailed, equals, expect_close, expect_true, negated, problem, scaled

LOG3 = float(np.log(3.0))
# Three points, two features, labels [1, 0, 1]; at w = 0, b = 0 every p is 1/2.
X_SMALL = np.array([[2.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
Y_SMALL = np.array([1.0, 0.0, 1.0])


def _gradients(logistic_gradients, w, b, X, y):
    """Call the student's function; a shape error from a product with ``X`` gets a plain message."""
    try:
        return _pair(logistic_gradients(w, b, X, y), "logistic_gradients")
    except ValueError as exc:
        raise CheckFailed(f"logistic_gradients raised a shape error on {len(y)} points with {np.shape(X)[1]} "
                          f"features ({exc}): dw has one entry per feature; which product of X "
                          "with a vector of one number per sample gives that?") from None


def _pair(out, what: str):
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2, f"{what} should return a pair (dw, db) / (w, b).")
    return out


@problem("predict_proba",
         hint="First one score per row of X, from w and b: which product gives one "
                               "number per row? Then squash it with a sigmoid that stays finite for very "
                               "large |z|.")
def _check_predict_proba(predict_proba):
    X = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    w, b = np.array([LOG3, LOG3]), -LOG3
    # z = X @ w + b = [0, -log 3, log 3, log 3]  ->  p = [1/2, 1/4, 3/4, 3/4].
    no_bias = np.array([0.75, 0.5, 0.9, 0.9])  # z without b: [log 3, 0, 2 log 3, 2 log 3]
    expect_close(predict_proba(w, b, X), [0.5, 0.25, 0.75, 0.75], what="predict_proba on four points",
                 diagnoses=[lambda g, e: "these are rounded labels, not probabilities: return sigmoid(z) itself."
                            if np.all(np.isin(g, (0.0, 1.0))) else None,
                            lambda g, e: "the bias b is missing from the score." if np.allclose(g, no_bias) else None,
                            lambda g, e: "you returned 1 - p: the probability of class 1 is sigmoid(+z)."
                            if np.allclose(g, 1 - e) else None])
    # Extreme scores: z = +-1000 must give 1 and 0, not NaN.
    expect_close(predict_proba([1.0, 0.0], 0.0, [[1000.0, 0.0], [-1000.0, 0.0]]), [1.0, 0.0],
                 what="predict_proba at scores +1000 and -1000 (lists as inputs)",
                 nan_message="predict_proba gives NaN for a large |score|: exp overflows to inf and inf/inf is NaN. "
                             "Use a form that only ever takes exp of a non-positive number, or 1 / (1 + exp(-z)).")


@problem("logistic_gradients",
         hint="For log loss on a sigmoid the chain rule collapses nicely: what "
                                    "is dL/dz_i for one sample, with the 1/n of the mean? Then how does z_i "
                                    "change with w, and with b?")
def _check_logistic_gradients(logistic_gradients):
    # At w = 0, b = 0 every p is 1/2; by hand: dw = [-1/2, 1/6], db = -1/6.
    dw, db = _gradients(logistic_gradients, np.zeros(2), 0.0, X_SMALL, Y_SMALL)
    sign = negated("the gradient has the wrong sign: does the loss rise or fall when p moves towards y?")
    summed = scaled(3.0, "the result is 3 times too large (n = 3): the loss is a mean, divide by n.")
    squared = scaled(0.25, "the result is p(1 - p) = 1/4 times the right one: that is the gradient of the "
                           "squared error; with the log loss the factor p(1 - p) cancels.")
    expect_close(dw, [-0.5, 1 / 6], what="dw at w = 0, b = 0", diagnoses=[summed, sign, squared])
    bias_forgotten = equals(0.0, "db is 0: the bias gets a gradient too; how does z_i change with b?")
    expect_close(db, -1 / 6, what="db at w = 0, b = 0", diagnoses=[summed, sign, squared, bias_forgotten])
    # Four points, three features, all labels 1, w = 0: every p is 1/2; by hand dw = [-1/4, -1/4, -3/8], db = -1/2.
    X = np.array([[1.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 3.0], [1.0, 0.0, 0.0]])
    dw, db = _gradients(logistic_gradients, np.zeros(3), 0.0, X, np.ones(4))
    expect_close(dw, [-0.25, -0.25, -0.375], what="dw on 4 points with 3 features",
                 diagnoses=[scaled(4.0, "the result is 4 times too large (n = 4): divide by n.")])
    expect_close(db, -0.5, what="db on 4 points with 3 features",
                 diagnoses=[scaled(4.0, "the result is 4 times too large (n = 4): average, do not sum.")])


@problem("fit_logistic",
         hint="Which of your functions gives the gradients at the current (w, b)? "
              "Start from zeros and repeat: which way does each step go?")
def _check_fit_logistic(fit_logistic):
    w, b = _pair(fit_logistic(X_SMALL, Y_SMALL, 1.0, 0), "fit_logistic")
    start = ("with n_iters = 0 fit_logistic must return the starting point w = 0, b = 0: start from zeros, "
             "and take exactly n_iters steps.")
    expect_close(w, [0.0, 0.0], what="w after 0 iterations", diagnoses=[lambda g, e: start])
    expect_close(b, 0.0, what="b after 0 iterations", diagnoses=[lambda g, e: start])
    # One step at rate 1 from zero: minus the gradients above.
    w, b = _pair(fit_logistic(X_SMALL, Y_SMALL, 1.0, 1), "fit_logistic")
    sign = negated(f"{said('fit_logistic/ascent')} (If it subtracts them, check the sign of logistic_gradients.)")
    summed = scaled(3.0, "the step is 3 times too long (n = 3): the gradients are means over the samples.")
    expect_close(w, [0.5, -1 / 6], what="w after 1 step at rate 1", diagnoses=[sign, summed])
    expect_close(b, 1 / 6, what="b after 1 step at rate 1", diagnoses=[sign, summed,
                 lambda g, e: said("fit_logistic/bias-frozen") if np.isclose(g, 0) else None])
    # Two steps (the second gradient, worked out with a calculator, is [-0.28415224, 0.17977279], -0.05218973).
    w, b = _pair(fit_logistic(X_SMALL.tolist(), Y_SMALL.tolist(), 1.0, 2), "fit_logistic")
    once = f"the second step repeated the first gradient: {said('fit_logistic/gradient-once')}"
    expect_close(w, [0.78415224, -0.34643945], what="w after 2 steps at rate 1", rtol=1e-6,
                 diagnoses=[lambda g, e: once if np.allclose(g, [1.0, -1 / 3]) else None])
    expect_close(b, 0.21885639, what="b after 2 steps at rate 1", rtol=1e-6)
    # The course's clouds: a trained model gets most test points right.
    X_train, y_train, X_test, y_test = train_test_split(*two_clouds())
    w, b = _pair(fit_logistic(X_train, y_train, 0.5, 200), "fit_logistic")
    accuracy = float(np.mean((np.asarray(X_test) @ np.asarray(w, dtype=float) + float(b) > 0) == (y_test == 1)))
    expect_true(accuracy > 0.8, f"after 200 steps at rate 0.5 the test accuracy is only {accuracy:.0%}.")
