"""Public checks for 04_matrix_weights: a linear layer ``prediction = x @ W`` trained on MSE.

Expected numbers are worked out by hand in the comments. The main case is the seed's:
x = [1, 2, 3, 4], target = [2, 3, 4, 5], W1 with four rows [1.5, 1.3, 1.8, 1.1].
A second, rectangular case (3 inputs, 4 outputs) tells a transposed result from a right one.
What training gives on the seed's case was recorded when the course was released
(:mod:`course.checks.recorded`); no code here computes an exercise's answer.
"""
from __future__ import annotations

import numpy as np

from ..data import matrix_exercise
from ..mistakes import said
from . import recorded
from .toolkit import (
    MATMUL_ORDER,
    CheckFailed,
    call,
    equals,
    expect_close,
    expect_true,
    negated,
    problem,
    scaled,
    transposed,
)

# Rectangular case: x @ W_R = [1, 0, 2, 3]; residual against T_R is [1, 0, 1, 2].
X_R = np.array([1.0, 0.0, 2.0])
W_R = np.array([[1.0, 0.0, 0.0, 1.0],
                [0.0, 1.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 1.0]])
T_R = np.array([0.0, 0.0, 1.0, 1.0])
TOPIC = "matrix_weights"


def fixed() -> dict:
    """The checks' fixed inputs: case -> (exercise, arguments); their outputs are recorded at release."""
    x, target, W1 = matrix_exercise()
    return {"train": ("train", (x, W1, target, 0.01, 15))}


def _expect_matrix(got, expected, *, what: str, diagnoses=()):
    """Like expect_close, but a transposed shape gets its own diagnosis before the shape check."""
    arr = np.asarray(got, dtype=float) if got is not None else None
    if arr is not None and arr.ndim == 2 and arr.shape != expected.shape and arr.shape == expected.T.shape:
        raise CheckFailed(f"{what} returned shape {arr.shape}, the transpose of the shape {expected.shape} "
                          "of W: the gradient has one entry per weight, W[i, j] pairs input i with output j. "
                          "Check the order of the factors in your outer product.")
    expect_close(got, expected, what=what, diagnoses=diagnoses)


@problem("predict",
         hint="One output per column of W: which product of a length-d vector and a (d, k) "
                         "matrix gives a length-k vector?")
def _check_predict(predict):
    x, _, W1 = matrix_exercise()
    # Each column j: (1 + 2 + 3 + 4) * W1[0, j] = 10 * [1.5, 1.3, 1.8, 1.1].
    got = call(predict, x, W1, what="predict(x, W1)")
    wrong_order = np.full(4, 13.9)  # W1 @ x: every row dotted with x is 1.5 + 2.6 + 5.4 + 4.4
    expect_close(got, [15.0, 13.0, 18.0, 11.0], what="predict(x, W1)",
                 diagnoses=[lambda g, e: MATMUL_ORDER if np.allclose(g, wrong_order) else None])
    # Rectangular: [1, 0, 2] @ W_R = [1, 0, 2, 3].
    expect_close(call(predict, X_R, W_R, what="predict on 3 inputs and 4 outputs"), [1.0, 0.0, 2.0, 3.0],
                 what="predict on 3 inputs and 4 outputs")
    expect_close(call(predict, [1.0, 0.0, 2.0], W_R.tolist(), what="predict on lists"), [1.0, 0.0, 2.0, 3.0],
                 what="predict with plain Python lists as inputs")


@problem("loss",
         hint="Which of your functions gives the prediction? Over which dimension does the mean run, "
                      "the inputs or the outputs, and how many numbers do you return?")
def _check_loss(loss):
    x, target, W1 = matrix_exercise()
    # Residual [15, 13, 18, 11] - [2, 3, 4, 5] = [13, 10, 14, 6]; squares 169 + 100 + 196 + 36 = 501; / 4.
    expect_close(call(loss, x, W1, target, what="loss(x, W1, target)"), 125.25, what="loss(x, W1, target)",
                 diagnoses=[scaled(4.0, "the result is 4 times too large: you summed the squared errors "
                                        "instead of averaging them over the 4 outputs."),
                            equals(10.75, "this is the mean of |residual|, not of its square."),
                            lambda g, e: "this is the square root of the mean squared error; the loss is the mean "
                                         "squared error itself." if np.isclose(g, np.sqrt(125.25)) else None,
                            lambda g, e: ("this is the loss of `W @ x`: " + MATMUL_ORDER)
                            if np.isclose(g, 109.41) else None])
    # Rectangular: residual [1, 0, 1, 2] -> squares 1 + 0 + 1 + 4 = 6, mean over 4 outputs = 1.5.
    expect_close(call(loss, X_R, W_R, T_R, what="loss on 3 inputs and 4 outputs"), 1.5,
                 what="loss on 3 inputs and 4 outputs",
                 diagnoses=[scaled(4 / 3, "you divided by the number of inputs (3); the mean runs over the "
                                          "outputs (4)."),
                            scaled(4.0, "the result is 4 times too large: you summed instead of averaging.")])


@problem("loss_gradient",
         hint="Differentiate one entry: L = (1/k) sum_j (p_j - t_j)^2 with p_j = sum_i x_i W[i, j]. "
                               "Which p_j does W[a, b] change, and by how much per unit?")
