"""Sliders for 06_optimizers: where a start falls on a non-convex curve, and how
hyper-parameters change a race between optimisers.

Each explorer is a small class: it draws its figure when built (so a notebook run
without a browser still shows the picture), ``update(...)`` redraws it for new slider
values and returns the numbers as text, and ``show()`` adds the sliders. The sliders
are ipywidgets, usable from the keyboard (Tab to a slider, then the arrow keys).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

from .functions import Objective, quartic
from .optim_demos import descend_many, distance_summary, draw_race, local_minima, valley_colours, which_valley
from .plots import PALETTE, label, new_figure


@dataclass
class Slider:
    """One slider: name (the keyword it sets), range, starting value, and a log scale or not."""

    name: str
    low: float
    high: float
    value: float
    log: bool = False
    description: str = ""

    def widget(self):
        import ipywidgets as widgets

        style = {"description_width": "initial"}
        text = self.description or self.name
        if self.log:
            return widgets.FloatLogSlider(value=self.value, base=10, min=np.log10(self.low), max=np.log10(self.high),
                                          step=0.02, description=text, style=style, continuous_update=False)
        return widgets.FloatSlider(value=self.value, min=self.low, max=self.high, step=(self.high - self.low) / 200,
                                   description=text, style=style, readout_format=".3g", continuous_update=False)


class _Explorer:
    """Shared plumbing: a figure, a text readout, and sliders wired to ``update``."""

    sliders: list[Slider]
    fig = None
    readout: str = ""

    def values(self) -> dict:
        return {s.name: s.value for s in self.sliders}

    def update(self, **values) -> str:  # pragma: no cover - each explorer defines it
        raise NotImplementedError

    def show(self) -> None:
        """Display the sliders, the figure and the numbers; moving a slider redraws both."""
        import ipywidgets as widgets
        from IPython.display import Pretty, display

        controls = [s.widget() for s in self.sliders]

        def redraw(_change=None):
            self.update(**{s.name: c.value for s, c in zip(self.sliders, controls)})
            figure.update(self.fig)
            numbers.update(Pretty(self.readout))

        for control in controls:
            control.observe(redraw, names="value")
        display(widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")))
        figure = display(self.fig, display_id=True)
        numbers = display(Pretty(self.readout), display_id=True)


class BasinExplorer(_Explorer):
    """Plain gradient descent on a 1-D curve from a chosen start with a chosen rate.

    The readout says which valley the run ends in, and whether that valley is the deepest.
    """

    def __init__(self, objective: Objective | None = None, x0: float = 0.5, learning_rate: float = 0.02,
                 n_steps: int = 60, xlim=(-2.2, 2.2)):
        self.objective = objective or quartic()
        self.n_steps = n_steps
        self.xlim = xlim
        self.minima = local_minima(self.objective, *xlim)
        self.sliders = [Slider("x0", xlim[0], xlim[1], x0, description="start x0"),
                        Slider("learning_rate", 0.002, 0.2, learning_rate, log=True, description="learning rate")]
        self.fig, self.ax = new_figure(width=7.0, height=4.2)
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
        plt.close(self.fig)  # shown through show(), not twice by the inline backend
        self.update(x0=x0, learning_rate=learning_rate)

    def path(self, x0: float, learning_rate: float) -> np.ndarray:
        """All iterates of the run, ``x0`` first (NaN once it diverges)."""
        return descend_many(self.objective.grad, x0, learning_rate, self.n_steps, history=True)

    def update(self, x0: float, learning_rate: float) -> str:
        """Redraw for a new start and rate; return (and keep in ``readout``) the verdict."""
        for s, v in zip(self.sliders, (x0, learning_rate)):
            s.value = v
        path = self.path(x0, learning_rate)
        with np.errstate(all="ignore"):
            self.path_line.set_data(path, self.objective(path))
        self.start_dot.set_data([x0], [self.objective(x0)])
        final = path[-1]
        valley = int(which_valley(final, self.minima, tol=1e-2))
        deepest = int(np.argmin(self.objective(self.minima)))
        if valley < 0:
            verdict = ("diverged" if not np.isfinite(final)
                       else f"still moving after {self.n_steps} steps (at x = {final:.4f})")
        else:
            kind = "the global minimum" if valley == deepest else "a local minimum only"
            verdict = f"settles at x = {final:.4f}, f = {float(self.objective(final)):.4f}: {kind}"
        self.readout = f"start {x0:.3f}, rate {learning_rate:.4f} -> {verdict}"
        label(self.ax, "Which valley? The start and the step size decide", "x", "f(x)")
        return self.readout


class RaceExplorer(_Explorer):
    """A race of optimisers on a 2-D function, redrawn for new hyper-parameters.

    ``run(**slider_values)`` returns ``{name: path}``, each path an array of shape
    ``(n_steps + 1, 2)``; the figure shows the paths over the contours and the loss curves.
    """

    def __init__(self, objective: Objective, run: Callable[..., dict], sliders: list[Slider], xlim, ylim,
                 *, levels=None, title: str = ""):
        self.objective, self.run = objective, run
        self.sliders = list(sliders)
        self.xlim, self.ylim, self.levels, self.title = xlim, ylim, levels, title
        self.fig, self.axes = new_figure(ncols=2, width=5.5, height=4.2)
        plt.close(self.fig)
        self.paths: dict = {}
        self.update(**self.values())

    def update(self, **values) -> str:
        """Re-run the race with new hyper-parameters, redraw, return the summary text."""
        for s in self.sliders:
            s.value = values.get(s.name, s.value)
        self.paths = self.run(**self.values())
        for ax in self.axes:
            ax.clear()
        draw_race(self.axes, self.objective, self.paths, self.xlim, self.ylim, levels=self.levels, title=self.title)
        self.fig.tight_layout()
        self.readout = "\n".join(distance_summary(self.objective, self.paths))
        return self.readout


__all__ = ["Slider", "BasinExplorer", "RaceExplorer"]
