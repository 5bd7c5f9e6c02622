"""The grader's probes: for each exercise, inputs to try, the right function and the catalogued wrong ones.

Every wrong implementation is keyed by its id in :mod:`course.mistakes`, which says in words what
it gets wrong. Where the ways of writing one mistake give different answers (a clip at any fixed
number, an overflow of any kind), the id holds a :class:`Trait` instead, what all of them give, or
a tuple of implementations, any one of which is the mistake. Inputs come from the grader's
generator (fresh for every notebook graded); each kind of input is a :class:`Case`. An exercise
whose answer is a value (``my_rate``, ``W1``) has an :class:`Answer` instead: rules on the values,
each true only of one mistake. These are references, so they live in the instructor's wing, which a
grading kernel cannot see; :mod:`.diagnosis` uses them.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ...data import linear_regression, matrix_exercise
from ...network_init import init_two_layer
from ..grading.judge import call_and_report

#: Where the inputs of one probe call come from: the grader's generator -> positional arguments.
Inputs = Callable[[np.random.Generator], tuple]


@dataclass(frozen=True)
class Case:
    """One kind of input an exercise is probed with (``trials`` draws), optionally under ``np.errstate``."""

    inputs: Inputs
    trials: int = 2
    errstate: "dict | None" = None


@dataclass(frozen=True)
class Probe:
    """How to tell an exercise's right answer from its catalogued mistakes.

    ``run(fn, args)`` is how one draw calls a function and what of it is compared (by default the
    value of ``fn(*args)``): it may call it more than once (is a shuffle repeatable?) or look at an
    argument afterwards (was it changed in place?). ``uses`` names the student's own functions the
    exercise calls (``train`` calls ``loss`` and ``loss_gradient``): the right and the wrong
    implementations call the student's, given as keyword arguments, so that a mistake named is the
    exercise's own and never one of a function it calls.
    """

    cases: list[Case]
    right: Callable
    # mistake id -> its wrong implementation, a tuple of them (any one), or a trait
    wrong: "dict[str, Callable | tuple | Trait]" = field(default_factory=dict)
    run: "Callable[[Callable, tuple], Any] | None" = None
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trait:
    """A mistake defined by what every implementation of it gives, where they may differ among themselves.

    ``holds(args, value, raised)`` says whether one draw's outcome (the ``run`` of the student's
    function: its value, or the built-in class of what it raised, see :data:`OVERFLOW`) shows the
    mistake; it never holds for the right answer's outcome. A clip at any fixed number, an overflow
    of any kind: one trait each, where one wrong implementation would name one way of writing it.
    """

    holds: Callable[[tuple, Any, str], bool]


#: What any overflow is recorded as: ``OverflowError`` (``math.exp``) and ``FloatingPointError``
#: (NumPy under ``np.errstate(over="raise")``) are one mistake, however the exponential was taken.
OVERFLOW = "OverflowError"


@dataclass(frozen=True)
class Answer:
    """How to name the mistake behind a value answer: the names it is kept in, and one rule per mistake.

    A rule takes the values (in the order of ``names``) and holds only for an answer that fails the
    hidden tests for that reason: a right answer never meets one.
    """

    names: tuple[str, ...]
    rules: dict[str, Callable[..., bool]]  # mistake id -> does the answer show it?


def _keeps(position: int) -> Callable[[Callable, tuple], tuple]:
    """A ``run`` that also says whether the function left its argument at ``position`` as it was."""
    def run(fn: Callable, args: tuple) -> tuple:
        out, left = call_and_report(fn, *args)
        return out, bool(np.array_equal(np.asarray(left[position]), np.asarray(args[position])))
    return run


def _whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


# --- 01_loss_functions -------------------------------------------------------------------------

def _arrays(rng: np.random.Generator) -> tuple:
    n = int(rng.integers(3, 9))
    return rng.normal(size=n), rng.normal(size=n)


def _lists(rng: np.random.Generator) -> tuple:
    p, t = _arrays(rng)
    return list(p), list(t)


def _f(a) -> np.ndarray:
    return np.asarray(a, dtype=float)


def _close(value, expected) -> bool:
    """Is a value the expected number or array (to 1e-6, same size)?"""
    try:
        v, e = _f(value), _f(expected)
    except (TypeError, ValueError):
        return False
    return v.size == e.size and bool(np.allclose(v.reshape(e.shape), e, rtol=1e-6, atol=1e-9))


def _mse(p, t):
    return np.mean((_f(p) - _f(t)) ** 2)


def _mae(p, t):
    return np.mean(np.abs(_f(p) - _f(t)))


_PAIRS = [Case(_arrays), Case(_lists, trials=1)]


def _fails_on_lists(right: Callable) -> Trait:
    """Right on arrays; on Python lists, any exception (``p - t``, ``p.shape``: each fails its own way)."""
    def holds(args, value, raised) -> bool:
        if isinstance(args[0], list):
            return bool(raised)
        return not raised and _close(value, right(*args))
    return Trait(holds)


def _stable_sigmoid(z):
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _moderate_z(rng):
    return (rng.normal(scale=3.0, size=6),)


def _huge_z(rng):
    return (np.array([-900.0, -1.0, 0.0, 900.0]) * rng.uniform(1.0, 1.5),)


def _is_huge(z) -> bool:
    return float(np.max(np.abs(_f(z)))) > 700.0


def _sigmoid_trait(flipped: bool) -> Trait:
    """sigmoid(-z) (sign-of-z), or the right values (overflows), on moderate z; on huge z, an overflow.

    A flipped sign may be written stably, so on huge z it may give sigmoid(-z) as well.
    """
    def holds(args, value, raised) -> bool:
        (z,) = args
        if not _is_huge(z):
            return not raised and _close(value, _stable_sigmoid(-_f(z) if flipped else z))
        return raised == OVERFLOW or (flipped and not raised and _close(value, _stable_sigmoid(-_f(z))))
    return Trait(holds)


def _log_loss(p, y, eps=1e-12):
    p = np.clip(_f(p), eps, 1 - eps)
    y = _f(y)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _log_loss_terms(p, y, eps=1e-12):
    p = np.clip(_f(p), eps, 1 - eps)
    y = _f(y)
    return y * np.log(p) + (1 - y) * np.log(1 - p)


def _eps(rng) -> float:
    return float(10.0 ** -rng.uniform(2.0, 4.0))


def _probabilities(rng):
    n = int(rng.integers(3, 9))
    return rng.uniform(0.05, 0.95, n), (rng.random(n) < 0.5).astype(float), _eps(rng)


def _certain(rng):
    return np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0, 0.0, 1.0]), _eps(rng)


#: The second eps each draw is called with: a loss clipped with eps changes with it where p is 0 or 1, a fixed
#: clip does not.
_EPS_FACTOR = 1e-3


def _log_loss_run(fn: Callable, args: tuple) -> tuple:
    """The loss at eps and at eps * 1e-3 (does eps reach the clip?)."""
    p, y, eps = args
    return fn(copy.deepcopy(p), copy.deepcopy(y), eps), fn(copy.deepcopy(p), copy.deepcopy(y), eps * _EPS_FACTOR)


def _finite(value) -> bool:
    try:
        return bool(np.all(np.isfinite(_f(value))))
    except (TypeError, ValueError):
        return False


def _log_loss_trait(clipped: bool) -> Trait:
    """Right where p is away from 0 and 1; where p is exactly 0 or 1, a fixed clip or none.

    A fixed clip (``eps-ignored``): two finite losses, equal although eps changed, not the loss at
    eps. No clip (``not-clipped``): an infinite or NaN loss, or the ValueError of ``math.log(0)``.
    """
    def holds(args, value, raised) -> bool:
        p, y, eps = args
        if not np.any((_f(p) == 0.0) | (_f(p) == 1.0)):
            return not raised and isinstance(value, tuple) and all(_close(v, _log_loss(*args)) for v in value)
        if not clipped:
            return raised in ("ValueError", "ZeroDivisionError") or (
                not raised and isinstance(value, tuple) and not any(_finite(v) for v in value))
        return not raised and isinstance(value, tuple) and all(_finite(v) for v in value) and \
            _close(value[0], value[1]) and not _close(value[0], _log_loss(*args))
    return Trait(holds)


def _neuron_inputs(rng):
    n = int(rng.integers(3, 9))
    w, b = rng.normal(scale=2.0, size=2)
    return float(w), float(b), rng.normal(size=n), rng.random(n)


# --- 02_parabola_descent -----------------------------------------------------------------------

def _points(rng):
    return (rng.uniform(-20.0, 20.0, 7),)


def _bowl_1d(rng) -> tuple:
    """The slope of a(x - c)^2 (c away from 0), a start beyond c and a rate that approaches c without overshooting."""
    a, c = float(rng.uniform(0.5, 2.0)), float(rng.uniform(2.0, 6.0) * rng.choice([-1.0, 1.0]))
    x0 = c + np.sign(c) * float(rng.uniform(1.0, 4.0))
    return (lambda x, a=a, c=c: 2.0 * a * (x - c)), x0, float(rng.uniform(0.1, 0.9) / (2.0 * a))


def _descent_inputs(rng):
    grad, x0, rate = _bowl_1d(rng)
    return grad, x0, rate, int(rng.integers(2, 7))


def _descent(grad, x0, learning_rate, n_iters, *, ascent=False, seed_rule=False, start=True, last=False,
             slope=None):
    slope = slope or grad
    xs = [float(x0)]
    for _ in range(n_iters):
        x = xs[-1]
        if seed_rule:
            xs.append((x - learning_rate) * slope(x))
        else:
            xs.append(x + learning_rate * slope(x) if ascent else x - learning_rate * slope(x))
    return xs[-1] if last else np.array(xs if start else xs[1:])


def _stops(rng):
    """A run whose step first falls below tol after K steps, tol well between the K-th step and the one before."""
    a, c = float(rng.uniform(0.3, 3.0)), float(rng.uniform(-4.0, 4.0))
    x0 = c + float(rng.uniform(1.0, 4.0) * rng.choice([-1.0, 1.0]))
    q = float(rng.uniform(0.5, 0.85) * rng.choice([-1.0, 1.0]))
    rate, k = (1 - q) / (2 * a), int(rng.integers(3, 9))
    steps = 2 * a * rate * abs(x0 - c) * abs(q) ** np.arange(k + 1)  # |x_{j+1} - x_j| = 2 a rate |q|^j |x0 - c|
    return (lambda x, a=a, c=c: 2.0 * a * (x - c)), x0, rate, float(np.sqrt(steps[k - 1] * steps[k - 2])), 100


def _never_stops(rng):
    """A slow run whose steps stay far above tol: it must stop after exactly max_iters steps."""
    a, c = float(rng.uniform(0.005, 0.02)), float(rng.uniform(-4.0, 4.0))
    x0 = c + float(rng.uniform(1.0, 4.0) * rng.choice([-1.0, 1.0]))
    return (lambda x, a=a, c=c: 2.0 * a * (x - c)), x0, 0.5, 1e-14, int(rng.integers(5, 13))


def _descend_until(grad, x0, learning_rate, tol, max_iters, *, slope_rule=False, report_before=False,
                   short=False):
    x = float(x0)
    limit = max(max_iters - 1, 0) if short else max_iters
    for n in range(1, limit + 1):
        x_new = x - learning_rate * grad(x)
        if (abs(grad(x_new)) if slope_rule else abs(x_new - x)) < tol:
            return (x, n - 1) if report_before else (x_new, n)
        x = x_new
    return x, limit


def _challenge_distance(rate, iters) -> float:
    """|x - 3| after my_iters steps on (x - 3)^2 from x0 = 1, computed as the hidden test computes it."""
    x = 1.0
    for _ in range(int(iters)):
        x = x - float(rate) * 2.0 * (x - 3.0)
    return abs(x - 3.0)


def _challenge_fails(rate, iters, contracting: bool) -> bool:
    factor = abs(1.0 - 2.0 * float(rate))
    return _whole(iters) and 0 <= iters <= 10 and (factor < 1.0 if contracting else factor >= 1.0) and \
        not _challenge_distance(rate, iters) < 1e-6


# --- 03_learning_rate --------------------------------------------------------------------------

def _curvature(rng) -> float:
    return float(10 ** rng.uniform(-1.0, 1.0))


def _band(low: float, high: float) -> Inputs:
    """A rate whose product with the curvature lies in (low, high), well inside one regime."""
    def inputs(rng):
        c = _curvature(rng)
        return float(rng.uniform(low, high) / c), c
    return inputs


def _boundary(product: float) -> Inputs:
    """A rate equal to product / curvature only up to rounding (a relative 2e-14 to 1e-13 off, never exactly)."""
    def inputs(rng):
        c = _curvature(rng)
        return product / c * (1.0 + float(rng.choice([-1.0, 1.0]) * rng.uniform(2e-14, 1e-13))), c
    return inputs


def _not_positive(which: int) -> Inputs:
    """A rate or a curvature that is zero or negative: each of the four kinds, whatever the draw."""
    def inputs(rng):
        rate, c = float(rng.uniform(0.05, 1.0)), float(rng.uniform(0.5, 5.0))
        return [(0.0, c), (-rate, c), (rate, 0.0), (rate, -c)][which]
    return inputs


def _no_value_error(right: Callable) -> Trait:
    """Right for positive arguments; for any that is zero or negative, anything but the ValueError it needs
    (a value, inf, a ZeroDivisionError: each way of not checking gives its own)."""
    def holds(args, value, raised) -> bool:
        if min(args) <= 0:
            return raised != "ValueError"
        return not raised and _same_answer(value, right(*args))
    return Trait(holds)


def _stuck_missed() -> Trait:
    """Right away from the boundary 2/f''; at it, "oscillating" (or, just past it by rounding, "diverging"):
    never "stuck", however the bands are written (``< 2``, ``<= 2``, np.isclose)."""
    def holds(args, value, raised) -> bool:
        rate, curvature = args
        if min(args) <= 0:
            return raised == "ValueError"
        product = rate * curvature
        if not np.isclose(product, 2.0):
            return not raised and value == _classify_rate(rate, curvature)
        return not raised and (value == "oscillating" or (value == "diverging" and product > 2.0))
    return Trait(holds)


def _same_answer(value, expected) -> bool:
    """A string equal to the expected string, or a number close to the expected number."""
    if isinstance(expected, str) or isinstance(value, str):
        return value == expected
    return _close(value, expected)


def _classify_rate(learning_rate, curvature, *, exact=False, oscillates=True):
    if curvature <= 0 or learning_rate <= 0:
        raise ValueError("learning_rate and curvature must be positive")
    product = learning_rate * curvature
    near = (lambda a, b: a == b) if exact else np.isclose
    if near(product, 1.0):
        return "ideal"
    if near(product, 2.0):
        return "stuck"
    if product < 1.0:
        return "slow"
    if not oscillates:
        return "diverging"
    return "oscillating" if product < 2.0 else "diverging"


_REGIMES = [Case(_band(0.02, 0.98)), Case(_band(1.02, 1.98)), Case(_band(2.02, 8.0)), Case(_boundary(1.0), trials=1),
            Case(_boundary(2.0), trials=1), *(Case(_not_positive(k), trials=1) for k in range(4))]


def _ideal_rate(curvature, *, factor=1.0, checked=True):
    if checked and curvature <= 0:
        raise ValueError("curvature must be positive")
    return factor / curvature


_CURVATURES = [Case(lambda rng: (_curvature(rng),)), Case(lambda rng: (-_curvature(rng),), trials=1),
               Case(lambda rng: (0.0,), trials=1)]


def _newton_bowl(rng):
    n = int(rng.integers(2, 4))
    A = rng.normal(size=(n, n))
    H, c = A @ A.T + 0.5 * np.eye(n), rng.normal(size=n) * 2.0
    return (lambda w, H=H, c=c: H @ (_f(w) - c)), (lambda w, H=H: H.copy()), rng.normal(size=n) * 2.0


def _newton(grad, hess, w, *, step=None):
    w = _f(w)
    g, H = _f(grad(w)), _f(hess(w))
    return w - (np.linalg.solve(H, g) if step is None else step(H, g))


# --- 04_matrix_weights -------------------------------------------------------------------------

def _layer(rng, n: int, k: int) -> tuple:
    return rng.normal(size=n), rng.normal(size=(n, k)), rng.normal(size=k)


def _rectangular(rng):
    return _layer(rng, 3, 4)


def _square(rng):
    return _layer(rng, 3, 3)


def _residual(x, W, target, predict=None):
    """prediction - target, with the student's own predict when given (the right x @ W without it)."""
    return _f(predict(x, W) if predict else _f(x) @ _f(W)) - _f(target)


