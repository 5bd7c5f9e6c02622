"""The pictures of 03, 06 and 08: the mathematics they draw is right, and they draw."""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from course.data import xor
from course.functions import quartic
from course.graph_plots import draw_computation_graph, draw_symmetry, symmetry_runs
from course.momentum_map import convergence_factor, draw_momentum_map
from course.network_init import init_two_layer
from course.newton_plots import draw_newton_model, newton_target, taylor_model
from course.optim_demos import heavy_ball_paths
from course.saddle_plots import draw_saddle, saddle, steps_to_leave

matplotlib.use("Agg")


def test_newton_model_matches_value_slope_and_curvature_and_its_vertex_is_the_newton_step():
    """Does the drawn model agree with f to second order at x0, with Newton's x1 at its vertex?"""
    f = quartic()
    for x0 in (1.5, 0.3, -1.0):
        m = taylor_model(f, x0)
        h = 1e-4
        assert np.isclose(m(x0), f(x0))
        assert np.isclose((m(x0 + h) - m(x0 - h)) / (2 * h), f.grad(x0))
        assert np.isclose((m(x0 + h) - 2 * m(x0) + m(x0 - h)) / h ** 2, f.hess(x0), rtol=1e-5)
        x1 = newton_target(f, x0)
        assert np.isclose((m(x1 + h) - m(x1 - h)) / (2 * h), 0.0, atol=1e-8)
    # f'' < 0 at 0.3: the model's vertex is a maximum and the step climbs.
    assert f.hess(0.3) < 0 and f(newton_target(f, 0.3)) > f(0.3)
    assert f.hess(1.5) > 0 and f(newton_target(f, 1.5)) < f(1.5)


@pytest.mark.parametrize("lam, rate, beta", [(1.0, 0.1, 0.5), (50.0, 0.03, 0.9), (1.0, 0.05, 0.0),
                                             (50.0, 2 / 51, 0.0), (3.0, 0.5, 0.3), (4.0, 0.02, 0.5)])
def test_momentum_factor_is_the_decay_rate_of_the_heavy_ball(lam, rate, beta):
    """Does the map's factor equal the per-step decay of momentum on a 1-D quadratic with curvature lam?"""
    grad = lambda x: lam * x
    path = heavy_ball_paths(lambda w: np.column_stack([grad(w[:, 0]), grad(w[:, 1])]), [1.0, 0.0],
                            [(rate, beta)], 600)[0][:, 0]
    # the growth of the error over many steps, robust to the oscillation of complex roots
    norms = np.abs(path[300:]) + np.abs(np.r_[path[301:], 0.0])
    factor = (np.max(norms[-40:]) / np.max(norms[:40])) ** (1 / 260)
    assert np.isclose(factor, convergence_factor(rate * lam, beta), rtol=2e-2)


def test_momentum_stability_edge_and_theory_choice():
    """Is rate*lam = 2(1 + beta) the edge, and does the theory's choice give both directions sqrt(beta)?"""
    for beta in (0.0, 0.3, 0.9):
        assert convergence_factor(2 * (1 + beta) - 1e-6, beta) < 1 <= convergence_factor(2 * (1 + beta) + 1e-6, beta)
    root = np.sqrt(50.0)
    rate, beta = 4 / (1 + root) ** 2, ((root - 1) / (root + 1)) ** 2
    assert np.allclose(convergence_factor(np.array([rate, 50 * rate]), beta), np.sqrt(beta))
    assert np.isclose(np.sqrt(beta), (root - 1) / (root + 1))


def test_saddle_is_a_saddle_and_momentum_leaves_it_sooner():
    """Zero gradient and curvatures +2, -1 at the origin; momentum leaves before plain descent does."""
    f = saddle()
    assert np.allclose(f.grad(np.zeros(2)), 0.0) and np.allclose(f.hess(np.zeros(2)), np.diag([2.0, -1.0]))
    paths = heavy_ball_paths(f.grad, [1.5, 1e-3], [(0.1, 0.0), (0.1, 0.9)], 100)
    plain, heavy = steps_to_leave(paths[0]), steps_to_leave(paths[1])
    assert 0 < heavy < plain
    # while |y| is small plain descent multiplies y by 1 + rate per step
    assert np.isclose(paths[0][11, 1] / paths[0][10, 1], 1.1, rtol=1e-3)
    assert np.allclose(paths[1][-1], [0.0, 1.0], atol=0.05)


def _forward(params, X):
    H = np.tanh(X @ params["W1"] + params["b1"])
    p = 0.5 * (1 + np.tanh(0.5 * (H @ params["W2"] + params["b2"])))[:, 0]
    return p, {"X": X, "H": H, "p": p}


def _backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz2 = ((p - y) / len(p))[:, None]
    dZ1 = (dz2 @ params["W2"].T) * (1 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum(0)}


def test_zero_start_is_stuck_equal_start_stays_symmetric_random_start_breaks_symmetry():
    """Do the symmetry runs show what 06 says: zeros stay zero, clones stay clones, random units differ?"""
    X, y = xor(n=200, seed=0)
    start = init_two_layer(2, 4, seed=0)
    starts = {"zeros": {k: np.zeros_like(v) for k, v in start.items()},
              "equal": {k: np.full_like(v, 0.5) for k, v in start.items()}, "random": start}
    runs = symmetry_runs(_forward, _backward, X, y, starts, n_steps=50)
    assert np.all(runs["zeros"] == 0.0)
    assert np.all(np.ptp(runs["equal"], axis=2) == 0.0) and np.ptp(runs["equal"][:, 0, 0]) > 0
    assert np.ptp(runs["random"][-1], axis=1).max() > 0.1
    fig, axes = plt.subplots(1, 3)
    draw_symmetry(axes, runs)
    plt.close(fig)


def test_pictures_draw():
    """Do the Newton, saddle, momentum-map and computation-graph pictures draw without error?"""
    fig, axes = plt.subplots(1, 2)
    draw_newton_model(axes[0], quartic(), 1.5)
    draw_newton_model(axes[1], quartic(), 0.3)
    plt.close(fig)
    fig = plt.figure()
    paths = draw_saddle(fig, {"plain": (0.1, 0.0), "momentum": (0.1, 0.9)}, n_steps=100)
    assert set(paths) == {"plain", "momentum"}
    plt.close(fig)
    fig, ax = plt.subplots()
    draw_momentum_map(ax, {"plain": (2 / 51, 0.0)}, [1.0, 50.0])
    plt.close(fig)
    fig, ax = plt.subplots()
    draw_computation_graph(ax)
    plt.close(fig)
