"""Visible checks accept what the hidden tests accept: a pair returned as a list is still a pair."""
from __future__ import annotations

import numpy as np

from course import check


def _as_list(fn):
    return lambda *args, **kwargs: list(fn(*args, **kwargs))


def test_train_of_04_may_return_a_list(capsys):
    """Does 04's visible train check accept [W, history], as the hidden test does?"""
    def loss(x, W, t):
        return float(np.mean((np.asarray(x) @ W - t) ** 2))

    def train(x, W, target, learning_rate, n_steps):
        x, W = np.asarray(x, dtype=float), np.array(W, dtype=float)
        history = [loss(x, W, target)]
        for _ in range(n_steps):
            W = W - learning_rate * 2 / len(target) * np.outer(x, x @ W - target)
            history.append(loss(x, W, target))
        return W, history

    check.verify("train", _as_list(train))
    assert "public checks passed" in capsys.readouterr().out


def test_momentum_step_of_06_may_return_a_list(capsys):
    """Does 08's visible momentum check accept [params, state], as the hidden test's unpacking does?"""
    def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
        v = np.zeros_like(np.asarray(params, dtype=float)) if state is None else state["v"]
        v = beta * v + grad
        return params - learning_rate * v, {"v": v}

    check.verify("momentum_step", _as_list(momentum_step))
    assert "public checks passed" in capsys.readouterr().out