def _order_swapped(then: Callable) -> Trait:
    """W @ x in place of x @ W: on a square W, ``then`` of W @ x; on a rectangular one, any exception."""
    def holds(args, value, raised) -> bool:
        x, W = _f(args[0]), _f(args[1])
        if W.shape[0] != W.shape[1]:
            return bool(raised)
        return not raised and _close(value, then(W @ x, *args[2:]))
    return Trait(holds)


_LAYER = [Case(_rectangular), Case(_square, trials=1)]
_WEIGHTS = [Case(lambda rng: _rectangular(rng)[:2]), Case(lambda rng: _square(rng)[:2], trials=1)]


def _training(rng):
    return (*_layer(rng, 3, 2), float(rng.uniform(0.02, 0.1)), int(rng.integers(2, 5)))


def _train(x, W, target, learning_rate, n_steps, *, loss, loss_gradient, ascent=False, once=False, start=True,
           in_place=False):
    W = W if in_place else np.array(W, dtype=float)
    history = [loss(x, W, target)]
    fixed = loss_gradient(x, W, target) if once else None
    for _ in range(n_steps):
        step = learning_rate * _f(fixed if once else loss_gradient(x, W, target))
        if in_place:
            W -= step
        else:
            W = W + step if ascent else W - step
        history.append(loss(x, W, target))
    return W, history if start else history[1:]


