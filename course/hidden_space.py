"""The data as the hidden layer sees it: what a hidden layer adds, drawn. Used in 06_backprop.

A network with a ``tanh`` hidden layer of two units first maps each input ``x`` to the point
``H = (tanh(x . w_1 + c_1), tanh(x . w_2 + c_2))`` of the square ``[-1, 1]^2``, then runs a
logistic regression on ``H``: its output says "class 1" where ``W2 . H + b2 > 0``, on one side of
a straight line in the ``(H1, H2)`` plane. XOR cannot be split by a line in the input plane,
but after the hidden layer bends and squashes the plane it can.

:func:`draw_hidden_layer` takes the hidden activations from a function (the notebook passes its
own ``forward``), so nothing here computes the network: it draws each unit's activation over the
input plane, the data moved to their hidden activations, and the output unit's line there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .boundary_plots import boundary_line, scatter_classes
from .figure_text import describe
from .plots import PALETTE, label

#: A diverging, colour-blind-safe map for activations in [-1, 1]: purple below 0, orange above.
ACTIVATION_CMAP = "PuOr_r"


@dataclass
class HiddenPicture:
    """What :func:`draw_hidden_layer` drew: the data's hidden activations ``H``, the output line's
    two ends, and each point's output score ``W2 . H + b2`` (positive: class 1)."""

    H: np.ndarray
    line: np.ndarray
    score: np.ndarray


def unit_grid(hidden_of: Callable, xlim, ylim, n_grid: int = 120):
    """``(xs, ys, A)``: every hidden unit's activation on a grid, ``A`` of shape ``(units, n_grid, n_grid)``."""
    xs, ys = np.linspace(*xlim, n_grid), np.linspace(*ylim, n_grid)
    gx, gy = np.meshgrid(xs, ys)
    A = np.asarray(hidden_of(np.column_stack([gx.ravel(), gy.ravel()])), dtype=float)
    return xs, ys, A.T.reshape(A.shape[1], n_grid, n_grid)


def draw_hidden_layer(axes, hidden_of: Callable, W2, b2, X, y, *, margin: float = 0.2) -> HiddenPicture:
    """Three panels on ``axes``: hidden units 1 and 2 over the input plane, then the data at ``(H1, H2)``.

    ``hidden_of(points)`` gives the hidden activations of an ``(m, 2)`` array of inputs (shape
    ``(m, 2)``: two units); ``W2`` (shape ``(2, 1)``) and ``b2`` are the output unit's weights, whose
    line ``W2 . H + b2 = 0`` (probability 0.5) is drawn in the last panel.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w, b = np.asarray(W2, dtype=float).ravel(), float(np.asarray(b2, dtype=float).ravel()[0])
    xlim = (X[:, 0].min() - margin, X[:, 0].max() + margin)
    ylim = (X[:, 1].min() - margin, X[:, 1].max() + margin)
    xs, ys, A = unit_grid(hidden_of, xlim, ylim)
    for j, ax in enumerate(axes[:2]):
        shade = ax.contourf(xs, ys, A[j], levels=np.linspace(-1, 1, 11), cmap=ACTIVATION_CMAP, vmin=-1, vmax=1,
                            alpha=0.6)
        ax.contour(xs, ys, A[j], levels=[0.0], colors=[PALETTE["black"]], linewidths=1.5)
        scatter_classes(ax, X, y, alpha=0.8)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        label(ax, f"Hidden unit {j + 1} over the input plane", "feature 1", "feature 2")
        ax.figure.colorbar(shade, ax=ax, label=f"H{j + 1} (black line: 0)", shrink=0.75, ticks=[-1, -0.5, 0, 0.5, 1])
    H = np.asarray(hidden_of(X), dtype=float)
    ax = axes[2]
    scatter_classes(ax, H, y, alpha=0.8)
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    drawn = boundary_line(ax, w, b, 0.0, color=PALETTE["black"], lw=2, label="output unit: p = 0.5")
    line = np.column_stack(drawn.get_data()) if drawn is not None else np.zeros((0, 2))
    ax.legend(loc="center left", fontsize=8, frameon=True, framealpha=0.9)
    label(ax, "Hidden space: a straight line separates XOR", "H1 (hidden unit 1)", "H2 (hidden unit 2)")
    score = H @ w + b
    right = int(np.sum((score > 0) == (y == 1)))
    describe(ax.figure, (
        "Three panels. Panels 1 and 2: the activation of hidden unit 1 and of hidden unit 2 over the input plane, "
        "from -1 (purple) to +1 (orange), each changing across its own straight line (drawn black, where it is 0), "
        "with the XOR data on top. Panel 3: every point moved to its two hidden activations (H1, H2); there the "
        f"output unit's straight line W2·H + b2 = 0 puts {right} of {len(y)} points on their own class's side, "
        "although no straight line separates them in the input plane."))
    return HiddenPicture(H, line, score)


__all__ = ["ACTIVATION_CMAP", "HiddenPicture", "unit_grid", "draw_hidden_layer"]
