"""The helpers of 06_backprop: seeded starting weights, decision-region plots, and the data."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np

from course.data import xor
from course.gradcheck import numerical_gradient, relative_error
from course.network_init import init_two_layer
from course.network_plots import accuracy, decision_regions, probability_grid
from course.plots import new_figure


def test_init_shapes_seed_and_scale():
    """Does init_two_layer give the notebook's shapes, zero biases, the same numbers for the same seed,
    and weights of variance about 1 / fan_in?"""
    p = init_two_layer(3, 400, seed=4)
    assert {k: v.shape for k, v in p.items()} == {"W1": (3, 400), "b1": (400,), "W2": (400, 1), "b2": (1,)}
    assert np.all(p["b1"] == 0) and np.all(p["b2"] == 0)
    q = init_two_layer(3, 400, seed=4)
    assert all(np.array_equal(p[k], q[k]) for k in p)
    assert not np.array_equal(p["W1"], init_two_layer(3, 400, seed=5)["W1"])
    assert np.isclose(p["W1"].var(), 1 / 3, rtol=0.15)
    assert np.isclose(p["W2"].var(), 1 / 400, rtol=0.2)


def test_hidden_units_start_different():
    """Do the hidden units start with different weights (otherwise they would stay identical forever)?"""
    W1 = init_two_layer(2, 8, seed=0)["W1"]
    assert len({tuple(np.round(col, 12)) for col in W1.T}) == 8


def test_xor_is_not_linearly_separable_but_the_notebook_network_learns_it():
    """Does the best logistic line stay near chance on XOR, while the two-layer net of 06 (written here
    from its formulas, gradient checked) gets its loss below 0.2 in 1000 steps at rate 1?"""
    X, y = xor(n=200, seed=0)

    def net(P, X):
        H = np.tanh(X @ P["W1"] + P["b1"])
        return 0.5 * (1 + np.tanh(0.5 * (H @ P["W2"] + P["b2"])[:, 0])), H

    def loss(P):
        p = np.clip(net(P, X)[0], 1e-12, 1 - 1e-12)
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    def grads(P):
        p, H = net(P, X)
        dz = ((p - y) / len(y))[:, None]
        dZ1 = (dz @ P["W2"].T) * (1 - H ** 2)
        return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz, "b2": dz.sum(0)}

    P = init_two_layer(2, 8, seed=0)
    g = grads(P)
    for k in P:
        num = numerical_gradient(lambda w, k=k: loss({**P, k: w}), P[k])
        assert relative_error(g[k], num) < 1e-7, k
    for _ in range(1000):
        g = grads(P)
        P = {k: P[k] - 1.0 * g[k] for k in P}
    assert loss(P) < 0.2
    # a linear model: logistic regression by plain descent
    w, b = np.zeros(2), 0.0
    for _ in range(2000):
        p = 0.5 * (1 + np.tanh(0.5 * (X @ w + b)))
        w, b = w - 1.0 * X.T @ (p - y) / len(y), b - 1.0 * np.mean(p - y)
    p = 0.5 * (1 + np.tanh(0.5 * (X @ w + b)))
    assert -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) > 0.6
    assert accuracy(p, y) < 0.7


def test_probability_grid_evaluates_the_model_everywhere():
    """Does probability_grid evaluate predict on every grid point, row by row in y?"""
    xs, ys, P = probability_grid(lambda pts: (pts[:, 0] > pts[:, 1]).astype(float), (-1, 1), (-1, 1), n_grid=5)
    assert P.shape == (5, 5)
    assert np.array_equal(P, (xs[None, :] > ys[:, None]).astype(float))


def test_decision_regions_draws_the_boundary():
    """Does decision_regions return the probabilities it shaded and label its axes?"""
    X, y = xor(n=50, seed=2)
    fig, ax = new_figure()
    P = decision_regions(ax, lambda pts: 0.5 * (1 + np.tanh(pts[:, 0] * pts[:, 1] * 5)), X, y, n_grid=40)
    assert P.shape == (40, 40) and 0 <= P.min() < 0.5 < P.max() <= 1
    assert ax.get_xlabel() == "feature 1" and ax.get_title() == "Decision regions"


def test_accuracy():
    """Is accuracy the share of p > 0.5 that agree with the labels?"""
    assert accuracy([0.9, 0.2, 0.6, 0.4], [1, 0, 0, 0]) == 0.75
