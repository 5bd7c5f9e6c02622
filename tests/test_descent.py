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
    """Does a diverging run stop at the limit and fill the rest with NaN, without warnings?"""
    with np.errstate(all="raise"):
        path = descent.path(PARABOLA_GRAD, 1.0, 1.5, 200, limit=1e6)
    finite = path[np.isfinite(path)]
    assert np.all(np.abs(finite) <= 1e6) and np.isnan(path[-1])
    np.testing.assert_allclose(finite, 3 - 2 * (-2.0) ** np.arange(finite.size))


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
