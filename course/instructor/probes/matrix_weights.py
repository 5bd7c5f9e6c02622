"""The grader's probes of 04_matrix_weights (predict, loss, loss_gradient, train, train_W1).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/matrix_weights.py``. The visible checks of
the same exercises are ``course/checks/matrix_weights.py``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ...data import matrix_exercise
from .core import Answer, Case, Probe, Trait, close, floats, keeps, variant


def _layer(rng, n: int, k: int) -> tuple:
    return rng.normal(size=n), rng.normal(size=(n, k)), rng.normal(size=k)


def _rectangular(rng):
    return _layer(rng, 3, 4)


def _square(rng):
    return _layer(rng, 3, 3)


def _residual(x, W, target, predict=None):
    """prediction - target, with the student's own predict when given (the right x @ W without it)."""
    return floats(predict(x, W) if predict else floats(x) @ floats(W)) - floats(target)


def _order_swapped(then: Callable) -> Trait:
    """W @ x in place of x @ W: on a square W, ``then`` of W @ x; on a rectangular one, any exception."""
    def holds(args, value, raised) -> bool:
        x, W = floats(args[0]), floats(args[1])
        if W.shape[0] != W.shape[1]:
            return bool(raised)
        return not raised and close(value, then(W @ x, *args[2:]))
    return Trait(holds)


_LAYER = [Case(_rectangular), Case(_square, trials=1)]


_WEIGHTS = [Case(lambda rng: _rectangular(rng)[:2]), Case(lambda rng: _square(rng)[:2], trials=1)]


def _training(rng):
    return (*_layer(rng, 3, 2), float(rng.uniform(0.02, 0.1)), int(rng.integers(2, 5)))


def _train(x, W, target, learning_rate, n_steps, *, loss, loss_gradient, ascent=False, once=False, start=True,
           in_place=False):
    W = W if in_place else np.array(W, dtype=float)
    history = [loss(x, W, target)]
    fixed = loss_gradient(x, W, target) if once else None
    for _ in range(n_steps):
        step = learning_rate * floats(fixed if once else loss_gradient(x, W, target))
        if in_place:
            W -= step
        else:
            W = W + step if ascent else W - step
        history.append(loss(x, W, target))
    return W, history if start else history[1:]


def _weights_w1(value) -> "np.ndarray | None":
    W = np.asarray(value, dtype=float)
    return W if W.shape == (4, 4) else None


def _loss_of_w1(value) -> float:
    x, target, _ = matrix_exercise()
    with np.errstate(all="ignore"):
        return float(np.mean((x @ _weights_w1(value) - target) ** 2))


def _descent_line(W: np.ndarray) -> "float | None":
    """Where W lies on descent's line from W1_init (the s below), or None if it is off that line.

    From W1_init, every step of descent on this layer moves W along outer(x, r0) (r0 the first
    residual): after any number of steps at any rate, W = W1_init - s outer(x, r0) / 30 with s = 1 - q^k,
    q = 1 - 15 rate, and the loss is 125.25 (1 - s)^2. A wrong gradient or update leaves that line, or
    goes backwards on it (s < 0).
    """
    if not np.all(np.isfinite(W)):
        return None
    x, target, W0 = matrix_exercise()
    D = np.outer(x, x @ W0 - target) / 30.0
    s = -float(np.sum((W - W0) * D) / np.sum(D * D))
    return s if np.allclose(W, W0 - s * D, rtol=1e-6, atol=1e-9) else None


def _w1_stopped_short(value) -> bool:
    """Is W1 a point descent passes on its way (0 < s < 1), before the target, with a loss still at least 1.30?"""
    W = _weights_w1(value)
    s = None if W is None else _descent_line(W)
    return s is not None and 0.0 < s < 1.0 and _loss_of_w1(W) >= 1.30


#: A loss of W1 a million times the one it starts from (125.25): divergence by any reading.
_HUGE_LOSS = 125.25e6


def _w1_diverged(value) -> bool:
    """Did the run diverge: W1 or its loss not finite, or the loss a million times the starting one?

    Only the size of the loss says so: on descent's line a rate above 2/15 and an ascent or a gradient
    computed once can reach the same points, so where W1 lies on it tells no rate apart.
    """
    W = _weights_w1(value)
    if W is None:
        return False
    loss = _loss_of_w1(W)
    return not np.all(np.isfinite(W)) or not np.isfinite(loss) or loss > _HUGE_LOSS


PROBES: dict[str, Probe] = {
    "predict": Probe(_WEIGHTS, lambda x, W: floats(x) @ floats(W), {
        "predict/order-swapped": _order_swapped(lambda p: p),
        "predict/not-summed": lambda x, W: floats(x)[:, None] * floats(W),
    }),
    # loss and loss_gradient are built on the student's own predict (the source's call it)
    "loss": Probe(_LAYER, lambda x, W, t, *, predict: np.mean(_residual(x, W, t, predict) ** 2), {
        "loss/sum-not-mean": lambda x, W, t, *, predict: np.sum(_residual(x, W, t, predict) ** 2),
        "loss/root-taken": lambda x, W, t, *, predict: np.sqrt(np.mean(_residual(x, W, t, predict) ** 2)),
        "loss/order-swapped": _order_swapped(lambda p, t: np.mean((p - floats(t)) ** 2)),
    }, uses=("predict",)),
    "loss_gradient": Probe(_LAYER, lambda x, W, t, *, predict:
                           2.0 / np.size(t) * np.outer(x, _residual(x, W, t, predict)), {
        "loss_gradient/transposed": lambda x, W, t, *, predict:
        2.0 / np.size(t) * np.outer(_residual(x, W, t, predict), x),
        "loss_gradient/no-mean": lambda x, W, t, *, predict: 2.0 * np.outer(x, _residual(x, W, t, predict)),
        "loss_gradient/factor-missing": lambda x, W, t, *, predict: np.outer(x, _residual(x, W, t, predict)),
        "loss_gradient/sign-flipped": lambda x, W, t, *, predict:
        -2.0 / np.size(t) * np.outer(x, _residual(x, W, t, predict)),
    }, uses=("predict",)),
    "train": Probe([Case(_training)], _train, {
        "train/ascent": variant(_train, ascent=True),
        "train/gradient-once": variant(_train, once=True),
        "train/start-loss-missing": variant(_train, start=False),
        "train/changes-input": variant(_train, in_place=True),
    }, run=keeps(1), uses=("loss", "loss_gradient")),
}


ANSWERS: dict[str, Answer] = {
    "train_W1": Answer(("W1",), {
        "train_W1/kept-pair": lambda W1: isinstance(W1, (tuple, list)) and len(W1) == 2 and
        np.shape(W1[0]) == (4, 4),
        "train_W1/diverged": _w1_diverged,
        "train_W1/stopped-short": _w1_stopped_short,
    }),
}
