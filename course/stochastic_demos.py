"""Demos of 07_stochastic_descent: step paths, measured gradient noise, and a race of batch sizes.

Every demo here drives the student's own functions (``sgd_epoch``, ``minibatches``) or the
notebook's given ``mse_gradient``; none of the graded exercises is written here. One step of
mini-batch descent is ``sgd_epoch(w, X, y, rate, [batch])``: an epoch of one batch.
"""
from __future__ import annotations

import time
from typing import Callable, Sequence

import numpy as np

from .descent import escaped
from .plots import PALETTE, contour_with_paths, label

EpochFn = Callable[..., np.ndarray]


def step_path(epoch_fn: EpochFn, w0, X, y, rates, batches: Sequence) -> np.ndarray:
    """Every iterate of mini-batch descent, one step per batch, ``w0`` first.

    Parameters
    ----------
    epoch_fn : the student's ``sgd_epoch(w, X, y, learning_rate, batches)``.
    w0 : the starting weights, shape ``(d,)``.
    X, y : the data.
    rates : one learning rate for every step, or a sequence with one rate per batch.
    batches : index arrays, in the order the steps use them.

    Returns
    -------
    Array of shape ``(len(batches) + 1, d)``. Once the run has diverged (the course's one
    rule, :func:`course.descent.escaped`) ``epoch_fn`` is not called again: the remaining
    rows are NaN.
    """
    rates = np.broadcast_to(np.asarray(rates, dtype=float), (len(batches),))
    path = np.full((len(batches) + 1, np.size(w0)), np.nan)
    path[0] = np.asarray(w0, dtype=float)
    for k, (rate, batch) in enumerate(zip(rates, batches), start=1):
        w = np.asarray(epoch_fn(path[k - 1], X, y, float(rate), [batch]), dtype=float)
        if escaped(w, point_ndim=1):
            break
        path[k] = w
    return path


def losses_along(loss_fn: Callable, path, X, y) -> np.ndarray:
    """The full-data loss at every iterate of ``path``."""
    return np.array([loss_fn(w, X, y) for w in np.asarray(path, dtype=float)])


def draw_paths(ax, loss_fn: Callable, X, y, paths: dict, *, best=None, xlim=(-1.5, 3.0), ylim=(-2.0, 2.5),
               title: str = "") -> None:
    """Contours of the full-data loss over ``(w1, w2)`` with labelled descent paths and the minimum."""
    Xa, ya = np.asarray(X, dtype=float), np.asarray(y, dtype=float)

    def surface(w1, w2):
        W = np.stack([w1.ravel(), w2.ravel()])
        return np.mean((Xa @ W - ya[:, None]) ** 2, axis=0).reshape(w1.shape)

    low = loss_fn(best, X, y) if best is not None else 0.0
    levels = low + np.geomspace(0.01, 40.0, 14)
    contour_with_paths(ax, surface, paths, xlim=xlim, ylim=ylim, levels=levels, n_grid=120)
    if best is not None:
        ax.plot(*best, "*", color=PALETTE["black"], ms=13, label="minimum of the full loss")
        ax.legend(loc="upper right")
    label(ax, title, "w1", "w2")


def sampled_noise(grad_fn: Callable, w, X, y, batch_sizes: Sequence[int], *, n_draws: int = 300,
                  seed: int = 0) -> np.ndarray:
    """Measured gradient noise: the root-mean-square of ``|g_B - g|`` over random batches.

    For each batch size ``B``, ``n_draws`` batches of ``B`` distinct samples are drawn
    (without replacement, as in one epoch of shuffled data); ``g_B`` is ``grad_fn`` on the
    batch and ``g`` on all the data.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    full = np.asarray(grad_fn(w, X, y), dtype=float)
    out = []
    for B in batch_sizes:
        sq = [np.sum((np.asarray(grad_fn(w, X[b], y[b]), dtype=float) - full) ** 2)
              for b in (rng.choice(len(y), size=int(B), replace=False) for _ in range(n_draws))]
        out.append(np.sqrt(np.mean(sq)))
    return np.array(out)


def plot_noise(ax, batch_sizes, measured, *, formula=None, level: float | None = None) -> None:
    """Gradient noise against batch size on log-log axes: measured points, formula curve, a level."""
    ax.loglog(batch_sizes, measured, "o", color=PALETTE["vermillion"], label="measured (random batches)")
    if formula is not None:
        ax.loglog(batch_sizes, np.maximum(formula, 1e-12), "-", color=PALETTE["blue"], label="your gradient_noise")
    if level is not None:
        ax.axhline(level, color=PALETTE["green"], ls="--", lw=1.2, label="a quarter of |full gradient|")
    label(ax, "Noise of a mini-batch gradient", "batch size B (log scale)", "RMS of |g_B - g| (log scale)")
    ax.legend(loc="lower left")


def batch_size_race(epoch_fn: EpochFn, batches_fn: Callable, loss_fn: Callable, X, y, w0,
                    batch_sizes: Sequence[int], rate_for: Callable[[int], float], target: float,
                    *, max_epochs: int = 100) -> list[dict]:
    """For each batch size: steps, epochs and wall time of mini-batch descent to reach ``target``.

    The loss is checked after every step (that check is not timed); the wall time is the
    time of the steps alone. Epoch ``e`` uses ``batches_fn(n, B, e)``.
    """
    n = len(y)
    rows = []
    for B in batch_sizes:
        rate, w, steps, seconds, reached = rate_for(B), np.array(w0, dtype=float), 0, 0.0, False
        for epoch in range(max_epochs):
            for batch in batches_fn(n, B, epoch):
                start = time.perf_counter()
                w = epoch_fn(w, X, y, rate, [batch])
                seconds += time.perf_counter() - start
                steps += 1
                if loss_fn(w, X, y) <= target:
                    reached = True
                    break
            if reached:
                break
        rows.append({"batch_size": int(B), "rate": rate, "steps": steps, "examples": steps * int(B),
                     "epochs": steps * int(B) / n, "seconds": seconds, "reached": reached})
    return rows


def plot_race(axes, rows: list[dict]) -> None:
    """Two panels: update steps to the target, and wall time to the target, against batch size."""
    B = [r["batch_size"] for r in rows]
    ax_s, ax_t = axes
    ax_s.loglog(B, [r["steps"] for r in rows], "o-", color=PALETTE["blue"], label="update steps")
    ax_s.loglog(B, [r["epochs"] for r in rows], "s--", color=PALETTE["orange"], label="epochs (passes over the data)")
    label(ax_s, "Steps and epochs to the target", "batch size B", "count (log scale)")
    ax_s.legend(loc="lower left")
    ax_t.loglog(B, [r["seconds"] for r in rows], "o-", color=PALETTE["green"])
    label(ax_t, "Wall time to the target (this machine)", "batch size B", "seconds (log scale)")


def race_table(rows: list[dict]) -> str:
    """The race as text, one line per batch size."""
    lines = [f"{'B':>5} {'rate':>6} {'steps':>7} {'epochs':>7} {'ms':>8}"]
    for r in rows:
        flag = "" if r["reached"] else "  (target not reached)"
        lines.append(f"{r['batch_size']:5d} {r['rate']:6.3f} {r['steps']:7d} {r['epochs']:7.2f} "
                     f"{1000 * r['seconds']:8.1f}{flag}")
    return "\n".join(lines)


__all__ = ["step_path", "losses_along", "draw_paths", "sampled_noise", "plot_noise", "batch_size_race",
           "plot_race", "race_table"]
