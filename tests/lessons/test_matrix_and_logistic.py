"""The mathematics behind 04_matrix_weights and 05_logistic_regression, checked numerically,
and the course modules those notebooks draw with (loss_curves, boundary_plots).

The graded functions are not in course/, so the formulas are written out here, once, as the
references the notebooks' text and hidden tests state.
"""
import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import course
from course.boundary_plots import boundary_line, boundary_snapshots, draw_boundary, scatter_classes
from course.data import matrix_exercise, train_test_split, two_clouds
from course.gradcheck import gradient_check, numerical_gradient, relative_error
from course.loss_curves import plot_loss_curves, residual_losses
from course.plots import new_figure


def mse(x, W, t):
    return np.mean((x @ W - t) ** 2)


def mse_grad(x, W, t):
    return 2 / len(t) * np.outer(x, x @ W - t)


def step(x, W, t, lr):
    return W - lr * mse_grad(x, W, t)


def run(lr, n_steps):
    x, t, W = matrix_exercise()
    losses = [mse(x, W, t)]
    for _ in range(n_steps):
        W = step(x, W, t, lr)
        losses.append(mse(x, W, t))
    return W, np.array(losses)


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def mean_log_loss(w, b, X, y):
    z = X @ w + b
    return np.mean(np.logaddexp(0.0, z) - y * z)


def logistic_grads(w, b, X, y):
    e = sigmoid(X @ w + b) - y
    return X.T @ e / len(y), np.mean(e)


def fit(X, y, lr, n_iters):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_iters):
        dw, db = logistic_grads(w, b, X, y)
        w, b = w - lr * dw, b - lr * db
    return w, b


# --- 04: the seed's exercise, done right ------------------------------------------------

def test_seed_numbers():
    """Is x @ W1 = [15, 13, 18, 11] and the starting loss 125.25, while W1 @ x is another model?"""
    x, t, W1 = matrix_exercise()
    assert np.array_equal(x @ W1, [15.0, 13.0, 18.0, 11.0])
    assert mse(x, W1, t) == pytest.approx(125.25)
    assert np.allclose(W1 @ x, 13.9) and not np.allclose(W1 @ x, x @ W1)


def test_gradient_on_seed_data_matches_central_differences():
    """Does (2/k) outer(x, p - t) agree with central differences at the seed's W1?"""
    x, t, W1 = matrix_exercise()
    result = gradient_check(lambda W: mse(x, W, t), lambda W: mse_grad(x, W, t), W1)
    assert result.ok and result.relative_error < 1e-8
    assert np.allclose(result.analytic[0], [6.5, 5.0, 7.0, 3.0])


@pytest.mark.parametrize("d, k", [(3, 2), (3, 5), (7, 1), (7, 6)])
def test_gradient_with_other_sizes(d, k):
    """With d inputs and k outputs, is the factor 2/k (the outputs the mean runs over), in shape (d, k)?"""
    rng = np.random.default_rng(d * 10 + k)
    x, W, t = rng.normal(size=d), rng.normal(size=(d, k)), rng.normal(size=k)
    numeric = numerical_gradient(lambda V: mse(x, V, t), W)
    assert numeric.shape == (d, k)
    assert relative_error(mse_grad(x, W, t), numeric) < 1e-7
    assert relative_error(2 / d * np.outer(x, x @ W - t), numeric) > 1e-3 or d == k


def test_batched_gradient_formula():
    """Is the gradient of the mean over all N*K errors 2/(N K) X^T (X W - Y), as Further reading says?"""
    rng = np.random.default_rng(4)
    X, W, Y = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=(5, 4))
    numeric = numerical_gradient(lambda V: np.mean((X @ V - Y) ** 2), W)
    assert relative_error(2 / (5 * 4) * X.T @ (X @ W - Y), numeric) < 1e-7


@pytest.mark.parametrize("lr", [0.01, 0.05, 1 / 15, 0.1, 0.2])
def test_residual_shrinks_by_one_minus_15_lr(lr):
    """Does one step multiply the residual by exactly 1 - 15·lr (c = (2/k)|x|^2 = 15)?"""
    x, t, W1 = matrix_exercise()
    assert 2 / len(t) * (x @ x) == 15.0
    r0 = x @ W1 - t
    r1 = x @ step(x, W1, t, lr) - t
    assert np.allclose(r1, (1 - 15 * lr) * r0, atol=1e-12)


