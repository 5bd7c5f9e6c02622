"""Demos of 08_optimizers: valleys of a non-convex curve, and races between optimisers.

The runs come from the course's one descent engine, :func:`course.descent.descend`, on a
whole *batch* at once so that a map or a race is one vectorised loop:

- :func:`descend_many`: plain gradient descent from many starts and rates of a 1-D
  function at the same time (for the basin maps);
- :func:`heavy_ball_paths`: the heavy-ball (momentum) recursion for several
  ``(learning_rate, beta)`` settings side by side on a 2-D function (for the race
  plots that must work before the exercises are done). ``beta = 0`` is plain descent.

The notebook's graded step functions (``momentum_step``, ``rmsprop_step``,
``adam_step``) and its ``minimize`` are the student's; they are not here.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from .descent import descend
from .functions import Objective, bowl
from .loss_curves import plot_loss_curves
from .plots import PALETTE, contour_with_paths, label, new_figure

# --- valleys of a 1-D curve ------------------------------------------------------------

def local_minima(objective: Objective, lo: float, hi: float, n_grid: int = 2001) -> np.ndarray:
    """The local minima of a 1-D objective in ``[lo, hi]``, sorted, to about 1e-12.

    Brackets every sign change of the derivative from - to + on a grid, then bisects it.
    """
    xs = np.linspace(lo, hi, n_grid)
    g = objective.grad(xs)
    found = []
    for i in np.flatnonzero((g[:-1] < 0) & (g[1:] >= 0)):
        a, b = xs[i], xs[i + 1]
        for _ in range(60):
            mid = 0.5 * (a + b)
            if objective.grad(mid) < 0:
                a = mid
            else:
                b = mid
        found.append(0.5 * (a + b))
    return np.array(found)


def descend_many(grad: Callable, starts, learning_rates, n_steps: int, *, history: bool = False) -> np.ndarray:
    """Plain gradient descent from every start with every rate at once; the final points.

    ``starts`` and ``learning_rates`` broadcast against each other (e.g. a row of starts
    and a column of rates gives a map). Diverged runs (:func:`course.descent.escaped`)
    become NaN. With ``history=True`` every iterate is kept: the result gains a first
    axis of length ``n_steps + 1``.
    """
    return descend(grad, starts, learning_rates, n_steps, point_ndim=0, history=history)


def which_valley(finals, minima, tol: float = 1e-3) -> np.ndarray:
    """Index of the minimum each final point sits at; -1 where it diverged or has not arrived."""
    finals = np.asarray(finals, dtype=float)
    dist = np.abs(finals[..., None] - np.asarray(minima, dtype=float))
    dist = np.where(np.isfinite(dist), dist, np.inf)
    return np.where(dist.min(axis=-1) < tol, dist.argmin(axis=-1), -1)


def valley_colours(n_minima: int) -> list[str]:
    """One colour per valley (in order from the left), then grey for 'diverged or not there yet'."""
    return [PALETTE[k] for k in ("blue", "orange", "green", "purple", "sky")][:n_minima] + ["#BBBBBB"]


def plot_basins(objective: Objective, xlim=(-2.2, 2.2), rates=(0.005, 0.16), *, n_starts: int = 300,
                n_rates: int = 120, n_steps: int = 300):
    """Two panels: the curve coloured by the valley each start falls into (small rate), and a
    map over (start, learning rate) of the same verdict. Returns ``(fig, axes, minima)``."""

    minima = local_minima(objective, *xlim)
    colours = valley_colours(len(minima))
    starts = np.linspace(*xlim, n_starts)
    rate_grid = np.linspace(*rates, n_rates)
    small = which_valley(descend_many(objective.grad, starts, rates[0], 4 * n_steps), minima)
    verdict = which_valley(descend_many(objective.grad, starts[None, :], rate_grid[:, None], n_steps), minima)

    fig, axes = new_figure(ncols=2, width=5.5, height=4.2)
    ax = axes[0]
    ax.plot(starts, objective(starts), color="#BBBBBB", lw=1, zorder=1)
    for i, m in enumerate(minima):
        pick = small == i
        ax.scatter(starts[pick], objective(starts[pick]), s=8, color=colours[i], zorder=2,
                   label=f"ends at x = {m:.3f}, f = {float(objective(m)):.3f}")
        ax.plot(m, objective(m), "k*", ms=12, zorder=3)
    label(ax, f"Small steps (rate {rates[0]:g}): the start picks the valley", "start x0", "f(x0)")
    ax.legend(loc="upper center")

    ax = axes[1]
    cmap = ListedColormap(colours[:len(minima)] + [colours[-1]])
    codes = np.where(verdict < 0, len(minima), verdict)
    ax.pcolormesh(starts, rate_grid, codes, cmap=cmap, vmin=-0.5, vmax=len(minima) + 0.5, shading="auto")
    label(ax, "Larger steps can jump into the other valley", "start x0", "learning rate")
    ax.grid(False)
    names = [f"valley at {m:.2f}" for m in minima] + ["diverged or not settled"]
    ax.legend(handles=[Patch(color=c, label=n) for c, n in zip(colours, names)], loc="lower left",
              frameon=True, fontsize=8)
    fig.tight_layout()
    return fig, axes, minima


# --- races on 2-D bowls and valleys ----------------------------------------------------

def ill_conditioned_bowl(condition: float = 25.0) -> Objective:
    """``f(w) = (w1**2 + condition * w2**2) / 2``: curvatures 1 and ``condition``, minimum at 0."""
    return bowl(np.diag([1.0, float(condition)]))


def heavy_ball_paths(grad: Callable, x0, settings, n_steps: int) -> np.ndarray:
    """Heavy-ball iterates for several ``(learning_rate, beta)`` rows at once.

    Each run keeps a velocity ``u`` and moves ``u <- beta u - learning_rate grad(x)``,
    ``x <- x + u``; with ``beta = 0`` that is plain gradient descent. Returns an array of
    shape ``(len(settings), n_steps + 1, 2)``, starting with ``x0``. Diverged runs turn NaN.
    """
    settings = np.atleast_2d(np.asarray(settings, dtype=float))
    lr, beta = settings[:, 0], settings[:, 1]
    starts = np.broadcast_to(np.asarray(x0, dtype=float), (len(settings), 2))
    return descend(grad, starts, lr, n_steps, beta=beta, point_ndim=1).swapaxes(0, 1)


def demo_race(objective: Objective, x0, runners: dict, n_steps: int = 100) -> dict:
    """Heavy-ball runs for ``{name: (learning_rate, beta)}``: ``{name: path}`` (``beta = 0``: plain descent)."""
    paths = heavy_ball_paths(objective.grad, x0, list(runners.values()), n_steps)
    return dict(zip(runners, paths))


def losses_along(objective: Objective, path) -> np.ndarray:
    """``f`` at every iterate of a path of shape ``(n, 2)``."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(objective(np.asarray(path, dtype=float)), dtype=float)


