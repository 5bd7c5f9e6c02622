"""Public checks for 01_loss_functions.

Expected values are worked out by hand in the comments; no solution code lives here.
"""
from __future__ import annotations

import numpy as np

from ..mistakes import said
from .toolkit import CheckFailed, call, equals, expect_close, expect_true, negated, problem, scaled


@problem("mse",
         hint="The name reads backwards: mean of the squared errors. Which of the three comes first in "
              "code, and which NumPy function takes a mean? Convert lists with np.asarray first.")
def _check_mse(mse):
    # differences 0, 0, -2 -> squares 0, 0, 4 -> mean 4/3
    what = "mse([1, 2, 3], [1, 2, 5])"
    got = call(mse, np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0]), what=what)
    expect_close(got, 4 / 3, what=what, diagnoses=[
        scaled(3, "the result is 3 times too large, with 3 samples: " + said("mse/sum-not-mean")),
        equals(2 / 3, said("mse/absolute-not-squared")),
        equals(np.sqrt(4 / 3), said("mse/root-taken")),
        equals(-2 / 3, "you averaged the raw differences: square each one before averaging."),
        equals(4.0 / 9.0, said("mse/squared-mean")),
    ])
    got = call(mse, [0.5, 1.5], [1.0, 1.0], what="mse on Python lists")
    expect_close(got, 0.25, what="mse([0.5, 1.5], [1.0, 1.0])")  # squares 0.25, 0.25


@problem("mae",
         hint="Where does mae differ from your mse: what happens to each error before the mean, and which "
              "NumPy function does it?")
def _check_mae(mae):
    # |0 - 1| = 1 and |4 - 2| = 2 -> mean 1.5
    what = "mae([0, 4], [1, 2])"
    got = call(mae, np.array([0.0, 4.0]), np.array([1.0, 2.0]), what=what)
    expect_close(got, 1.5, what=what, diagnoses=[
        scaled(2, "the result is 2 times too large, with 2 samples: " + said("mae/sum-not-mean")),
        equals(0.5, said("mae/no-absolute-value")),
        equals(2.5, said("mae/squared")),
    ])
    got = call(mae, [1.0, 2.0, 3.0], [1.0, 2.0, 5.0], what="mae on Python lists")
    expect_close(got, 2 / 3, what="mae([1, 2, 3], [1, 2, 5])")


@problem("sigmoid",
         hint="For which z does e^(-z) overflow? Multiply the top and bottom of 1 / (1 + e^(-z)) by e^z: "
              "is that form safe there? np.where can pick a form for each entry.")
def _check_sigmoid(sigmoid):
    expect_close(sigmoid(0.0), 0.5, what="sigmoid(0)")
    expect_close(sigmoid(2.0), 0.8807970779778823, what="sigmoid(2)", diagnoses=[
        equals(1 - 0.8807970779778823, said("sigmoid/sign-of-z")),
    ])
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    try:
        with np.errstate(over="raise", invalid="ignore"):
            got = sigmoid(z)
    except FloatingPointError:
        raise CheckFailed("sigmoid([-1000, -1, 0, 1, 1000]) overflows: an exponential of a large positive "
                          "number exceeds the float range and becomes inf (inf / inf is NaN); NumPy warns, and "
                          "grading treats that as an error. "
                          "Evaluate e^(-|z|) only; note that np.where computes both of its branches for "
                          "every entry.") from None
    # 1/(1+e)=0.2689414213699951; tails are 0 and 1 up to rounding
    expect_close(got, [0.0, 0.2689414213699951, 0.5, 0.7310585786300049, 1.0],
                 what="sigmoid([-1000, -1, 0, 1, 1000])",
                 nan_message="sigmoid gives NaN for large |z|: e^z overflows to inf and inf/inf is NaN. "
                             "Use a form that never divides infinity by infinity.")
    got = call(sigmoid, [0.0, 0.0], what="sigmoid on a Python list")
    expect_close(got, [0.5, 0.5], what="sigmoid([0, 0])")


@problem("log_loss",
         hint="Which of the two logarithms counts when y = 1, and which when y = 0? What does log do at "
              "p = 0 or p = 1, and how do you keep p away from those two values before taking logs? "
              "Over what does the mean run?")
def _check_log_loss(log_loss):
    # -(ln 0.9 + ln 0.8) / 2 = 0.164252033486018
    what = "log_loss([0.9, 0.2], [1, 0])"
    got = call(log_loss, np.array([0.9, 0.2]), np.array([1.0, 0.0]), what=what)
    expect_close(got, 0.164252033486018, what=what, diagnoses=[
        scaled(2, "the result is 2 times too large, with 2 samples: " + said("log_loss/sum-not-mean")),
        negated(said("log_loss/minus-missing")),
    ])
    clip_msg = ("log_loss gives NaN or infinity when p is exactly 0 or 1: clip p into "
                "[eps, 1 - eps] before taking logs.")
    with np.errstate(all="ignore"):
        got = call(log_loss, [0.0, 1.0], [0.0, 1.0], what="log_loss on Python lists")
    expect_close(got, 0.0, what="log_loss([0, 1], [0, 1]) (perfect, confident predictions)",
                 nan_message=clip_msg, atol=1e-9, diagnoses=[
                     lambda got, _: said("log_loss/eps-ignored") if 1e-9 < float(got) < 1e-3 else None])
    with np.errstate(all="ignore"):
        got = log_loss(np.array([0.0]), np.array([1.0]))
    # clipped to 1e-12: -ln(1e-12) = 27.631021115928547
    expect_close(got, 27.631021115928547, what="log_loss([0], [1]) (confidently wrong)",
                 nan_message=clip_msg)
    with np.errstate(all="ignore"):
        got = log_loss(np.array([0.0]), np.array([1.0]), eps=1e-3)
    expect_close(got, 6.907755278982137, what="log_loss([0], [1], eps=1e-3)", diagnoses=[
        equals(27.631021115928547, said("log_loss/eps-ignored")),
    ])


@problem("neuron_mse",
         hint="Every sample uses the same w and b: can you compute all the predictions at once from the "
              "array x? Then compare them with t as mse does.")
def _check_neuron_mse(neuron_mse):
    # sigmoid(0) = 0.5, sigmoid(2) = 0.8807970779778823 -> (0.25 + 0.0142094...) / 2
    what = "neuron_mse(1, -1, [1, 3], [0, 1])"
    got = call(neuron_mse, 1.0, -1.0, [1.0, 3.0], [0.0, 1.0], what=what)
    expect_close(got, 0.13210466830930553, what=what, diagnoses=[
        scaled(2, "the result is 2 times too large, with 2 samples: " + said("neuron_mse/sum-not-mean")),
        # without the sigmoid the predictions are w x + b = [0, 2]: errors 0 and 1, mean of squares 0.5
        equals(0.5, said("neuron_mse/no-sigmoid")),
    ])
    # sigmoid(0) = 0.5 for both samples -> errors 0.5, -0.5 -> mean of squares 0.25
    expect_close(neuron_mse(0.0, 0.0, np.array([1.0, 2.0]), np.array([1.0, 0.0])), 0.25,
                 what="neuron_mse(0, 0, [1, 2], [1, 0])")
    got = neuron_mse(1.0, -1.0, np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    expect_true(np.ndim(got) == 0, "neuron_mse should return one number (the cost), not one per sample.")
