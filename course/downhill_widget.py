"""The slider of 03_learning_rate's arrows: stretch the bowl and watch -grad f turn away from the minimum.

One slider sets the condition number of :func:`~course.downhill_arrows.stretched_bowl`; the picture
is :func:`~course.downhill_arrows.draw_downhill_arrows` with plain descent at the best single rate
``2 / (1 + condition)``, and the words give the angle between ``-grad f`` at the start and the line
to the minimum, and how far the run is after its steps. Every move redraws the whole picture (the
contours change) over a cached picture of the axes and the legend: the contours, arrows and path move.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import descent
from .downhill_arrows import angle_to_minimum, draw_downhill_arrows, stretched_bowl
from .explorer import Explorer, Slider
from .plots import agg_figure

#: Where every run starts (03's figure starts here too).
START = (-1.5, -2.0)
#: The legend's words, in the order the picture draws its parts (the numbers are in the words beside it).
LEGEND = ["-∇f (direction only)", "-∇f at the start", "minimum", "plain descent at the best rate 2/(1 + κ)",
          "straight to the minimum"]


@dataclass(frozen=True)
class StretchRun:
    """One condition number: the bowl, the best single rate, the angle at the start, the distance left."""

    condition: float
    learning_rate: float
    angle: float
    distance: float


class StretchExplorer(Explorer):
    """A condition-number slider over the arrows of ``-grad f`` on 03's bowl."""

    def __init__(self, condition: float = 1.0, n_steps: int = 30, frame=(-3.0, 3.0)):
        self.n_steps, self.frame = n_steps, frame
        fig = agg_figure(6.0, 6.0, 80)
        self.ax = fig.subplots()
        self.drawn: list = []
        super().__init__([Slider("condition", 1.0, 50.0, condition, log=True, description="condition κ", fmt=".3g")],
                         fig)
        self.update()

    def compute(self, condition: float) -> StretchRun:
        f = stretched_bowl(condition)
        rate = 2.0 / (1.0 + condition)
        end = descent.path(f.grad, np.asarray(START), rate, self.n_steps)[-1]
        return StretchRun(condition, rate, angle_to_minimum(f, START),
                          float(np.linalg.norm(end - np.asarray(f.minimum))))

    def draw(self, run: StretchRun) -> None:
        for artist in self.drawn:
            artist.remove()
        before = set(self.ax.get_children())
        draw_downhill_arrows(self.ax, stretched_bowl(run.condition), self.frame, self.frame, start=START,
                             learning_rate=round(run.learning_rate, 4), n_steps=self.n_steps, n_grid=160,
                             title="Stretch the bowl: -∇f turns away from the minimum", legend=False)
        self.drawn = [a for a in self.ax.get_children() if a not in before]
        if self.ax.get_legend() is None:  # one legend for every condition number, drawn once with the axes
            handles, _ = self.ax.get_legend_handles_labels()
            self.ax.legend(handles, LEGEND, loc="upper right", fontsize=8, framealpha=0.9, frameon=True)
        self.picture.moving = []
        self.picture.add(*self.drawn)

    def describe(self, run: StretchRun) -> str:
        return (f"condition number {run.condition:.3g}: "
                f"-∇f at the start is {run.angle:.1f}° off the line to the minimum\n"
                f"plain descent at the best rate 2/(1 + κ) = {run.learning_rate:.3g}: "
                f"{run.distance:.2g} from the minimum after {self.n_steps} steps")


__all__ = ["START", "StretchRun", "StretchExplorer"]