def test_ideal_rate_lands_in_one_step():
    """Does the rate 1/15 bring the loss to 0 in one step?"""
    _, losses = run(1 / 15, 1)
    assert losses[1] < 1e-20


def test_unstable_from_two_fifteenths():
    """Is 2/15 the border: below it the loss falls, at it the loss stays, above it the loss grows?"""
    assert run(0.13, 30)[1][-1] < 125.25 * 0.1  # factor 0.95 per step: slow, but falling
    assert run(2 / 15, 30)[1] == pytest.approx(np.full(31, 125.25))
    assert run(0.14, 30)[1][-1] > 125.25 * 10


def test_rate_001_needs_15_steps_for_1_30():
    """At rate 0.01, is the loss below 1.30 after 15 steps but not after 14 (125.25·0.85^(2t))?"""
    _, losses = run(0.01, 15)
    assert losses == pytest.approx(125.25 * 0.85 ** (2 * np.arange(16)))
    assert losses[15] < 1.30 <= losses[14]


# --- 05: logistic regression ---------------------------------------------------------------

@pytest.mark.parametrize("n, d", [(7, 3), (50, 2), (1, 4)])
def test_logistic_gradients_match_central_differences(n, d):
    """Are dw = X^T (p - y)/n and db = mean(p - y) the gradients of the mean log loss?"""
    rng = np.random.default_rng(n + d)
    X, y = rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(float)
    w, b = rng.normal(size=d), float(rng.normal())
    theta = np.append(w, b)
    result = gradient_check(lambda th: mean_log_loss(th[:-1], th[-1], X, y),
                            lambda th: np.append(*logistic_grads(th[:-1], th[-1], X, y)), theta)
    assert result.ok, str(result)


def test_stable_log_loss_equals_the_clipped_definition():
    """Is log(1 + e^z) - y z the per-sample log loss of p = sigmoid(z) (as the hidden tests compute it)?"""
    z = np.linspace(-20, 20, 41)
    for y in (0.0, 1.0):
        p = sigmoid(z)
        direct = -(y * np.log(p) + (1 - y) * np.log(1 - p))
        assert np.allclose(np.logaddexp(0.0, z) - y * z, direct, rtol=1e-9)


def test_log_loss_is_convex_and_curvature_bound_holds():
    """Is the Hessian of the mean log loss positive semidefinite and below (1/4) λmax(X̃ᵀX̃/n)?"""
    X, y = two_clouds(n=60, seed=3)
    Xa = np.column_stack([X, np.ones(len(y))])
    bound = 0.25 * np.linalg.eigvalsh(Xa.T @ Xa / len(y)).max()
    rng = np.random.default_rng(0)
    for _ in range(5):
        theta = rng.normal(scale=2.0, size=3)
        p = sigmoid(Xa @ theta)
        H = (Xa * (p * (1 - p))[:, None]).T @ Xa / len(y)
        # The closed-form Hessian agrees with differences of the gradient.
        g = lambda th: np.append(*logistic_grads(th[:2], th[2], X, y))
        H_num = np.column_stack([(g(theta + 1e-5 * e) - g(theta - 1e-5 * e)) / 2e-5 for e in np.eye(3)])
        assert np.allclose(H, H_num, atol=1e-7)
        eig = np.linalg.eigvalsh(H)
        assert eig.min() >= -1e-12 and eig.max() <= bound + 1e-12


def test_reference_training_reaches_the_notebook_numbers():
    """Does the reference fit (rate 0.5, 200 steps) get 88% test accuracy and log loss near 0.27?"""
    X_train, y_train, X_test, y_test = train_test_split(*two_clouds())
    w, b = fit(X_train, y_train, 0.5, 200)
    assert np.mean((X_test @ w + b > 0) == (y_test == 1)) == pytest.approx(0.88)
    assert mean_log_loss(w, b, X_test, y_test) == pytest.approx(0.2687, abs=1e-3)