def _weights_w1(value) -> "np.ndarray | None":
    W = np.asarray(value, dtype=float)
    return W if W.shape == (4, 4) else None


def _loss_of_w1(value) -> float:
    x, target, _ = matrix_exercise()
    with np.errstate(all="ignore"):
        return float(np.mean((x @ _weights_w1(value) - target) ** 2))


def _descent_line(W: np.ndarray) -> "float | None":
    """Where W lies on descent's line from W1_init (the s below), or None if it is off that line.

    From W1_init, every step of descent on this layer moves W along outer(x, r0) (r0 the first
    residual): after any number of steps at any rate, W = W1_init - s outer(x, r0) / 30 with s = 1 - q^k,
    q = 1 - 15 rate, and the loss is 125.25 (1 - s)^2. A wrong gradient or update leaves that line, or
    goes backwards on it (s < 0).
    """
    if not np.all(np.isfinite(W)):
        return None
    x, target, W0 = matrix_exercise()
    D = np.outer(x, x @ W0 - target) / 30.0
    s = -float(np.sum((W - W0) * D) / np.sum(D * D))
    return s if np.allclose(W, W0 - s * D, rtol=1e-6, atol=1e-9) else None


def _w1_stopped_short(value) -> bool:
    """Is W1 a point descent passes on its way (0 < s < 1), before the target, with a loss still at least 1.30?"""
    W = _weights_w1(value)
    s = None if W is None else _descent_line(W)
    return s is not None and 0.0 < s < 1.0 and _loss_of_w1(W) >= 1.30


