"""A saddle point, drawn, with plain descent and momentum leaving it. Used in 08_optimizers.

``f(x, y) = x**2 + y**4 / 4 - y**2 / 2`` has zero gradient at the origin, curvature +2 along
``x`` and -1 along ``y``: a saddle. Its minima are at ``(0, 1)`` and ``(0, -1)``. From a start
just off the ridge, ``y`` grows by the factor ``1 + rate`` per step under plain descent
(while ``|y|`` is small), and faster with momentum.
"""
from __future__ import annotations

import numpy as np

from .functions import Objective
from .optim_demos import heavy_ball_paths
from .plots import SURFACE_CMAP, label, series_style


def saddle() -> Objective:
    """``x**2 + y**4 / 4 - y**2 / 2`` on points of shape ``(..., 2)``; a saddle at the origin."""

    def value(w):
        w = np.asarray(w, dtype=float)
        x, y = w[..., 0], w[..., 1]
        return x ** 2 + y ** 4 / 4 - y ** 2 / 2

    def grad(w):
        w = np.asarray(w, dtype=float)
        return np.stack([2 * w[..., 0], w[..., 1] ** 3 - w[..., 1]], axis=-1)

    def hess(w):
        w = np.asarray(w, dtype=float)
        return np.array([[2.0, 0.0], [0.0, 3 * w[..., 1] ** 2 - 1]])

    return Objective(name="x^2 + y^4/4 - y^2/2", value=value, grad=grad, hess=hess, minimum=np.array([0.0, 1.0]))


def steps_to_leave(path, radius: float = 0.5) -> int:
    """The first step at which a path is farther than ``radius`` from the ridge ``y = 0`` (-1: never)."""
    far = np.flatnonzero(np.abs(np.asarray(path)[:, 1]) > radius)
    return int(far[0]) if far.size else -1


def draw_saddle(fig, runs: dict, *, start=(1.5, 1e-3), n_steps: int = 60) -> dict:
    """Left: the surface in 3-D. Right: contours with heavy-ball paths; ``runs`` maps a label to
    ``(rate, beta)``. Returns ``{label: path}``."""
    f = saddle()
    xs, ys = np.linspace(-1.6, 1.6, 80), np.linspace(-1.6, 1.6, 80)
    X, Y = np.meshgrid(xs, ys)
    Z = f(np.stack([X, Y], axis=-1))
    ax3 = fig.add_subplot(1, 2, 1, projection="3d")
    ax3.plot_surface(X, Y, Z, cmap=SURFACE_CMAP, linewidth=0, alpha=0.85)
    ax3.scatter([0], [0], [0], color="k", s=30)
    ax3.set_title("A saddle at the origin: up along x, down along y")
    ax3.set_xlabel("x")
    ax3.set_ylabel("y")
    ax3.view_init(elev=28, azim=-60)
    ax = fig.add_subplot(1, 2, 2)
    ax.contour(X, Y, Z, levels=np.linspace(-0.25, 2.5, 15), cmap=SURFACE_CMAP, linewidths=0.8)
    paths = {}
    settings = np.array(list(runs.values()), dtype=float)
    for i, (name, path) in enumerate(zip(runs, heavy_ball_paths(f.grad, start, settings, n_steps))):
        paths[name] = path
        left = steps_to_leave(path)
        ax.plot(path[:, 0], path[:, 1], ms=3, lw=1.2, **series_style(i),
                label=f"{name}: |y| > 0.5 after {left} steps" if left >= 0 else f"{name}: still on the ridge")
    ax.plot([0], [0], "kx", ms=10, mew=2, label="saddle point (gradient 0)")
    ax.plot([0, 0], [-1, 1], "k*", ms=12, label="minima at (0, ±1)")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal", adjustable="box")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8)
    fig.subplots_adjust(bottom=0.3)
    label(ax, f"From ({start[0]:g}, {start[1]:g}): leaving the saddle", "x", "y")
    return paths


__all__ = ["saddle", "steps_to_leave", "draw_saddle"]