def test_hidden_test_thresholds_have_room():
    """On the hidden test's unseen data, is the reference far from chance, so the margins mean something?"""
    Xa, ya = two_clouds(n=300, seed=90917)
    Xb, yb = two_clouds(n=1000, seed=90918)
    w, b = fit(Xa, ya, 0.5, 200)
    assert mean_log_loss(w, b, Xb, yb) < 0.35
    assert np.mean((Xb @ w + b > 0) == (yb == 1)) > 0.8
    # Summing instead of averaging (a step n times too long) is caught by the loss threshold.
    w_sum, b_sum = fit(Xa, ya, 0.5 * len(ya), 200)
    assert mean_log_loss(w_sum, b_sum, Xb, yb) > mean_log_loss(w, b, Xb, yb) + 0.02


def test_weights_grow_on_separable_data():
    """On separable clouds, does |w| keep growing with the step budget while the loss tends to 0?"""
    X, y = two_clouds(n=100, separation=6.0, seed=0)
    norms, losses = [], []
    for n_iters in (10, 100, 1000):
        w, b = fit(X, y, 1.0, n_iters)
        norms.append(np.linalg.norm(w))
        losses.append(mean_log_loss(w, b, X, y))
    assert np.all(np.diff(norms) > 0) and np.all(np.diff(losses) < 0)
    assert np.mean((X @ w + b > 0) == (y == 1)) == 1.0


# --- course.loss_curves and course.boundary_plots ------------------------------------------

def test_residual_losses():
    """Is residual_losses the loss of a run whose residual scales by `factor` per step?"""
    assert np.allclose(residual_losses(125.25, 0.85, 15), run(0.01, 15)[1])
    assert np.allclose(residual_losses(2.0, -1.0, 4), 2.0)
    assert np.isinf(residual_losses(1.0, 10.0, 400)[-1])


def test_plot_loss_curves_cuts_divergence_and_floors_zero():
    """Does the loss plot drop non-finite losses, mark the cut, and draw an exact 0 at the floor?"""
    fig, ax = new_figure()
    plot_loss_curves(ax, {"ideal": [4.0, 0.0, 0.0], "diverging": [1.0, 1e3, np.inf, np.nan]})
    lines = ax.get_lines()
    ideal, diverging, marker = lines[0], lines[1], lines[2]
    assert np.allclose(ideal.get_ydata(), [4.0, 1e-16, 1e-16])
    assert np.allclose(diverging.get_ydata(), [1.0, 1e3])
    assert marker.get_marker() == "^" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step" and ax.get_title()


@pytest.mark.parametrize("w, b, level",
                         [([1.0, 2.0], 0.5, 0.0), ([3.0, 0.1], -1.0, np.log(9)), ([0.0, -1.0], 2.0, 0.0)])
def test_boundary_line_lies_on_the_level_set(w, b, level):
    """Do the drawn line's points satisfy w . x + b = level, whatever the slope?"""
    fig, ax = new_figure()
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    line = boundary_line(ax, w, b, level)
    pts = np.column_stack([line.get_xdata(), line.get_ydata()])
    assert np.allclose(pts @ np.asarray(w) + b, level)
    assert ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-3, 3)


def test_no_boundary_for_zero_weights():
    """With w = 0 (every p = 1/2) is no line drawn?"""
    fig, ax = new_figure()
    assert boundary_line(ax, [0.0, 0.0], 0.3) is None and not ax.get_lines()


def test_boundary_drawings_label_everything():
    """Do the scatter, the boundary with its bands, and the snapshots draw what their names say?"""
    X, y = two_clouds(n=40)
    fig, ax = new_figure()
    scatter_classes(ax, X, y)
    assert len(ax.collections) == 2 and ax.get_xlabel() and ax.get_ylabel()
    draw_boundary(ax, [1.0, 0.5], 0.1)
    assert len(ax.get_lines()) == 3
    fig, ax = new_figure()
    boundary_snapshots(ax, X, y, {"a": ([1.0, 0.0], 0.0), "b": ([0.0, 0.0], 0.0), "c": ([1.0, 1.0], 0.5)})
    assert len(ax.get_lines()) == 2 and ax.get_legend() is not None


def test_course_holds_no_solution_of_04_or_05():
    """Does course/ stay free of the graded functions of 04 and 05?"""
    import importlib
    import pkgutil

    graded = {"predict", "loss", "loss_gradient", "train", "predict_proba", "logistic_gradients", "fit_logistic"}
    for info in pkgutil.iter_modules(course.__path__):
        if info.name in {"cli", "__main__"}:
            continue
        module = importlib.import_module(f"course.{info.name}")
        assert not graded & set(vars(module)), f"course.{info.name} defines {graded & set(vars(module))}"
