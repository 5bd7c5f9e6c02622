"""The demo engines and widgets of 08_optimizers: right numbers, and widgets driven from code."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import base64

import numpy as np
import pytest

from course.functions import quartic, rosenbrock, wavy
from course.gradcheck import gradient_check
from course.optim_demos import (
    demo_race,
    descend_many,
    distance_summary,
    heavy_ball_paths,
    ill_conditioned_bowl,
    local_minima,
    losses_along,
    plot_basins,
    plot_race,
    which_valley,
)
from course.optimizer_widget import BasinExplorer, RaceExplorer, Slider


def test_local_minima_of_the_quartic_are_the_roots_of_its_derivative():
    """Are the quartic's two minima where 4x^3 - 6x + 1 = 0 with positive curvature (-1.3008, 1.1309)?"""
    roots = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
    found = local_minima(quartic(), -2.5, 2.5)
    assert np.allclose(found, roots[[0, 2]], atol=1e-10)
    assert np.isclose(found[0], -1.30083957, atol=1e-7) and np.isclose(found[1], 1.13090112, atol=1e-7)


def test_local_minima_of_wavy_have_zero_slope_and_positive_curvature():
    """Does every minimum found on x cos(2x) have f' = 0 and f'' > 0?"""
    f = wavy(2.0)
    found = local_minima(f, -4.0, 4.0)
    assert len(found) >= 3
    assert np.allclose(f.grad(found), 0.0, atol=1e-9)
    assert np.all(f.hess(found) > 0)


def test_descend_many_matches_the_closed_form_on_a_quadratic():
    """On f = (x - 3)^2 from 1 with rate 0.05, is x_k = 3 - 2 * 0.9^k (x_25 = 2.85642...) for every start/rate?"""
    grad = lambda x: 2 * (x - 3)  # noqa: E731
    x25 = descend_many(grad, 1.0, 0.05, 25)
    assert np.isclose(x25, 3 - 2 * 0.9 ** 25) and np.isclose(x25, 2.8564204024616, atol=1e-12)
    starts, rates = np.array([[1.0, 5.0, -2.0]]), np.array([[0.05], [0.5], [0.2]])
    got = descend_many(grad, starts, rates, 7)
    assert got.shape == (3, 3)
    assert np.allclose(got, 3 + (starts - 3) * (1 - 2 * rates) ** 7)
    path = descend_many(grad, 1.0, 0.05, 4, history=True)
    assert np.allclose(path, 3 - 2 * 0.9 ** np.arange(5))


def test_descend_many_marks_divergence_as_nan_and_leaves_inputs_alone():
    """Does a run with rate beyond 2/f'' come back NaN, and are the starts not modified?"""
    starts = np.array([1.0, 2.0])
    got = descend_many(lambda x: 2 * x, starts, 1.5, 200)
    assert np.all(np.isnan(got))
    assert np.array_equal(starts, [1.0, 2.0])


def test_which_valley_labels_minima_and_failures():
    """Does which_valley give the index of the nearest minimum, and -1 for NaN or far-away points?"""
    minima = np.array([-1.3, 1.13])
    got = which_valley(np.array([-1.3, 1.1300001, np.nan, 0.2]), minima)
    assert got.tolist() == [0, 1, -1, -1]


def test_basin_map_shows_both_valleys_and_the_instability_beyond_2_over_curvature():
    """With small rates does every start left of the hump reach the global minimum, right of it the local one?"""
    fig, axes, minima = plot_basins(quartic(), n_starts=60, n_rates=20, n_steps=200)
    assert len(minima) == 2 and len(axes) == 2
    hump = np.roots([4.0, 0.0, -6.0, 1.0]).real
    hump = hump[np.abs(hump) < 0.5][0]  # the local maximum, about 0.1699
    starts = np.array([-2.0, -0.5, hump - 0.01, hump + 0.01, 1.5, 2.0])
    verdict = which_valley(descend_many(quartic().grad, starts, 0.005, 3000), minima)
    assert verdict.tolist() == [0, 0, 0, 1, 1, 1]
    # f''(-1.3008) = 14.3: rates above 2/14.3 cannot settle in the global valley
    curvature = quartic().hess(minima[0])
    above = which_valley(descend_many(quartic().grad, -1.0, 2 / curvature * 1.05, 500), minima)
    assert above != 0


