"""The grader's probes: for each exercise, inputs to try, the right function and the catalogued wrong ones.

Every wrong implementation is keyed by its id in :mod:`course.mistakes`, which says in words what
it gets wrong. Inputs come from the grader's generator (fresh for every notebook graded); each
kind of input is a :class:`Case`. These are references, so they live in the instructor's wing,
which a grading kernel cannot see; :mod:`.diagnosis` uses them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

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
    """How to tell an exercise's right answer from its catalogued mistakes."""

    cases: list[Case]
    right: Callable
    wrong: dict[str, Callable] = field(default_factory=dict)  # mistake id -> wrong implementation


# --- 01_loss_functions -------------------------------------------------------------------------

def _arrays(rng: np.random.Generator) -> tuple:
    n = int(rng.integers(3, 9))
    return rng.normal(size=n), rng.normal(size=n)


def _lists(rng: np.random.Generator) -> tuple:
    p, t = _arrays(rng)
    return list(p), list(t)


def _f(a) -> np.ndarray:
    return np.asarray(a, dtype=float)


def _mse(p, t):
    return np.mean((_f(p) - _f(t)) ** 2)


def _mae(p, t):
    return np.mean(np.abs(_f(p) - _f(t)))


_PAIRS = [Case(_arrays), Case(_lists, trials=1)]


def _stable_sigmoid(z):
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-_f(z)))


def _moderate_z(rng):
    return (rng.normal(scale=3.0, size=6),)


def _huge_z(rng):
    return (np.array([-900.0, -1.0, 0.0, 900.0]) * rng.uniform(1.0, 1.5),)


def _log_loss(p, y, eps=1e-12):
    p = np.clip(_f(p), eps, 1 - eps)
    y = _f(y)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def _log_loss_terms(p, y, eps=1e-12):
    p = np.clip(_f(p), eps, 1 - eps)
    y = _f(y)
    return y * np.log(p) + (1 - y) * np.log(1 - p)


def _probabilities(rng):
    n = int(rng.integers(3, 9))
    return rng.uniform(0.05, 0.95, n), (rng.random(n) < 0.5).astype(float)


def _certain(rng):
    return np.array([0.0, 1.0, 0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0, 0.0, 1.0]), \
        float(10.0 ** -rng.uniform(2.0, 4.0))


def _neuron_inputs(rng):
    n = int(rng.integers(3, 9))
    w, b = rng.normal(scale=2.0, size=2)
    return float(w), float(b), rng.normal(size=n), rng.random(n)


# --- 02_parabola_descent -----------------------------------------------------------------------

def _points(rng):
    return (rng.uniform(-20.0, 20.0, 7),)


# --- 04_matrix_weights -------------------------------------------------------------------------

def _layer(rng, n: int, k: int) -> tuple:
    return rng.normal(size=n), rng.normal(size=(n, k)), rng.normal(size=k)


def _rectangular(rng):
    return _layer(rng, 3, 4)


def _square(rng):
    return _layer(rng, 3, 3)


def _residual(x, W, target):
    return _f(x) @ _f(W) - _f(target)


_LAYER = [Case(_rectangular), Case(_square, trials=1)]
_WEIGHTS = [Case(lambda rng: _rectangular(rng)[:2]), Case(lambda rng: _square(rng)[:2], trials=1)]


# --- 05_logistic_regression --------------------------------------------------------------------

def _classifier(rng, n: int, d: int) -> tuple:
    return rng.normal(size=d), float(rng.normal()), rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(float)


def _tall(rng):
    return _classifier(rng, 6, 2)


def _square_data(rng):
    return _classifier(rng, 3, 3)


def _proba(w, b, X):
    return _stable_sigmoid(_f(X) @ _f(w) + b)


def _logistic_gradients(w, b, X, y, *, error=None, mean=True, transposed=False):
    p = _proba(w, b, X)
    e = (p - _f(y)) if error is None else error(p, _f(y))
    n = len(e) if mean else 1
    dw = (_f(X) @ e if transposed else _f(X).T @ e) / n
    return dw, float(np.sum(e) / n)


_CLASSIFIER = [Case(_tall), Case(_square_data, trials=1)]
_MODEL = [Case(lambda rng: _tall(rng)[:3]), Case(lambda rng: _square_data(rng)[:3], trials=1)]


# --- 07_backprop -------------------------------------------------------------------------------

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




# --- 06_optimizers -----------------------------------------------------------------------------

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
          corrected=True, inside=False, stuck=False):
    if state is None:
        state = {"m": np.zeros(np.shape(params)), "v": np.zeros(np.shape(params)), "t": 0}
    t = 1 if stuck else state["t"] + 1
    m = beta1 * _f(state["m"]) + (1 - beta1) * _f(grad)
    v = beta2 * _f(state["v"]) + (1 - beta2) * _f(grad) ** 2
    m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if corrected else (m, v)
    scale = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
    sign = 1.0 if ascent else -1.0
    return _f(params) + sign * learning_rate * m_hat / scale, {"m": m, "v": v, "t": t}


def _variant(fn: Callable, **options) -> Callable:
    return lambda *args: fn(*args, **options)


