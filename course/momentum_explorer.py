"""The slider view of momentum per eigen-direction (08_optimizers), after Goh's Distill figure.

Left, the map of :mod:`course.momentum_map` with the chosen setting's points, one per eigenvalue:
momentum at ``(rate lam, beta)`` and plain descent at the same rate, ``(rate lam, 0)``. Right, the
error along each eigen-direction against the step for both (:mod:`course.momentum_errors`). The map,
the axes and the legend are drawn once; a slider move redraws only the points and the error lines.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .explorer import Explorer, Slider
from .momentum_errors import ERROR_FLOOR, errors_per_direction
from .momentum_map import convergence_factor, draw_momentum_map
from .plots import PALETTE, agg_figure, label

#: Dots per inch of the explorer's picture.
DPI = 80
#: An error this small counts as arrived (the readout gives the first step below it).
ARRIVED = 1e-6


@dataclass(frozen=True)
class MomentumRun:
    """One setting: the errors per direction of plain descent and of momentum, and their factors per step."""

    learning_rate: float
    beta: float
    plain: np.ndarray
    momentum: np.ndarray
    plain_factors: np.ndarray
    momentum_factors: np.ndarray


def _arrival(errors: np.ndarray) -> str:
    """When every direction's error is below :data:`ARRIVED` for good, in words."""
    if not np.all(np.isfinite(errors[-1])):
        return "diverges"
    worst = np.max(errors, axis=1)
    late = np.flatnonzero(~(worst < ARRIVED))
    if late.size and late[-1] == len(worst) - 1:
        return f"not within {ARRIVED:g} after {len(worst) - 1} steps"
    return f"within {ARRIVED:g} from step {late[-1] + 1 if late.size else 0}"


class MomentumExplorer(Explorer):
    """Rate and ``beta`` sliders on a quadratic with the given eigenvalues, plain descent alongside."""

    def __init__(self, eigenvalues=(1.0, 50.0), start_errors=(4.5, 1.5), *, learning_rate: float = 0.02,
                 beta: float = 0.6, n_steps: int = 100):
        self.eigenvalues = np.asarray(eigenvalues, dtype=float)
        self.start_errors = np.abs(np.asarray(start_errors, dtype=float))
        self.n_steps = n_steps
        controls = [Slider("learning_rate", 0.002, 0.1, learning_rate, log=True, description="rate"),
                    Slider("beta", 0.0, 0.99, beta, description="momentum β", step=0.01)]
        fig = agg_figure(12.5, 4.8, DPI)
        self.map_ax, self.error_ax = fig.subplots(1, 2)
        draw_momentum_map(self.map_ax, {}, self.eigenvalues, n_grid=200)
        self.map_ax.set_title("Where (rate·λ, β) converges, and how fast")
        (self.plain_dots,) = self.map_ax.plot([], [], "s--", color=PALETTE["vermillion"], ms=8, mec="k")
        (self.momentum_dots,) = self.map_ax.plot([], [], "o-", color=PALETTE["blue"], ms=8, mec="k")
        self.plain_lines, self.momentum_lines = [], []
        for lam, dash in zip(self.eigenvalues, ("-", "--", "-.", ":")):
            self.plain_lines += self.error_ax.plot([], [], color=PALETTE["vermillion"], linestyle=dash, marker="s",
                                                   markevery=10, ms=5, label=f"plain descent, λ = {lam:g}")
            self.momentum_lines += self.error_ax.plot([], [], color=PALETTE["blue"], linestyle=dash, marker="o",
                                                      markevery=10, ms=5, label=f"momentum, λ = {lam:g}")
        self.error_ax.set_yscale("log")
        self.error_ax.set_xlim(0, n_steps)
        self.error_ax.set_ylim(1e-13, 30 * self.start_errors.max())
        self.error_ax.legend(loc="lower left", fontsize=8)
        label(self.error_ax, "Error per eigen-direction: a steeper line is faster", "step k",
              "|error along the eigen-direction| (log scale)")
        fig.tight_layout()
        moving = [self.plain_dots, self.momentum_dots, *self.plain_lines, *self.momentum_lines]
        super().__init__(controls, fig, moving)
        self.update()

    def compute(self, learning_rate: float, beta: float) -> MomentumRun:
        steps = learning_rate * self.eigenvalues
        return MomentumRun(
            learning_rate, beta,
            errors_per_direction(self.eigenvalues, self.start_errors, learning_rate, 0.0, self.n_steps),
            errors_per_direction(self.eigenvalues, self.start_errors, learning_rate, beta, self.n_steps),
            convergence_factor(steps, 0.0), convergence_factor(steps, beta))

    def draw(self, run: MomentumRun) -> None:
        x = run.learning_rate * self.eigenvalues
        self.plain_dots.set_data(x, np.zeros_like(x))
        self.momentum_dots.set_data(x, np.full_like(x, run.beta))
        steps = np.arange(self.n_steps + 1)
        for lines, errors in ((self.plain_lines, run.plain), (self.momentum_lines, run.momentum)):
            for i, line in enumerate(lines):
                line.set_data(steps, np.maximum(errors[:, i], ERROR_FLOOR))

    def describe(self, run: MomentumRun) -> str:
        def factors(values) -> str:
            return ", ".join(f"{f:.3f} (λ = {lam:g})" for f, lam in zip(values, self.eigenvalues))

        return (f"plain descent, rate {run.learning_rate:.3g}: factors {factors(run.plain_factors)}; "
                f"{_arrival(run.plain)}\n"
                f"momentum, rate {run.learning_rate:.3g}, β {run.beta:.2f}: factors {factors(run.momentum_factors)}; "
                f"{_arrival(run.momentum)}")


__all__ = ["ARRIVED", "MomentumRun", "MomentumExplorer"]
