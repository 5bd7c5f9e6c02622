"""The three pictures of issue 25: -grad f on the contours (03), XOR in the hidden layer's space (06),
the error per eigen-direction (08). Each is checked on what it draws, read back from the figure."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.contour import ContourSet
from matplotlib.path import Path
from matplotlib.quiver import Quiver

from course.data import xor
from course.downhill_arrows import angle_to_minimum, draw_downhill_arrows, stretched_bowl
from course.figure_text import alt_text
from course.hidden_space import draw_hidden_layer
from course.momentum_errors import draw_errors_per_direction, errors_per_direction
from course.momentum_map import convergence_factor
from course.network_init import init_two_layer
from course.plots import new_figure

START = np.array([-1.5, -2.0])
TURN_10_DEGREES = np.array([[np.cos(0.1745), -np.sin(0.1745)], [np.sin(0.1745), np.cos(0.1745)]])


def _drawn_segments(ax) -> np.ndarray:
    """Every straight piece of every drawn contour line, shape ``(m, 2, 2)``, read from the axes unsimplified."""
    pieces, here, first = [], None, None
    for contours in (c for c in ax.collections if isinstance(c, ContourSet)):
        for path in contours.get_paths():
            for vertex, code in path.iter_segments(simplify=False, curves=False):
                if code == Path.MOVETO:
                    here = first = vertex
                    continue
                end = first if code == Path.CLOSEPOLY else vertex
                pieces.append([here, end])
                here = end
    pieces = np.array(pieces, dtype=float)
    return pieces[np.linalg.norm(pieces[:, 1] - pieces[:, 0], axis=1) > 0]  # a repeated vertex is no piece


@pytest.mark.parametrize("condition", [2.0, 20.0])
def test_arrows_cross_the_drawn_contours_at_right_angles_and_point_downhill(condition):
    """Is every drawn arrow based on a drawn contour line, perpendicular to it there (within 3 degrees:
    a contour is drawn as chords of a 0.025 grid), and pointing to lower values of f (judged by f itself,
    not by its gradient)?"""
    f = stretched_bowl(condition)
    fig, ax = new_figure(width=5, height=5)
    draw_downhill_arrows(ax, f, (-3, 3), (-3, 3), start=START, learning_rate=0.05, n_steps=20)
    segments = _drawn_segments(ax)
    arrows = [q for q in ax.collections if isinstance(q, Quiver)]
    bases = np.concatenate([q.get_offsets() for q in arrows])
    shafts = np.concatenate([np.column_stack([q.U, q.V]) for q in arrows])
    assert len(bases) >= 20
    a, b = segments[:, 0], segments[:, 1]
    for base, shaft in zip(bases, shafts):
        along = np.clip(np.einsum("ij,ij->i", base - a, b - a) / np.einsum("ij,ij->i", b - a, b - a), 0, 1)
        gap = np.linalg.norm(a + along[:, None] * (b - a) - base, axis=1)
        nearest = int(np.argmin(gap))
        assert gap[nearest] < 1e-3, "an arrow does not start on a drawn contour line"
        tangent = (b - a)[nearest] / np.linalg.norm((b - a)[nearest])
        direction = shaft / np.linalg.norm(shaft)
        assert abs(direction @ tangent) < np.sin(np.deg2rad(3)), "an arrow is not perpendicular to its contour"
        assert abs(TURN_10_DEGREES @ direction @ tangent) > 0.1  # the test sees an arrow 10 degrees off
        assert f(base + 1e-3 * direction) < f(base) - 1e-4 * np.linalg.norm(f.grad(base)), "an arrow points uphill"


def test_steepest_is_towards_the_minimum_only_on_a_round_bowl():
    """Is -grad f aimed at the minimum on a round bowl, 63 degrees off it from 03's start on the
    kappa = 20 bowl (as the notebook says), and is the run's first step along -grad f?"""
    assert angle_to_minimum(stretched_bowl(1.0), START) < 1e-6
    stretched = stretched_bowl(20.0)
    assert round(angle_to_minimum(stretched, START)) == 63
    assert round(angle_to_minimum(stretched_bowl(2.0), START)) == 8
    fig, ax = new_figure()
    picture = draw_downhill_arrows(ax, stretched, (-3, 3), (-3, 3), start=START, learning_rate=0.05, n_steps=40)
    step = picture.path[1] - picture.path[0]
    assert np.allclose(step / np.linalg.norm(step), picture.directions[-1])
    assert np.allclose(picture.bases[-1], START)
    words = alt_text(fig)
    assert "right angle" in words and "63° off the straight line to the minimum" in words


