"""Loss against step, for runs that converge, crawl, bounce or blow up. Used in 04 and 05.

A diverging run's loss grows by orders of magnitude and ends in ``inf`` or ``nan``;
the curves are drawn on a log scale and cut where the loss stops being finite,
with a marker saying so, so that one plot can hold every kind of run.
"""
from __future__ import annotations

import numpy as np

from .plots import label, series_style


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


#: A loss axis's range on a log scale: losses below the floor (an exact 0 too) are drawn on it;
#: a curve above the top leaves the picture, so it is cut there and ends in a triangle.
LOSS_FLOOR, LOSS_TOP = 1e-16, 1e12


def visible_losses(history, *, cap: float = LOSS_TOP, floor: "float | None" = LOSS_FLOOR):
    """What a loss curve draws: ``(steps, losses, cut)``.

    Entries that are not finite or exceed ``cap`` are dropped, the others raised to ``floor``
    (``None``: left as they are, for a linear axis). ``cut`` is ``(step, loss)`` of the last
    entry drawn when entries after it were dropped (where the triangle goes), else ``None``.
    """
    h = np.asarray(history, dtype=float)
    steps = np.arange(len(h))
    keep = np.isfinite(h) & (h <= cap)
    shown = h[keep] if floor is None else np.maximum(h[keep], floor)
    cut = None
    if not keep.all() and keep.any():
        cut = (steps[keep][-1], shown[-1])
    return steps[keep], shown, cut


def plot_loss_curves(ax, histories: dict, *, title: str = "Loss per step",
                     ylabel: str = "loss (log scale)", log: bool = True, cap: float = LOSS_TOP,
                     markers: bool = False, floor: float = LOSS_FLOOR) -> None:
    """Draw one loss curve per labelled history (``{label: sequence of losses}``).

    Entries that are not finite or exceed ``cap`` are dropped; a run cut that way
    ends in an upward triangle, meaning "diverged beyond this point". On the log
    scale, losses below ``floor`` (an exact 0 included) are drawn at ``floor``.
    """
    for i, (name, history) in enumerate(histories.items()):
        steps, shown, cut = visible_losses(history, cap=cap, floor=floor if log else None)
        style = series_style(i, marker=markers)
        ax.plot(steps, shown, label=name, ms=3, **style)
        if cut is not None:
            ax.plot(*cut, "^", color=style["color"], ms=9)
    if log:
        ax.set_yscale("log")
    label(ax, title, "step", ylabel)
    ax.legend(loc="best")
