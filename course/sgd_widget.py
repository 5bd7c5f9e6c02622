"""The slider demo of 07_stochastic_descent: batch size and learning rate against the noise of
the loss curve.

It runs the student's ``minibatches`` and ``sgd_epoch`` (one call per step) for a fixed number
of epochs and draws how far the full-data loss is above its minimum after every step. The readout
gives the numbers: the mean and the spread of the loss over the last epoch.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

from .explorer import Explorer, Slider
from .plots import PALETTE, label, new_figure
from .stochastic_demos import losses_along, step_path

#: The loss axis (log scale): what is drawn of the loss above its minimum.
EXCESS_AXIS = (1e-5, 30)


@dataclass(frozen=True)
class NoiseRun:
    """One run of the noise explorer: the full-data loss after every step."""

    batch_size: int
    learning_rate: float
    losses: np.ndarray      # the starting loss first; NaN once the run diverged
    steps_per_epoch: int
    epochs: np.ndarray      # passes over the data made after each step

    @property
    def last_epoch(self) -> np.ndarray:
        return self.losses[-self.steps_per_epoch:]

    @property
    def diverged(self) -> bool:
        return not np.all(np.isfinite(self.last_epoch))


class NoiseExplorer(Explorer):
    """Per-step loss of mini-batch descent for a chosen batch size and constant rate.

    Parameters
    ----------
    minibatches, sgd_epoch, loss_fn : the student's functions and the notebook's loss.
    X, y, w0 : the data and the start.
    best_loss : the minimum of the full-data loss (subtracted before drawing).
    n_epochs : how many passes over the data each run makes.
    """

    def __init__(self, minibatches: Callable, sgd_epoch: Callable, loss_fn: Callable, X, y, w0,
                 best_loss: float, *, batch_size: int = 8, learning_rate: float = 0.03, n_epochs: int = 3):
        self.minibatches, self.sgd_epoch, self.loss_fn = minibatches, sgd_epoch, loss_fn
        self.X, self.y, self.w0, self.best_loss, self.n_epochs = X, y, w0, best_loss, n_epochs
        controls = [Slider("batch_size", 1, len(y), batch_size, log=True, description="batch size"),
                    Slider("learning_rate", 0.003, 0.3, learning_rate, log=True, description="learning rate")]
        fig, self.ax = new_figure(width=7.5, height=4.2)
        plt.close(fig)
        super().__init__(controls, fig)
        self.update()

    def png(self) -> bytes:
        """The whole figure as PNG: every move changes the curve everywhere, so nothing is cached."""

        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def losses(self, batch_size: int, learning_rate: float) -> np.ndarray:
        """Full-data loss after every step of ``n_epochs`` epochs (the starting loss first)."""
        n = len(self.y)
        batches = [b for e in range(self.n_epochs) for b in self.minibatches(n, batch_size, e)]
        path = step_path(self.sgd_epoch, self.w0, self.X, self.y, learning_rate, batches)
        with np.errstate(all="ignore"):
            return losses_along(self.loss_fn, path, self.X, self.y)

    def compute(self, batch_size: float, learning_rate: float) -> NoiseRun:
        """Run for a batch size (rounded to a whole number) and a rate."""
        n = len(self.y)
        B = int(round(min(max(batch_size, 1), n)))
        losses = self.losses(B, learning_rate)
        epochs = np.minimum(np.arange(len(losses)) * B, n * self.n_epochs) / n
        return NoiseRun(B, learning_rate, losses, -(-n // B), epochs)

    def draw(self, run: NoiseRun) -> None:
        self.ax.clear()
        excess = run.losses - self.best_loss
        shown = np.where(np.isfinite(excess), np.maximum(excess, 1e-8), np.nan)
        self.ax.plot(run.epochs, shown, "-", color=PALETTE["blue"], lw=1.2 if run.batch_size < 50 else 2.0,
                     marker="o" if run.steps_per_epoch <= 20 else None, ms=3,
                     label="loss after each step, minus the best")
        self.ax.set_yscale("log")
        self.ax.set_ylim(*EXCESS_AXIS)
        label(self.ax, f"Batch size {run.batch_size}, rate {run.learning_rate:.3g}: "
                       f"{run.steps_per_epoch} steps per epoch",
              "epochs (passes over the data)", "loss above its minimum (log scale)")
        self.ax.legend(loc="upper right")

    def describe(self, run: NoiseRun) -> str:
        head = f"batch size {run.batch_size}, rate {run.learning_rate:.4g}"
        if run.diverged:
            return f"{head}: diverged (the rate is too large)"
        last = run.last_epoch
        return (f"{head}: over the last epoch the loss is {last.mean() - self.best_loss:.4f} above the best "
                f"on average, spread (standard deviation) {last.std():.4f}")


__all__ = ["NoiseExplorer"]
