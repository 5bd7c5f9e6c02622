"""The catalogue of common mistakes: each one named once, with what went wrong and a hint.

A mistake has a stable id, ``<exercise>/<slug>`` (``mse/sum-not-mean``). The visible checks
(:mod:`course.check`, ``course/checks/``) quote its message when they recognise it on their
public cases; the grader recognises the same mistakes on inputs the student never saw, records
the id per student and test cell, and quotes the message and hint in the student's feedback.

Two kinds of mistake exist for every exercise without being listed: ``<exercise>/not-written``
(``NotImplementedError`` from a stub: the exercise's own, or one it calls) and
``<exercise>/hard-coded`` (the same answer whatever the input). A wrong answer the grader
cannot name is :data:`UNRECOGNISED`.

Nothing here computes an answer: the catalogue only describes mistakes in words.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mistake", "UNRECOGNISED", "describe", "said", "exercise_of", "known_ids"]

#: What the grader records for a wrong answer that matches no catalogued mistake.
UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class Mistake:
    """One common mistake: its id, what went wrong in plain words, and a hint towards the fix."""

    id: str
    message: str
    hint: str

    @property
    def exercise(self) -> str:
        return exercise_of(self.id)


def exercise_of(mistake_id: str) -> str:
    """The exercise a mistake id belongs to (``mse`` for ``mse/sum-not-mean``; empty if it has none)."""
    return mistake_id.split("/", 1)[0] if "/" in mistake_id else ""


_GENERIC = {
    "not-written": ("it raises NotImplementedError: this function, or one it calls, is not written yet.",
                    "replace each `raise NotImplementedError(...)` line left with your code and run its cell."),
    "hard-coded": ("it returns the same answer whatever the input: a value typed in for the public check "
                   "cannot be right on other inputs.",
                   "compute the result from the arguments, so that other inputs give other answers."),
}

_LISTS = ("it works on NumPy arrays but fails on Python lists.",
          "convert the inputs first with np.asarray(...), as the exercise asks.")

_ENTRIES = [
    # 01_loss_functions
    ("mse/sum-not-mean", "you summed the squared errors instead of averaging them, so the cost grows with "
                         "the number of samples.", "divide by the number of samples, or use np.mean."),
    ("mse/absolute-not-squared", "this is the mean absolute error: the differences are not squared.",
     "square each difference before averaging."),
    ("mse/root-taken", "you took a square root at the end: that is the RMSE, not the MSE.",
     "leave out the square root."),
    ("mse/squared-mean", "you squared the mean difference, so positive and negative errors cancel first.",
     "square each difference first, then average the squares."),
    ("mse/no-lists", *_LISTS),
    ("mae/sum-not-mean", "you summed the absolute errors instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("mae/no-absolute-value", "the signed differences cancel out: the absolute value is missing.",
     "take np.abs of each difference before averaging."),
    ("mae/squared", "this is the mean *squared* error: the differences are squared, not made non-negative.",
     "use absolute values, not squares."),
    ("sigmoid/sign-of-z", "you compute sigmoid(-z): the sign in the exponent is flipped.",
     "sigmoid(z) = 1 / (1 + e^(-z)): it is above 1/2 for positive z."),
    ("sigmoid/overflows", "the values are right, but an exponential of a large positive number overflows "
                          "for large |z| (np.where evaluates both of its branches for every entry).",
     "evaluate e^(-|z|) only, and pick the form for each entry from it."),
    ("log_loss/sum-not-mean", "you summed the losses of the samples instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("log_loss/minus-missing", "the loss is negative: the minus sign in front of the average is missing.",
     "the log of a probability is <= 0, so the loss needs a minus sign to be >= 0."),
    ("log_loss/not-clipped", "p is not clipped, so p exactly 0 or 1 gives an infinite or NaN loss.",
     "clip p into [eps, 1 - eps] with np.clip before taking logs."),
    ("log_loss/eps-ignored", "p is clipped with a fixed number instead of the eps argument.",
     "clip with the eps you were given."),
    ("neuron_mse/sum-not-mean", "you summed the squared errors instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("neuron_mse/bias-subtracted", "the bias is subtracted: the neuron computes sigmoid(w x + b).",
     "add b to w * x."),
    ("neuron_mse/no-sigmoid", "the error is taken on w x + b itself: the sigmoid is missing.",
     "pass w * x + b through sigmoid before comparing with t."),
    # 02_parabola_descent
    ("parabola/power-forgotten", "that is x^2 - 3: subtract 3 *before* squaring.",
     "square the difference (x - 3) as a whole."),
    ("parabola/plus-three", "that is (x + 3)^2: its minimum is at -3, but the parabola's is at x = 3.",
     "subtract 3 from x, then square."),
    ("parabola/slope-not-value", "that is the slope 2(x - 3), not the height: parabola is the function itself.",
     "return the height (x - 3) ** 2."),
    ("parabola_grad/power-rule", "that is 2x - 3: the factor 2 multiplies both terms of (x - 3).",
     "use the chain rule on (x - 3)^2, or expand it first."),
    ("parabola_grad/sign-flipped", "the slope has the wrong sign: left of the minimum the parabola goes "
                                  "down, so the slope there is negative.",
     "a step against a wrongly signed slope climbs instead of descending."),
    ("parabola_grad/factor-two-missing", "the slope is half the right size: the chain rule brings down the "
                                        "exponent 2 as a factor.", "differentiate (x - 3)^2 with the chain rule."),
    # 04_matrix_weights
    ("predict/order-swapped", "W @ x is computed instead of x @ W: that is another model, and it fails "
                              "unless W is square.",
     "keep the course's convention: x of shape (n,), W of shape (n, k), prediction x @ W."),
    ("predict/not-summed", "x multiplies W entry by entry and nothing is summed, so the result has W's shape.",
     "a matrix product sums over the inputs: each output is a sum over i of x[i] * W[i, j]."),
    ("loss/sum-not-mean", "you summed the squared errors of the k outputs instead of averaging them.",
     "divide by the number of outputs, or use np.mean."),
    ("loss/root-taken", "you took a square root at the end: that is the RMSE, not the mean squared error.",
     "leave out the square root."),
    ("loss/order-swapped", "the loss is computed with W @ x instead of x @ W.",
     "use your predict, x @ W, for the prediction."),
    ("loss_gradient/transposed", "the gradient is transposed: it has shape (k, n), but W has shape (n, k).",
     "entry [i, j] of the gradient pairs input i with output j: which order of the outer product gives that?"),
    ("loss_gradient/no-mean", "this is the gradient of the *summed* squared error: the 1/k of the mean is "
                              "missing.", "the loss averages over the k outputs, so its gradient does too."),
    ("loss_gradient/factor-missing", "the factor 2/k is missing: the square brings down a 2, and the mean "
                                     "divides by k.", "differentiate the mean of squares term by term."),
    ("loss_gradient/sign-flipped", "the gradient has the wrong sign: it is written with target - prediction.",
     "differentiate (prediction - target)^2: the residual is prediction minus target."),
    # 05_logistic_regression
    ("predict_proba/sign-flipped", "the probabilities are those of the other class: the sign of X @ w + b "
                                   "is flipped.", "the probability of class 1 is sigmoid(X @ w + b)."),
    ("predict_proba/bias-missing", "the bias b is left out.", "add b to X @ w before the sigmoid."),
    ("predict_proba/rounded", "it returns 0 or 1, labels, instead of probabilities.",
     "return the sigmoid's value itself; rounding is for a decision, not a probability."),
    ("logistic_gradients/sum-not-mean", "the gradients are summed over the samples instead of averaged.",
     "the loss is a mean over n samples, so divide its gradients by n."),
    ("logistic_gradients/sign-flipped", "the gradients have the wrong sign: the error is written y - p.",
     "the gradient of the log loss uses the error p - y."),
    ("logistic_gradients/transposed", "dw uses X @ error instead of X.T @ error (it only runs when X is "
                                      "square).", "dw needs one entry per feature: which product gives that?"),
    ("logistic_gradients/squared-error", "the error is multiplied by p (1 - p): that is the gradient of the "
                                         "squared error through a sigmoid, not of the log loss.",
     "for the log loss, the sigmoid's derivative cancels: the error is just p - y."),
    # 07_backprop
    ("backward/no-activation-derivative", "the backward pass forgets the derivative of tanh at the hidden "
                                          "layer.", "through each tanh, multiply by its derivative, "
                                                    "1 - tanh(z)^2, which is 1 - H^2."),
    ("backward/sum-not-mean", "the gradients are those of the summed loss: the 1/n of the mean is missing.",
     "the loss averages over n samples, so the output error carries 1/n."),
    ("backward/sign-flipped", "every gradient has the wrong sign: the output error is written y - p.",
     "the error at the output of a sigmoid with log loss is p - y."),
    ("backward/flat-output-gradients", "the gradients of W2 and b2 lost a dimension: each gradient must have "
                                       "the shape of its parameter.",
     "keep the output error as a column of shape (n, 1)."),
    # 06_optimizers
    ("momentum_step/ascent", "the step climbs: the velocity is added to the parameters.",
     "subtract learning_rate * v from the parameters."),
    ("momentum_step/no-state", "the velocity starts from zero at every step: the state is not carried over.",
     "read v from the state you are given (zeros only when state is None)."),
    ("momentum_step/averaged-velocity", "the velocity is an average, beta v + (1 - beta) g: that is another "
                                        "convention than this course's heavy ball.",
     "v = beta * v + grad, without the factor (1 - beta)."),
    ("rmsprop_step/ascent", "the step climbs: the scaled gradient is added to the parameters.",
     "subtract the scaled gradient."),
    ("rmsprop_step/eps-inside-root", "eps is inside the square root; it belongs after the root.",
     "divide by np.sqrt(s) + eps."),
    ("rmsprop_step/no-state", "the running mean starts again at every step: the state is not carried over.",
     "read s from the state you are given (zeros only when state is None)."),
    ("adam_step/ascent", "the step climbs: the update is added to the parameters.", "subtract the update."),
    ("adam_step/no-bias-correction", "the moments are not bias-corrected, so the first steps are too small.",
     "divide m by 1 - beta1^t and v by 1 - beta2^t before the step."),
    ("adam_step/eps-inside-root", "eps is inside the square root; it belongs after the root.",
     "divide by np.sqrt(v_hat) + eps."),
    ("adam_step/step-count-stuck", "the step count t does not grow, so the bias correction stays at its "
                                   "first step's value.", "t is the state's t plus one, at every step."),
]

_CATALOGUE: dict[str, Mistake] = {mid: Mistake(mid, message, hint) for mid, message, hint in _ENTRIES}


def describe(mistake_id: str) -> "Mistake | None":
    """The catalogue's entry for ``mistake_id`` (generic kinds included); None for an unknown id."""
    if mistake_id in _CATALOGUE:
        return _CATALOGUE[mistake_id]
    exercise, _, kind = mistake_id.partition("/")
    if exercise and kind in _GENERIC:
        return Mistake(mistake_id, *_GENERIC[kind])
    return None


def said(mistake_id: str) -> str:
    """The plain-words message of a catalogued mistake (for the visible checks)."""
    entry = describe(mistake_id)
    if entry is None:
        raise KeyError(f"no mistake {mistake_id!r} in the catalogue")
    return entry.message


def known_ids(exercise: "str | None" = None) -> list[str]:
    """The listed mistake ids (of one exercise, if given), in catalogue order."""
    return [mid for mid in _CATALOGUE if exercise is None or exercise_of(mid) == exercise]