#: A loss of W1 a million times the one it starts from (125.25): divergence by any reading.
_HUGE_LOSS = 125.25e6


def _w1_diverged(value) -> bool:
    """Did the run diverge: W1 or its loss not finite, or the loss a million times the starting one?

    Only the size of the loss says so: on descent's line a rate above 2/15 and an ascent or a gradient
    computed once can reach the same points, so where W1 lies on it tells no rate apart.
    """
    W = _weights_w1(value)
    if W is None:
        return False
    loss = _loss_of_w1(W)
    return not np.all(np.isfinite(W)) or not np.isfinite(loss) or loss > _HUGE_LOSS


# --- 05_logistic_regression --------------------------------------------------------------------

def _classifier(rng, n: int, d: int) -> tuple:
    return rng.normal(size=d), float(rng.normal()), rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(float)


def _tall(rng):
    return _classifier(rng, 6, 2)


def _square_data(rng):
    return _classifier(rng, 3, 3)


def _proba(w, b, X):
    return _stable_sigmoid(_f(X) @ _f(w) + b)


def _logistic_gradients(w, b, X, y, *, predict_proba=None, error=None, mean=True):
    p = _f((predict_proba or _proba)(w, b, X))
    e = (p - _f(y)) if error is None else error(p, _f(y))
    n = len(e) if mean else 1
    return _f(X).T @ e / n, float(np.sum(e) / n)


def _gradients_transposed() -> Trait:
    """X @ error for X.T @ error: on a square X, that dw (and the right db); on a tall one, any exception."""
    def holds(args, value, raised) -> bool:
        w, b, X, y = args
        X = _f(X)
        if X.shape[0] != X.shape[1]:
            return bool(raised)
        e = _proba(w, b, X) - _f(y)
        return not raised and isinstance(value, (tuple, list)) and len(value) == 2 and \
            _close(value[0], X @ e / len(e)) and _close(value[1], np.mean(e))
    return Trait(holds)


_CLASSIFIER = [Case(_tall), Case(_square_data, trials=1)]
_MODEL = [Case(lambda rng: _tall(rng)[:3]), Case(lambda rng: _square_data(rng)[:3], trials=1)]


def _fitting(rng):
    _, _, X, y = _tall(rng)
    return X, y, float(rng.uniform(0.1, 1.0)), int(rng.integers(2, 5))


def _fit_logistic(X, y, learning_rate, n_iters, *, logistic_gradients, ascent=False, bias=True, extra=0,
                  once=False):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    sign = 1.0 if ascent else -1.0
    fixed = logistic_gradients(w, b, X, y) if once else None
    for _ in range(n_iters + extra):
        dw, db = fixed if once else logistic_gradients(w, b, X, y)
        w = w + sign * learning_rate * _f(dw)
        if bias:
            b = b + sign * learning_rate * _f(db)
    return w, b


# --- 06_backprop -------------------------------------------------------------------------------

def _network(rng) -> tuple:
    n, d, h = int(rng.integers(4, 8)), 2, 3
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h), "W2": rng.normal(size=(h, 1)),
              "b2": rng.normal(size=1)}
    X = rng.normal(size=(n, d))
    H = np.tanh(X @ params["W1"] + params["b1"])
    p = _stable_sigmoid(H @ params["W2"] + params["b2"])[:, 0]
    return params, {"X": X, "H": H, "p": p}, (rng.random(n) < 0.5).astype(float)


def _backward(params, cache, y, *, sign=1.0, mean=True, derivative=True, flat=False):
    X, H, p = _f(cache["X"]), _f(cache["H"]), _f(cache["p"])
    dz2 = (sign * (p - _f(y)) / (len(p) if mean else 1))[:, None]
    dZ1 = (dz2 @ _f(params["W2"]).T) * ((1.0 - H ** 2) if derivative else 1.0)
    grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ dz2, "b2": dz2.sum(axis=0)}
    if flat:
        grads["W2"], grads["b2"] = grads["W2"][:, 0], float(grads["b2"][0])
    return grads


def _layers(rng) -> tuple:
    n, d, h = int(rng.integers(3, 8)), int(rng.integers(1, 4)), int(rng.integers(2, 5))
    params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h), "W2": rng.normal(size=(h, 1)),
              "b2": rng.normal(size=1)}
    return params, rng.normal(size=(n, d))


def _forward(params, X, *, hidden=np.tanh, output=True, column=False, bias=True):
    X = _f(X)
    H = hidden(X @ _f(params["W1"]) + (_f(params["b1"]) if bias else 0.0))
    z = H @ _f(params["W2"]) + _f(params["b2"])
    p = _stable_sigmoid(z) if output else z
    p = p if column else p[:, 0]
    return p, {"X": X, "H": H, "p": p}


def _forward_view(fn, args) -> tuple:
    """p and the cache's X, H and p (a cache may hold more)."""
    p, cache = fn(*args)
    return p, cache["X"], cache["H"], cache["p"]


def _mean_log_loss(p, y, eps=1e-12):
    p = np.clip(_f(p), eps, 1 - eps)
    return float(-np.mean(_f(y) * np.log(p) + (1 - _f(y)) * np.log(1 - p)))


def _network_training(rng):
    X = rng.normal(size=(int(rng.integers(8, 13)), 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float), 3, float(rng.uniform(0.3, 1.0)), 3, int(rng.integers(2**31))


def _train_network(X, y, hidden, learning_rate, n_steps, seed, *, forward, backward, ascent=False, late=False,
                   biases=True, zeros=False):
    d = np.shape(X)[1]
    params = {"W1": np.zeros((d, hidden)), "b1": np.zeros(hidden), "W2": np.zeros((hidden, 1)), "b2": np.zeros(1)} \
        if zeros else init_two_layer(d, hidden, seed)
    sign = 1.0 if ascent else -1.0
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        if not late:
            losses.append(_mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params = {k: v + sign * learning_rate * _f(grads[k]) if biases or k.startswith("W") else v
                  for k, v in params.items()}
        if late:
            losses.append(_mean_log_loss(forward(params, X)[0], y))
    return params, np.array(losses)



# --- 08_optimizers -----------------------------------------------------------------------------

def _step_inputs(rng):
    return rng.normal(size=3), rng.normal(size=3), None


def _momentum_state(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, {"v": rng.normal(size=3)}, float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.5, 0.95))


def _first_momentum(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, None, float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.5, 0.95))


