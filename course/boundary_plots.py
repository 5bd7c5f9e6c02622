"""Two classes in the plane and a linear classifier's decision boundary. Used in 05.

A logistic model ``p = sigmoid(w . x + b)`` says "class 1" where ``p > 1/2``, that is
where ``w . x + b > 0``. Its boundary is the straight line ``w[0] x + w[1] y + b = 0``,
perpendicular to ``w``; the lines ``w . x + b = +-log(9)`` are where ``p`` is 0.9 and 0.1.
"""
from __future__ import annotations

import numpy as np

from .plots import PALETTE, label

#: One marker and one colour per class, so the classes differ without colour too.
CLASS_STYLE = {0: dict(marker="o", color=PALETTE["blue"], label="class 0"),
               1: dict(marker="^", color=PALETTE["orange"], label="class 1")}


def scatter_classes(ax, X, y, *, alpha: float = 0.7, title: str | None = None) -> None:
    """Scatter 2-D points ``X`` (shape ``(n, 2)``) coloured and shaped by label ``y`` in {0, 1}."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    for cls, style in CLASS_STYLE.items():
        pts = X[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, alpha=alpha, edgecolors="none", **style)
    ax.set_aspect("equal", adjustable="box")
    label(ax, title or "Two classes", "feature 1", "feature 2")


def boundary_line(ax, w, b, level: float = 0.0, **style):
    """Draw the line ``w . x + b = level`` across the current axes limits; return the artist.

    Returns ``None`` (and draws nothing) when ``w`` is zero: then there is no boundary.
    """
    w = np.asarray(w, dtype=float).ravel()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    if np.allclose(w, 0.0):
        return None
    if abs(w[1]) >= abs(w[0]):  # solve for feature 2
        xs = np.array([x0, x1])
        ys = (level - b - w[0] * xs) / w[1]
    else:  # nearly vertical: solve for feature 1
        ys = np.array([y0, y1])
        xs = (level - b - w[1] * ys) / w[0]
    (line,) = ax.plot(xs, ys, **style)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return line


def draw_boundary(ax, w, b, *, bands: bool = True, colour: str = PALETTE["black"], name: str = "p = 0.5") -> None:
    """The decision boundary ``p = 0.5`` and, with ``bands``, the ``p = 0.1`` and ``p = 0.9`` lines."""
    boundary_line(ax, w, b, 0.0, color=colour, lw=2, label=name)
    if bands:
        for level, text in ((-np.log(9.0), "p = 0.1"), (np.log(9.0), "p = 0.9")):
            boundary_line(ax, w, b, level, color=colour, lw=1, ls="--", alpha=0.6,
                          label=text if name == "p = 0.5" else None)


def boundary_snapshots(ax, X, y, snapshots: dict, *, title: str = "The boundary moves as training goes on") -> None:
    """Scatter the data and draw one boundary per labelled ``(w, b)`` in ``snapshots``, in order."""
    scatter_classes(ax, X, y, alpha=0.5)
    ax.autoscale_view()
    colours = [PALETTE[k] for k in ("green", "purple", "vermillion", "sky", "black")]
    for (name, (w, b)), colour in zip(snapshots.items(), colours * 3):
        boundary_line(ax, w, b, 0.0, color=colour, lw=2, label=name)
    ax.set_title(title)
    ax.legend(loc="best", fontsize=8)
