"""The grader's probes of 07_stochastic_descent (minibatches, sgd_epoch, gradient_noise, train_sgd, quiet_batch_size).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/stochastic.py``. The visible checks of
the same exercises are ``course/checks/stochastic.py``.
"""
from __future__ import annotations

import functools

import numpy as np

from ...data import linear_regression
from .core import Answer, Case, Probe, floats, keeps, variant


def _shuffle_inputs(rng):
    size = int(rng.integers(3, 9))
    return size * int(rng.integers(4, 9)) + int(rng.integers(1, size)), size, int(rng.integers(2**31))


def _batch_arrays(out) -> list:
    return [np.asarray(b).ravel() for b in out]


def _same_batches(a: list, b: list) -> bool:
    return len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))


def _batches_view(fn, args) -> dict:
    """What a shuffle into batches must be, whatever the generator: a function of (n, batch_size) alone.

    The batch sizes; whether the indices are distinct and are all of 0..n-1; whether they are
    shuffled; whether the same seed gives the same batches again, and the next seed others.
    """
    n, size, seed = args
    first, again, other = (_batch_arrays(fn(n, size, s)) for s in (seed, seed, seed + 1))
    flat = np.concatenate(first).tolist() if first else []
    return {"sizes": [b.size for b in first], "distinct": len(set(flat)) == len(flat),
            "every index": sorted(flat) == list(range(n)), "shuffled": flat != list(range(len(flat))),
            "repeatable": _same_batches(first, again), "seeded": not _same_batches(first, other)}


def _minibatches(n, batch_size, seed, *, order="permutation", drop_last=False):
    if order == "permutation":
        indices = np.random.default_rng(seed).permutation(n)
    elif order == "with replacement":
        indices = np.random.default_rng(seed).integers(0, n, size=n)
    elif order == "unseeded":
        indices = np.random.default_rng().permutation(n)
    elif order == "one seed":
        indices = np.random.default_rng(0).permutation(n)
    else:
        indices = np.arange(n)
    end = n - batch_size + 1 if drop_last else n
    return [indices[i:i + batch_size] for i in range(0, end, batch_size)]


def _mse_gradient(w, X, y):
    residual = floats(X) @ floats(w) - floats(y)
    return 2.0 * floats(X).T @ residual / len(residual)


def _mse_loss(w, X, y):
    return float(np.mean((floats(X) @ floats(w) - floats(y)) ** 2))


def _epoch_inputs(rng):
    size = int(rng.integers(2, 6))
    n = size * int(rng.integers(2, 5)) + int(rng.integers(1, size))
    order = rng.permutation(n)
    return rng.normal(size=2), rng.normal(size=(n, 2)), rng.normal(size=n), float(rng.uniform(0.02, 0.1)), \
        [order[i:i + size] for i in range(0, n, size)]


def _sgd_epoch(w, X, y, learning_rate, batches, *, at_start=False, full=False, summed=False, in_place=False):
    X, y = floats(X), floats(y)
    w = np.asarray(w, dtype=float) if in_place else np.array(w, dtype=float)
    start = w.copy()
    for batch in batches:
        batch = np.asarray(batch, dtype=int)
        at = start if at_start else w
        gradient = _mse_gradient(at, X, y) if full else _mse_gradient(at, X[batch], y[batch])
        step = learning_rate * gradient * (len(batch) if summed else 1)
        if in_place:
            w -= step
        else:
            w = w - step
    return w


def _noise_inputs(rng):
    n = int(rng.integers(10, 40))
    return rng.normal(size=2), rng.normal(size=(n, 2)), rng.normal(size=n), int(rng.integers(2, n))


def _gradient_noise(w, X, y, batch_size, *, finite=True, root=True, entrywise=False):
    X, y = floats(X), floats(y)
    n = len(y)
    G = 2.0 * X * (X @ floats(w) - y)[:, None]
    spread = np.var(G) if entrywise else np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    variance = spread / batch_size * ((n - batch_size) / (n - 1) if finite else 1.0)
    return float(np.sqrt(variance) if root else variance)


@functools.lru_cache(maxsize=1)
def noise_question() -> tuple:
    """The notebook's question: the noise at w0 for every batch size, with and without the factor, and LEVEL."""
    X, y = linear_regression(n=600, noise=1.0, seed=0)
    G = 2.0 * X * (X @ np.array([-1.0, 2.0]) - y)[:, None]
    spread = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    sizes = np.arange(1, 601)
    return np.sqrt(spread / sizes * (600 - sizes) / 599), np.sqrt(spread / sizes), \
        0.25 * float(np.linalg.norm(G.mean(axis=0)))


