"""Objective functions with their gradients (and curvatures where the lessons use them).

Each is an :class:`Objective`: ``value``, ``grad`` and ``hess`` take a float or a
NumPy array of points. These drive the demos; the exercises ask students to write
their own versions of a few of them, which are not here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Objective:
    """A differentiable function of one variable, or of a vector, with a name for plots."""

    name: str
    value: Callable
    grad: Callable
    hess: Callable
    minimum: "float | np.ndarray | None" = None

    def __call__(self, x):
        return self.value(x)


def quadratic(a: float = 1.0, center: float = 0.0) -> Objective:
    """``f(x) = a (x - center)**2``: curvature ``f'' = 2a`` everywhere."""
    return Objective(
        name=f"{a:g}(x - {center:g})^2",
        value=lambda x: a * (np.asarray(x, dtype=float) - center) ** 2,
        grad=lambda x: 2.0 * a * (np.asarray(x, dtype=float) - center),
        hess=lambda x: np.full_like(np.asarray(x, dtype=float), 2.0 * a),
        minimum=center,
    )


def quartic() -> Objective:
    """``f(x) = x**4 - 3x**2 + x``: two valleys, the left one deeper (global minimum near -1.30)."""
    return Objective(
        name="x^4 - 3x^2 + x",
        value=lambda x: np.asarray(x, dtype=float) ** 4 - 3 * np.asarray(x, dtype=float) ** 2 + x,
        grad=lambda x: 4 * np.asarray(x, dtype=float) ** 3 - 6 * np.asarray(x, dtype=float) + 1,
        hess=lambda x: 12 * np.asarray(x, dtype=float) ** 2 - 6,
        minimum=-1.3008395,
    )


def wavy(c: float = 2.0) -> Objective:
    """``f(x) = x cos(c x)``: ever deeper valleys further from 0 (non-convex, many local minima)."""

    def value(x):
        x = np.asarray(x, dtype=float)
        return x * np.cos(c * x)

    def grad(x):
        x = np.asarray(x, dtype=float)
        return np.cos(c * x) - c * x * np.sin(c * x)

    def hess(x):
        x = np.asarray(x, dtype=float)
        return -2 * c * np.sin(c * x) - c * c * x * np.cos(c * x)

    return Objective(name=f"x cos({c:g}x)", value=value, grad=grad, hess=hess)


def bowl(H, center=(0.0, 0.0)) -> Objective:
    """Quadratic bowl ``f(w) = 1/2 (w - c)^T H (w - c)`` with symmetric Hessian ``H``.

    ``value`` and ``grad`` take a point of shape ``(2,)`` or a stack of shape ``(..., 2)``.
    """
    H = np.asarray(H, dtype=float)
    if H.shape[0] != H.shape[1] or not np.allclose(H, H.T):
        raise ValueError("H must be a symmetric square matrix")
    c = np.asarray(center, dtype=float)

    def value(w):
        d = np.asarray(w, dtype=float) - c
        return 0.5 * np.einsum("...i,ij,...j->...", d, H, d)

    def grad(w):
        return (np.asarray(w, dtype=float) - c) @ H  # H symmetric, so H @ d == d @ H

    return Objective(name="quadratic bowl", value=value, grad=grad, hess=lambda w: H, minimum=c)


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    """Rosenbrock's banana ``f(x, y) = (a - x)**2 + b (y - x**2)**2``, minimum at ``(a, a**2)``."""

    def value(w):
        w = np.asarray(w, dtype=float)
        x, y = w[..., 0], w[..., 1]
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def grad(w):
        w = np.asarray(w, dtype=float)
        x, y = w[..., 0], w[..., 1]
        return np.stack([-2 * (a - x) - 4 * b * x * (y - x**2), 2 * b * (y - x**2)], axis=-1)

    def hess(w):
        x, y = np.asarray(w, dtype=float)[:2]
        return np.array([[2 - 4 * b * (y - x**2) + 8 * b * x**2, -4 * b * x], [-4 * b * x, 2 * b]])

    return Objective(name="Rosenbrock", value=value, grad=grad, hess=hess, minimum=np.array([a, a * a]))