def distance_summary(objective: Objective, paths: dict, tol: float = 1e-3) -> list[str]:
    """One line per path: the final loss and the first step whose loss is below ``tol``."""
    lines = []
    for name, path in paths.items():
        loss = losses_along(objective, path)
        below = np.flatnonzero(loss < tol)
        when = f"below {tol:g} from step {below[0]}" if below.size else f"never below {tol:g}"
        final = loss[-1]
        lines.append(f"{name}: final loss {final:.3g}, {when}" if np.isfinite(final) else f"{name}: diverged")
    return lines


def draw_race(axes, objective: Objective, paths: dict, xlim, ylim, *, levels=None, title: str = "") -> None:
    """Contours with every path (left axis) and the loss per step on a log scale (right axis)."""
    f2 = lambda a, b: objective(np.stack([a, b], axis=-1))  # noqa: E731
    shown = {name: np.where(np.isfinite(p), p, np.nan) for name, p in paths.items()}
    contour_with_paths(axes[0], f2, shown, xlim, ylim, levels=levels if levels is not None else 30)
    if objective.minimum is not None:
        m = np.asarray(objective.minimum, dtype=float)
        axes[0].plot(m[0], m[1], "k*", ms=12)
    label(axes[0], title or f"Paths on the {objective.name}", "w1", "w2")
    axes[0].legend(loc="upper right", fontsize=8)
    plot_loss_curves(axes[1], {name: losses_along(objective, p) for name, p in paths.items()},
                     title="Loss per step (log scale): steeper is faster", ylabel="f(w)")


def plot_race(objective: Objective, paths: dict, xlim, ylim, *, levels=None, title: str = ""):
    """A new two-panel figure of :func:`draw_race`; returns ``(fig, axes)``."""
    fig, axes = new_figure(ncols=2, width=5.5, height=4.2)
    draw_race(axes, objective, paths, xlim, ylim, levels=levels, title=title)
    fig.tight_layout()
    return fig, axes


__all__ = ["local_minima", "descend_many", "which_valley", "plot_basins", "ill_conditioned_bowl",
           "heavy_ball_paths", "demo_race", "losses_along", "distance_summary", "draw_race", "plot_race"]
