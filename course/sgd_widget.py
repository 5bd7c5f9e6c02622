"""The slider demo of 08_stochastic_descent: batch size and learning rate against the noise of
the loss curve.

It runs the student's ``minibatches`` and ``sgd_epoch`` (one call per step) for a fixed number
of epochs and draws how far the full-data loss is above its minimum after every step. The readout
gives the numbers: the mean and the spread of the loss over the last epoch.
"""
from __future__ import annotations

from typing import Callable

import matplotlib.pyplot as plt
import numpy as np

from .optimizer_widget import Slider, _Explorer
from .plots import PALETTE, label, new_figure
from .stochastic import losses_along, step_path


class NoiseExplorer(_Explorer):
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
        self.sliders = [Slider("batch_size", 1, len(y), batch_size, log=True, description="batch size"),
                        Slider("learning_rate", 0.003, 0.3, learning_rate, log=True, description="learning rate")]
        self.fig, self.ax = new_figure(width=7.5, height=4.2)
        plt.close(self.fig)
        self.update(batch_size=batch_size, learning_rate=learning_rate)

    def png(self) -> bytes:
        """The whole figure as PNG: every move changes the curve everywhere, so nothing is cached."""
        import io

        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png")
        return buffer.getvalue()

    def run(self, batch_size: int, learning_rate: float) -> np.ndarray:
        """Full-data loss after every step of ``n_epochs`` epochs (the starting loss first)."""
        n = len(self.y)
        batches = [b for e in range(self.n_epochs) for b in self.minibatches(n, batch_size, e)]
        path = step_path(self.sgd_epoch, self.w0, self.X, self.y, learning_rate, batches)
        with np.errstate(all="ignore"):
            return losses_along(self.loss_fn, path, self.X, self.y)

    def update(self, batch_size: float, learning_rate: float) -> str:
        """Rerun for a new batch size (rounded to a whole number) and rate; redraw; return the numbers."""
        B = int(round(min(max(batch_size, 1), len(self.y))))
        for s, v in zip(self.sliders, (B, learning_rate)):
            s.value = v
        losses = self.run(B, learning_rate)
        steps_per_epoch = -(-len(self.y) // B)
        examples = np.minimum(np.arange(len(losses)) * B, len(self.y) * self.n_epochs) / len(self.y)
        self.ax.clear()
        excess = losses - self.best_loss
        shown = np.where(np.isfinite(excess) & (excess < 1e6), np.maximum(excess, 1e-8), np.nan)
        self.ax.plot(examples, shown, "-", color=PALETTE["blue"], lw=1.2 if B < 50 else 2.0,
                     marker="o" if steps_per_epoch <= 20 else None, ms=3, label="loss after each step, minus the best")
        self.ax.set_yscale("log")
        self.ax.set_ylim(1e-5, 30)
        label(self.ax, f"Batch size {B}, rate {learning_rate:.3g}: {steps_per_epoch} steps per epoch",
              "epochs (passes over the data)", "loss above its minimum (log scale)")
        self.ax.legend(loc="upper right")
        last = losses[-steps_per_epoch:]
        if not np.all(np.isfinite(last)) or last.max() > 1e6:
            self.readout = f"batch size {B}, rate {learning_rate:.4g}: diverged (the rate is too large)"
        else:
            self.readout = (f"batch size {B}, rate {learning_rate:.4g}: over the last epoch the loss is "
                            f"{last.mean() - self.best_loss:.4f} above the best on average, "
                            f"spread (standard deviation) {last.std():.4f}")
        return self.readout


__all__ = ["NoiseExplorer"]