PROBES: dict[str, Probe] = {
    "mse": Probe(_PAIRS, _mse, {
        "mse/sum-not-mean": lambda p, t: np.sum((_f(p) - _f(t)) ** 2),
        "mse/absolute-not-squared": _mae,
        "mse/root-taken": lambda p, t: np.sqrt(_mse(p, t)),
        "mse/squared-mean": lambda p, t: np.mean(_f(p) - _f(t)) ** 2,
        "mse/no-lists": lambda p, t: np.mean((p - t) ** 2),
    }),
    "mae": Probe(_PAIRS, _mae, {
        "mae/sum-not-mean": lambda p, t: np.sum(np.abs(_f(p) - _f(t))),
        "mae/no-absolute-value": lambda p, t: np.mean(_f(p) - _f(t)),
        "mae/squared": _mse,
    }),
    "sigmoid": Probe([Case(_moderate_z), Case(_huge_z, trials=1, errstate={"over": "raise"})], _stable_sigmoid, {
        "sigmoid/sign-of-z": lambda z: 1.0 / (1.0 + np.exp(_f(z))),
        "sigmoid/overflows": _naive_sigmoid,
    }),
    "log_loss": Probe([Case(_probabilities), Case(_certain, trials=1)], _log_loss, {
        "log_loss/sum-not-mean": lambda p, y, eps=1e-12: -np.sum(_log_loss_terms(p, y, eps)),
        "log_loss/minus-missing": lambda p, y, eps=1e-12: np.mean(_log_loss_terms(p, y, eps)),
        "log_loss/not-clipped": lambda p, y, eps=1e-12: _log_loss(p, y, eps=0.0),
        "log_loss/eps-ignored": lambda p, y, eps=1e-12: _log_loss(p, y, 1e-7),
    }),
    "neuron_mse": Probe([Case(_neuron_inputs, trials=3)], lambda w, b, x, t: _mse(_stable_sigmoid(w * _f(x) + b), t), {
        "neuron_mse/sum-not-mean": lambda w, b, x, t: np.sum((_stable_sigmoid(w * _f(x) + b) - _f(t)) ** 2),
        "neuron_mse/bias-subtracted": lambda w, b, x, t: _mse(_stable_sigmoid(w * _f(x) - b), t),
        "neuron_mse/no-sigmoid": lambda w, b, x, t: _mse(w * _f(x) + b, t),
    }),
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
        "adam_step/step-count-stuck": _variant(_adam, stuck=True),
    }),
    "predict": Probe(_WEIGHTS, lambda x, W: _f(x) @ _f(W), {
        "predict/order-swapped": lambda x, W: _f(W) @ _f(x),
        "predict/not-summed": lambda x, W: _f(x)[:, None] * _f(W),
    }),
    "loss": Probe(_LAYER, lambda x, W, t: np.mean(_residual(x, W, t) ** 2), {
        "loss/sum-not-mean": lambda x, W, t: np.sum(_residual(x, W, t) ** 2),
        "loss/root-taken": lambda x, W, t: np.sqrt(np.mean(_residual(x, W, t) ** 2)),
        "loss/order-swapped": lambda x, W, t: np.mean((_f(W) @ _f(x) - _f(t)) ** 2),
    }),
    "loss_gradient": Probe(_LAYER, lambda x, W, t: 2.0 / np.size(t) * np.outer(x, _residual(x, W, t)), {
        "loss_gradient/transposed": lambda x, W, t: 2.0 / np.size(t) * np.outer(_residual(x, W, t), x),
        "loss_gradient/no-mean": lambda x, W, t: 2.0 * np.outer(x, _residual(x, W, t)),
        "loss_gradient/factor-missing": lambda x, W, t: np.outer(x, _residual(x, W, t)),
        "loss_gradient/sign-flipped": lambda x, W, t: -2.0 / np.size(t) * np.outer(x, _residual(x, W, t)),
    }),
    "predict_proba": Probe(_MODEL, _proba, {
        "predict_proba/sign-flipped": lambda w, b, X: _proba(-_f(w), -b, X),
        "predict_proba/bias-missing": lambda w, b, X: _proba(w, 0.0, X),
        "predict_proba/rounded": lambda w, b, X: np.round(_proba(w, b, X)),
    }),
    "logistic_gradients": Probe(_CLASSIFIER, _logistic_gradients, {
        "logistic_gradients/sum-not-mean": _variant(_logistic_gradients, mean=False),
        "logistic_gradients/sign-flipped": _variant(_logistic_gradients, error=lambda p, y: y - p),
        "logistic_gradients/transposed": _variant(_logistic_gradients, transposed=True),
        "logistic_gradients/squared-error": _variant(_logistic_gradients, error=lambda p, y: (p - y) * p * (1 - p)),
    }),
    "backward": Probe([Case(_network, trials=3)], _backward, {
        "backward/no-activation-derivative": _variant(_backward, derivative=False),
        "backward/sum-not-mean": _variant(_backward, mean=False),
        "backward/sign-flipped": _variant(_backward, sign=-1.0),
        "backward/flat-output-gradients": _variant(_backward, flat=True),
    }),
}
