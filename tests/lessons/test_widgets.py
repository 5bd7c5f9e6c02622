"""course.learning_rate_widget: 03's explorer redraws one figure and names the regime the maths predicts."""
import numpy as np
import pytest

from course.learning_rate_widget import FUNCTIONS, LearningRateDemo

PARABOLA = "(x - 3)^2      f'' = 2"
STEEP = "4(x - 1)^2     f'' = 8"
QUARTIC = "x^4 - 3x^2 + x (not quadratic)"


@pytest.fixture(scope="module")
def demo():
    return LearningRateDemo(learning_rate=0.05, start=1.0, iterations=25)


def test_initial_figure_is_drawn_without_a_frontend(demo):
    """Does building the demo draw its first figure (a PNG), with its text alternative, with no kernel or browser?"""
    assert demo.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    bundle, metadata = demo._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "regime" in bundle["text/plain"]
    assert metadata["image/png"]["alt"] == demo.image.tooltip == demo.alt_text()


def test_picture_text_follows_the_sliders(demo):
    """Does the picture's text alternative give the sliders' settings and the run's regime, and follow a move?"""
    demo.update(learning_rate=0.05, start=1.0, iterations=25, function=PARABOLA)
    slow = demo.image.tooltip
    assert "learning rate 0.05" in slow and "start x0 1" in slow and "slow" in slow.lower()
    demo.update(learning_rate=1.1)
    assert "learning rate 1.1" in demo.image.tooltip and "diverging" in demo.image.tooltip.lower()
    demo.update(learning_rate=0.05)
    assert demo.image.tooltip == slow


def test_initial_run_is_the_parabola_run(demo):
    """Does the initial figure show x_k = 3 - 2 * 0.9^k, the run of 02?"""
    demo.update(learning_rate=0.05, start=1.0, iterations=25, function=PARABOLA)
    np.testing.assert_allclose(demo.path, 3 - 2 * 0.9 ** np.arange(26), atol=1e-12)
    x, y = demo.path_line.get_data()
    np.testing.assert_allclose(x, demo.path)
    np.testing.assert_allclose(y, (demo.path - 3) ** 2)
    assert demo.regime.key == "slow"


@pytest.mark.parametrize("lr, key, words", [
    (0.25, "slow", "slow"),
    (0.5, "ideal", "ideal"),          # 1/f''
    (0.75, "oscillating", "oscillating"),
    (1.0, "stuck", "bounces"),        # 2/f''
    (1.05, "diverging", "diverging"),  # past 2/f''
])
def test_regime_label_follows_the_contraction_factor(demo, lr, key, words):
    """Driven like a slider, does the label say what q = 1 - lr f'' says, at and around 1/f'' and 2/f''?"""
    regime = demo.update(learning_rate=lr, start=1.0, iterations=25, function=PARABOLA)
    assert regime.key == key
    assert words in demo.title.get_text()
    assert dict(demo.summary())["regime"] == key
    assert words in demo.numbers.value


@pytest.mark.parametrize("lr, key", [(0.125, "ideal"), (0.25, "stuck"), (0.3, "diverging"), (0.2, "oscillating")])
def test_boundaries_move_with_the_curvature(demo, lr, key):
    """On 4(x - 1)^2 (f'' = 8), are 1/8 and 2/8 the boundaries?"""
    assert demo.update(learning_rate=lr, start=1.0, iterations=10, function=STEEP).key == key


def test_slider_change_changes_the_figure(demo):
    """Does moving a slider (a real widget value change) change the path, the error plot and the PNG?"""
    demo.update(learning_rate=0.05, start=1.0, iterations=25, function=PARABOLA)
    before_png, before_err = demo.image.value, demo.error_line.get_ydata().copy()
    demo.learning_rate.value = 0.75   # what the browser does; the observer redraws
    assert demo.regime.key == "oscillating"
    assert demo.image.value != before_png
    assert not np.allclose(demo.error_line.get_ydata(), before_err)
    demo.iterations.value = 40
    assert len(demo.error_line.get_xdata()) == 41 and len(demo.path) == 41
    demo.start.value = 5.5
    assert demo.path[0] == 5.5


