"""Descent paths and step-size regimes for the demos. Taught in 02_parabola_descent and 03_learning_rate.

On a quadratic ``f(x) = a (x - c)**2`` with curvature ``f'' = 2a``, one descent step
with rate ``lr`` multiplies the error ``e = x - c`` by the *contraction factor*

    q = 1 - lr * f''          (e_{k+1} = q e_k, so e_k = q**k e_0).

Everything about the run follows from ``q``: it shrinks monotonically when
``0 < q < 1``, lands in one step when ``q = 0`` (``lr = 1/f''``), zig-zags inwards when
``-1 < q < 0``, bounces for ever when ``q = -1`` (``lr = 2/f''``) and blows up when
``q < -1``. On other functions the same reading holds near a minimum, with the local
curvature; :func:`observed_factor` measures ``q`` from the steps a run actually took.

The exercises ask students to write their own descent functions; these helpers
draw the pictures and do not follow the exercises' contracts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["path", "sign_path", "distances", "Regime", "regime", "observed_factor", "regime_of_path",
           "iteration_table"]


def path(grad: Callable, x0, step, n_iters: int, *, limit: float = 1e12) -> np.ndarray:
    """Iterates of (preconditioned) gradient descent ``x <- x - P grad(x)``.

    Parameters
    ----------
    grad : callable
        Gradient of the objective; takes and returns a float or an array shaped like ``x0``.
    x0 : float or array_like
        Starting point.
    step : float or array_like
        A learning rate (a number), or a matrix ``P`` that multiplies the gradient
        (``P = inv(H)`` gives Newton's step on a quadratic bowl with Hessian ``H``).
    n_iters : int
        Number of updates.
    limit : float
        A run whose iterate leaves ``|x| <= limit`` has diverged: the remaining rows are NaN,
        so that plots show the blow-up without overflow warnings.

    Returns
    -------
    ndarray
        Shape ``(n_iters + 1,) + shape(x0)``; row 0 is ``x0``.
    """
    x = np.array(x0, dtype=float)
    P = np.asarray(step, dtype=float)
    out = np.full((n_iters + 1,) + x.shape, np.nan)
    out[0] = x
    for k in range(1, n_iters + 1):
        g = np.asarray(grad(x), dtype=float)
        x = x - (P @ g if P.ndim == 2 else P * g)
        if not np.all(np.abs(x) <= limit):
            break
        out[k] = x
    return out


def sign_path(grad: Callable, x0: float, step_size: float, n_iters: int) -> np.ndarray:
    """Iterates of fixed-size steps downhill, ``x <- x - step_size * sign(f'(x))``.

    The step ignores how steep the slope is, so near a minimum it cannot shrink:
    the run ends up bouncing around the minimum for ever (unless it lands on it exactly).
    """
    x = float(x0)
    out = [x]
    for _ in range(n_iters):
        x = x - step_size * float(np.sign(grad(x)))
        out.append(x)
    return np.array(out)


def distances(points, minimum) -> np.ndarray:
    """Distance of each iterate to ``minimum`` (Euclidean for vectors); NaN stays NaN."""
    d = np.asarray(points, dtype=float) - np.asarray(minimum, dtype=float)
    return np.abs(d) if d.ndim == 1 else np.linalg.norm(d, axis=-1)


@dataclass(frozen=True)
class Regime:
    """How a descent run behaves, read from its contraction factor ``q``."""

    key: str
    label: str
    explanation: str
    factor: float

    def __str__(self) -> str:
        return f"{self.label} (q = {self.factor:+.3f})"


_EXPLANATIONS = {
    "ideal": ("ideal: lands in one step", "q = 0: the first step removes the whole error."),
    "slow": ("slow: creeps towards the minimum",
             "0 < q < 1: every step keeps the same side, shrinking the error by q."),
    "oscillating": ("oscillating: zig-zags inwards",
                    "-1 < q < 0: every step jumps over the minimum, but lands closer."),
    "stuck": ("stuck: bounces for ever", "q = -1: every step jumps to the mirror point, at the same distance."),
    "diverging": ("diverging: overshoots further each step",
                  "q < -1: every step jumps over the minimum and lands further away."),
    "still": ("not moving", "q = 1: the steps are zero (rate 0, or a flat function)."),
    "away": ("moving away", "q > 1: the steps go uphill (a negative rate, or a maximum: f'' < 0)."),
}


def regime(factor: float, atol: float = 1e-9) -> Regime:
    """Name the behaviour of ``e_{k+1} = q e_k`` for the contraction factor ``q = factor``.

    ``q`` within ``atol`` of 0, -1 or 1 counts as exactly there: rates typed as decimals
    (0.1 * 10 = 1.0000000000000002 in floating point) land on a boundary only up to rounding.

    Examples
    --------
    >>> regime(1 - 0.5 * 2.0).key      # lr = 1/f''
    'ideal'
    >>> regime(1 - 1.0 * 2.0).key      # lr = 2/f''
    'stuck'
    """
    q = float(factor)
    if not np.isfinite(q):
        key = "diverging"
    elif abs(q) <= atol:
        key = "ideal"
    elif abs(q + 1) <= atol:
        key = "stuck"
    elif abs(q - 1) <= atol:
        key = "still"
    elif q > 1:
        key = "away"
    elif q > 0:
        key = "slow"
    elif q > -1:
        key = "oscillating"
    else:
        key = "diverging"
    label, explanation = _EXPLANATIONS[key]
    return Regime(key, label, explanation, q)


def observed_factor(points, window: int = 5) -> float:
    """The contraction factor a run shows: the median ratio of consecutive steps.

    On a quadratic every ratio ``(x_{k+1} - x_k) / (x_k - x_{k-1})`` equals ``q``; elsewhere
    the last ones approach ``1 - lr f''(x*)`` at the minimum ``x*`` the run settles in.
    Steps that rounding has shrunk to (almost) nothing are left out; a run that stopped
    moving after its first step reports 0.
    """
    x = np.asarray(points, dtype=float)
    x = x[np.isfinite(x)]
    steps = np.diff(x)
    if steps.size == 0:
        return 1.0
    scale = np.max(np.abs(steps))
    if scale == 0.0:
        return 1.0
    big = np.abs(steps) > 1e-9 * scale
    if big.sum() < 2:
        return 0.0
    steps = steps[big]
    ratios = steps[1:] / steps[:-1]
    return float(np.median(ratios[-window:]))


def regime_of_path(points, atol: float = 0.02) -> Regime:
    """The regime a run shows, read from its steps (any function, no formula needed).

    A run that left the plotting range (NaN, see :func:`path`) is diverging; otherwise the
    :func:`observed_factor` is named by :func:`regime`, with a tolerance ``atol`` suited to
    measured ratios.
    """
    x = np.asarray(points, dtype=float)
    if not np.all(np.isfinite(x)):
        return regime(-np.inf)
    return regime(observed_factor(x), atol=atol)


def iteration_table(points, grad: Callable, minimum: float, rows: "list[int] | None" = None) -> str:
    """A plain-text table of a 1-D run: ``k``, ``x_k``, slope, step taken, distance to ``minimum``.

    The step in row ``k`` is ``x_k - x_{k-1}``, the move that produced ``x_k``.
    """
    x = np.asarray(points, dtype=float)
    rows = range(len(x)) if rows is None else rows
    slope = "slope f'(x_k)"
    lines = [f"{'k':>3}  {'x_k':>18}  {slope:>14}  {'step':>11}  {'|x_k - x*|':>11}"]
    for k in rows:
        step = "" if k == 0 else f"{x[k] - x[k - 1]:+.4e}"
        lines.append(f"{k:>3}  {x[k]:>18.13f}  {float(grad(x[k])):>+14.6f}  {step:>11}  "
                     f"{abs(x[k] - minimum):>11.4e}")
    return "\n".join(lines)
