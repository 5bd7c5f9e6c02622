"""Sliders for 06_optimizers: where a start falls on a non-convex curve, and how
hyper-parameters change a race between optimisers.

Each explorer is a small class: it draws its figure when built (so a notebook run
without a browser still shows the picture), ``update(...)`` redraws it for new slider
values and returns the numbers as text, and ``show()`` adds the sliders. The sliders
are ipywidgets, usable from the keyboard (Tab to a slider, then the arrow keys).

A slider move redraws only what moves (the paths, the loss curves, the legends): the
axes, the curve and the contours are drawn once and kept as a picture, and the new
figure goes to the browser as a small PNG in an ``ipywidgets.Image``.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .functions import Objective, quartic
from .optim_demos import descend_many, distance_summary, local_minima, losses_along, valley_colours, which_valley
from .plots import CYCLE, PALETTE, Blitter, agg_figure, contour_with_paths, label

#: Dots per inch of the explorers' pictures, and the losses the race's log axis shows.
DPI = 80
LOSS_FLOOR, LOSS_CAP = 1e-16, 1e12


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
    """Shared plumbing: a figure drawn by a :class:`Blitter`, a text readout, sliders wired to ``update``."""

    sliders: list[Slider]
    fig = None
    readout: str = ""
    picture: Blitter

    def values(self) -> dict:
        return {s.name: s.value for s in self.sliders}

    def update(self, **values) -> str:  # pragma: no cover - each explorer defines it
        raise NotImplementedError

    def png(self) -> bytes:
        """The figure as PNG bytes: the cached still parts with the moving artists over them."""
        return self.picture.png()

    def _readout_html(self) -> str:
        return f"<pre style='margin: 0'>{html.escape(self.readout)}</pre>"

    def show(self) -> None:
        """Display the sliders, the figure and the numbers; moving a slider redraws both."""
        from IPython.display import display

        display(self)

    def _widget(self):
        """The sliders, the picture (an ``ipywidgets.Image``, at its natural size) and the numbers."""
        import ipywidgets as widgets

        controls = [s.widget() for s in self.sliders]
        width, _ = self.fig.canvas.get_width_height()
        image = widgets.Image(value=self.png(), format="png", layout=widgets.Layout(
            width=f"{width}px", height="auto", object_fit="contain"))
        numbers = widgets.HTML(self._readout_html())

        def redraw(_change=None):
            self.update(**{s.name: c.value for s, c in zip(self.sliders, controls)})
            image.value = self.png()
            numbers.value = self._readout_html()

        for control in controls:
            control.observe(redraw, names="value")
        return widgets.VBox([widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap")), image, numbers])

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget where a kernel is running, and the picture and numbers anywhere else."""
        self._box = self._widget()
        bundle = dict(self._box._repr_mimebundle_(**kwargs) or {})
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        bundle["text/plain"] = self.readout
        return bundle


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
        self.fig = agg_figure(8.0, 4.5, DPI)
        self.ax = self.fig.subplots()
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
        self.fig.tight_layout()
        self.picture = Blitter(self.fig, (self.path_line, self.start_dot))
        self.update(x0=x0, learning_rate=learning_rate)

    def path(self, x0: float, learning_rate: float) -> np.ndarray:
        """All iterates of the run, ``x0`` first (NaN once it diverges)."""
        return descend_many(self.objective.grad, x0, learning_rate, self.n_steps, history=True)

    def update(self, x0: float, learning_rate: float) -> str:
        """Move the run to a new start and rate; return (and keep in ``readout``) the verdict."""
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
        return self.readout