def _momentum(params, grad, state, learning_rate=0.01, beta=0.9, *, ascent=False, averaged=False, keep=True):
    v = np.zeros(np.shape(params)) if state is None or not keep else _f(state["v"])
    v = beta * v + ((1 - beta) * _f(grad) if averaged else _f(grad))
    sign = 1.0 if ascent else -1.0
    return _f(params) + sign * learning_rate * v, {"v": v}


def _rms_state(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, {"s": rng.uniform(0.1, 2.0, 3)}, float(rng.uniform(0.01, 0.2)), \
        float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.05, 0.3))


def _first_rms(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, None, float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.5, 0.95)), \
        float(rng.uniform(0.05, 0.3))


def _rmsprop(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8, *, ascent=False, inside=False,
             keep=True):
    s = np.zeros(np.shape(params)) if state is None or not keep else _f(state["s"])
    s = beta * s + (1 - beta) * _f(grad) ** 2
    scale = np.sqrt(s + eps) if inside else np.sqrt(s) + eps
    sign = 1.0 if ascent else -1.0
    return _f(params) + sign * learning_rate * _f(grad) / scale, {"s": s}


def _adam_state(rng):
    params, grad, _ = _step_inputs(rng)
    state = {"m": rng.normal(size=3), "v": rng.uniform(0.1, 2.0, 3), "t": int(rng.integers(2, 9))}
    return params, grad, state, float(rng.uniform(0.01, 0.2)), 0.9, 0.99, float(rng.uniform(0.05, 0.3))


def _first_adam(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, None, float(rng.uniform(0.01, 0.2)), 0.9, 0.99, float(rng.uniform(0.05, 0.3))


def _adam(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, *, ascent=False,
          corrected=True, inside=False, t_used=None):
    if state is None:
        state = {"m": np.zeros(np.shape(params)), "v": np.zeros(np.shape(params)), "t": 0}
    t = state["t"] + 1 if t_used is None else t_used
    m = beta1 * _f(state["m"]) + (1 - beta1) * _f(grad)
    v = beta2 * _f(state["v"]) + (1 - beta2) * _f(grad) ** 2
    m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if corrected else (m, v)
    scale = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
    sign = 1.0 if ascent else -1.0
    return _f(params) + sign * learning_rate * m_hat / scale, {"m": m, "v": v, "t": t}


def _count_stuck() -> Trait:
    """t does not grow: the first step right (t = 1), and then t stays 1, or stays the t it was given."""
    def holds(args, value, raised) -> bool:
        state = args[2]
        counts = {1} if state is None else {1, int(state["t"])}
        return not raised and any(_same_step(value, _adam(*copy.deepcopy(args), t_used=t)) for t in counts)
    return Trait(holds)


def _same_step(value, expected: tuple) -> bool:
    """Is a step's (params, state) the expected one (state entries compared by name)?"""
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[1], dict)):
        return False
    params, state = value
    return _close(params, expected[0]) and state.keys() == expected[1].keys() and \
        all(_close(state[k], expected[1][k]) for k in state)


# --- 08_optimizers: minimize --------------------------------------------------------------------

def _momentum_run(rng):
    """A step function that needs its state (heavy-ball momentum), the gradient of a 3-D bowl, a start, a length."""
    A = rng.normal(size=(3, 3))
    H, c = A @ A.T + np.eye(3), rng.normal(size=3)
    rate, beta = float(rng.uniform(0.02, 0.08)), float(rng.uniform(0.3, 0.8))

    def step_fn(params, grad, state, rate=rate, beta=beta):
        v = _f(grad) if state is None else beta * _f(state["v"]) + _f(grad)
        return _f(params) - rate * v, {"v": v}
    return step_fn, (lambda w, H=H, c=c: H @ (_f(w) - c)), rng.normal(size=3), int(rng.integers(2, 5))


def _minimize(step_fn, grad, x0, n_steps, *, start=True, keep_state=True, one_array=False):
    x, state = np.array(x0, dtype=float), None
    path = [x.copy()]
    for _ in range(n_steps):
        x, new_state = step_fn(x, grad(x), state if keep_state else None)
        x, state = np.array(x, dtype=float), new_state
        path.append(x)
    if one_array:  # one array, stored at every step and changed in place: every row is the last point
        path = [path[-1]] * len(path)
    return np.array(path if start else path[1:])


# --- 07_stochastic_descent ---------------------------------------------------------------------

def _shuffle_inputs(rng):
    size = int(rng.integers(3, 9))
    return size * int(rng.integers(4, 9)) + int(rng.integers(1, size)), size, int(rng.integers(2**31))


def _batch_arrays(out) -> list:
    return [np.asarray(b).ravel() for b in out]


def _same_batches(a: list, b: list) -> bool:
    return len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))


def _batches_view(fn, args) -> dict:
    """What a shuffle into batches must be, whatever the generator: a function of (n, batch_size) alone.

    The batch sizes; whether the indices are distinct and are all of 0..n-1; whether they are
    shuffled; whether the same seed gives the same batches again, and the next seed others.
    """
    n, size, seed = args
    first, again, other = (_batch_arrays(fn(n, size, s)) for s in (seed, seed, seed + 1))
    flat = np.concatenate(first).tolist() if first else []
    return {"sizes": [b.size for b in first], "distinct": len(set(flat)) == len(flat),
            "every index": sorted(flat) == list(range(n)), "shuffled": flat != list(range(len(flat))),
            "repeatable": _same_batches(first, again), "seeded": not _same_batches(first, other)}


def _minibatches(n, batch_size, seed, *, order="permutation", drop_last=False):
    if order == "permutation":
        indices = np.random.default_rng(seed).permutation(n)
    elif order == "with replacement":
        indices = np.random.default_rng(seed).integers(0, n, size=n)
    elif order == "unseeded":
        indices = np.random.default_rng().permutation(n)
    elif order == "one seed":
        indices = np.random.default_rng(0).permutation(n)
    else:
        indices = np.arange(n)
    end = n - batch_size + 1 if drop_last else n
    return [indices[i:i + batch_size] for i in range(0, end, batch_size)]