def test_ill_conditioned_bowl_gradient_and_curvatures():
    """Does the bowl's gradient pass a finite-difference check, with curvatures 1 and the condition number?"""
    bowl = ill_conditioned_bowl(50.0)
    result = gradient_check(bowl.value, bowl.grad, [-4.5, 1.5])
    assert result.ok, str(result)
    assert np.allclose(np.linalg.eigvalsh(bowl.hess(None)), [1.0, 50.0])
    assert np.isclose(bowl.value(np.array([-4.5, 1.5])), 0.5 * (4.5 ** 2 + 50 * 1.5 ** 2))


def test_rosenbrock_gradient_used_in_the_race():
    """Does Rosenbrock's gradient pass a finite-difference check at the race's start (-1.5, 2)?"""
    banana = rosenbrock()
    assert gradient_check(banana.value, banana.grad, [-1.5, 2.0]).ok
    assert gradient_check(banana.value, banana.grad, [0.3, -0.7]).ok


def test_heavy_ball_matches_its_recursion_and_plain_descent_when_beta_is_zero():
    """Is heavy_ball_paths x_{k+1} = x_k - lr g_k + beta (x_k - x_{k-1}), and plain descent for beta = 0?"""
    bowl = ill_conditioned_bowl(10.0)
    x0 = np.array([2.0, -1.0])
    paths = heavy_ball_paths(bowl.grad, x0, [(0.05, 0.0), (0.05, 0.8)], 30)
    assert paths.shape == (2, 31, 2)
    plain = x0 * (1 - 0.05 * np.array([1.0, 10.0]))[None, :] ** np.arange(31)[:, None]
    assert np.allclose(paths[0], plain)
    x = paths[1]
    for k in range(1, 30):
        assert np.allclose(x[k + 1], x[k] - 0.05 * bowl.grad(x[k]) + 0.8 * (x[k] - x[k - 1]))


def test_momentum_beats_the_best_plain_rate_on_the_ill_conditioned_bowl():
    """With theory's rate and beta for kappa = 50, does momentum shrink the error by about
    (sqrt(k) - 1)/(sqrt(k) + 1) per step, far faster than plain descent's (k - 1)/(k + 1)?"""
    kappa = 50.0
    bowl = ill_conditioned_bowl(kappa)
    root = np.sqrt(kappa)
    runs = demo_race(bowl, [-4.5, 1.5], {"plain": (2 / (1 + kappa), 0.0),
                                         "momentum": (4 / (1 + root) ** 2, ((root - 1) / (root + 1)) ** 2)}, 200)
    dist = {k: np.linalg.norm(p, axis=1) for k, p in runs.items()}
    plain_rate = (dist["plain"][200] / dist["plain"][100]) ** (1 / 100)
    momentum_rate = (dist["momentum"][200] / dist["momentum"][100]) ** (1 / 100)
    assert np.isclose(plain_rate, (kappa - 1) / (kappa + 1), atol=1e-3)
    assert momentum_rate < (root - 1) / (root + 1) + 0.02
    assert dist["momentum"][100] < 1e-6 < dist["plain"][100]


def test_distance_summary_and_losses_along():
    """Does the race summary report the first step below the tolerance, and 'diverged' for a NaN path?"""
    bowl = ill_conditioned_bowl(4.0)
    path = np.array([[1.0, 0.0], [0.1, 0.0], [0.01, 0.0]])
    assert np.allclose(losses_along(bowl, path), [0.5, 0.005, 0.00005])
    lines = distance_summary(bowl, {"a": path, "b": np.array([[1.0, 0.0], [np.nan, np.nan]])}, tol=1e-3)
    assert lines[0].startswith("a: final loss 5e-05") and "from step 2" in lines[0]
    assert lines[1] == "b: diverged"


def test_plot_race_draws_one_path_per_runner():
    """Does the race figure carry a path per runner on the contours and a loss curve per runner?"""
    bowl = ill_conditioned_bowl(10.0)
    runs = demo_race(bowl, [-3.0, 1.0], {"plain": (0.1, 0.0), "momentum": (0.1, 0.5)}, 20)
    fig, axes = plot_race(bowl, runs, (-4, 4), (-2, 2))
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert "plain" in labels and "momentum" in labels
    assert axes[1].get_yscale() == "log"


