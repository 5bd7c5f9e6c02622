"""The grader's probes of 05_logistic_regression (predict_proba, logistic_gradients, fit_logistic).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/logistic.py``. The visible checks of
the same exercises are ``course/checks/logistic.py``.
"""
from __future__ import annotations

import numpy as np

from .core import Case, Probe, Trait, close, floats, stable_sigmoid, variant


def _classifier(rng, n: int, d: int) -> tuple:
    return rng.normal(size=d), float(rng.normal()), rng.normal(size=(n, d)), (rng.random(n) < 0.5).astype(float)


def _tall(rng):
    return _classifier(rng, 6, 2)


def _square_data(rng):
    return _classifier(rng, 3, 3)


def _proba(w, b, X):
    return stable_sigmoid(floats(X) @ floats(w) + b)


def _logistic_gradients(w, b, X, y, *, predict_proba=None, error=None, mean=True):
    p = floats((predict_proba or _proba)(w, b, X))
    e = (p - floats(y)) if error is None else error(p, floats(y))
    n = len(e) if mean else 1
    return floats(X).T @ e / n, float(np.sum(e) / n)


def _gradients_transposed() -> Trait:
    """X @ error for X.T @ error: on a square X, that dw (and the right db); on a tall one, any exception."""
    def holds(args, value, raised) -> bool:
        w, b, X, y = args
        X = floats(X)
        if X.shape[0] != X.shape[1]:
            return bool(raised)
        e = _proba(w, b, X) - floats(y)
        return not raised and isinstance(value, (tuple, list)) and len(value) == 2 and \
            close(value[0], X @ e / len(e)) and close(value[1], np.mean(e))
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
        w = w + sign * learning_rate * floats(dw)
        if bias:
            b = b + sign * learning_rate * floats(db)
    return w, b


PROBES: dict[str, Probe] = {
    "predict_proba": Probe(_MODEL, _proba, {
        "predict_proba/sign-flipped": lambda w, b, X: _proba(-floats(w), -b, X),
        "predict_proba/bias-missing": lambda w, b, X: _proba(w, 0.0, X),
        "predict_proba/rounded": lambda w, b, X: np.round(_proba(w, b, X)),
    }),
    # built on the student's own predict_proba (the source's calls it)
    "logistic_gradients": Probe(_CLASSIFIER, _logistic_gradients, {
        "logistic_gradients/sum-not-mean": variant(_logistic_gradients, mean=False),
        "logistic_gradients/sign-flipped": variant(_logistic_gradients, error=lambda p, y: y - p),
        "logistic_gradients/transposed": _gradients_transposed(),
        "logistic_gradients/squared-error": variant(_logistic_gradients, error=lambda p, y: (p - y) * p * (1 - p)),
    }, uses=("predict_proba",)),
    "fit_logistic": Probe([Case(_fitting)], _fit_logistic, {
        "fit_logistic/ascent": variant(_fit_logistic, ascent=True),
        "fit_logistic/bias-frozen": variant(_fit_logistic, bias=False),
        "fit_logistic/one-step-too-many": variant(_fit_logistic, extra=1),
        "fit_logistic/gradient-once": variant(_fit_logistic, once=True),
    }, uses=("logistic_gradients",)),
}
