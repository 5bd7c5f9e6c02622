"""course.descent: descent paths and regimes, checked against closed forms and the key numbers."""
import numpy as np
import pytest

from course import descent
from course.functions import bowl, quadratic, quartic
from course.gradcheck import gradient_check

PARABOLA_GRAD = quadratic(1.0, 3.0).grad  # slope of (x - 3)^2


def test_parabola_gradient_matches_finite_differences():
    """Is the (x - 3)^2 slope the demos descend on the true derivative?"""
    f = quadratic(1.0, 3.0)
    for x in (-2.0, 1.0, 3.0, 4.7):
        assert gradient_check(lambda v: float(f(v[0])), lambda v: np.atleast_1d(f.grad(v[0])), [x]).ok


def test_key_numbers_of_the_parabola_run():
    """From x0 = 1 at rate 0.05, are x_24 = 2.8404671138462... and x_25 = 2.8564204024616...?"""
    path = descent.path(PARABOLA_GRAD, 1.0, 0.05, 25)
    assert path.shape == (26,) and path[0] == 1.0
    assert path[24] == pytest.approx(2.8404671138462, abs=1e-12)
    assert path[25] == pytest.approx(2.8564204024616, abs=1e-12)


def test_closed_form_matches_the_loop():
    """Does the loop follow x_k = 3 - 2 * 0.9^k on every iterate?"""
    path = descent.path(PARABOLA_GRAD, 1.0, 0.05, 60)
    np.testing.assert_allclose(path, 3 - 2 * 0.9 ** np.arange(61), rtol=0, atol=1e-13)


def test_rate_one_half_lands_in_one_step():
    """Does rate 0.5 = 1/f'' land on 3 in one step and stay there?"""
    np.testing.assert_array_equal(descent.path(PARABOLA_GRAD, 1.0, 0.5, 4), [1, 3, 3, 3, 3])


def test_rate_one_bounces_between_one_and_five():
    """Does rate 1.0 = 2/f'' bounce between 1 and 5 for ever?"""
    np.testing.assert_array_equal(descent.path(PARABOLA_GRAD, 1.0, 1.0, 6), [1, 5, 1, 5, 1, 5, 1])


@pytest.mark.parametrize("a, lr", [(1.0, 0.05), (4.0, 0.2), (0.25, 3.0), (2.5, 0.41)])
def test_error_shrinks_by_the_contraction_factor(a, lr):
    """On a(x - c)^2, is e_k = (1 - lr f'')^k e_0 with f'' = 2a?"""
    f = quadratic(a, -1.5)
    path = descent.path(f.grad, 2.0, lr, 15)
    q = 1 - lr * 2 * a
    np.testing.assert_allclose(path + 1.5, 3.5 * q ** np.arange(16), rtol=1e-9, atol=1e-12)


def test_diverging_run_is_cut_at_the_limit_without_overflow():
    """Does a diverging run stop where it escapes (|x| > 1e8) and fill the rest with NaN, without warnings?"""
    with np.errstate(all="raise"):
        path = descent.path(PARABOLA_GRAD, 1.0, 1.5, 200)
    finite = path[np.isfinite(path)]
    # x_k = 3 - 2 (-2)^k: x_25 = 67108867 is the last inside 1e8, x_26 = -134217725 is out
    assert finite.size == 26 and np.all(np.isnan(path[26:]))
    np.testing.assert_allclose(finite, 3 - 2 * (-2.0) ** np.arange(finite.size))


def test_divergence_rule_judges_whole_points():
    """Is a point diverged when any coordinate is beyond 1e8 or not finite, and only then?"""
    points = np.array([[1.0, -1e8], [1.0, 1.0000001e8], [np.nan, 0.0], [np.inf, 0.0], [-5.0, 3.0]])
    assert descent.escaped(points, point_ndim=1).tolist() == [False, True, True, True, False]
    assert descent.escaped(points).tolist() == [[False, False], [False, True], [True, False], [True, False],
                                                [False, False]]


def test_engine_runs_a_batch_as_separate_runs():
    """Is every run of a batch (rates and momenta per run) the run it would be alone, NaN only once it escapes?"""
    b = bowl(np.diag([1.0, 10.0]))
    starts = np.array([[2.0, -1.0], [0.5, 1.5], [1.0, 1.0]])
    rates, betas = np.array([0.05, 0.19, 0.25]), np.array([0.8, 0.0, 0.0])  # the last: q = -1.5 along w2
    batch = descent.descend(b.grad, starts, rates, 60, beta=betas, point_ndim=1)
    assert batch.shape == (61, 3, 2)
    for i in range(3):
        alone = descent.descend(b.grad, starts[i], rates[i], 60, beta=betas[i])
        np.testing.assert_array_equal(batch[:, i], alone)
    escaped_at = np.flatnonzero(np.isnan(batch[:, 2, 0]))[0]
    assert np.all(np.isnan(batch[escaped_at:, 2])) and np.all(np.isfinite(batch[:, :2]))
    assert np.abs(batch[escaped_at - 1, 2]).max() <= descent.ESCAPE
    final = descent.descend(b.grad, starts, rates, 60, beta=betas, point_ndim=1, history=False)
    np.testing.assert_array_equal(final, batch[-1])