def _trained_two_unit_network(X, y, learning_rate=2.0, n_steps=2000, seed=0):
    """06's network with two hidden units trained by full-batch descent (the formulas of 06, written here)."""
    P = init_two_layer(2, 2, seed)
    for _ in range(n_steps):
        H = np.tanh(X @ P["W1"] + P["b1"])
        p = 0.5 * (1 + np.tanh(0.5 * (H @ P["W2"] + P["b2"])[:, 0]))
        dz = ((p - y) / len(y))[:, None]
        dZ1 = (dz @ P["W2"].T) * (1 - H ** 2)
        grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz, "b2": dz.sum(0)}
        P = {k: P[k] - learning_rate * grads[k] for k in P}
    return P


def _separating_line(points, labels, max_rounds: int = 10_000):
    """A line ``w . h + c = 0`` with every class-1 point on its positive side, by the perceptron (None: none found)."""
    signs = np.where(labels == 1, 1.0, -1.0)
    lifted = np.column_stack([points, np.ones(len(points))])
    w = np.zeros(3)
    for _ in range(max_rounds):
        wrong = np.flatnonzero(signs * (lifted @ w) <= 0)
        if not wrong.size:
            return w
        w = w + signs[wrong[0]] * lifted[wrong[0]]
    return None


def test_xor_becomes_linearly_separable_in_the_hidden_space_and_the_drawn_line_is_the_output_units():
    """For 06's two-unit network on XOR points 0.3 from the axes: does no line separate the inputs
    while one separates the drawn hidden points with a margin, is the drawn line W2 . H + b2 = 0, and are
    the unit maps each unit's tanh? Do the quadrants land where 06's text says?"""
    X, y = xor(n=200, seed=0)
    apart = np.min(np.abs(X), axis=1) > 0.3
    X, y = X[apart], y[apart]
    assert _separating_line(X, y) is None  # XOR in the input plane
    P = _trained_two_unit_network(X, y)
    hidden_of = lambda pts: np.tanh(pts @ P["W1"] + P["b1"])  # noqa: E731
    fig, axes = new_figure(ncols=3)
    picture = draw_hidden_layer(axes, hidden_of, P["W2"], P["b2"], X, y)
    drawn = np.concatenate([c.get_offsets() for c in axes[2].collections])
    assert np.allclose(np.sort(drawn, axis=0), np.sort(hidden_of(X), axis=0))
    found = _separating_line(drawn, np.concatenate([y[y == 0], y[y == 1]]))
    assert found is not None, "the hidden points are not linearly separable"
    # the drawn line: both ends on W2 . h + b2 = 0, and it puts every point on its class's side by a margin
    w, b = P["W2"][:, 0], P["b2"][0]
    (line,) = [ln for ln in axes[2].get_lines() if ln.get_label() == "output unit: p = 0.5"]
    ends = np.column_stack(line.get_data())
    assert np.allclose(ends @ w + b, 0.0, atol=1e-9) and np.allclose(ends, picture.line)
    normal = np.array([ends[1, 1] - ends[0, 1], ends[0, 0] - ends[1, 0]])
    distance = (hidden_of(X) - ends[0]) @ normal / np.linalg.norm(normal)
    side = np.sign(distance) * np.sign(normal @ w)  # +1 on the side the output unit calls class 1
    assert np.all(side == np.where(y == 1, 1, -1)) and np.min(np.abs(distance)) > 0.05
    # each unit's zero line (black) lies on x . W1[:, j] + b1[j] = 0
    for j, ax in enumerate(axes[:2]):
        zero = [c for c in ax.collections if isinstance(c, ContourSet) and list(c.levels) == [0.0]][0]
        vertices = np.concatenate([p.vertices for p in zero.get_paths()])
        assert np.max(np.abs(vertices @ P["W1"][:, j] + P["b1"][j])) < 0.02
    assert f"{len(y)} of {len(y)} points on their own class's side" in alt_text(fig)
    # as 06 says: the class-1 quadrants at opposite corners of the square, both class-0 quadrants near a third
    corner = np.sign(hidden_of(X))
    first, third = corner[(y == 1) & (X[:, 0] > 0)], corner[(y == 1) & (X[:, 0] < 0)]
    zero = corner[y == 0]
    assert (first == first[0]).all() and (third == -first[0]).all() and (zero == zero[0]).all()
    assert abs(zero[0] @ first[0]) == 0  # a third corner: neither first[0] nor -first[0]