def _batch_size(value) -> "int | None":
    """The answer as a batch size from 1 to 600, or None."""
    B = float(np.ravel(np.asarray(value, dtype=float))[0])
    return int(B) if B == int(B) and 1 <= B <= 600 else None


def _one_short(value) -> bool:
    B, (noise, _, level) = _batch_size(value), noise_question()
    return B is not None and B < 600 and noise[B - 1] > level >= noise[B]


def _without_factor(value) -> bool:
    B, (noise, plain, level) = _batch_size(value), noise_question()
    return B is not None and B == 1 + int(np.argmax(plain <= level)) != 1 + int(np.argmax(noise <= level))


def _sgd_inputs(rng):
    n = int(rng.integers(12, 25))
    X = rng.normal(size=(n, 2))
    y = X @ rng.normal(size=2) + 0.5 * rng.normal(size=n)
    rate, tau = float(rng.uniform(0.02, 0.08)), float(rng.uniform(0.5, 2.0))
    return rng.normal(size=2), X, y, int(rng.integers(2, 6)), 3, (lambda e, r=rate, t=tau: r / (1.0 + e / t)), \
        int(rng.integers(2**30))


def _train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed, *, sgd_epoch, minibatches, same_batches=False,
               rate_once=False, start=True, from_one=False, seeds_from_one=False):
    w = np.array(w0, dtype=float)
    history = [_mse_loss(w, X, y)]
    for epoch in range(n_epochs):
        rate = schedule(0) if rate_once else schedule(epoch + 1 if from_one else epoch)
        shuffle = seed if same_batches else seed + epoch + (1 if seeds_from_one else 0)
        w = sgd_epoch(w, X, y, rate, minibatches(len(y), batch_size, shuffle))
        history.append(_mse_loss(w, X, y))
    return w, history if start else history[1:]


PROBES: dict[str, Probe] = {
    "minibatches": Probe([Case(_shuffle_inputs)], _minibatches, {
        "minibatches/not-shuffled": variant(_minibatches, order="original"),
        "minibatches/last-batch-dropped": variant(_minibatches, drop_last=True),
        "minibatches/with-replacement": variant(_minibatches, order="with replacement"),
        "minibatches/not-reproducible": variant(_minibatches, order="unseeded"),
        "minibatches/same-for-every-seed": variant(_minibatches, order="one seed"),
    }, run=_batches_view),
    "sgd_epoch": Probe([Case(_epoch_inputs)], _sgd_epoch, {
        "sgd_epoch/gradients-at-start": variant(_sgd_epoch, at_start=True),
        "sgd_epoch/full-gradient": variant(_sgd_epoch, full=True),
        "sgd_epoch/summed-batch-gradient": variant(_sgd_epoch, summed=True),
        "sgd_epoch/changes-input": variant(_sgd_epoch, in_place=True),
    }, run=keeps(0)),
    "gradient_noise": Probe([Case(_noise_inputs, trials=3)], _gradient_noise, {
        "gradient_noise/no-finite-population-factor": variant(_gradient_noise, finite=False),
        "gradient_noise/no-square-root": variant(_gradient_noise, root=False),
        "gradient_noise/entrywise-spread": variant(_gradient_noise, entrywise=True),
    }),
    "train_sgd": Probe([Case(_sgd_inputs)], _train_sgd, {
        "train_sgd/same-batches-every-epoch": variant(_train_sgd, same_batches=True),
        "train_sgd/schedule-ignored": variant(_train_sgd, rate_once=True),
        "train_sgd/start-loss-missing": variant(_train_sgd, start=False),
        # epochs counted from 1 for the schedule, and for the shuffle's seed too or not: one mistake either way
        "train_sgd/schedule-from-one": (variant(_train_sgd, from_one=True),
                                        variant(_train_sgd, from_one=True, seeds_from_one=True)),
    }, uses=("sgd_epoch", "minibatches")),
}


ANSWERS: dict[str, Answer] = {
    "quiet_batch_size": Answer(("quiet_batch_size",), {
        "quiet_batch_size/last-above-level": _one_short,
        "quiet_batch_size/no-finite-population-factor": _without_factor,
    }),
}
