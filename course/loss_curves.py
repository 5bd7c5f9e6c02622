"""Loss against step, for runs that converge, crawl, bounce or blow up. Used in 04 and 05.

A diverging run's loss grows by orders of magnitude and ends in ``inf`` or ``nan``;
the curves are drawn on a log scale and cut where the loss stops being finite,
with a marker saying so, so that one plot can hold every kind of run.
"""
from __future__ import annotations

import numpy as np

from .plots import CYCLE, label


def residual_losses(initial_loss: float, factor: float, n_steps: int) -> np.ndarray:
    """Losses of a run whose residual is multiplied by ``factor`` at every step.

    For a squared-error loss the residual (prediction - target) scaling by ``factor``
    scales the loss by ``factor**2``: entry ``t`` is ``initial_loss * factor**(2 t)``,
    for ``t = 0, ..., n_steps``. This is the contraction factor of 03_learning_rate,
    ``1 - learning_rate * curvature``, seen through the loss.
    """
    t = np.arange(n_steps + 1)
    with np.errstate(over="ignore"):
        return initial_loss * np.abs(float(factor)) ** (2.0 * t)


def plot_loss_curves(ax, histories: dict, *, title: str = "Loss per step",
                     ylabel: str = "loss (log scale)", log: bool = True, cap: float = 1e12,
                     markers: bool = False, floor: float = 1e-16) -> None:
    """Draw one loss curve per labelled history (``{label: sequence of losses}``).

    Entries that are not finite or exceed ``cap`` are dropped; a run cut that way
    ends in an upward triangle, meaning "diverged beyond this point". On the log
    scale, losses below ``floor`` (an exact 0 included) are drawn at ``floor``.
    """
    for (name, history), colour in zip(histories.items(), CYCLE * 3):
        h = np.asarray(history, dtype=float)
        steps = np.arange(len(h))
        keep = np.isfinite(h) & (h <= cap)
        if log:
            h = np.where(keep, np.maximum(h, floor), h)
        style = "o-" if markers else "-"
        ax.plot(steps[keep], h[keep], style, color=colour, label=name, ms=3)
        if not keep.all() and keep.any():
            last = np.flatnonzero(keep)[-1]
            ax.plot(steps[last], h[last], "^", color=colour, ms=9)
    if log:
        ax.set_yscale("log")
    label(ax, title, "step", ylabel)
    ax.legend(loc="best")