def test_converging_momentum_stays_far_inside_the_bound():
    """Does a converging heavy-ball run (beta <= 0.99, 0 < lr f'' < 2 (1 + beta)) stay within 60 times its
    start, as the divergence rule's docstring says?"""
    beta = np.linspace(0.0, 0.99, 34)[:, None]
    a = np.linspace(0.0, 1.0, 121)[1:-1][None, :] * 2 * (1 + beta)  # lr f'' across the stable range
    runs = descent.descend(lambda x: x, np.ones(a.shape), a, 1500, beta=beta, point_ndim=0)
    assert np.all(np.isfinite(runs))
    assert np.abs(runs).max() < 60


@pytest.mark.parametrize("lr", [0.002, 0.02, 0.2])
def test_quartic_runs_past_the_threshold_never_come_back(lr):
    """On x^4 - 3x^2 + x, from |x| >= 1 with lr (4x^2 - 7) > 3, does |x| more than double each step until it escapes?"""
    f = quartic()
    edge = np.sqrt((3 / lr + 7) / 4) * 1.001
    for x0 in (edge, -edge):
        with np.errstate(all="raise"):
            run = descent.path(f.grad, x0, lr, 60)
        finite = run[np.isfinite(run)]
        assert np.all(np.abs(finite[1:]) > 2 * np.abs(finite[:-1])) and np.isnan(run[-1])


def test_matrix_step_is_newton_on_a_bowl():
    """With P = inv(H), does one preconditioned step land on a bowl's minimum?"""
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    b = bowl(H, (1.0, -2.0))
    path = descent.path(b.grad, [4.0, 5.0], np.linalg.inv(H), 1)
    np.testing.assert_allclose(path[1], [1.0, -2.0], atol=1e-12)


def test_bowl_stability_limit_is_two_over_largest_eigenvalue():
    """On a bowl with eigenvalues 1 and 20, does a rate just below 2/20 converge and just above diverge?"""
    b = bowl(np.diag([1.0, 20.0]))
    below = descent.path(b.grad, [1.0, 1.0], 0.099, 400)
    above = descent.path(b.grad, [1.0, 1.0], 0.101, 400)
    assert np.linalg.norm(below[-1]) < 1e-2
    assert not np.all(np.isfinite(above)) or np.linalg.norm(above[-1]) > 1e3


def test_balanced_rate_gives_factor_kappa_minus_one_over_kappa_plus_one():
    """At rate 2/(lmin + lmax), do both extreme directions shrink by (k - 1)/(k + 1)?"""
    lmin, lmax = 1.0, 20.0
    b = bowl(np.diag([lmin, lmax]))
    path = descent.path(b.grad, [1.0, 1.0], 2 / (lmin + lmax), 10)
    kappa = lmax / lmin
    factor = (kappa - 1) / (kappa + 1)
    np.testing.assert_allclose(np.abs(path[:, 0]), factor ** np.arange(11), rtol=1e-12)
    np.testing.assert_allclose(np.abs(path[:, 1]), factor ** np.arange(11), rtol=1e-12)


def test_fixed_size_steps_bounce_for_ever():
    """Do sign-of-slope steps of 0.3 from 1 end up hopping between 2.8 and 3.1 on (x - 3)^2?"""
    path = descent.sign_path(PARABOLA_GRAD, 1.0, 0.3, 40)
    # six steps up to 2.8, then 3.1, 2.8, ... : even k >= 6 sit at 2.8, odd ones at 3.1
    np.testing.assert_allclose(path[-4:], [3.1, 2.8, 3.1, 2.8])
    assert np.min(np.abs(path[10:] - 3)) > 0.09


@pytest.mark.parametrize("lr, key", [(0.05, "slow"), (0.5, "ideal"), (0.75, "oscillating"),
                                     (1.0, "stuck"), (1.5, "diverging")])
def test_regime_from_the_contraction_factor(lr, key):
    """Does q = 1 - lr f'' name the regime of the table in 03 (f'' = 2)?"""
    assert descent.regime(1 - lr * 2.0).key == key


def test_regime_boundaries_up_to_rounding():
    """Are rates that hit 1/f'' or 2/f'' only up to rounding read as on the boundary?"""
    c = 9.1
    assert (1 / c) * c != 1.0
    assert descent.regime(1 - (1 / c) * c).key == "ideal"
    assert descent.regime(1 - (2 / c) * c * (1 + 1e-15)).key == "stuck"


@pytest.mark.parametrize("lr, key", [(0.05, "slow"), (0.5, "ideal"), (0.75, "oscillating"),
                                     (1.0, "stuck"), (1.3, "diverging")])
def test_regime_read_from_a_path_agrees_with_the_formula(lr, key):
    """Does the observed step ratio of a parabola run give the same regime as 1 - lr f''?"""
    path = descent.path(PARABOLA_GRAD, 1.0, lr, 30)
    assert descent.regime_of_path(path).key == key


def test_observed_factor_near_a_quartic_minimum_is_the_local_one():
    """On x^4 - 3x^2 + x, does the observed step ratio approach 1 - lr f''(x*) at the minimum reached?"""
    f = quartic()
    path = descent.path(f.grad, 1.5, 0.05, 60)
    x_star = path[-1]
    assert abs(float(f.grad(x_star))) < 1e-8
    assert descent.observed_factor(path) == pytest.approx(1 - 0.05 * float(f.hess(x_star)), abs=1e-4)


def test_iteration_table_shows_the_numbers():
    """Does the iteration table list x_25 and the step that led to it?"""
    path = descent.path(PARABOLA_GRAD, 1.0, 0.05, 25)
    table = descent.iteration_table(path, PARABOLA_GRAD, 3.0)
    lines = table.splitlines()
    assert len(lines) == 27 and "2.8564204024616" in lines[-1] and "+1.5953e-02" in lines[-1]
