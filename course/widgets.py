"""The learning-rate explorer of 03_learning_rate: sliders that redraw one figure.

    from course.widgets import LearningRateDemo
    LearningRateDemo()          # the last line of a cell shows it

Left: the function and the run on it. Middle: the distance to the minimum per step,
on a log axis (a straight line means a constant contraction factor). Right: the numbers,
as text. The regime's name is written above the plots. On a quadratic it comes from the
contraction factor ``q = 1 - lr f''``; on other functions from the steps the run took
(:func:`course.descent.regime_of_path`).

Every control is an ipywidgets control, reachable with Tab and moved with the arrow
keys. The figure is a matplotlib ``Figure`` drawn to PNG on each change; without a
live kernel (a notebook run by nbconvert or nbgrader, a static HTML view) the initial
figure still shows, because the demo also offers itself as a PNG.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from . import descent
from .functions import Objective, quadratic, quartic
from .plots import PALETTE, Blitter, agg_figure, use_course_style

__all__ = ["DemoFunction", "FUNCTIONS", "LearningRateDemo"]


@dataclass(frozen=True)
class DemoFunction:
    """A function offered in the dropdown, with the window it is drawn in and its minima."""

    objective: Objective
    xlim: tuple
    minima: tuple
    curvature: "float | None" = None  # constant f'' of a quadratic; None for other functions

    def nearest_minimum(self, x: float) -> float:
        m = np.asarray(self.minima)
        return float(m[np.argmin(np.abs(m - x))]) if np.isfinite(x) else float(m[0])

    def hess(self, x: float) -> float:
        """Curvature ``f''(x)``."""
        return float(np.asarray(self.objective.hess(x)))


def _quartic_minima() -> tuple:
    roots = np.roots([4.0, 0.0, -6.0, 1.0])  # f'(x) = 4x^3 - 6x + 1
    roots = np.sort(roots[np.isreal(roots)].real)
    return tuple(float(r) for r in roots if 12 * r * r - 6 > 0)


FUNCTIONS = {
    "(x - 3)^2      f'' = 2": DemoFunction(quadratic(1.0, 3.0), (-2.0, 8.0), (3.0,), 2.0),
    "4(x - 1)^2     f'' = 8": DemoFunction(quadratic(4.0, 1.0), (-2.0, 4.0), (1.0,), 8.0),
    "0.25x^2        f'' = 0.5": DemoFunction(quadratic(0.25, 0.0), (-6.0, 6.0), (0.0,), 0.5),
    "x^4 - 3x^2 + x (not quadratic)": DemoFunction(quartic(), (-2.2, 2.2), _quartic_minima()),
}


#: A run whose iterate grows beyond this size counts as diverged (and is cut, see ``descent.path``).
DIVERGED = 1e8
#: Widths of the step axis: the number of iterations is shown on the first that holds it, so that
#: most moves of the iterations slider keep the axes (and their cached picture) as they are.
STEP_AXIS = (10, 25, 50, 100, 200)


def step_axis(n: int) -> int:
    """The width of the step axis for a run of ``n`` steps."""
    return next((width for width in STEP_AXIS if n <= width), n)


class LearningRateDemo:
    """Sliders for the learning rate, the start and the number of steps; a dropdown of functions.

    Call :meth:`update` with new values (as the sliders do) to redraw; the current run is in
    ``path``, its regime in ``regime``, the PNG of the figure in ``image.value``.
    """

    def __init__(self, learning_rate: float = 0.05, start: float = 1.0, iterations: int = 25,
                 function: str = "(x - 3)^2      f'' = 2", width: float = 9.0, dpi: int = 80):
        use_course_style()
        style = {"description_width": "110px"}
        layout = widgets.Layout(width="360px")
        self.function = widgets.Dropdown(options=list(FUNCTIONS), value=function, description="function",
                                         style=style, layout=layout)
        self.learning_rate = widgets.FloatSlider(value=learning_rate, min=0.005, max=1.2, step=0.005,
                                                 readout_format=".3f", description="learning rate",
                                                 continuous_update=False, style=style, layout=layout)
        self.start = widgets.FloatSlider(value=start, min=-2.0, max=8.0, step=0.1, readout_format=".1f",
                                         description="start x0", continuous_update=False,
                                         style=style, layout=layout)
        self.iterations = widgets.IntSlider(value=iterations, min=1, max=200, description="iterations",
                                            continuous_update=False, style=style, layout=layout)
        # The image keeps its aspect ratio: its own width, height from the picture, and no
        # stretching to the height of the numbers beside it (a flex row stretches by default).
        self.image = widgets.Image(format="png", layout=widgets.Layout(
            width=f"{int(width * dpi)}px", height="auto", align_self="flex-start", object_fit="contain"))
        self.numbers = widgets.HTML(layout=widgets.Layout(width="300px"))
        controls = widgets.VBox([self.function, self.learning_rate, self.start, self.iterations])
        self.box = widgets.VBox([controls, widgets.HBox([self.image, self.numbers])])

        self._dpi = dpi
        self._build_figure(width)
        self._holding = False
        self.path = np.array([])
        self.regime = descent.regime(1.0)
        self.update()
        for control in (self.function, self.learning_rate, self.start, self.iterations):
            control.observe(self._on_change, names="value")

    # --- drawing ---------------------------------------------------------------------

    def _build_figure(self, width: float) -> None:
        self.fig = agg_figure(width, 3.6, self._dpi)
        self.ax_curve, self.ax_error = self.fig.subplots(1, 2)
        (self.curve_line,) = self.ax_curve.plot([], [], color=PALETTE["blue"], label="f(x)")
        (self.path_line,) = self.ax_curve.plot([], [], "o-", color=PALETTE["vermillion"], lw=1, ms=4,
                                               alpha=0.85, label="iterates")
        (self.start_dot,) = self.ax_curve.plot([], [], "s", color=PALETTE["black"], ms=7, label="start")
        self.ax_curve.set_xlabel("x")
        self.ax_curve.set_ylabel("f(x)")
        self.ax_curve.legend(loc="upper center")
        (self.error_line,) = self.ax_error.plot([], [], "o-", color=PALETTE["vermillion"], lw=1, ms=3)
        self.ax_error.set_yscale("log")
        # Fixed limits: runs at different rates compare by slope, and the axes need no redraw.
        # From the floor an exact landing is drawn at, to the size at which a run counts as diverged.
        self.ax_error.set_ylim(3e-17, 3e8)
        self.ax_error.set_xlabel("step k")
        self.ax_error.set_ylabel("|x_k - x*|")
        self.ax_error.set_title("distance to the minimum (log axis)")
        self.title = self.fig.suptitle("", fontsize=13, color=PALETTE["black"])
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.80, wspace=0.3)
        self._drawn_function = None
        # What changes with the learning rate is drawn over a cached picture of the rest
        # (axes, ticks, curve): redrawing all the text of the axes would cost most of the time.
        # Pictures of the still parts (the title included: it names the regime, one of five) are
        # cached per (function, step axis, title); only the run's lines are drawn on each move.
        self._picture = Blitter(self.fig, (self.path_line, self.start_dot, self.error_line))
        self._background_key = None

    def _draw_curve(self, spec: DemoFunction) -> None:
        xs = np.linspace(*spec.xlim, 300)
        ys = spec.objective.value(xs)
        self.curve_line.set_data(xs, ys)
        self.ax_curve.set_xlim(*spec.xlim)
        pad = 0.08 * (ys.max() - ys.min())
        self.ax_curve.set_ylim(ys.min() - pad, ys.max() + pad)
        self.ax_curve.set_title(" ".join(self.function.value.split()))
        self._drawn_function = spec

    def update(self, learning_rate: "float | None" = None, start: "float | None" = None,
               iterations: "int | None" = None, function: "str | None" = None) -> descent.Regime:
        """Set any of the controls to new values, redraw once, and return the regime shown."""
        self._holding = True
        try:
            for control, value in ((self.function, function), (self.learning_rate, learning_rate),
                                   (self.start, start), (self.iterations, iterations)):
                if value is not None:
                    control.value = value
        finally:
            self._holding = False
        self._redraw()
        return self.regime

    def _on_change(self, change) -> None:
        if not self._holding:
            self._redraw()

    def _redraw(self) -> None:
        spec = FUNCTIONS[self.function.value]
        lr, x0, n = float(self.learning_rate.value), float(self.start.value), int(self.iterations.value)
        if self._drawn_function is not spec:
            self._draw_curve(spec)
        f = spec.objective
        self.path = descent.path(f.grad, x0, lr, n, limit=DIVERGED)
        if spec.curvature is not None:
            self.regime = descent.regime(1.0 - lr * spec.curvature)
        else:
            self.regime = descent.regime_of_path(self.path)

        finite = self.path[np.isfinite(self.path)]
        self.path_line.set_data(finite, f.value(finite))
        self.start_dot.set_data([x0], [f.value(x0)])

        x_star = spec.nearest_minimum(finite[-1])
        error = descent.distances(self.path, x_star)
        # an exact landing is drawn on the floor of the log axis; NaN (diverged) is not drawn
        shown = np.where(error == 0, 1e-16, error)
        steps = np.arange(n + 1)
        self.error_line.set_data(steps, shown)
        self.ax_error.set_xlim(-0.5, step_axis(n) + 0.5)

        self.title.set_text(f"Regime: {self.regime.label}")  # q is in the numbers beside the plot
        self.image.value = self.png()
        self.numbers.value = self._numbers_html()

    @property
    def _backgrounds(self) -> dict:
        return self._picture.cache

    def _key(self) -> tuple:
        self._background_key = (self.function.value, step_axis(int(self.iterations.value)), self.title.get_text())
        return self._background_key

    def render(self) -> None:
        """Draw the figure on its canvas: the still parts from cache when these axes were drawn before."""
        self._picture.draw(self._key())

    def png(self) -> bytes:
        """The figure as PNG bytes (drawn as :meth:`render` does)."""
        return self._picture.png(self._key())

    # --- text beside the plot ----------------------------------------------------------

    def summary(self) -> list:
        """The numbers shown beside the plot, as ``(name, value)`` pairs of strings."""
        spec = FUNCTIONS[self.function.value]
        lr, x0, n = float(self.learning_rate.value), float(self.start.value), int(self.iterations.value)
        finite = self.path[np.isfinite(self.path)]
        x_star = spec.nearest_minimum(finite[-1])
        rows = [("learning rate", f"{lr:.3f}")]
        if spec.curvature is not None:
            c = spec.curvature
            rows += [("f''", f"{c:g}"), ("1/f'' (ideal)", f"{1 / c:.4g}"), ("2/f'' (limit)", f"{2 / c:.4g}"),
                     ("q = 1 - lr f''", f"{1 - lr * c:+.4f}")]
        else:
            c = spec.hess(x_star)
            rows += [("minimum nearest the end", f"{x_star:.4f}"), ("f'' there", f"{c:.4g}"),
                     ("1 - lr f'' there", f"{1 - lr * c:+.4f}"),
                     ("q observed", f"{self.regime.factor:+.4f}" if np.isfinite(self.regime.factor) else "-")]
        last = self.path[-1]
        rows += [("start x0", f"{x0:.2f}"), ("steps", str(n)),
                 (f"x_{n}", f"{last:.10g}" if np.isfinite(last) else "left the plot (diverged)"),
                 (f"|x_{n} - x*|", f"{abs(last - x_star):.3e}" if np.isfinite(last) else "-"),
                 ("regime", self.regime.key)]
        return rows

    def _numbers_html(self) -> str:
        cells = "".join(f"<tr><td>{k}</td><td style='text-align:right'><code>{v}</code></td></tr>"
                        for k, v in self.summary())
        return f"<table>{cells}</table><p><b>{self.regime.label}</b><br>{self.regime.explanation}</p>"

    # --- display -------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs) -> dict:
        bundle = dict(self.box._repr_mimebundle_(**kwargs) or {})
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = "\n".join(f"{k}: {v}" for k, v in self.summary())
        return bundle