def _mse_gradient(w, X, y):
    residual = _f(X) @ _f(w) - _f(y)
    return 2.0 * _f(X).T @ residual / len(residual)


def _mse_loss(w, X, y):
    return float(np.mean((_f(X) @ _f(w) - _f(y)) ** 2))


def _epoch_inputs(rng):
    size = int(rng.integers(2, 6))
    n = size * int(rng.integers(2, 5)) + int(rng.integers(1, size))
    order = rng.permutation(n)
    return rng.normal(size=2), rng.normal(size=(n, 2)), rng.normal(size=n), float(rng.uniform(0.02, 0.1)), \
        [order[i:i + size] for i in range(0, n, size)]


def _sgd_epoch(w, X, y, learning_rate, batches, *, at_start=False, full=False, summed=False, in_place=False):
    X, y = _f(X), _f(y)
    w = np.asarray(w, dtype=float) if in_place else np.array(w, dtype=float)
    start = w.copy()
    for batch in batches:
        batch = np.asarray(batch, dtype=int)
        at = start if at_start else w
        gradient = _mse_gradient(at, X, y) if full else _mse_gradient(at, X[batch], y[batch])
        step = learning_rate * gradient * (len(batch) if summed else 1)
        if in_place:
            w -= step
        else:
            w = w - step
    return w


def _noise_inputs(rng):
    n = int(rng.integers(10, 40))
    return rng.normal(size=2), rng.normal(size=(n, 2)), rng.normal(size=n), int(rng.integers(2, n))


def _gradient_noise(w, X, y, batch_size, *, finite=True, root=True, entrywise=False):
    X, y = _f(X), _f(y)
    n = len(y)
    G = 2.0 * X * (X @ _f(w) - y)[:, None]
    spread = np.var(G) if entrywise else np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    variance = spread / batch_size * ((n - batch_size) / (n - 1) if finite else 1.0)
    return float(np.sqrt(variance) if root else variance)


@functools.lru_cache(maxsize=1)
def _noise_question() -> tuple:
    """The notebook's question: the noise at w0 for every batch size, with and without the factor, and LEVEL."""
    X, y = linear_regression(n=600, noise=1.0, seed=0)
    G = 2.0 * X * (X @ np.array([-1.0, 2.0]) - y)[:, None]
    spread = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    sizes = np.arange(1, 601)
    return np.sqrt(spread / sizes * (600 - sizes) / 599), np.sqrt(spread / sizes), \
        0.25 * float(np.linalg.norm(G.mean(axis=0)))


def _batch_size(value) -> "int | None":
    """The answer as a batch size from 1 to 600, or None."""
    B = float(np.ravel(np.asarray(value, dtype=float))[0])
    return int(B) if B == int(B) and 1 <= B <= 600 else None


def _one_short(value) -> bool:
    B, (noise, _, level) = _batch_size(value), _noise_question()
    return B is not None and B < 600 and noise[B - 1] > level >= noise[B]


def _without_factor(value) -> bool:
    B, (noise, plain, level) = _batch_size(value), _noise_question()
    return B is not None and B == 1 + int(np.argmax(plain <= level)) != 1 + int(np.argmax(noise <= level))


def _sgd_inputs(rng):
    n = int(rng.integers(12, 25))
    X = rng.normal(size=(n, 2))
    y = X @ rng.normal(size=2) + 0.5 * rng.normal(size=n)
    rate, tau = float(rng.uniform(0.02, 0.08)), float(rng.uniform(0.5, 2.0))
    return rng.normal(size=2), X, y, int(rng.integers(2, 6)), 3, (lambda e, r=rate, t=tau: r / (1.0 + e / t)), \
        int(rng.integers(2**30))


def _train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed, *, sgd_epoch, minibatches, same_batches=False,
               rate_once=False, start=True, from_one=False, seeds_from_one=False):
    w = np.array(w0, dtype=float)
    history = [_mse_loss(w, X, y)]
    for epoch in range(n_epochs):
        rate = schedule(0) if rate_once else schedule(epoch + 1 if from_one else epoch)
        shuffle = seed if same_batches else seed + epoch + (1 if seeds_from_one else 0)
        w = sgd_epoch(w, X, y, rate, minibatches(len(y), batch_size, shuffle))
        history.append(_mse_loss(w, X, y))
    return w, history if start else history[1:]


def _variant(fn: Callable, **options) -> Callable:
    return lambda *args, **helpers: fn(*args, **helpers, **options)


