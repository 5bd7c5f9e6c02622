"""The learning-rate explorer of 03_learning_rate: sliders that redraw one figure.

    from course.learning_rate_widget import LearningRateDemo
    LearningRateDemo()          # the last line of a cell shows it

Left: the function and the run on it. Middle: the distance to the minimum per step,
on a log axis (a straight line means a constant contraction factor). Right: the numbers,
as text. The regime's name is written above the plots. On a quadratic it comes from the
contraction factor ``q = 1 - lr f''``; on other functions from the steps the run took
(:func:`course.descent.regime_of_path`).

It is an :class:`~course.explorer.Explorer`: the model, :class:`LearningRateRun`, holds the
run and every number shown, computed once per slider move; the figure and the table beside it
are drawn from it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import descent
from .explorer import Choice, Explorer, Slider
from .functions import Objective, quadratic, quartic
from .plots import PALETTE, agg_figure, use_course_style

__all__ = ["DemoFunction", "FUNCTIONS", "LearningRateRun", "LearningRateDemo"]


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


#: Widths of the step axis: the number of iterations is shown on the first that holds it, so that
#: most moves of the iterations slider keep the axes (and their cached picture) as they are.
STEP_AXIS = (10, 25, 50, 100, 200)
#: The distance axis: from the floor an exact landing is drawn at to a little above the size at
#: which a run has diverged (:data:`course.descent.ESCAPE`).
EXACT_FLOOR = 1e-16
DISTANCE_AXIS = (3e-17, 3 * descent.ESCAPE)


def step_axis(steps: int) -> int:
    """The width of the step axis for a run of ``steps`` steps."""
    return next((width for width in STEP_AXIS if steps <= width), steps)


@dataclass(frozen=True)
class LearningRateRun:
    """One run of the explorer, with everything shown about it (the model of the view)."""

    function: str
    spec: DemoFunction
    learning_rate: float
    start: float
    iterations: int
    path: np.ndarray
    regime: descent.Regime
    minimum: float          # the minimum nearest to where the run ends
    distances: np.ndarray   # |x_k - minimum|, NaN once diverged

    @classmethod
    def of(cls, function: str, learning_rate: float, start: float, iterations: int) -> "LearningRateRun":
        """Run descent; name its regime from ``q = 1 - lr f''`` on a quadratic, from its steps elsewhere."""
        spec = FUNCTIONS[function]
        lr, x0, n = float(learning_rate), float(start), int(iterations)
        path = descent.path(spec.objective.grad, x0, lr, n)
        if spec.curvature is not None:
            regime = descent.regime(1.0 - lr * spec.curvature)
        else:
            regime = descent.regime_of_path(path)
        minimum = spec.nearest_minimum(path[np.isfinite(path)][-1])
        return cls(function, spec, lr, x0, n, path, regime, minimum, descent.distances(path, minimum))

    @property
    def end(self) -> float:
        """The last iterate (NaN if the run diverged)."""
        return float(self.path[-1])


class LearningRateDemo(Explorer):
    """Sliders for the learning rate, the start and the number of steps; a dropdown of functions.

    Call :meth:`update` with new values (as the sliders do) to redraw; the current run is in
    ``path``, its regime in ``regime``, the PNG of the figure in ``image.value``.
    """

    def __init__(self, learning_rate: float = 0.05, start: float = 1.0, iterations: int = 25,
                 function: str = "(x - 3)^2      f'' = 2", width: float = 9.0, dpi: int = 80):
        use_course_style()
        controls = [Choice("function", tuple(FUNCTIONS), function),
                    Slider("learning_rate", 0.005, 1.2, learning_rate, step=0.005, fmt=".3f",
                           description="learning rate"),
                    Slider("start", -2.0, 8.0, start, step=0.1, fmt=".1f", description="start x0"),
                    Slider("iterations", 1, 200, iterations, integer=True)]
        self._build_figure(width, dpi)
        super().__init__(controls, self.fig, (self.path_line, self.start_dot, self.error_line))
        self.function, self.learning_rate, self.start, self.iterations = self.widgets
        self.numbers.layout.width = "300px"
        self.update()

    @property
    def path(self) -> np.ndarray:
        """The iterates of the run shown."""
        return self.model.path

    @property
    def regime(self) -> descent.Regime:
        """The regime of the run shown."""
        return self.model.regime

    def update(self, learning_rate: "float | None" = None, start: "float | None" = None,
               iterations: "int | None" = None, function: "str | None" = None) -> descent.Regime:
        """Set any of the controls to new values, redraw once, and return the regime shown."""
        super().update(learning_rate=learning_rate, start=start, iterations=iterations, function=function)
        return self.regime

    # --- the model ---------------------------------------------------------------------

    def compute(self, function: str, learning_rate: float, start: float, iterations: int) -> LearningRateRun:
        return LearningRateRun.of(function, learning_rate, start, iterations)

    # --- the view: the figure ----------------------------------------------------------

    def _build_figure(self, width: float, dpi: int) -> None:
        self.fig = agg_figure(width, 3.6, dpi)
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
        self.ax_error.set_ylim(*DISTANCE_AXIS)
        self.ax_error.set_xlabel("step k")
        self.ax_error.set_ylabel("|x_k - x*|")
        self.ax_error.set_title("distance to the minimum (log axis)")
        self.title = self.fig.suptitle("", fontsize=13, color=PALETTE["black"])
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.15, top=0.80, wspace=0.3)
        # What changes with the learning rate is drawn over a cached picture of the rest
        # (axes, ticks, curve): redrawing all the text of the axes would cost most of the time.
        # Pictures of the still parts (the title included: it names the regime, one of five) are
        # cached per (function, step axis, title); only the run's lines are drawn on each move.
        self._drawn_function = None

    def _draw_curve(self, run: LearningRateRun) -> None:
        spec = run.spec
        xs = np.linspace(*spec.xlim, 300)
        ys = spec.objective.value(xs)
        self.curve_line.set_data(xs, ys)
        self.ax_curve.set_xlim(*spec.xlim)
        pad = 0.08 * (ys.max() - ys.min())
        self.ax_curve.set_ylim(ys.min() - pad, ys.max() + pad)
        self.ax_curve.set_title(" ".join(run.function.split()))
        self._drawn_function = spec

    def draw(self, run: LearningRateRun) -> None:
        if self._drawn_function is not run.spec:
            self._draw_curve(run)
        f = run.spec.objective
        finite = run.path[np.isfinite(run.path)]
        self.path_line.set_data(finite, f.value(finite))
        self.start_dot.set_data([run.start], [f.value(run.start)])
        # an exact landing is drawn on the floor of the log axis; NaN (diverged) is not drawn
        shown = np.where(run.distances == 0, EXACT_FLOOR, run.distances)
        self.error_line.set_data(np.arange(run.iterations + 1), shown)
        self.ax_error.set_xlim(-0.5, step_axis(run.iterations) + 0.5)
        self.title.set_text(f"Regime: {run.regime.label}")  # q is in the numbers beside the plot

    @property
    def _backgrounds(self) -> dict:
        return self.picture.cache

    def still_key(self) -> tuple:
        self._background_key = (self.function.value, step_axis(int(self.iterations.value)), self.title.get_text())
        return self._background_key

    # --- the view: the numbers ---------------------------------------------------------

    def summary(self) -> list:
        """The numbers shown beside the plot, as ``(name, value)`` pairs of strings."""
        run = self.model
        lr, n, last, x_star = run.learning_rate, run.iterations, run.end, run.minimum
        rows = [("learning rate", f"{lr:.3f}")]
        if run.spec.curvature is not None:
            c = run.spec.curvature
            rows += [("f''", f"{c:g}"), ("1/f'' (ideal)", f"{1 / c:.4g}"), ("2/f'' (limit)", f"{2 / c:.4g}"),
                     ("q = 1 - lr f''", f"{1 - lr * c:+.4f}")]
        else:
            c = run.spec.hess(x_star)
            rows += [("minimum nearest the end", f"{x_star:.4f}"), ("f'' there", f"{c:.4g}"),
                     ("1 - lr f'' there", f"{1 - lr * c:+.4f}"),
                     ("q observed", f"{run.regime.factor:+.4f}" if np.isfinite(run.regime.factor) else "-")]
        rows += [("start x0", f"{run.start:.2f}"), ("steps", str(n)),
                 (f"x_{n}", f"{last:.10g}" if np.isfinite(last) else "left the plot (diverged)"),
                 (f"|x_{n} - x*|", f"{abs(last - x_star):.3e}" if np.isfinite(last) else "-"),
                 ("regime", run.regime.key)]
        return rows

    def describe(self, run: LearningRateRun) -> str:
        return "\n".join(f"{name}: {value}" for name, value in self.summary())

    def numbers_html(self) -> str:
        cells = "".join(f"<tr><td>{k}</td><td style='text-align:right'><code>{v}</code></td></tr>"
                        for k, v in self.summary())
        return f"<table>{cells}</table><p><b>{self.regime.label}</b><br>{self.regime.explanation}</p>"
