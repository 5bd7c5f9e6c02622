"""The grader's probes of 03_learning_rate (classify_rate, ideal_rate, newton_step).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/learning_rate.py``. The visible checks of
the same exercises are ``course/checks/learning_rate.py``.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .core import Case, Inputs, Probe, Trait, close, floats, variant


def _curvature(rng) -> float:
    return float(10 ** rng.uniform(-1.0, 1.0))


def _band(low: float, high: float) -> Inputs:
    """A rate whose product with the curvature lies in (low, high), well inside one regime."""
    def inputs(rng):
        c = _curvature(rng)
        return float(rng.uniform(low, high) / c), c
    return inputs


def _boundary(product: float) -> Inputs:
    """A rate equal to product / curvature only up to rounding (a relative 2e-14 to 1e-13 off, never exactly)."""
    def inputs(rng):
        c = _curvature(rng)
        return product / c * (1.0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(2e-14, 1e-13))), c
    return inputs


def _not_positive(which: int) -> Inputs:
    """A rate or a curvature that is zero or negative: each of the four kinds, whatever the draw."""
    def inputs(rng):
        rate, c = float(rng.uniform(0.05, 1.0)), float(rng.uniform(0.5, 5.0))
        return [(0.0, c), (-rate, c), (rate, 0.0), (rate, -c)][which]
    return inputs


def _no_value_error(right: Callable) -> Trait:
    """Right for positive arguments; for any that is zero or negative, anything but the ValueError it needs
    (a value, inf, a ZeroDivisionError: each way of not checking gives its own)."""
    def holds(args, value, raised) -> bool:
        if min(args) <= 0:
            return raised != "ValueError"
        return not raised and _same_answer(value, right(*args))
    return Trait(holds)


def _stuck_missed() -> Trait:
    """Right away from the boundary 2/f''; at it, "oscillating" (or, just past it by rounding, "diverging"):
    never "stuck", however the bands are written (``< 2``, ``<= 2``, np.isclose)."""
    def holds(args, value, raised) -> bool:
        rate, curvature = args
        if min(args) <= 0:
            return raised == "ValueError"
        product = rate * curvature
        if not np.isclose(product, 2.0):
            return not raised and value == _classify_rate(rate, curvature)
        return not raised and (value == "oscillating" or (value == "diverging" and product > 2.0))
    return Trait(holds)


def _same_answer(value, expected) -> bool:
    """A string equal to the expected string, or a number close to the expected number."""
    if isinstance(expected, str) or isinstance(value, str):
        return value == expected
    return close(value, expected)


def _classify_rate(learning_rate, curvature, *, exact=False, oscillates=True):
    if curvature <= 0 or learning_rate <= 0:
        raise ValueError("learning_rate and curvature must be positive")
    product = learning_rate * curvature
    near = (lambda a, b: a == b) if exact else np.isclose
    if near(product, 1.0):
        return "ideal"
    if near(product, 2.0):
        return "stuck"
    if product < 1.0:
        return "slow"
    if not oscillates:
        return "diverging"
    return "oscillating" if product < 2.0 else "diverging"


_REGIMES = [Case(_band(0.02, 0.98)), Case(_band(1.02, 1.98)), Case(_band(2.02, 8.0)), Case(_boundary(1.0), trials=1),
            Case(_boundary(2.0), trials=1), *(Case(_not_positive(k), trials=1) for k in range(4))]


def _ideal_rate(curvature, *, factor=1.0, checked=True):
    if checked and curvature <= 0:
        raise ValueError("curvature must be positive")
    return factor / curvature


_CURVATURES = [Case(lambda rng: (_curvature(rng),)), Case(lambda rng: (-_curvature(rng),), trials=1),
               Case(lambda rng: (0.0,), trials=1)]


def _newton_bowl(rng):
    n = int(rng.integers(2, 4))
    A = rng.normal(size=(n, n))
    H, c = A @ A.T + 0.5 * np.eye(n), rng.normal(size=n) * 2.0
    return (lambda w, H=H, c=c: H @ (floats(w) - c)), (lambda w, H=H: H.copy()), rng.normal(size=n) * 2.0


def _newton(grad, hess, w, *, step=None):
    w = floats(w)
    g, H = floats(grad(w)), floats(hess(w))
    return w - (np.linalg.solve(H, g) if step is None else step(H, g))


PROBES: dict[str, Probe] = {
    "classify_rate": Probe(_REGIMES, _classify_rate, {
        "classify_rate/diverges-past-ideal": variant(_classify_rate, oscillates=False),
        "classify_rate/exact-comparison": variant(_classify_rate, exact=True),
        "classify_rate/stuck-as-oscillating": _stuck_missed(),
        "classify_rate/no-value-error": _no_value_error(_classify_rate),
    }),
    "ideal_rate": Probe(_CURVATURES, _ideal_rate, {
        "ideal_rate/edge-of-stability": variant(_ideal_rate, factor=2.0),
        "ideal_rate/half": variant(_ideal_rate, factor=0.5),
        "ideal_rate/no-value-error": _no_value_error(_ideal_rate),
    }),
    "newton_step": Probe([Case(_newton_bowl, trials=3)], _newton, {
        "newton_step/ascent": variant(_newton, step=lambda H, g: -np.linalg.solve(H, g)),
        "newton_step/diagonal-only": variant(_newton, step=lambda H, g: g / np.diag(H)),
        "newton_step/entrywise-inverse": variant(_newton, step=lambda H, g: (1.0 / H) @ g),
        "newton_step/gradient-step": variant(_newton, step=lambda H, g: g),
    }),
}
