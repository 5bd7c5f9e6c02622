"""The one plot style: lines told apart without colour too."""
from __future__ import annotations

import numpy as np

from course import plots
from course.loss_curves import plot_loss_curves


def _looks(lines) -> list[tuple]:
    """Each line's dash pattern as drawn (on, off lengths) and marker: what is left in grey scale."""
    return [(str(line._dash_pattern), str(line.get_marker())) for line in lines]


def test_lines_of_one_plot_differ_in_dash_not_only_colour():
    """Do the first seven lines drawn with no style of their own each get a different dash as well as colour?"""
    fig, ax = plots.new_figure()
    lines = [ax.plot(np.arange(3), np.arange(3) * k)[0] for k in range(7)]
    assert len({line.get_color() for line in lines}) == 7
    assert len(set(_looks(lines))) == 7


def test_paths_and_loss_curves_differ_in_marker_or_dash():
    """Do optimisation paths on contours and loss curves each look different in a grey-scale print?"""
    fig, (left, right) = plots.new_figure(ncols=2)
    paths = {f"run {i}": np.c_[np.linspace(0, 1, 5), np.linspace(1, 0, 5) * i] for i in range(4)}
    plots.contour_with_paths(left, lambda x, y: x ** 2 + y ** 2, paths, (-1, 1), (-1, 1))
    plot_loss_curves(right, {name: np.linspace(1, 0.1, 5) * (i + 1) for i, name in enumerate(paths)})
    for ax in (left, right):
        looks = _looks(ax.get_lines())
        assert len(set(looks)) == len(looks) == 4, looks
