"""Descent paths and step-size regimes for the demos. Taught in 02_parabola_descent and 03_learning_rate.

On a quadratic ``f(x) = a (x - c)**2`` with curvature ``f'' = 2a``, one descent step
with rate ``lr`` multiplies the error ``e = x - c`` by the *contraction factor*

    q = 1 - lr * f''          (e_{k+1} = q e_k, so e_k = q**k e_0).

Everything about the run follows from ``q``: it shrinks monotonically when
``0 < q < 1``, lands in one step when ``q = 0`` (``lr = 1/f''``), zig-zags inwards when
``-1 < q < 0``, bounces for ever when ``q = -1`` (``lr = 2/f''``) and blows up when
``q < -1``. On other functions the same reading holds near a minimum, with the local
curvature; :func:`observed_factor` measures ``q`` from the steps a run actually took.

One engine runs every demo's descent, :func:`descend` (plain, with momentum, or with a
matrix step; one run or a whole batch at once), and one rule says when a run has diverged,
:func:`escaped`. The exercises ask students to write their own descent functions; these
helpers draw the pictures and do not follow the exercises' contracts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["ESCAPE", "escaped", "descend", "path", "sign_path", "distances", "Regime", "regime",
           "observed_factor", "regime_of_path", "iteration_table"]

#: The divergence rule's bound: a point with a coordinate larger than this in size has diverged.
ESCAPE = 1e8


def escaped(x, point_ndim: int = 0) -> np.ndarray:
    """The divergence rule: True for each point with a coordinate beyond :data:`ESCAPE` (or not finite).

    ``x`` holds points whose last ``point_ndim`` axes are the coordinates; the result has the
    shape of the remaining axes (one verdict per point).

    Why one fixed bound, and why ``1e8``: a run may be called diverged once it cannot come
    back, and must be called so before floating point overflows.

    - No converging run gets near it. On a quadratic the error obeys ``e_k = q**k e_0``:
      when ``|q| <= 1`` no iterate is further from the minimum than the start, so the demos'
      runs (starts and minima within ``|x| <= 10``) stay within ``|x| <= 20``. With momentum
      (``beta <= 0.99``) a converging run overshoots to at most about 50 times its starting
      distance; still seven orders of magnitude below the bound.
    - A run that gets there does not come back. On a quadratic only ``|q| > 1`` gets there,
      and then the error grows by ``|q|`` at every step. On the quartic ``x**4 - 3 x**2 + x``
      a step multiplies ``x`` by ``1 - lr (4 x**2 - 6 + 1/x)``: once ``|x| >= 1`` and
      ``lr (4 x**2 - 7) > 3`` (``|x| > 19.4`` for the smallest rate the sliders offer, 0.002)
      that factor is below -2, so ``|x|`` more than doubles and the condition holds for ever.
    - Nothing overflows before it. The highest power of ``x`` in any course function is 4
      (the quartic, Rosenbrock's ``100 (y - x**2)**2``): at ``|x| = 1e8`` that is ``1e32``,
      and the step that crosses the bound stays far below the overflow at ``1.8e308``, so
      a cut run shows no ``inf`` and no warning.
    """
    far = ~(np.abs(np.asarray(x, dtype=float)) <= ESCAPE)  # NaN counts as far
    return far.any(axis=tuple(range(far.ndim - point_ndim, far.ndim))) if point_ndim else far


def descend(grad: Callable, x0, rate, n_steps: int, *, beta=0.0, point_ndim: "int | None" = None,
            preconditioner=None, history: bool = True) -> np.ndarray:
    """The demos' one descent engine: gradient descent with momentum, for one run or a batch.

    Every run starts at rest and repeats ``u <- beta u - rate P grad(x)``, ``x <- x + u``.
    With ``beta = 0`` (the default) that is plain descent ``x <- x - rate grad(x)``; with a
    matrix ``P`` (``preconditioner``, e.g. ``inv(H)`` for Newton's step on a bowl with Hessian
    ``H``) the gradient is multiplied by ``P`` first. A run that :func:`escaped` is NaN from
    then on; the loop stops once every run has.

    Parameters
    ----------
    grad : callable
        Gradient of the objective; takes points stacked as in ``x0`` and returns their gradients.
    x0 : float or array_like
        Starts. The last ``point_ndim`` axes are a point's coordinates, the leading axes (if
        any) number the runs. ``point_ndim=None`` means all of them: one run.
    rate, beta : float or array_like
        Learning rate and momentum, per run: they broadcast against the runs' axes (a row of
        starts and a column of rates, say, gives a map of runs).
    n_steps : int
        Number of updates.
    preconditioner : array_like, optional
        Square matrix ``P`` applied to every gradient (points must be vectors).
    history : bool
        Return every iterate (default) or only the final points.

    Returns
    -------
    ndarray
        Shape ``(n_steps + 1,) + runs + point`` with ``x0`` first, or ``runs + point`` without history.
    """
    x = np.asarray(x0, dtype=float)
    k = x.ndim if point_ndim is None else point_ndim
    point = x.shape[x.ndim - k:]
    runs = np.broadcast_shapes(x.shape[:x.ndim - k], np.shape(rate), np.shape(beta))
    per_run = (Ellipsis,) + (None,) * k  # a per-run number, spread over the point's coordinates
    rate = np.broadcast_to(np.asarray(rate, dtype=float), runs)[per_run]
    beta = np.broadcast_to(np.asarray(beta, dtype=float), runs)[per_run]
    P = None if preconditioner is None else np.asarray(preconditioner, dtype=float)
    x = np.broadcast_to(x, runs + point).copy()
    momentum = bool(np.any(beta != 0))
    u = np.zeros_like(x)
    out = np.full((n_steps + 1,) + x.shape, np.nan) if history else None
    if history:
        out[0] = x
    if not runs:  # one run: plain numbers are faster than 0-d arrays in the loop below
        rate, beta = rate.item(), beta.item()
    for step in range(1, n_steps + 1):
        g = np.asarray(grad(x), dtype=float)
        if P is not None:
            g = g @ P.T
        if momentum:
            u = beta * u - rate * g
            x = x + u
        else:
            x = x - rate * g
        if not np.all(np.abs(x) <= ESCAPE):  # some run escaped (now, or before): the rule decides which
            lost = escaped(x, k)
            if lost.all():
                x = np.full_like(x, np.nan)
                break
            x = np.where(lost[per_run], np.nan, x)
        if history:
            out[step] = x
    return out if history else x


def path(grad: Callable, x0, step, n_iters: int) -> np.ndarray:
    """Iterates of (preconditioned) gradient descent ``x <- x - P grad(x)``: one run of :func:`descend`.

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

    Returns
    -------
    ndarray
        Shape ``(n_iters + 1,) + shape(x0)``; row 0 is ``x0``. Once the run has diverged
        (:func:`escaped`) the remaining rows are NaN, so that plots show the blow-up
        without overflow warnings.
    """
    if np.ndim(step) == 2:
        return descend(grad, x0, 1.0, n_iters, preconditioner=step)
    return descend(grad, x0, step, n_iters)


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