@pytest.mark.parametrize("rate, beta", [(2 / 51, 0.0), (0.02, 0.0), (0.0614, 0.5623), (0.03, 0.9), (0.01, 0.3)])
def test_errors_per_direction_follow_the_closed_forms(rate, beta):
    """Is the error along each eigen-direction |1 - rate lam|^k |e0| for plain descent, and the first entry of
    M^k (e0, e0) with M = [[1 + beta - rate lam, -beta], [1, 0]] for momentum; and does it fall, in the long run,
    by the map's convergence factor per step?"""
    lam, e0 = np.array([1.0, 50.0]), np.array([4.5, 1.5])
    got = errors_per_direction(lam, e0, rate, beta, 300)
    k = np.arange(301)[:, None]
    if beta == 0:
        assert np.allclose(got, np.abs(1 - rate * lam) ** k * e0, rtol=1e-9, atol=1e-300)
    for i, curvature in enumerate(lam):
        M = np.array([[1 + beta - rate * curvature, -beta], [1.0, 0.0]])
        want = [abs((np.linalg.matrix_power(M, n) @ [e0[i], e0[i]])[0]) for n in range(301)]
        assert np.allclose(got[:, i], want, rtol=1e-8, atol=1e-12 * e0[i])
        rho = max(abs(np.linalg.eigvals(M)))
        assert np.isclose(rho, convergence_factor(rate * curvature, beta))
        if rho > 0:  # (rate lam = 1 with beta = 0 lands in one step: nothing left to decay)
            window = np.maximum.accumulate(got[::-1, i])[::-1]  # the envelope: largest error from step k on
            assert np.isclose((window[280] / window[40]) ** (1 / 240), rho, rtol=0.03)


def test_errors_figure_draws_those_errors_and_says_momentum_wins():
    """Does the 08 figure draw, per setting and direction, the errors as computed, with momentum's
    shallow-direction error far below plain descent's after 100 steps, and words that say so?"""
    root = np.sqrt(50.0)
    settings = {"plain descent, rate 2/51": (2 / 51, 0.0),
                "momentum, theory's rate and beta": (4 / (1 + root) ** 2, ((root - 1) / (root + 1)) ** 2)}
    fig, ax = new_figure()
    drawn = draw_errors_per_direction(ax, settings, [1.0, 50.0], [4.5, 1.5], n_steps=100)
    lines = ax.get_lines()
    assert len(lines) == 4 and ax.get_yscale() == "log"
    for line, (name, i) in zip(lines, [(n, i) for n in settings for i in (0, 1)]):
        assert np.allclose(line.get_ydata(), np.maximum(drawn[name][:, i], 1e-16))
        assert name in line.get_label()
    plain, heavy = drawn["plain descent, rate 2/51"], drawn["momentum, theory's rate and beta"]
    assert plain[100, 0] > 0.05 and heavy[100, 0] < 1e-9
    assert np.isclose(plain[100, 0], 4.5 * (49 / 51) ** 100)
    words = alt_text(fig)
    assert "eigen-direction" in words and "×0.961 per step" in words and "×0.752 per step" in words