PROBES: dict[str, Probe] = {
    "mse": Probe(_PAIRS, _mse, {
        "mse/sum-not-mean": lambda p, t: np.sum((_f(p) - _f(t)) ** 2),
        "mse/absolute-not-squared": _mae,
        "mse/root-taken": lambda p, t: np.sqrt(_mse(p, t)),
        "mse/squared-mean": lambda p, t: np.mean(_f(p) - _f(t)) ** 2,
        "mse/no-lists": _fails_on_lists(_mse),
    }),
    "mae": Probe(_PAIRS, _mae, {
        "mae/sum-not-mean": lambda p, t: np.sum(np.abs(_f(p) - _f(t))),
        "mae/no-absolute-value": lambda p, t: np.mean(_f(p) - _f(t)),
        "mae/squared": _mse,
    }),
    "sigmoid": Probe([Case(_moderate_z), Case(_huge_z, trials=1, errstate={"over": "raise"})], _stable_sigmoid, {
        "sigmoid/sign-of-z": _sigmoid_trait(flipped=True),
        "sigmoid/overflows": _sigmoid_trait(flipped=False),
    }),
    "log_loss": Probe([Case(_probabilities), Case(_certain, trials=1)], _log_loss, {
        "log_loss/sum-not-mean": lambda p, y, eps=1e-12: -np.sum(_log_loss_terms(p, y, eps)),
        "log_loss/minus-missing": lambda p, y, eps=1e-12: np.mean(_log_loss_terms(p, y, eps)),
        "log_loss/not-clipped": _log_loss_trait(clipped=False),
        "log_loss/eps-ignored": _log_loss_trait(clipped=True),
    }, run=_log_loss_run),
    # built on the student's own sigmoid and mse: a right neuron_mse on a wrong mse is mse's knock-on
    "neuron_mse": Probe([Case(_neuron_inputs, trials=3)], lambda w, b, x, t, *, sigmoid, mse:
                        mse(sigmoid(w * _f(x) + b), _f(t)), {
        "neuron_mse/sum-not-mean": lambda w, b, x, t, *, sigmoid, mse:
        np.sum((_f(sigmoid(w * _f(x) + b)) - _f(t)) ** 2),
        "neuron_mse/bias-subtracted": lambda w, b, x, t, *, sigmoid, mse: mse(sigmoid(w * _f(x) - b), _f(t)),
        "neuron_mse/no-sigmoid": lambda w, b, x, t, *, sigmoid, mse: mse(w * _f(x) + b, _f(t)),
    }, uses=("sigmoid", "mse")),
    "parabola": Probe([Case(_points, trials=3)], lambda x: (_f(x) - 3.0) ** 2, {
        "parabola/power-forgotten": lambda x: _f(x) ** 2 - 3.0,
        "parabola/plus-three": lambda x: (_f(x) + 3.0) ** 2,
        "parabola/slope-not-value": lambda x: 2.0 * (_f(x) - 3.0),
    }),
    "parabola_grad": Probe([Case(_points, trials=3)], lambda x: 2.0 * (_f(x) - 3.0), {
        "parabola_grad/power-rule": lambda x: 2.0 * _f(x) - 3.0,
        "parabola_grad/sign-flipped": lambda x: 2.0 * (3.0 - _f(x)),
        "parabola_grad/factor-two-missing": lambda x: _f(x) - 3.0,
    }),
    "gradient_descent": Probe([Case(_descent_inputs, trials=3)], _descent, {
        "gradient_descent/start-missing": _variant(_descent, start=False),
        "gradient_descent/ascent": _variant(_descent, ascent=True),
        "gradient_descent/rate-subtracted-first": _variant(_descent, seed_rule=True),
        "gradient_descent/grad-ignored": _variant(_descent, slope=lambda x: 2.0 * (x - 3.0)),
        "gradient_descent/last-only": _variant(_descent, last=True),
    }),
    "descend_until": Probe([Case(_stops, trials=3), Case(_never_stops, trials=1)], _descend_until, {
        "descend_until/slope-not-step": _variant(_descend_until, slope_rule=True),
        "descend_until/step-not-counted": _variant(_descend_until, report_before=True),
        "descend_until/stops-before-max": _variant(_descend_until, short=True),
    }),
    "classify_rate": Probe(_REGIMES, _classify_rate, {
        "classify_rate/diverges-past-ideal": _variant(_classify_rate, oscillates=False),
        "classify_rate/exact-comparison": _variant(_classify_rate, exact=True),
        "classify_rate/stuck-as-oscillating": _stuck_missed(),
        "classify_rate/no-value-error": _no_value_error(_classify_rate),
    }),
    "ideal_rate": Probe(_CURVATURES, _ideal_rate, {
        "ideal_rate/edge-of-stability": _variant(_ideal_rate, factor=2.0),
        "ideal_rate/half": _variant(_ideal_rate, factor=0.5),
        "ideal_rate/no-value-error": _no_value_error(_ideal_rate),
    }),
    "newton_step": Probe([Case(_newton_bowl, trials=3)], _newton, {
        "newton_step/ascent": _variant(_newton, step=lambda H, g: -np.linalg.solve(H, g)),
        "newton_step/diagonal-only": _variant(_newton, step=lambda H, g: g / np.diag(H)),
        "newton_step/entrywise-inverse": _variant(_newton, step=lambda H, g: (1.0 / H) @ g),
        "newton_step/gradient-step": _variant(_newton, step=lambda H, g: g),
    }),
    "momentum_step": Probe([Case(_first_momentum), Case(_momentum_state)], _momentum, {
        "momentum_step/ascent": _variant(_momentum, ascent=True),
        "momentum_step/no-state": _variant(_momentum, keep=False),
        "momentum_step/averaged-velocity": _variant(_momentum, averaged=True),
    }),
    "rmsprop_step": Probe([Case(_first_rms), Case(_rms_state)], _rmsprop, {
        "rmsprop_step/ascent": _variant(_rmsprop, ascent=True),
        "rmsprop_step/eps-inside-root": _variant(_rmsprop, inside=True),
        "rmsprop_step/no-state": _variant(_rmsprop, keep=False),
    }),
    "adam_step": Probe([Case(_first_adam), Case(_adam_state)], _adam, {
        "adam_step/ascent": _variant(_adam, ascent=True),
        "adam_step/no-bias-correction": _variant(_adam, corrected=False),
        "adam_step/eps-inside-root": _variant(_adam, inside=True),
        "adam_step/step-count-stuck": _count_stuck(),
    }),
    "predict": Probe(_WEIGHTS, lambda x, W: _f(x) @ _f(W), {
        "predict/order-swapped": _order_swapped(lambda p: p),
        "predict/not-summed": lambda x, W: _f(x)[:, None] * _f(W),
    }),
    # loss and loss_gradient are built on the student's own predict (the source's call it)
    "loss": Probe(_LAYER, lambda x, W, t, *, predict: np.mean(_residual(x, W, t, predict) ** 2), {
        "loss/sum-not-mean": lambda x, W, t, *, predict: np.sum(_residual(x, W, t, predict) ** 2),
        "loss/root-taken": lambda x, W, t, *, predict: np.sqrt(np.mean(_residual(x, W, t, predict) ** 2)),
        "loss/order-swapped": _order_swapped(lambda p, t: np.mean((p - _f(t)) ** 2)),
    }, uses=("predict",)),
    "loss_gradient": Probe(_LAYER, lambda x, W, t, *, predict:
                           2.0 / np.size(t) * np.outer(x, _residual(x, W, t, predict)), {
        "loss_gradient/transposed": lambda x, W, t, *, predict:
        2.0 / np.size(t) * np.outer(_residual(x, W, t, predict), x),
        "loss_gradient/no-mean": lambda x, W, t, *, predict: 2.0 * np.outer(x, _residual(x, W, t, predict)),
        "loss_gradient/factor-missing": lambda x, W, t, *, predict: np.outer(x, _residual(x, W, t, predict)),
        "loss_gradient/sign-flipped": lambda x, W, t, *, predict:
        -2.0 / np.size(t) * np.outer(x, _residual(x, W, t, predict)),
    }, uses=("predict",)),
    "train": Probe([Case(_training)], _train, {
        "train/ascent": _variant(_train, ascent=True),
        "train/gradient-once": _variant(_train, once=True),
        "train/start-loss-missing": _variant(_train, start=False),
        "train/changes-input": _variant(_train, in_place=True),
    }, run=_keeps(1), uses=("loss", "loss_gradient")),
    "predict_proba": Probe(_MODEL, _proba, {
        "predict_proba/sign-flipped": lambda w, b, X: _proba(-_f(w), -b, X),
        "predict_proba/bias-missing": lambda w, b, X: _proba(w, 0.0, X),
        "predict_proba/rounded": lambda w, b, X: np.round(_proba(w, b, X)),
    }),
    # built on the student's own predict_proba (the source's calls it)
    "logistic_gradients": Probe(_CLASSIFIER, _logistic_gradients, {
        "logistic_gradients/sum-not-mean": _variant(_logistic_gradients, mean=False),
        "logistic_gradients/sign-flipped": _variant(_logistic_gradients, error=lambda p, y: y - p),
        "logistic_gradients/transposed": _gradients_transposed(),
        "logistic_gradients/squared-error": _variant(_logistic_gradients, error=lambda p, y: (p - y) * p * (1 - p)),
    }, uses=("predict_proba",)),
    "fit_logistic": Probe([Case(_fitting)], _fit_logistic, {
        "fit_logistic/ascent": _variant(_fit_logistic, ascent=True),
        "fit_logistic/bias-frozen": _variant(_fit_logistic, bias=False),
        "fit_logistic/one-step-too-many": _variant(_fit_logistic, extra=1),
        "fit_logistic/gradient-once": _variant(_fit_logistic, once=True),
    }, uses=("logistic_gradients",)),
    "backward": Probe([Case(_network, trials=3)], _backward, {
        "backward/no-activation-derivative": _variant(_backward, derivative=False),
        "backward/sum-not-mean": _variant(_backward, mean=False),
        "backward/sign-flipped": _variant(_backward, sign=-1.0),
        "backward/flat-output-gradients": _variant(_backward, flat=True),
    }),
    "forward": Probe([Case(_layers, trials=3)], _forward, {
        "forward/sigmoid-hidden": _variant(_forward, hidden=_stable_sigmoid),
        "forward/scores-not-probabilities": _variant(_forward, output=False),
        "forward/column-output": _variant(_forward, column=True),
        "forward/hidden-bias-missing": _variant(_forward, bias=False),
    }, run=_forward_view),
    "train_network": Probe([Case(_network_training)], _train_network, {
        "train_network/ascent": _variant(_train_network, ascent=True),
        "train_network/losses-one-step-late": _variant(_train_network, late=True),
        "train_network/biases-frozen": _variant(_train_network, biases=False),
        "train_network/zero-start": _variant(_train_network, zeros=True),
    }, uses=("forward", "backward")),
    "minimize": Probe([Case(_momentum_run)], _minimize, {
        "minimize/start-missing": _variant(_minimize, start=False),
        "minimize/state-dropped": _variant(_minimize, keep_state=False),
        "minimize/same-array-stored": _variant(_minimize, one_array=True),
    }),
    "minibatches": Probe([Case(_shuffle_inputs)], _minibatches, {
        "minibatches/not-shuffled": _variant(_minibatches, order="original"),
        "minibatches/last-batch-dropped": _variant(_minibatches, drop_last=True),
        "minibatches/with-replacement": _variant(_minibatches, order="with replacement"),
        "minibatches/not-reproducible": _variant(_minibatches, order="unseeded"),
        "minibatches/same-for-every-seed": _variant(_minibatches, order="one seed"),
    }, run=_batches_view),
    "sgd_epoch": Probe([Case(_epoch_inputs)], _sgd_epoch, {
        "sgd_epoch/gradients-at-start": _variant(_sgd_epoch, at_start=True),
        "sgd_epoch/full-gradient": _variant(_sgd_epoch, full=True),
        "sgd_epoch/summed-batch-gradient": _variant(_sgd_epoch, summed=True),
        "sgd_epoch/changes-input": _variant(_sgd_epoch, in_place=True),
    }, run=_keeps(0)),
    "gradient_noise": Probe([Case(_noise_inputs, trials=3)], _gradient_noise, {
        "gradient_noise/no-finite-population-factor": _variant(_gradient_noise, finite=False),
        "gradient_noise/no-square-root": _variant(_gradient_noise, root=False),
        "gradient_noise/entrywise-spread": _variant(_gradient_noise, entrywise=True),
    }),
    "train_sgd": Probe([Case(_sgd_inputs)], _train_sgd, {
        "train_sgd/same-batches-every-epoch": _variant(_train_sgd, same_batches=True),
        "train_sgd/schedule-ignored": _variant(_train_sgd, rate_once=True),
        "train_sgd/start-loss-missing": _variant(_train_sgd, start=False),
        # epochs counted from 1 for the schedule, and for the shuffle's seed too or not: one mistake either way
        "train_sgd/schedule-from-one": (_variant(_train_sgd, from_one=True),
                                        _variant(_train_sgd, from_one=True, seeds_from_one=True)),
    }, uses=("sgd_epoch", "minibatches")),
}