def test_ideal_rate_shows_an_exact_landing(demo):
    """At 1/f'' does the run sit on the minimum after one step, drawn at the floor of the log axis?"""
    demo.update(learning_rate=0.5, start=-1.0, iterations=5, function=PARABOLA)
    np.testing.assert_array_equal(demo.path, [-1, 3, 3, 3, 3, 3])
    err = demo.error_line.get_ydata()
    assert err[0] == 4 and np.all(err[1:] <= 1e-15)


def test_diverging_run_is_drawn_without_errors(demo):
    """A run that blows up: no overflow, the label says diverging, the numbers say it left the plot."""
    with np.errstate(all="raise"):
        demo.update(learning_rate=1.2, start=1.0, iterations=200, function=PARABOLA)
    assert demo.regime.key == "diverging"
    assert "diverged" in dict(demo.summary())["x_200"]


@pytest.mark.parametrize("lr, key", [(0.05, "slow"), (0.2, "oscillating"), (0.3, "diverging")])
def test_quartic_regime_read_from_the_path(demo, lr, key):
    """On the quartic, does the label come from the observed steps (local 1 - lr f''(x*) = 0.53, -0.87, ...)?"""
    assert demo.update(learning_rate=lr, start=1.5, iterations=200, function=QUARTIC).key == key


def test_every_function_renders(demo):
    """Does each dropdown entry draw its curve over its own window?"""
    for name, spec in FUNCTIONS.items():
        demo.update(function=name, learning_rate=0.05, start=1.0, iterations=10)
        xs, ys = demo.curve_line.get_data()
        assert xs[0] == spec.xlim[0] and xs[-1] == spec.xlim[1]
        np.testing.assert_allclose(ys, spec.objective.value(xs))


def test_controls_are_labelled_for_keyboard_and_screen_readers(demo):
    """Does every control carry a visible description (Tab reaches them, arrows move them)?"""
    for control in (demo.function, demo.learning_rate, demo.start, demo.iterations):
        assert control.description
    assert demo.learning_rate.continuous_update is False


def test_cached_redraw_matches_a_fresh_drawing():
    """Is a redraw over the cached axes pixel-identical to drawing the same state from scratch?"""
    moved = LearningRateDemo(learning_rate=0.05)
    moved.update(learning_rate=0.3)
    moved.update(learning_rate=0.75, start=2.0)
    fresh = LearningRateDemo(learning_rate=0.75, start=2.0)
    assert moved._background_key == fresh._background_key
    assert moved.image.value == fresh.image.value


def test_diverged_steps_are_not_drawn_as_zero_error(demo):
    """After a run leaves the plot, are its missing errors left out (NaN), not drawn on the floor?"""
    demo.update(learning_rate=1.2, start=1.0, iterations=200, function=PARABOLA)
    err = demo.error_line.get_ydata()
    assert np.isnan(err[-1]) and np.nanmax(err) > 1e6


def test_axes_drawn_before_are_reused_exactly():
    """Back on a function and step axis drawn before, is the picture identical to a fresh drawing?"""
    from course.learning_rate_widget import FUNCTIONS, step_axis

    moved = LearningRateDemo(iterations=30)
    moved.update(function=list(FUNCTIONS)[3])
    moved.update(function=PARABOLA, iterations=40, learning_rate=0.3)
    fresh = LearningRateDemo(iterations=40, learning_rate=0.3)
    assert step_axis(30) == step_axis(40) == 50 and len(moved._backgrounds) == 2
    assert moved.image.value == fresh.image.value


def test_image_keeps_its_aspect_ratio_beside_the_numbers(demo):
    """Is the image sized by its width only, never stretched to the height of the numbers table?"""
    layout = demo.image.layout
    assert layout.height == "auto" and layout.align_self == "flex-start" and layout.object_fit == "contain"


def test_blitter_keeps_the_most_recent_pictures():
    """Does the cache of still pictures keep only the most recently used ones?"""
    from course.plots import Blitter, agg_figure

    fig = agg_figure(2.0, 2.0)
    (line,) = fig.subplots().plot([0, 1], [0, 1])
    picture = Blitter(fig, [line], keep=2)
    for key in "abca":
        assert picture.png(key)[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(picture.cache) == ["c", "a"] and line.get_animated()
