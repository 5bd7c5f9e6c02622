"""Seeded synthetic data sets: the same numbers on every machine, so plots and checks agree."""
from __future__ import annotations

import numpy as np


def neuron_samples(n: int = 20, w: float = 1.5, b: float = -0.5, noise: float = 0.05, seed: int = 0):
    """Inputs ``x`` and targets ``t`` for one sigmoid neuron ``t ~ sigmoid(w x + b)`` plus noise.

    Used in 01_loss_functions to draw the MSE of a neuron as a surface over ``(w, b)``.
    """
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3.0, 3.0, n))
    t = 1.0 / (1.0 + np.exp(-(w * x + b))) + noise * rng.standard_normal(n)
    return x, np.clip(t, 0.0, 1.0)


def matrix_exercise():
    """The data of 04_matrix_weights: ``x``, ``target`` and the starting ``W1`` (four equal rows).

    ``x @ W1`` is ``[15, 13, 18, 11]`` and the mean squared error starts at 125.25.
    These numbers are chosen, not random.
    """
    x = np.array([1.0, 2.0, 3.0, 4.0])
    target = np.array([2.0, 3.0, 4.0, 5.0])
    W1 = np.tile([1.5, 1.3, 1.8, 1.1], (4, 1))
    return x, target, W1


def two_clouds(n: int = 200, separation: float = 2.0, seed: int = 0):
    """Two overlapping Gaussian clouds in 2-D: ``X`` of shape ``(n, 2)``, labels ``y`` in {0, 1}."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.5).astype(float)
    centers = np.where(y[:, None] == 1.0, separation / 2, -separation / 2) * np.array([1.0, 0.6])
    X = centers + rng.standard_normal((n, 2))
    return X, y


def xor(n: int = 200, noise: float = 0.25, seed: int = 0):
    """XOR-like data: label 1 where ``x1 * x2 > 0``. No straight line separates the classes."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    X = X + noise * rng.standard_normal((n, 2)) * 0.3
    return X, y


def train_test_split(X, y, test_fraction: float = 0.25, seed: int = 0):
    """Shuffle with ``seed`` and split into ``(X_train, y_train, X_test, y_test)``."""
    X, y = np.asarray(X), np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def linear_regression(n: int = 600, noise: float = 1.0, seed: int = 0):
    """A noisy straight-line relation in 2-D: ``X`` of shape ``(n, 2)``, targets ``y`` of shape ``(n,)``.

    The features are standard normal with correlation 0.5; ``y = X @ [2, -1] + noise * e`` with
    ``e`` standard normal. The noise means no weights fit every sample: at the best weights the
    per-sample gradients still point in different directions. Used in 07_stochastic_descent.
    """
    rng = np.random.default_rng(seed)
    mix = np.linalg.cholesky(np.array([[1.0, 0.5], [0.5, 1.0]]))
    X = rng.standard_normal((n, 2)) @ mix.T
    y = X @ np.array([2.0, -1.0]) + noise * rng.standard_normal(n)
    return X, y
