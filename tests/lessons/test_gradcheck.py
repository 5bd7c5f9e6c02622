"""course.gradcheck: the numerical gradient and the relative error the course trusts."""
import numpy as np
import pytest

from course.gradcheck import gradient_check, numerical_gradient, relative_error


def test_numerical_gradient_of_a_cubic_matches_calculus():
    """Is the centred difference of sum(x**3) equal to 3 x**2 to about h**2?"""
    x = np.array([[-1.5, 0.3], [2.0, 0.7]])
    got = numerical_gradient(lambda v: np.sum(v**3), x)
    assert np.allclose(got, 3 * x**2, rtol=1e-8, atol=1e-9)


def test_centred_difference_error_shrinks_like_h_squared():
    """Does halving h quarter the error (centred, not one-sided, differences)?"""
    f, x0 = np.exp, np.array([0.4])
    errors = [abs(numerical_gradient(lambda v: f(v[0]), x0, h)[0] - np.exp(0.4)) for h in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.05)


def test_numerical_gradient_does_not_change_its_input():
    """Does the checker leave the caller's array untouched?"""
    x = np.array([1.0, 2.0])
    numerical_gradient(lambda v: v @ v, x)
    assert np.array_equal(x, [1.0, 2.0])


def test_relative_error_is_scale_free():
    """Is the relative error of a 1% mistake about 1e-2 whatever the gradient's size?"""
    g = np.array([3.0, -4.0])
    for scale in (1e-6, 1.0, 1e6):
        assert relative_error(scale * g, scale * g * 1.01) == pytest.approx(0.01, rel=0.02)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_accepts_right_and_rejects_wrong_gradients():
    """Does gradient_check pass 2x for sum(x**2) and fail x (a missing factor 2) and -2x (sign)?"""
    f = lambda w: float(np.sum(w**2))
    x = np.array([0.5, -1.0, 2.0])
    assert gradient_check(f, lambda w: 2 * w, x).ok
    assert not gradient_check(f, lambda w: w, x).ok
    assert not gradient_check(f, lambda w: -2 * w, x).ok
    assert "relative error" in str(gradient_check(f, lambda w: 2 * w, x))


def test_gradient_check_rejects_a_wrong_shape():
    """Is a gradient of the wrong shape reported clearly instead of broadcast silently?"""
    with pytest.raises(ValueError, match="shape"):
        gradient_check(lambda w: float(w.sum()), lambda w: np.ones(5), np.zeros(3))