def _check_loss_gradient(loss_gradient):
    x, target, W1 = matrix_exercise()
    # Row a is input a times the residuals [13, 10, 14, 6], halved (worked out by hand).
    expected = 0.5 * np.array([[13.0, 10.0, 14.0, 6.0],
                               [26.0, 20.0, 28.0, 12.0],
                               [39.0, 30.0, 42.0, 18.0],
                               [52.0, 40.0, 56.0, 24.0]])
    common = [scaled(2.0, "the result is 2 times too large: a constant factor is off. What does the mean over the "
                          "k = 4 outputs contribute, and what does the square bring down?"),
              scaled(4.0, "the result is 4 times too large: the loss is a mean over the outputs, so the "
                          "gradient carries 1/k; you differentiated a sum."),
              scaled(0.5, "the result is half the right one: the square's derivative brings a factor 2."),
              negated("the result has the opposite sign: the residual is prediction - target "
                      "(the loss rises when the prediction overshoots)."),
              transposed("the entries are right but transposed: W[i, j] pairs input i with output j, "
                         "so row i of the gradient belongs to input i; swap the factors of your product.")]
    got = call(loss_gradient, x, W1, target, what="loss_gradient(x, W1, target)")
    _expect_matrix(got, expected, what="loss_gradient(x, W1, target)", diagnoses=common)
    # Rectangular: inputs [1, 0, 2] times residuals [1, 0, 1, 2], halved.
    expected_r = np.array([[0.5, 0.0, 0.5, 1.0],
                           [0.0, 0.0, 0.0, 0.0],
                           [1.0, 0.0, 1.0, 2.0]])
    got = call(loss_gradient, X_R, W_R, T_R, what="loss_gradient on 3 inputs and 4 outputs")
    _expect_matrix(got, expected_r, what="loss_gradient on 3 inputs and 4 outputs",
                   diagnoses=[scaled(4 / 3, "you divided by the number of inputs (3); the loss averages "
                                            "over the outputs (4), not the inputs.")] + common)


@problem("train",
         hint="What happens in one step, in which order: gradient, update, record? How many "
                       "losses should the history hold? Does your update change the caller's W?")
def _check_train(train):
    x, target, W1 = matrix_exercise()
    W_before = W1.copy()
    out = call(train, x, W1, target, 0.01, 15, what="train(x, W1, target, 0.01, 15)")
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2,
                "train should return a pair (final W, loss history).")
    W, history = out
    expect_true(np.array_equal(W1, W_before), f"{said('train/changes-input')} Start from a copy, e.g. "
                                              "`W = np.array(W, dtype=float)`.")
    history = np.asarray(history, dtype=float)
    # The residual shrinks by (1 - 15 * 0.01) = 0.85 per step, the loss by 0.85**2 (recorded at release).
    expected_W, expected_history = recorded.right(TOPIC, "train")
    without_start = recorded.wrong(TOPIC, "train", "train/start-loss-missing")[1]
    expect_true(not (history.shape == (15,) and np.allclose(history, without_start)),
                said("train/start-loss-missing"))
    expect_true(history.shape == (16,),
                f"the loss history has shape {history.shape}; it should hold n_steps + 1 = 16 losses: "
                "the starting loss, then the loss after each step.")
    # Gradient computed once, outside the loop: residual factor 1 - 15 * 0.01 * 15 = -1.25 after 15 steps.
    expect_close(history[0], 125.25, what="history[0] (the loss at the starting W)")
    once_last = recorded.wrong(TOPIC, "train", "train/gradient-once")[1][-1]
    once = lambda g, e: said("train/gradient-once") if np.isclose(g[-1], once_last) else None
    grows = lambda g, e: (f"{said('train/ascent')} (If your step subtracts it, check the sign of loss_gradient.)"
                          if np.all(np.isfinite(g)) and g[-1] > g[0] else None)
    expect_close(history, expected_history, what="the loss history of train(x, W1, target, 0.01, 15)",
                 diagnoses=[once, grows])
    # Recorded from the model solution; each step multiplies the residual by 0.85 (section 5).
    _expect_matrix(W, np.asarray(expected_W), what="the final W of train(x, W1, target, 0.01, 15)")
    # The ideal rate 1/15 lands on the target in one step.
    W_one, h_one = call(train, x, W1, target, 1 / 15, 1, what="train(x, W1, target, 1/15, 1)")
    expect_close(np.asarray(h_one, dtype=float)[-1], 0.0, what="the loss after one step at rate 1/15", atol=1e-9)


@problem("train_W1",
         hint="Which rate and which number of steps did you work out in section 5 for a loss below "
                          "1.30? What does your train return, and which part of it is W1?")
def _check_W1(W1):
    expect_true(W1 is not None, "W1 is not defined: run your training cell, which must assign the trained "
                                "weights to W1.")
    x, target, W1_init = matrix_exercise()
    expect_true(not (isinstance(W1, (tuple, list)) and len(W1) == 2 and np.shape(W1[0]) == (4, 4)),
                said("train_W1/kept-pair"))
    try:
        W = np.asarray(W1, dtype=float)
    except (TypeError, ValueError):
        raise CheckFailed("W1 is not a matrix of numbers: keep only the weights.") from None
    expect_true(W.shape == (4, 4), f"W1 has shape {W.shape}; the weights of this layer have shape (4, 4).")
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(np.mean((x @ W - target) ** 2))  # the lesson's objective at the answer W1
    expect_true(bool(np.all(np.isfinite(W))) and bool(np.isfinite(value)), said("train_W1/diverged"))
    expect_true(value < 1.30, f"the loss of W1 is {value:.4g}, not below 1.30 yet: train longer, or with a "
                              "better rate.")
