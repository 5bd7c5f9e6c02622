"""course.functions: every shipped gradient and curvature agrees with finite differences."""
import numpy as np
import pytest

from course import functions
from course.gradcheck import numerical_gradient, relative_error

ONE_D = [functions.quadratic(1.0, 3.0), functions.quadratic(2.5, -1.0), functions.quartic(), functions.wavy(2.0)]


@pytest.mark.parametrize("obj", ONE_D, ids=lambda o: o.name)
def test_1d_gradient_and_curvature_match_finite_differences(obj):
    """Do grad and hess of each 1-D objective match centred differences at random points?"""
    for x in np.random.default_rng(0).uniform(-2.5, 2.5, 7):
        assert obj.grad(x) == pytest.approx(numerical_gradient(lambda v: obj(v[0]), [x])[0], rel=1e-6, abs=1e-6)
        assert obj.hess(x) == pytest.approx(numerical_gradient(lambda v: obj.grad(v[0]), [x], h=1e-5)[0],
                                            rel=1e-5, abs=1e-5)


def test_quadratic_curvature_is_twice_its_coefficient():
    """Is f'' = 2a for a(x - c)^2, and the minimum at c?"""
    q = functions.quadratic(1.0, 3.0)
    assert q(3.0) == 0 and q.grad(3.0) == 0 and q.hess(1.7) == 2.0


def test_quartic_global_minimum_is_where_stated():
    """Is the quartic's global minimum where the docstring says (f' = 0, f'' > 0, lowest valley)?"""
    q = functions.quartic()
    xs = np.linspace(-3, 3, 600001)
    assert xs[np.argmin(q(xs))] == pytest.approx(q.minimum, abs=1e-4)
    assert q.grad(q.minimum) == pytest.approx(0, abs=1e-5) and q.hess(q.minimum) > 0


@pytest.mark.parametrize("obj", [functions.bowl([[1.0, 0.0], [0.0, 10.0]], (1.0, -2.0)),
                                 functions.bowl([[3.0, 1.0], [1.0, 2.0]]), functions.rosenbrock()],
                         ids=["diagonal bowl", "tilted bowl", "rosenbrock"])
def test_2d_gradients_match_finite_differences(obj):
    """Do the 2-D objectives' gradients and Hessians match centred differences?"""
    for w in np.random.default_rng(1).uniform(-1.5, 1.5, (5, 2)):
        assert relative_error(obj.grad(w), numerical_gradient(obj, w)) < 1e-6
        numeric_h = np.array([numerical_gradient(lambda v, i=i: obj.grad(v)[i], w, h=1e-5) for i in range(2)])
        assert relative_error(obj.hess(w), numeric_h) < 1e-5


def test_bowl_evaluates_stacks_of_points():
    """Can a bowl be evaluated on a grid of points at once (for contour plots)?"""
    b = functions.bowl([[2.0, 0.0], [0.0, 4.0]])
    grid = np.random.default_rng(2).normal(size=(3, 4, 2))
    values = b(grid)
    assert values.shape == (3, 4)
    assert values[1, 2] == pytest.approx(b(grid[1, 2]))


def test_bowl_rejects_an_asymmetric_hessian():
    """Is a non-symmetric H refused with a clear message?"""
    with pytest.raises(ValueError, match="symmetric"):
        functions.bowl([[1.0, 2.0], [0.0, 1.0]])
