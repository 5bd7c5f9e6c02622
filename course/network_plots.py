"""Decision regions of a classifier in the plane. Used in 06_backprop.

A straight line cannot separate XOR-like data; a network with one hidden layer bends
its boundary. :func:`decision_regions` shades the probability the model gives to
class 1 over a grid and draws the ``p = 0.5`` curve: the boundary the model learned.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .boundary_plots import scatter_classes
from .plots import PALETTE, label

#: Shading levels for p; the map is ColorBrewer PuOr (colour-blind safe): purple near 0, orange near 1.
PROBABILITY_LEVELS = np.linspace(0.0, 1.0, 11)


def probability_grid(predict: Callable, xlim, ylim, n_grid: int = 150):
    """``(xs, ys, P)``: ``predict`` (an ``(m, 2)`` array of points -> ``m`` probabilities) on a grid."""
    xs = np.linspace(*xlim, n_grid)
    ys = np.linspace(*ylim, n_grid)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    P = np.asarray(predict(points), dtype=float).reshape(gx.shape)
    return xs, ys, P


def decision_regions(ax, predict: Callable, X, y, *, title: str = "Decision regions",
                     margin: float = 0.3, n_grid: int = 150) -> np.ndarray:
    """Shade ``predict``'s probability of class 1, draw its 0.5 contour, scatter the data.

    Returns the grid of probabilities (handy to print its range beside the picture).
    """
    X = np.asarray(X, dtype=float)
    xlim = (X[:, 0].min() - margin, X[:, 0].max() + margin)
    ylim = (X[:, 1].min() - margin, X[:, 1].max() + margin)
    xs, ys, P = probability_grid(predict, xlim, ylim, n_grid)
    shade = ax.contourf(xs, ys, P, levels=PROBABILITY_LEVELS, cmap="PuOr_r", alpha=0.45, vmin=0, vmax=1)
    ax.contour(xs, ys, P, levels=[0.5], colors=[PALETTE["black"]], linewidths=2)
    ax.figure.colorbar(shade, ax=ax, label="p(class 1)", shrink=0.85)
    scatter_classes(ax, X, y)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    label(ax, title, "feature 1", "feature 2")
    ax.legend(loc="upper right", fontsize=8)
    return P


def accuracy(p, y) -> float:
    """Share of samples where ``p > 0.5`` agrees with the label ``y``."""
    return float(np.mean((np.asarray(p, dtype=float).ravel() > 0.5) == (np.asarray(y).ravel() == 1)))