class RaceExplorer(_Explorer):
    """A race of optimisers on a 2-D function, redrawn for new hyper-parameters.

    ``run(**slider_values)`` returns ``{name: path}``, each path an array of shape
    ``(n_steps + 1, 2)``; the figure shows the paths over the contours and the loss curves.
    The contours and both axes are drawn once; the paths, the loss curves and the legends
    (whose names may carry the slider values) move.
    """

    def __init__(self, objective: Objective, run: Callable[..., dict], sliders: list[Slider], xlim, ylim,
                 *, levels=None, title: str = ""):
        self.objective, self.run = objective, run
        self.sliders = list(sliders)
        self.xlim, self.ylim, self.levels, self.title = xlim, ylim, levels, title
        self.fig = agg_figure(11.0, 4.5, DPI)
        self.axes = self.fig.subplots(1, 2)
        self.paths: dict = self.run(**self.values())
        self._draw_still_parts()
        self._move_lines()

    def _draw_still_parts(self) -> None:
        """Contours, the minimum, the loss axis with fixed limits, and one set of lines per runner."""
        ax_map, ax_loss = self.axes
        f2 = lambda a, b: self.objective(np.stack([a, b], axis=-1))  # noqa: E731
        contour_with_paths(ax_map, f2, {}, self.xlim, self.ylim, levels=self.levels if self.levels is not None else 30)
        if self.objective.minimum is not None:
            m = np.asarray(self.objective.minimum, dtype=float)
            ax_map.plot(m[0], m[1], "k*", ms=12)
        label(ax_map, self.title or f"Paths on the {self.objective.name}", "w1", "w2")
        n_steps = max(len(p) for p in self.paths.values()) - 1
        start_loss = max(float(losses_along(self.objective, np.asarray(p, dtype=float)[:1])[0])
                         for p in self.paths.values())
        ax_loss.set_yscale("log")
        ax_loss.set_xlim(-0.02 * n_steps, 1.02 * n_steps)
        ax_loss.set_ylim(LOSS_FLOOR, max(LOSS_CAP, 10 * start_loss))
        label(ax_loss, "Loss per step (log scale): steeper is faster", "step", "f(w)")
        self.path_lines, self.loss_lines, self.blowups = [], [], []
        for colour in (CYCLE * 3)[:len(self.paths)]:
            self.path_lines += ax_map.plot([], [], "o-", ms=3, lw=1.2, color=colour)
            self.loss_lines += ax_loss.plot([], [], "-", color=colour, ms=3)
            self.blowups += ax_loss.plot([], [], "^", color=colour, ms=9)
        self.fig.tight_layout()
        # The legends name each runner without the slider values in parentheses (the numbers below
        # the figure carry them), so that they stay in the cached picture.
        names = _short_names(self.paths)
        self.legends = [ax_map.legend(handles=self.path_lines, labels=names, loc="upper right", fontsize=8),
                        ax_loss.legend(handles=self.loss_lines, labels=names, loc="upper right")]
        self.picture = Blitter(self.fig, self.path_lines + self.loss_lines + self.blowups)

    def update(self, **values) -> str:
        """Re-run the race with new hyper-parameters, move the lines, return the summary text."""
        for s in self.sliders:
            s.value = values.get(s.name, s.value)
        self.paths = self.run(**self.values())
        if _short_names(self.paths) != [t.get_text() for t in self.legends[0].get_texts()]:
            # other runners (not only other slider values): draw afresh
            for ax in self.axes:
                ax.clear()
            self._draw_still_parts()
        return self._move_lines()

    def _move_lines(self) -> str:
        """Put the current paths on the lines and in the legends; return the summary text."""
        for i, (name, path) in enumerate(self.paths.items()):
            path = np.asarray(path, dtype=float)
            shown = np.where(np.isfinite(path), path, np.nan)
            self.path_lines[i].set_data(shown[:, 0], shown[:, 1])
            self.path_lines[i].set_label(name)
            loss = losses_along(self.objective, path)
            keep = np.isfinite(loss) & (loss <= LOSS_CAP)
            steps = np.arange(len(loss))
            self.loss_lines[i].set_data(steps[keep], np.maximum(loss[keep], LOSS_FLOOR))
            self.loss_lines[i].set_label(name)
            cut = not keep.all() and keep.any()
            last = np.flatnonzero(keep)[-1] if keep.any() else 0
            self.blowups[i].set_data([steps[last]] if cut else [], [max(loss[last], LOSS_FLOOR)] if cut else [])
        self.readout = "\n".join(distance_summary(self.objective, self.paths))
        return self.readout


def _short_names(paths: dict) -> list[str]:
    """Each runner's name without a trailing part in parentheses: "momentum (rate 0.03)" -> "momentum"."""
    return [name.split(" (")[0] for name in paths]


__all__ = ["Slider", "BasinExplorer", "RaceExplorer"]