def test_momentum_explorer_draws_each_setting_and_says_its_factors():
    """Does a slider move put the map's points at (rate lam, beta) and (rate lam, 0), draw both runs' errors
    per direction as computed, and give the map's factors and the verdict (converges, or diverges) in words?"""
    from course.momentum_explorer import MomentumExplorer

    lam, e0 = np.array([1.0, 50.0]), np.array([4.5, 1.5])
    explorer = MomentumExplorer(lam, e0, learning_rate=0.02, beta=0.6)
    for rate, beta in ((0.02, 0.74), (0.05, 0.6)):
        words = explorer.update(learning_rate=rate, beta=beta)
        assert np.allclose(explorer.momentum_dots.get_xydata(), np.column_stack([rate * lam, [beta, beta]]))
        assert np.allclose(explorer.plain_dots.get_xydata(), np.column_stack([rate * lam, [0, 0]]))
        for lines, b in ((explorer.momentum_lines, beta), (explorer.plain_lines, 0.0)):
            want = np.maximum(errors_per_direction(lam, e0, rate, b, 100), 1e-16)
            for i, line in enumerate(lines):
                assert np.allclose(line.get_ydata(), want[:, i], equal_nan=True)
        for f in convergence_factor(rate * lam, beta):
            assert f"{f:.3f}" in words.splitlines()[1]
    assert words.splitlines()[0].endswith("diverges")  # plain descent at 0.05 > 2/50
    assert words.splitlines()[1].endswith("within 1e-06 from step 75")
    assert "momentum β 0.6" in explorer.alt_text() and bytes(explorer.image.value).startswith(b"\x89PNG")


def test_stretch_explorer_turns_the_arrows_away_as_the_bowl_stretches():
    """Does the condition-number slider redraw 03's picture for the bowl it names, with the angle at the start
    (0 degrees on circles, growing with kappa) and the distance the run at 2/(1 + kappa) has left, and is a
    moved picture the same as one drawn afresh for that bowl?"""
    from course import descent
    from course.downhill_widget import START as WIDGET_START
    from course.downhill_widget import StretchExplorer

    explorer = StretchExplorer(condition=1.0)
    assert explorer.model.angle < 1e-6 and explorer.model.distance < 1e-12  # one step lands on circles
    angles = []
    for condition in (5.0, 20.0, 50.0):
        words = explorer.update(condition=condition)
        f = stretched_bowl(condition)
        end = descent.path(f.grad, np.asarray(WIDGET_START), 2 / (1 + condition), 30)[-1]
        assert np.isclose(explorer.model.distance, np.linalg.norm(end - [1.0, -1.0]))
        assert f"{angle_to_minimum(f, WIDGET_START):.1f}°" in words
        legend = [t.get_text() for t in explorer.ax.get_legend().get_texts()]
        assert legend[-2:] == ["plain descent at the best rate 2/(1 + κ)", "straight to the minimum"]
        angles.append(explorer.model.angle)
    assert [round(a) for a in angles] == [28, 63, 74]
    fresh = StretchExplorer(condition=50.0)
    assert bytes(fresh.image.value) == bytes(explorer.image.value)


def test_backprop_notebook_trains_its_picture_with_the_students_functions():
    """Does 06's hidden-space cell train the two-unit network with the student's train_network, take the
    activations from the student's forward, and wait for train_network's check (nothing in the wheel trains it)?"""
    import json
    from pathlib import Path

    (notebook,) = Path(__file__).resolve().parents[2].glob("source/*/backprop.ipynb")
    cells = ["".join(c["source"]) for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
    (cell,) = [c for c in cells if "draw_hidden_layer(" in c]
    assert cell.startswith("if check.ready(train_network):")
    assert "train_network(X[apart], y[apart], hidden=2" in cell and 'forward(small_net, points)[1]["H"]' in cell
