"""The grader's probes of 06_backprop (backward, forward, train_network).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/backprop.py``. The visible checks of
the same exercises are ``course/checks/backprop.py``.
"""
from __future__ import annotations

import numpy as np

from ...network_init import init_two_layer
from .core import Case, Probe, floats, stable_sigmoid, variant


def _network(rng) -> tuple:
    n, d, h = int(rng.integers(4, 8)), 2, 3
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h), "W2": rng.normal(size=(h, 1)),
              "b2": rng.normal(size=1)}
    X = rng.normal(size=(n, d))
    H = np.tanh(X @ params["W1"] + params["b1"])
    p = stable_sigmoid(H @ params["W2"] + params["b2"])[:, 0]
    return params, {"X": X, "H": H, "p": p}, (rng.random(n) < 0.5).astype(float)


def _backward(params, cache, y, *, sign=1.0, mean=True, derivative=True, flat=False):
    X, H, p = floats(cache["X"]), floats(cache["H"]), floats(cache["p"])
    dz2 = (sign * (p - floats(y)) / (len(p) if mean else 1))[:, None]
    dZ1 = (dz2 @ floats(params["W2"]).T) * ((1.0 - H ** 2) if derivative else 1.0)
    grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dz2, "b2": dz2.sum(axis=0)}
    if flat:
        grads["W2"], grads["b2"] = grads["W2"][:, 0], float(grads["b2"][0])
    return grads


def _layers(rng) -> tuple:
    n, d, h = int(rng.integers(3, 8)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h), "W2": rng.normal(size=(h, 1)),
              "b2": rng.normal(size=1)}
    return params, rng.normal(size=(n, d))


def _forward(params, X, *, hidden=np.tanh, output=True, column=False, bias=True):
    X = floats(X)
    H = hidden(X @ floats(params["W1"]) + (floats(params["b1"]) if bias else 0.0))
    z = H @ floats(params["W2"]) + floats(params["b2"])
    p = stable_sigmoid(z) if output else z
    p = p if column else p[:, 0]
    return p, {"X": X, "H": H, "p": p}


def _forward_view(fn, args) -> tuple:
    """p and the cache's X, H and p (a cache may hold more)."""
    p, cache = fn(*args)
    return p, cache["X"], cache["H"], cache["p"]


def _mean_log_loss(p, y, eps=1e-12):
    p = np.clip(floats(p), eps, 1 - eps)
    return float(-np.mean(floats(y) * np.log(p) + (1 - floats(y)) * np.log(1 - p)))


def _network_training(rng):
    X = rng.normal(size=(int(rng.integers(8, 13)), 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float), 3, float(rng.uniform(0.3, 1.0)), 3, int(rng.integers(2**31))


def _train_network(X, y, hidden, learning_rate, n_steps, seed, *, forward, backward, ascent=False, late=False,
                   biases=True, zeros=False):
    d = np.shape(X)[1]
    params = {"W1": np.zeros((d, hidden)), "b1": np.zeros(hidden), "W2": np.zeros((hidden, 1)), "b2": np.zeros(1)} \
        if zeros else init_two_layer(d, hidden, seed)
    sign = 1.0 if ascent else -1.0
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        if not late:
            losses.append(_mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params = {k: v + sign * learning_rate * floats(grads[k]) if biases or k.startswith("W") else v
                  for k, v in params.items()}
        if late:
            losses.append(_mean_log_loss(forward(params, X)[0], y))
    return params, np.array(losses)


PROBES: dict[str, Probe] = {
    "backward": Probe([Case(_network, trials=3)], _backward, {
        "backward/no-activation-derivative": variant(_backward, derivative=False),
        "backward/sum-not-mean": variant(_backward, mean=False),
        "backward/sign-flipped": variant(_backward, sign=-1.0),
        "backward/flat-output-gradients": variant(_backward, flat=True),
    }),
    "forward": Probe([Case(_layers, trials=3)], _forward, {
        "forward/sigmoid-hidden": variant(_forward, hidden=stable_sigmoid),
        "forward/scores-not-probabilities": variant(_forward, output=False),
        "forward/column-output": variant(_forward, column=True),
        "forward/hidden-bias-missing": variant(_forward, bias=False),
    }, run=_forward_view),
    "train_network": Probe([Case(_network_training)], _train_network, {
        "train_network/ascent": variant(_train_network, ascent=True),
        "train_network/losses-one-step-late": variant(_train_network, late=True),
        "train_network/biases-frozen": variant(_train_network, biases=False),
        "train_network/zero-start": variant(_train_network, zeros=True),
    }, uses=("forward", "backward")),
}
