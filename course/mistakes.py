"""The catalogue of common mistakes: each one named once, with what went wrong and a hint.

A mistake has a stable id, ``<exercise>/<slug>`` (``mse/sum-not-mean``). The visible checks
(:mod:`course.check`, ``course/checks/``) quote its message when they recognise it on their
public cases; the grader recognises the same mistakes on inputs the student never saw, records
the id per student and test cell, and quotes the message and hint in the student's feedback.

Two kinds of mistake exist for every exercise without being listed: ``<exercise>/not-written``
(the stub still raises ``NotImplementedError``) and ``<exercise>/hard-coded`` (the same answer
whatever the input). A wrong answer the grader cannot name is :data:`UNRECOGNISED`.

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
    "not-written": ("this function is not written yet: it still raises NotImplementedError.",
                    "replace the `raise NotImplementedError(...)` line with your code and run its cell."),
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
    ("parabola/power-forgotten", "that is x^2 - 3: the difference (x - 3) is not what gets squared.",
     "square the difference (x - 3) as a whole: (x - 3) ** 2."),
    ("parabola/plus-three", "that is (x + 3)^2: its minimum is at -3, not at 3.", "subtract 3 from x, then square."),
    ("parabola/slope-not-value", "that is the slope 2 (x - 3), not the parabola itself.",
     "return the height (x - 3) ** 2."),
    ("parabola_grad/power-rule", "that is 2x - 3: the power rule is applied to x alone.",
     "the derivative of (x - 3)^2 is 2 (x - 3) (the chain rule)."),
    ("parabola_grad/sign-flipped", "the slope has the wrong sign, so descent would climb.",
     "the slope is positive right of the minimum x = 3."),
    ("parabola_grad/factor-two-missing", "the factor 2 from the power rule is missing.",
     "d/dx (x - 3)^2 = 2 (x - 3)."),
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
    ("rmsprop_step/eps-inside-root", "eps is added inside the square root instead of after it.",
     "divide by np.sqrt(s) + eps."),
    ("rmsprop_step/no-state", "the running mean starts again at every step: the state is not carried over.",
     "read s from the state you are given (zeros only when state is None)."),
    ("adam_step/ascent", "the step climbs: the update is added to the parameters.", "subtract the update."),
    ("adam_step/no-bias-correction", "the moments are not bias-corrected, so the first steps are too small.",
     "divide m by 1 - beta1^t and v by 1 - beta2^t before the step."),
    ("adam_step/eps-inside-root", "eps is added inside the square root instead of after it.",
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
