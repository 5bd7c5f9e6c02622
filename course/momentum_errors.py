"""The error along each eigen-direction, step by step: plain descent against momentum. Used in 08_optimizers.

On a quadratic bowl the coordinates along the Hessian's eigenvectors move independently, so the
error along eigen-direction ``i`` (curvature ``lam_i``) is a 1-D run of its own. Plain descent
multiplies it by ``1 - rate lam_i`` per step; momentum follows the two-term recursion of
:mod:`course.momentum_map`, whose error falls like that module's ``convergence_factor`` to the
power ``k``. The runs come from the course's one descent engine (:func:`course.descent.descend`),
on the 1-D bowls ``lam_i x**2 / 2``; nothing here is a graded exercise.
"""
from __future__ import annotations

import numpy as np

from .descent import descend
from .momentum_map import convergence_factor
from .plots import PALETTE, label

#: Errors below this are drawn at it (a log axis has no room for an exact 0).
ERROR_FLOOR = 1e-16


def errors_per_direction(eigenvalues, start_errors, learning_rate: float, beta: float, n_steps: int) -> np.ndarray:
    """``|error|`` along each eigen-direction at every step: shape ``(n_steps + 1, len(eigenvalues))``.

    Each direction is a run of its own, the heavy-ball run ``u <- beta u - rate lam x``,
    ``x <- x + u`` from ``x = start_errors[i]`` at rest (``beta = 0``: plain descent); a direction
    that diverges turns NaN without taking the others with it.
    """
    lam = np.asarray(eigenvalues, dtype=float)
    runs = descend(lambda x: lam * x, np.asarray(start_errors, dtype=float), learning_rate, n_steps,
                   beta=beta, point_ndim=0)
    return np.abs(runs)


def draw_errors_per_direction(ax, settings: dict, eigenvalues, start_errors, n_steps: int = 100) -> dict:
    """Error per eigen-direction against the step, on a log axis, for every ``{label: (rate, beta)}``.

    One colour and marker per setting, one line style per direction (solid: the first eigenvalue); each line's
    legend gives its factor per step ``rho`` from :func:`~course.momentum_map.convergence_factor`,
    the slope the line settles to. Returns ``{label: errors}`` as drawn.
    """
    colours = (PALETTE["vermillion"], PALETTE["blue"], PALETTE["orange"], PALETTE["purple"])
    markers = ("s", "o", "^", "D")  # a setting differs from the next in its marker too, not in colour alone
    dashes = ("-", "--", "-.", ":")
    lam = np.asarray(eigenvalues, dtype=float)
    e0 = np.abs(np.asarray(start_errors, dtype=float))
    steps = np.arange(n_steps + 1)
    drawn = {}
    for (name, (rate, beta)), colour, marker in zip(settings.items(), colours, markers):
        errors = errors_per_direction(lam, e0, rate, beta, n_steps)
        drawn[name] = errors
        for i, (curvature, dash) in enumerate(zip(lam, dashes)):
            rho = float(convergence_factor(rate * curvature, beta))
            ax.plot(steps, np.maximum(errors[:, i], ERROR_FLOOR), color=colour, linestyle=dash, lw=1.8,
                    marker=marker, markevery=10, ms=5, label=f"{name}, λ = {curvature:g}: ×{rho:.3f} per step")
    ax.set_yscale("log")
    ax.set_ylim(max(ERROR_FLOOR, 1e-13), 10 * e0.max())
    ax.legend(loc="lower left", fontsize=8)
    label(ax, "Error per eigen-direction: plain descent crawls, momentum falls fast in both",
          "step k", "|error along the eigen-direction| (log scale)")
    return drawn


__all__ = ["ERROR_FLOOR", "errors_per_direction", "draw_errors_per_direction"]