#: Exercises whose answer is a value: the names it is kept in, and the rules that name its mistakes.
ANSWERS: dict[str, Answer] = {
    "challenge": Answer(("my_rate", "my_iters"), {
        "challenge/too-many-iterations": lambda rate, iters: _whole(iters) and iters > 10,
        "challenge/not-contracting": lambda rate, iters: _challenge_fails(rate, iters, contracting=False),
        "challenge/too-slow": lambda rate, iters: _challenge_fails(rate, iters, contracting=True),
    }),
    "train_W1": Answer(("W1",), {
        "train_W1/kept-pair": lambda W1: isinstance(W1, (tuple, list)) and len(W1) == 2 and
        np.shape(W1[0]) == (4, 4),
        "train_W1/diverged": _w1_diverged,
        "train_W1/stopped-short": _w1_stopped_short,
    }),
    "quiet_batch_size": Answer(("quiet_batch_size",), {
        "quiet_batch_size/last-above-level": _one_short,
        "quiet_batch_size/no-finite-population-factor": _without_factor,
    }),
}


def right_built(exercise: str) -> Callable:
    """The right implementation of ``exercise`` with every helper it ``uses`` right too, all the way down."""
    probe = PROBES[exercise]
    return functools.partial(probe.right, **{name: right_built(name) for name in probe.uses}) if probe.uses \
        else probe.right
