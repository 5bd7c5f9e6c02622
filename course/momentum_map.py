"""Where momentum converges, per eigen-direction (after Goh, "Why Momentum Really Works", Distill 2017).

On a quadratic with Hessian eigenvalue ``lam`` the heavy ball ``v <- beta v + g``,
``w <- w - rate v`` moves each eigen-coordinate by the linear recursion
``x_{k+1} = (1 + beta - rate lam) x_k - beta x_{k-1}``. Its error shrinks per step by
the largest modulus of the roots of ``r**2 - (1 + beta - rate lam) r + beta = 0``; it
converges iff ``0 <= beta < 1`` and ``0 < rate lam < 2 (1 + beta)``. Used in 08_optimizers.
"""
from __future__ import annotations

import numpy as np

from .plots import PALETTE, SURFACE_CMAP, label


def convergence_factor(step_curvature, beta) -> np.ndarray:
    """Largest root modulus of ``r**2 - (1 + beta - step_curvature) r + beta`` (vectorised)."""
    a = 1.0 + np.asarray(beta, dtype=float) - np.asarray(step_curvature, dtype=float)
    disc = a * a - 4.0 * np.asarray(beta, dtype=float)
    sq = np.sqrt(np.abs(disc))
    real = np.maximum(np.abs(a + sq), np.abs(a - sq)) / 2.0
    complex_ = np.sqrt(np.maximum(np.asarray(beta, dtype=float), 0.0))
    return np.where(disc >= 0, real, complex_)


def draw_momentum_map(ax, settings: dict, eigenvalues, *, x_range=(1e-2, 8.0), n_grid: int = 300) -> None:
    """Heat map of the convergence factor over (rate x curvature, beta), with marked eigen-directions.

    ``settings`` maps a label to ``(rate, beta)``; each is drawn at ``rate * lam`` for every
    eigenvalue ``lam``, the points of one setting joined by a line.
    """
    xs = np.geomspace(*x_range, n_grid)
    betas = np.linspace(0.0, 0.99, n_grid)
    S, B = np.meshgrid(xs, betas)
    F = convergence_factor(S, B)
    image = ax.pcolormesh(S, B, np.where(F < 1, F, np.nan), cmap=SURFACE_CMAP, vmin=0, vmax=1, shading="auto")
    ax.contourf(S, B, F >= 1, levels=[0.5, 1.5], colors=["0.85"])
    ax.plot(2 * (1 + betas), betas, color=PALETTE["black"], lw=1.2, label="edge of stability: rate·λ = 2(1 + β)")
    markers = ("o", "s", "^", "D")
    for (name, (rate, beta)), colour, marker in zip(settings.items(), (PALETTE["vermillion"], PALETTE["orange"],
                                                                       PALETTE["sky"], PALETTE["purple"]), markers):
        pts = np.array([rate * lam for lam in eigenvalues])
        factors = convergence_factor(pts, beta)
        ax.plot(pts, [beta] * len(pts), marker + "-", color=colour, ms=8, mec="k",
                label=f"{name}: factors " + ", ".join(f"{f:.3f}" for f in factors))
    ax.set_xscale("log")
    ax.set_xlim(*x_range)
    ax.set_ylim(-0.03, 0.99)
    ax.figure.colorbar(image, ax=ax, label="error factor per step (grey: diverges)")
    ax.legend(loc="upper left", fontsize=8)
    label(ax, "Momentum per eigen-direction: where (rate·λ, β) converges, and how fast",
          "rate × curvature λ (log scale)", "momentum β")


__all__ = ["convergence_factor", "draw_momentum_map"]
