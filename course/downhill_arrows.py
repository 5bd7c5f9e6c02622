"""The steepest way down, drawn: -grad f as arrows on the contour lines of a 2-D bowl. Used in 03_learning_rate.

Along a contour line ``f`` does not change, so the line's tangent ``t`` has ``grad f . t = 0``:
the gradient is perpendicular to the contour, and ``-grad f`` crosses it at a right angle,
pointing to the lower contours. On a round bowl that direction aims at the minimum; on a
stretched one it aims across the valley, which is why plain descent zig-zags there.

:func:`draw_downhill_arrows` draws the contours, then arrows of ``-grad f`` (all of one length:
the direction is the point) at points spaced evenly along each drawn contour line, and, if
asked, a plain descent path (from the course's descent engine) with the straight line to the
minimum for comparison.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.path import Path

from . import descent
from .figure_text import describe
from .functions import Objective, bowl
from .plots import PALETTE, SURFACE_CMAP, label


@dataclass
class DownhillPicture:
    """What :func:`draw_downhill_arrows` drew: the contour set, the arrows' bases and unit directions, the path."""

    contours: object
    bases: np.ndarray
    directions: np.ndarray
    path: "np.ndarray | None"


def contour_lines(contours) -> list:
    """Every drawn contour line of a Matplotlib contour set, as ``(level, vertices of shape (m, 2))``.

    Read from the paths' vertices and codes as drawn, unsimplified (``Path.to_polygons`` would
    simplify them in data units, which moves the corners of a line by much more than a pixel).
    """

    lines = []
    for level, path in zip(contours.levels, contours.get_paths()):
        vertices = np.asarray(path.vertices, dtype=float)
        codes = path.codes if path.codes is not None else np.full(len(vertices), Path.LINETO)
        starts = list(np.flatnonzero(codes == Path.MOVETO)) or [0]
        for first, end in zip(starts, starts[1:] + [len(vertices)]):
            piece = vertices[first:end].copy()
            if codes[end - 1] == Path.CLOSEPOLY:  # its vertex is a placeholder: the line returns to its start
                piece[-1] = piece[0]
            if len(piece) >= 2:
                lines.append((float(level), piece))
    return lines


def points_along(vertices, n_points: int) -> np.ndarray:
    """``n_points`` points spread evenly by arc length along a polyline (half a spacing in from its start)."""
    vertices = np.asarray(vertices, dtype=float)
    lengths = np.linalg.norm(np.diff(vertices, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(lengths)])
    wanted = (np.arange(n_points) + 0.5) / n_points * along[-1]
    return np.column_stack([np.interp(wanted, along, vertices[:, j]) for j in range(2)])


def downhill_directions(objective: Objective, points) -> np.ndarray:
    """``-grad f`` at each point, scaled to length 1 (shape ``(m, 2)``)."""
    down = -np.asarray(objective.grad(np.asarray(points, dtype=float)), dtype=float)
    return down / np.linalg.norm(down, axis=-1, keepdims=True)


