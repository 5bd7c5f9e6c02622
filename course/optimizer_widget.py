"""Sliders for 08_optimizers: where a start falls on a non-convex curve, and how
hyper-parameters change a race between optimisers.

Both are :class:`~course.explorer.Explorer` s: the figure is drawn when the explorer is
built (so a notebook run without a browser still shows the picture), ``update(...)``
redraws it for new slider values and returns the numbers as text, and ``show()`` adds
the sliders.

A slider move redraws only what moves (the paths, the loss curves): the axes, the curve,
the contours and the legends are drawn once and kept as a picture.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .explorer import Explorer, Slider
from .functions import Objective, quartic
from .loss_curves import LOSS_FLOOR, LOSS_TOP, visible_losses
from .optim_demos import descend_many, distance_summary, local_minima, losses_along, valley_colours, which_valley
from .plots import PALETTE, Blitter, agg_figure, contour_with_paths, label, series_style

#: Dots per inch of the explorers' pictures.
DPI = 80


@dataclass(frozen=True)
class BasinRun:
    """One run of the basin explorer: its iterates and where it ends up."""

    x0: float
    learning_rate: float
    path: np.ndarray
    verdict: str


class BasinExplorer(Explorer):
    """Plain gradient descent on a 1-D curve from a chosen start with a chosen rate.

    The readout says which valley the run ends in, and whether that valley is the deepest.
    """

    def __init__(self, objective: Objective | None = None, x0: float = 0.5, learning_rate: float = 0.02,
                 n_steps: int = 60, xlim=(-2.2, 2.2)):
        self.objective = objective or quartic()
        self.n_steps = n_steps
        self.xlim = xlim
        self.minima = local_minima(self.objective, *xlim)
        controls = [Slider("x0", xlim[0], xlim[1], x0, description="start x0"),
                    Slider("learning_rate", 0.002, 0.2, learning_rate, log=True, description="learning rate")]
        fig = agg_figure(8.0, 4.5, DPI)
        self.ax = fig.subplots()
        xs = np.linspace(*xlim, 400)
        self.ax.plot(xs, self.objective(xs), color=PALETTE["blue"], label=f"f(x) = {self.objective.name}")
        for m, colour in zip(self.minima, valley_colours(len(self.minima))):
            self.ax.plot(m, self.objective(m), "*", color=colour, ms=14, mec="k", label=f"minimum at {m:.3f}")
        (self.path_line,) = self.ax.plot([], [], "o-", color=PALETTE["vermillion"], lw=1, ms=4, label="iterates")
        (self.start_dot,) = self.ax.plot([], [], "s", color=PALETTE["black"], ms=8, label="start")
        self.ax.set_xlim(*xlim)
        span = self.objective(xs)
        self.ax.set_ylim(span.min() - 1, span.max() + 1)
        self.ax.legend(loc="upper center", fontsize=8)
        label(self.ax, "Which valley? The start and the step size decide", "x", "f(x)")
        fig.tight_layout()
        super().__init__(controls, fig, (self.path_line, self.start_dot))
        self.update()

    def path(self, x0: float, learning_rate: float) -> np.ndarray:
        """All iterates of the run, ``x0`` first (NaN once it diverges)."""
        return descend_many(self.objective.grad, x0, learning_rate, self.n_steps, history=True)

    def compute(self, x0: float, learning_rate: float) -> BasinRun:
        path = self.path(x0, learning_rate)
        final = path[-1]
        valley = int(which_valley(final, self.minima, tol=1e-2))
        deepest = int(np.argmin(self.objective(self.minima)))
        if valley < 0:
            verdict = ("diverged" if not np.isfinite(final)
                       else f"still moving after {self.n_steps} steps (at x = {final:.4f})")
        else:
            kind = "the global minimum" if valley == deepest else "a local minimum only"
            verdict = f"settles at x = {final:.4f}, f = {float(self.objective(final)):.4f}: {kind}"
        return BasinRun(x0, learning_rate, path, verdict)

    def draw(self, run: BasinRun) -> None:
        self.path_line.set_data(run.path, self.objective(run.path))
        self.start_dot.set_data([run.x0], [self.objective(run.x0)])

    def describe(self, run: BasinRun) -> str:
        return f"start {run.x0:.3f}, rate {run.learning_rate:.4f} -> {run.verdict}"


class RaceExplorer(Explorer):
    """A race of optimisers on a 2-D function, redrawn for new hyper-parameters.

    ``race(**slider_values)`` returns ``{name: path}``, each path an array of shape
    ``(n_steps + 1, 2)``; the figure shows the paths over the contours and the loss curves.
    The contours, both axes and the legends are drawn once; the paths and the loss curves move.
    """

    def __init__(self, objective: Objective, race: Callable[..., dict], sliders: list[Slider], xlim, ylim,
                 *, levels=None, title: str = ""):
        self.objective, self.race = objective, race
        self.xlim, self.ylim, self.levels, self.title = xlim, ylim, levels, title
        fig = agg_figure(11.0, 4.5, DPI)
        self.axes = fig.subplots(1, 2)
        self.legends: list = []
        super().__init__(sliders, fig)
        self.update()

    @property
    def paths(self) -> dict:
        """The race shown: ``{name: path}``."""
        return self.model

    def compute(self, **values) -> dict:
        return {name: np.asarray(path, dtype=float) for name, path in self.race(**values).items()}

    def _draw_still_parts(self, paths: dict) -> None:
        """Contours, the minimum, the loss axis with fixed limits, one set of lines per runner, legends."""
        for ax in self.axes:
            ax.clear()
        ax_map, ax_loss = self.axes
        f2 = lambda a, b: self.objective(np.stack([a, b], axis=-1))  # noqa: E731
        contour_with_paths(ax_map, f2, {}, self.xlim, self.ylim, levels=self.levels if self.levels is not None else 30)
        if self.objective.minimum is not None:
            m = np.asarray(self.objective.minimum, dtype=float)
            ax_map.plot(m[0], m[1], "k*", ms=12)
        label(ax_map, self.title or f"Paths on the {self.objective.name}", "w1", "w2")
        n_steps = max(len(p) for p in paths.values()) - 1
        start_loss = max(float(losses_along(self.objective, p[:1])[0]) for p in paths.values())
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(-0.02 * n_steps, 1.02 * n_steps)
        ax_loss.set_ylim(LOSS_FLOOR, max(LOSS_TOP, 10 * start_loss))
        label(ax_loss, "Loss per step (log scale): steeper is faster", "step", "f(w)")
        self.path_lines, self.loss_lines, self.blowups = [], [], []
        for i in range(len(paths)):
            style = series_style(i)
            self.path_lines += ax_map.plot([], [], ms=3, lw=1.2, **style)
            self.loss_lines += ax_loss.plot([], [], ms=3, **series_style(i, marker=False))
            self.blowups += ax_loss.plot([], [], "^", color=style["color"], ms=9)
        self.fig.tight_layout()
        # The legends name each runner without the slider values in parentheses (the numbers below
        # the figure carry them), so that they stay in the cached picture.
        names = _short_names(paths)
        self.legends = [ax_map.legend(handles=self.path_lines, labels=names, loc="upper right", fontsize=8),
                        ax_loss.legend(handles=self.loss_lines, labels=names, loc="upper right")]
        self.picture = Blitter(self.fig, self.path_lines + self.loss_lines + self.blowups)

    def draw(self, paths: dict) -> None:
        """Put the paths on the lines (drawing the still parts afresh for other runners)."""
        if not self.legends or _short_names(paths) != [t.get_text() for t in self.legends[0].get_texts()]:
            self._draw_still_parts(paths)
        for i, (name, path) in enumerate(paths.items()):
            shown = np.where(np.isfinite(path), path, np.nan)  # a student's optimiser may reach inf
            self.path_lines[i].set_data(shown[:, 0], shown[:, 1])
            self.path_lines[i].set_label(name)
            steps, losses, cut = visible_losses(losses_along(self.objective, path))
            self.loss_lines[i].set_data(steps, losses)
            self.loss_lines[i].set_label(name)
            self.blowups[i].set_data(*(([cut[0]], [cut[1]]) if cut else ([], [])))

    def describe(self, paths: dict) -> str:
        return "\n".join(distance_summary(self.objective, paths))


def _short_names(paths: dict) -> list[str]:
    """Each runner's name without a trailing part in parentheses: "momentum (rate 0.03)" -> "momentum"."""
    return [name.split(" (")[0] for name in paths]


__all__ = ["Slider", "BasinExplorer", "RaceExplorer"]
