"""Newton's local quadratic model, drawn. Used in 03_learning_rate.

At ``x0`` Newton's method replaces ``f`` by the parabola with the same value, slope and
curvature (the second-order Taylor model) and jumps to that parabola's vertex. Where
``f''(x0) > 0`` the vertex is the model's minimum; where ``f''(x0) < 0`` the model opens
downwards and its vertex is a maximum, so the step goes uphill.
"""
from __future__ import annotations

import numpy as np

from .functions import Objective
from .plots import PALETTE, label


def taylor_model(objective: Objective, x0: float):
    """The second-order model ``m(x) = f(x0) + f'(x0) (x - x0) + f''(x0) (x - x0)**2 / 2`` as a function."""
    f0, g0, h0 = (float(objective(x0)), float(objective.grad(x0)), float(objective.hess(x0)))
    return lambda x: f0 + g0 * (np.asarray(x) - x0) + 0.5 * h0 * (np.asarray(x) - x0) ** 2


def newton_target(objective: Objective, x0: float) -> float:
    """The vertex of the model: ``x0 - f'(x0) / f''(x0)`` (Newton's next iterate)."""
    return float(x0 - objective.grad(x0) / objective.hess(x0))


def draw_newton_model(ax, objective: Objective, x0: float, xlim=(-2.0, 2.0), ylim=(-4.5, 4.0)) -> float:
    """Draw ``f``, its quadratic model at ``x0`` and the jump to the model's vertex; return the vertex."""
    xs = np.linspace(*xlim, 400)
    model = taylor_model(objective, x0)
    x1 = newton_target(objective, x0)
    curvature = float(objective.hess(x0))
    ax.plot(xs, objective(xs), color=PALETTE["blue"], label=f"f(x) = {objective.name}")
    kind = "minimum" if curvature > 0 else "maximum"
    ax.plot(xs, model(xs), "--", color=PALETTE["orange"],
            label=f"quadratic model at x0 = {x0:g} (f'' = {curvature:+.2f})")
    ax.plot([x0], [objective(x0)], "s", color=PALETTE["black"], ms=7, label="x0")
    ax.plot([x1], [model(x1)], "*", color=PALETTE["orange"], ms=13, mec="k", label=f"model's vertex: its {kind}")
    ax.annotate("", xy=(x1, float(objective(x1))), xytext=(x0, float(objective(x0))),
                arrowprops=dict(arrowstyle="->", color=PALETTE["vermillion"], lw=1.5))
    ax.plot([x1], [objective(x1)], "o", color=PALETTE["vermillion"], ms=6, label=f"Newton's x1 = {x1:.3f}")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.legend(loc="upper center", fontsize=8)
    direction = "downhill" if objective(x1) < objective(x0) else "uphill"
    label(ax, f"From x0 = {x0:g}: the step goes {direction}", "x", "f(x)")
    return x1


__all__ = ["taylor_model", "newton_target", "draw_newton_model"]