def draw_downhill_arrows(ax, objective: Objective, xlim, ylim, *, levels=None, arrows_per_line: int = 8,
                         arrow_length: float = 0.35, start=None, learning_rate: float = 0.0, n_steps: int = 0,
                         title: str = "-∇f crosses every contour at a right angle, pointing downhill",
                         n_grid: int = 240, legend: bool = True) -> DownhillPicture:
    """Contours of ``objective`` with ``-grad f`` arrows on them, and optionally a descent path from ``start``.

    ``levels`` are the contour heights (by default, with a ``start`` on a bowl: the contours a
    quarter, half and three quarters of the way from the minimum to the start's contour). Each
    drawn line carries ``arrows_per_line`` arrows (a line cut by the frame, in pieces, shares them
    by length). With ``start`` the contour through it and a longer, black arrow at it (the last
    base) are added; with ``n_steps > 0`` as well, the plain descent path at ``learning_rate`` and
    a dashed line from the start to the minimum, which ``-grad f`` at the start need not follow.
    ``legend=False`` leaves the legend to the caller (a slider keeps one legend for every picture).
    """
    if start is not None:  # the contour through the start, so that its arrow is drawn there
        height = float(objective(np.asarray(start, dtype=float)))
        levels = height * np.array([1, 4, 9]) / 16 if levels is None else levels
        levels = np.unique(np.append(np.asarray(levels, dtype=float), height))
    xs, ys = np.linspace(*xlim, n_grid), np.linspace(*ylim, n_grid)
    gx, gy = np.meshgrid(xs, ys)
    heights = objective(np.stack([gx, gy], axis=-1))
    contours = ax.contour(gx, gy, heights, levels=levels, cmap=SURFACE_CMAP, linewidths=1.0)
    lines = contour_lines(contours)
    per_level: dict = {}
    for level, vertices in lines:
        per_level[level] = per_level.get(level, 0.0) + float(np.sum(np.linalg.norm(np.diff(vertices, axis=0), axis=1)))
    bases = []
    for level, vertices in lines:
        length = float(np.sum(np.linalg.norm(np.diff(vertices, axis=0), axis=1)))
        share = int(round(arrows_per_line * length / per_level[level]))
        if share:
            bases.append(points_along(vertices, share))
    bases = np.concatenate(bases) if bases else np.zeros((0, 2))
    directions = downhill_directions(objective, bases) if len(bases) else np.zeros((0, 2))
    ax.quiver(bases[:, 0], bases[:, 1], arrow_length * directions[:, 0], arrow_length * directions[:, 1],
              angles="xy", scale_units="xy", scale=1.0, color=PALETTE["vermillion"], width=0.005,
              label="-∇f (direction only)", zorder=3)
    if start is not None:  # the arrow at the start: twice as long, in black, and the last base
        start = np.asarray(start, dtype=float)
        first = downhill_directions(objective, start[None, :])
        ax.quiver(start[0], start[1], 2 * arrow_length * first[0, 0], 2 * arrow_length * first[0, 1],
                  angles="xy", scale_units="xy", scale=1.0, color=PALETTE["black"], width=0.007,
                  label="-∇f at the start", zorder=5)
        bases, directions = np.vstack([bases, start]), np.vstack([directions, first])
    path = None
    minimum = None if objective.minimum is None else np.asarray(objective.minimum, dtype=float)
    if minimum is not None:
        ax.plot(*minimum, "*", color=PALETTE["black"], ms=13, label="minimum", zorder=4)
    if start is not None and n_steps > 0:
        path = descent.path(objective.grad, np.asarray(start, dtype=float), learning_rate, n_steps)
        ax.plot(path[:, 0], path[:, 1], "o-", color=PALETTE["blue"], ms=3, lw=1.2,
                label=f"plain descent, rate {learning_rate:g}", zorder=4)
        if minimum is not None:
            ax.plot([path[0, 0], minimum[0]], [path[0, 1], minimum[1]], color=PALETTE["black"], ls="--", lw=1,
                    label=f"straight to the minimum: {angle_to_minimum(objective, path[0]):.0f}° off -∇f")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")  # right angles look right only on equal axes
    if legend:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9, frameon=True)
    label(ax, title, "w1", "w2")
    words = (f"{title}: contour lines of a {objective.name} with {len(bases)} arrows of -∇f, each crossing its "
             "contour at a right angle and pointing towards the lower contours")
    if path is not None and minimum is not None:
        words += (f"; plain descent at rate {learning_rate:g} from ({start[0]:g}, {start[1]:g}) ends "
                  f"{np.linalg.norm(path[-1] - minimum):.2g} from the minimum after {n_steps} steps, and at the start "
                  f"-∇f is {angle_to_minimum(objective, start):.0f}° off the straight line to the minimum")
    _describe_panel(ax, words)
    return DownhillPicture(contours, bases, directions, path)


def _describe_panel(ax, words: str) -> None:
    """Add one panel's words to its figure's text alternative (panels in their order on the figure)."""
    fig = ax.figure
    panels = getattr(fig, "_downhill_panels", {})
    panels[ax] = words
    fig._downhill_panels = panels
    ordered = [panels[a] for a in fig.axes if a in panels]
    prefix = [f"Panel {i + 1}: " for i in range(len(ordered))] if len(ordered) > 1 else [""]
    describe(fig, " ".join(p + w + "." for p, w in zip(prefix, ordered)))


def angle_to_minimum(objective: Objective, point) -> float:
    """The angle in degrees between ``-grad f`` at ``point`` and the straight line from it to the minimum."""
    point = np.asarray(point, dtype=float)
    down = downhill_directions(objective, point[None, :])[0]
    towards = np.asarray(objective.minimum, dtype=float) - point
    cosine = float(down @ towards / np.linalg.norm(towards))
    return float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))


__all__ = ["DownhillPicture", "contour_lines", "points_along", "downhill_directions", "draw_downhill_arrows",
           "angle_to_minimum"]


def stretched_bowl(condition: float, turn_degrees: float = 30.0, center=(1.0, -1.0)) -> Objective:
    """03's bowl: Hessian eigenvalues 1 and ``condition``, its axes turned by ``turn_degrees``."""

    t = np.deg2rad(turn_degrees)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return bowl(R @ np.diag([1.0, float(condition)]) @ R.T, center)
