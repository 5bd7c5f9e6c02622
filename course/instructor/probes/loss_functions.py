"""The grader's probes of 01_loss_functions (mse, mae, sigmoid, log_loss, neuron_mse).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/loss_functions.py``. The visible checks of
the same exercises are ``course/checks/loss_functions.py``.
"""
from __future__ import annotations

import copy
from typing import Callable

import numpy as np

from .core import OVERFLOW, Case, Probe, Trait, close, floats, stable_sigmoid


def _arrays(rng: np.random.Generator) -> tuple:
    n = int(rng.integers(3, 9))
    return rng.normal(size=n), rng.normal(size=n)


def _lists(rng: np.random.Generator) -> tuple:
    p, t = _arrays(rng)
    return list(p), list(t)


def _mse(p, t):
    return np.mean((floats(p) - floats(t)) ** 2)


def _mae(p, t):
    return np.mean(np.abs(floats(p) - floats(t)))


_PAIRS = [Case(_arrays), Case(_lists, trials=1)]


def _fails_on_lists(right: Callable) -> Trait:
    """Right on arrays; on Python lists, any exception (``p - t``, ``p.shape``: each fails its own way)."""
    def holds(args, value, raised) -> bool:
        if isinstance(args[0], list):
            return bool(raised)
        return not raised and close(value, right(*args))
    return Trait(holds)


def _moderate_z(rng):
    return (rng.normal(scale=3.0, size=6),)


def _huge_z(rng):
    return (np.array([-900.0, -1.0, 0.0, 900.0]) * rng.uniform(1.0, 1.5),)


def _is_huge(z) -> bool:
    return float(np.max(np.abs(floats(z)))) > 700.0


def _sigmoid_trait(flipped: bool) -> Trait:
    """sigmoid(-z) (sign-of-z), or the right values (overflows), on moderate z; on huge z, an overflow.

    A flipped sign may be written stably, so on huge z it may give sigmoid(-z) as well.
    """
    def holds(args, value, raised) -> bool:
        (z,) = args
        if not _is_huge(z):
            return not raised and close(value, stable_sigmoid(-floats(z) if flipped else z))
        return raised == OVERFLOW or (flipped and not raised and close(value, stable_sigmoid(-floats(z))))
    return Trait(holds)


def _log_loss(p, y, eps=1e-12):
    p = np.clip(floats(p), eps, 1 - eps)
    y = floats(y)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _log_loss_terms(p, y, eps=1e-12):
    p = np.clip(floats(p), eps, 1 - eps)
    y = floats(y)
    return y * np.log(p) + (1 - y) * np.log(1 - p)


def _eps(rng) -> float:
    return float(10.0 ** -rng.uniform(2.0, 4.0))


def _probabilities(rng):
    n = int(rng.integers(3, 9))
    return rng.uniform(0.05, 0.95, n), (rng.random(n) < 0.5).astype(float), _eps(rng)


def _certain(rng):
    return np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0, 0.0, 1.0]), _eps(rng)


#: The second eps each draw is called with: a loss clipped with eps changes with it where p is 0 or 1, a fixed
#: clip does not.
_EPS_FACTOR = 1e-3


def _log_loss_run(fn: Callable, args: tuple) -> tuple:
    """The loss at eps and at eps * 1e-3 (does eps reach the clip?)."""
    p, y, eps = args
    return fn(copy.deepcopy(p), copy.deepcopy(y), eps), fn(copy.deepcopy(p), copy.deepcopy(y), eps * _EPS_FACTOR)


def _finite(value) -> bool:
    try:
        return bool(np.all(np.isfinite(floats(value))))
    except (TypeError, ValueError):
        return False


def _log_loss_trait(clipped: bool) -> Trait:
    """Right where p is away from 0 and 1; where p is exactly 0 or 1, a fixed clip or none.

    A fixed clip (``eps-ignored``): two finite losses, equal although eps changed, not the loss at
    eps. No clip (``not-clipped``): an infinite or NaN loss, or the ValueError of ``math.log(0)``.
    """
    def holds(args, value, raised) -> bool:
        p, y, eps = args
        if not np.any((floats(p) == 0.0) | (floats(p) == 1.0)):
            return not raised and isinstance(value, tuple) and all(close(v, _log_loss(*args)) for v in value)
        if not clipped:
            return raised in ("ValueError", "ZeroDivisionError") or (
                not raised and isinstance(value, tuple) and not any(_finite(v) for v in value))
        return not raised and isinstance(value, tuple) and all(_finite(v) for v in value) and \
            close(value[0], value[1]) and not close(value[0], _log_loss(*args))
    return Trait(holds)


def _neuron_inputs(rng):
    n = int(rng.integers(3, 9))
    w, b = rng.normal(scale=2.0, size=2)
    return float(w), float(b), rng.normal(size=n), rng.random(n)


PROBES: dict[str, Probe] = {
    "mse": Probe(_PAIRS, _mse, {
        "mse/sum-not-mean": lambda p, t: np.sum((floats(p) - floats(t)) ** 2),
        "mse/absolute-not-squared": _mae,
        "mse/root-taken": lambda p, t: np.sqrt(_mse(p, t)),
        "mse/squared-mean": lambda p, t: np.mean(floats(p) - floats(t)) ** 2,
        "mse/no-lists": _fails_on_lists(_mse),
    }),
    "mae": Probe(_PAIRS, _mae, {
        "mae/sum-not-mean": lambda p, t: np.sum(np.abs(floats(p) - floats(t))),
        "mae/no-absolute-value": lambda p, t: np.mean(floats(p) - floats(t)),
        "mae/squared": _mse,
    }),
    "sigmoid": Probe([Case(_moderate_z), Case(_huge_z, trials=1, errstate={"over": "raise"})], stable_sigmoid, {
        "sigmoid/sign-of-z": _sigmoid_trait(flipped=True),
        "sigmoid/overflows": _sigmoid_trait(flipped=False),
    }),
    "log_loss": Probe([Case(_probabilities), Case(_certain, trials=1)], _log_loss, {
        "log_loss/sum-not-mean": lambda p, y, eps=1e-12: -np.sum(_log_loss_terms(p, y, eps)),
        "log_loss/minus-missing": lambda p, y, eps=1e-12: np.mean(_log_loss_terms(p, y, eps)),
        "log_loss/not-clipped": _log_loss_trait(clipped=False),
        "log_loss/eps-ignored": _log_loss_trait(clipped=True),
    }, run=_log_loss_run),
    # built on the student's own sigmoid and mse: a right neuron_mse on a wrong mse is mse's knock-on
    "neuron_mse": Probe([Case(_neuron_inputs, trials=3)], lambda w, b, x, t, *, sigmoid, mse:
                        mse(sigmoid(w * floats(x) + b), floats(t)), {
        "neuron_mse/sum-not-mean": lambda w, b, x, t, *, sigmoid, mse:
        np.sum((floats(sigmoid(w * floats(x) + b)) - floats(t)) ** 2),
        "neuron_mse/bias-subtracted": lambda w, b, x, t, *, sigmoid, mse: mse(sigmoid(w * floats(x) - b), floats(t)),
        "neuron_mse/no-sigmoid": lambda w, b, x, t, *, sigmoid, mse: mse(w * floats(x) + b, floats(t)),
    }, uses=("sigmoid", "mse")),
}