def test_basin_explorer_update_reports_the_valley():
    """Driven from code, does the basin widget move its path and say local, global or diverged?"""
    demo = BasinExplorer(quartic(), x0=0.5, learning_rate=0.02, n_steps=200)
    assert "local minimum only" in demo.readout
    text = demo.update(x0=-2.0, learning_rate=0.02)
    assert "global minimum" in text and "x = -1.3008" in text
    xs, _ = demo.path_line.get_data()
    assert xs[0] == -2.0 and np.isclose(xs[-1], -1.30084, atol=1e-4)
    # from 2.0 with rate 0.1 the first step overshoots the hump into the deeper valley
    assert "global minimum" in demo.update(x0=2.0, learning_rate=0.1)
    assert "diverged" in demo.update(x0=2.2, learning_rate=0.2)
    values = demo.values()
    assert values["x0"] == 2.2 and np.isclose(values["learning_rate"], 0.2)
    assert demo.widgets[0].value == 2.2 and demo.widgets[0].description == "start x0"


def test_race_explorer_update_reruns_the_race():
    """Driven from code, does the race widget call run with the slider values and redraw the paths?"""
    bowl = ill_conditioned_bowl(20.0)
    calls = []

    def run(learning_rate, beta):
        calls.append((learning_rate, beta))
        return demo_race(bowl, [-3.0, 1.0], {"plain": (learning_rate, 0.0), "momentum": (learning_rate, beta)}, 50)

    demo = RaceExplorer(bowl, run, [Slider("learning_rate", 0.001, 0.09, 0.05), Slider("beta", 0.0, 0.99, 0.5)],
                        (-4, 4), (-2, 2))
    assert calls == [(0.05, 0.5)]
    text = demo.update(beta=0.9)
    assert calls[-1] == (0.05, 0.9)
    assert text.count("\n") == 1 and "momentum" in text
    assert {line.get_label() for line in demo.axes[0].get_lines()} >= {"plain", "momentum"}


def test_widgets_show_without_a_browser(monkeypatch):
    """Does show() offer the live widget and, for pages without a kernel, the picture and numbers?"""
    shown = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda obj, **kwargs: shown.append(obj))
    demo = BasinExplorer()
    demo.show()
    assert shown == [demo]
    bundle, metadata = demo._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "local minimum only" in metadata["image/png"]["alt"]
    assert base64.b64decode(bundle["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "local minimum only" in bundle["text/plain"]
    controls, (image, numbers) = demo.box.children[0], demo.box.children[1].children
    before = image.value
    controls.children[0].value = -1.9  # a slider move redraws, once
    assert "global minimum" in demo.readout and "global minimum" in numbers.value
    assert image.value != before and base64.b64decode(demo._repr_mimebundle_()[0]["image/png"]) == image.value


def test_race_moves_only_its_lines_over_cached_contours():
    """After a slider move, is the race picture what a fresh explorer draws for those values?"""
    bowl = ill_conditioned_bowl(20.0)

    def run(learning_rate, beta):
        return demo_race(bowl, [-3.0, 1.0], {f"plain (rate {learning_rate:.3g})": (learning_rate, 0.0),
                                             f"momentum (beta {beta:.2f})": (learning_rate, beta)}, 50)

    def sliders():
        return [Slider("learning_rate", 0.001, 0.09, 0.05), Slider("beta", 0.0, 0.99, 0.5)]

    moved = RaceExplorer(bowl, run, sliders(), (-4, 4), (-2, 2))
    moved.png()
    moved.update(beta=0.9, learning_rate=0.08)
    assert len(moved.picture.cache) == 1
    fresh = RaceExplorer(bowl, run, sliders(), (-4, 4), (-2, 2))
    fresh.update(beta=0.9, learning_rate=0.08)
    assert moved.png() == fresh.png()
    assert [t.get_text() for t in moved.legends[0].get_texts()] == ["plain", "momentum"]
    assert "plain (rate 0.08)" in moved.readout and "momentum (beta 0.90)" in moved.readout


@pytest.mark.parametrize("log", [False, True])
def test_slider_widget_ranges(log):
    """Does a Slider become an ipywidgets slider with its range and starting value?"""
    widget = Slider("rate", 0.001, 1.0, 0.1, log=log).widget()
    assert np.isclose(widget.value, 0.1)
    assert widget.description == "rate"
