"""The derivations the notebooks now ask for, checked numerically (02's Taylor argument, 04's step
count, 05's descent lemma, 03's Newton step off the hump, 07's finite-population correction)."""
from __future__ import annotations

from itertools import combinations

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


def test_newton_step_from_the_hump_of_03_lands_near_not_on_its_top():
    """On x^4 - 3x^2 + x from 0.3, does Newton's step reach x = 0.159, near the hump's top at 0.170, and climb?"""
    f = lambda x: x ** 4 - 3 * x ** 2 + x
    slope = lambda x: 4 * x ** 3 - 6 * x + 1
    curvature = lambda x: 12 * x ** 2 - 6
    step = 0.3 - slope(0.3) / curvature(0.3)
    top = min(np.roots([4.0, 0.0, -6.0, 1.0]), key=lambda r: abs(r - 0.3)).real
    assert round(step, 3) == 0.159 and round(top, 3) == 0.170
    assert curvature(top) < 0 and f(step) > f(0.3)


def test_covariance_of_two_distinct_draws_in_07():
    """Without replacement: is Cov of two distinct draws -s^2/(n-1), and the mean's variance s^2/b (n-b)/(n-1)?"""
    values = np.array([0.3, -1.2, 2.5, 0.7, -0.4])
    n = len(values)
    spread = np.mean((values - values.mean()) ** 2)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    covariance = np.mean([(values[i] - values.mean()) * (values[j] - values.mean()) for i, j in pairs])
    assert np.isclose(covariance, -spread / (n - 1))
    for b in range(1, n + 1):
        means = [values[list(batch)].mean() for batch in combinations(range(n), b)]
        assert np.isclose(np.mean((np.array(means) - values.mean()) ** 2), spread / b * (n - b) / (n - 1))


def test_worked_one_weight_case_of_04():
    """04's worked case (x = 2, w = 1, t = 3): is dL/dw = -4, and are L(1.001), L(0.999) the numbers the text gives?"""
    L = lambda w: (2.0 * w - 3.0) ** 2
    assert np.isclose(L(1.001), 0.996004) and np.isclose(L(0.999), 1.004004)
    assert np.isclose((L(1.001) - L(0.999)) / 0.002, -4.0)
    assert np.isclose(2 * (2.0 - 3.0) * 2.0, -4.0)  # the chain rule: 2 (p - t) x


def test_two_entries_of_04s_gradient_that_the_text_gives():
    """At W1_init, are the centred differences of 04's loss 6.5 at entry [0, 0] and 12.0 at entry [3, 3]?"""
    from course.gradcheck import numerical_gradient
    x, target, W = data.matrix_exercise()
    numeric = numerical_gradient(lambda V: np.mean((x @ V - target) ** 2), W)
    assert np.isclose(numeric[0, 0], 6.5, atol=1e-6) and np.isclose(numeric[3, 3], 12.0, atol=1e-6)


def test_curvature_15_of_04_from_the_loss():
    """Is 15 the curvature of 04's loss along the direction the steps move (the number section 5 states)?"""
    x, target, W = data.matrix_exercise()
    loss = lambda V: np.mean((x @ V - target) ** 2)
    direction = np.outer(x, x @ W - target)
    direction /= np.linalg.norm(direction)
    h = 1e-3
    assert np.isclose((loss(W + h * direction) - 2 * loss(W) + loss(W - h * direction)) / h**2, 15.0, rtol=1e-6)


def test_worked_one_sample_case_of_05():
    """05's worked case (x = 2, y = 1, w = b = 0): are the losses 0.6921477 and 0.6941477, dl/dw = -1, dl/db = -1/2?"""
    ell = lambda w, b=0.0: np.logaddexp(0.0, -(2.0 * w + b))  # -log sigmoid(2w + b)
    assert round(ell(0.001), 7) == 0.6921477 and round(ell(-0.001), 7) == 0.6941477
    assert np.isclose((ell(0.001) - ell(-0.001)) / 0.002, -1.0, atol=1e-6)
    assert np.isclose((ell(0.0, 0.001) - ell(0.0, -0.001)) / 0.002, -0.5, atol=1e-6)
