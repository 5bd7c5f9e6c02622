"""The derivations the notebooks now ask for, checked numerically (02's Taylor argument, 04's step
count, 05's descent lemma)."""
from __future__ import annotations

import numpy as np

from course import data


def test_second_order_change_is_exact_on_the_parabola():
    """For (x - 3)^2, is f(x - rate f') - f(x) = -rate f'^2 (1 - rate f''/2) exactly, 0 at rate 2/f''?"""
    f = lambda x: (x - 3.0) ** 2
    for x in (1.0, -2.5, 7.0):
        slope = 2 * (x - 3.0)
        for rate in (0.05, 0.5, 1.0, 1.2):
            assert np.isclose(f(x - rate * slope) - f(x), -rate * slope ** 2 * (1 - 0.5 * rate * 2.0))
        assert np.isclose(f(x - 1.0 * slope), f(x))        # rate 2/f'' = 1: no decrease
        assert np.isclose(f(x - 0.5 * slope), 0.0)         # rate 1/f'' = 0.5: lands on the minimum


def test_step_count_of_04_from_the_contraction_factor():
    """At rate 0.01 is 15 the smallest step count with 125.25 * 0.85^(2t) below 1.30, as solving the log gives?"""
    t = np.log(1.30 / 125.25) / (2 * np.log(0.85))
    assert int(np.ceil(t)) == 15
    x, target, W = data.matrix_exercise()
    losses = []
    for _ in range(15):
        W = W - 0.01 * 0.5 * np.outer(x, x @ W - target)
        losses.append(np.mean((x @ W - target) ** 2))
    assert losses[-1] < 1.30 <= losses[-2]


def test_descent_lemma_on_the_logistic_loss_of_05():
    """Below 2/M (M the curvature bound of 05) does every step lower the log loss, by the lemma's margin?"""
    X, y = data.two_clouds(n=200, separation=2.0, seed=0)
    Xa = np.column_stack([X, np.ones(len(y))])
    M = 0.25 * np.linalg.eigvalsh(Xa.T @ Xa / len(y)).max()
    loss = lambda th: np.mean(np.logaddexp(0.0, Xa @ th) - y * (Xa @ th))
    grad = lambda th: Xa.T @ (1 / (1 + np.exp(-(Xa @ th))) - y) / len(y)
    rng = np.random.default_rng(0)
    for rate in (0.5 / M, 1.0 / M, 1.9 / M):
        th = rng.normal(scale=3.0, size=3)
        for _ in range(50):
            g = grad(th)
            new = th - rate * g
            assert loss(new) <= loss(th) - rate * (1 - M * rate / 2) * g @ g + 1e-12
            th = new
