"""The grader's probes of 08_optimizers (momentum_step, rmsprop_step, adam_step, minimize).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/optimizers.py``. The visible checks of
the same exercises are ``course/checks/optimizers.py``.
"""
from __future__ import annotations

import copy

import numpy as np

from .core import Case, Probe, Trait, close, floats, variant


def _step_inputs(rng):
    return rng.normal(size=3), rng.normal(size=3), None


def _momentum_state(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, {"v": rng.normal(size=3)}, float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.5, 0.95))


def _first_momentum(rng):
    params, grad, _ = _step_inputs(rng)
    return params, grad, None, float(rng.uniform(0.01, 0.2)), float(rng.uniform(0.5, 0.95))


def _momentum(params, grad, state, learning_rate=0.01, beta=0.9, *, ascent=False, averaged=False, keep=True):
    v = np.zeros(np.shape(params)) if state is None or not keep else floats(state["v"])
    v = beta * v + ((1 - beta) * floats(grad) if averaged else floats(grad))
    sign = 1.0 if ascent else -1.0
    return floats(params) + sign * learning_rate * v, {"v": v}


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
    s = np.zeros(np.shape(params)) if state is None or not keep else floats(state["s"])
    s = beta * s + (1 - beta) * floats(grad) ** 2
    scale = np.sqrt(s + eps) if inside else np.sqrt(s) + eps
    sign = 1.0 if ascent else -1.0
    return floats(params) + sign * learning_rate * floats(grad) / scale, {"s": s}


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
    m = beta1 * floats(state["m"]) + (1 - beta1) * floats(grad)
    v = beta2 * floats(state["v"]) + (1 - beta2) * floats(grad) ** 2
    m_hat, v_hat = (m / (1 - beta1 ** t), v / (1 - beta2 ** t)) if corrected else (m, v)
    scale = np.sqrt(v_hat + eps) if inside else np.sqrt(v_hat) + eps
    sign = 1.0 if ascent else -1.0
    return floats(params) + sign * learning_rate * m_hat / scale, {"m": m, "v": v, "t": t}


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
    return close(params, expected[0]) and state.keys() == expected[1].keys() and \
        all(close(state[k], expected[1][k]) for k in state)


def _momentum_run(rng):
    """A step function that needs its state (heavy-ball momentum), the gradient of a 3-D bowl, a start, a length."""
    A = rng.normal(size=(3, 3))
    H, c = A @ A.T + np.eye(3), rng.normal(size=3)
    rate, beta = float(rng.uniform(0.02, 0.08)), float(rng.uniform(0.3, 0.8))

    def step_fn(params, grad, state, rate=rate, beta=beta):
        v = floats(grad) if state is None else beta * floats(state["v"]) + floats(grad)
        return floats(params) - rate * v, {"v": v}
    return step_fn, (lambda w, H=H, c=c: H @ (floats(w) - c)), rng.normal(size=3), int(rng.integers(2, 5))


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


PROBES: dict[str, Probe] = {
    "momentum_step": Probe([Case(_first_momentum), Case(_momentum_state)], _momentum, {
        "momentum_step/ascent": variant(_momentum, ascent=True),
        "momentum_step/no-state": variant(_momentum, keep=False),
        "momentum_step/averaged-velocity": variant(_momentum, averaged=True),
    }),
    "rmsprop_step": Probe([Case(_first_rms), Case(_rms_state)], _rmsprop, {
        "rmsprop_step/ascent": variant(_rmsprop, ascent=True),
        "rmsprop_step/eps-inside-root": variant(_rmsprop, inside=True),
        "rmsprop_step/no-state": variant(_rmsprop, keep=False),
    }),
    "adam_step": Probe([Case(_first_adam), Case(_adam_state)], _adam, {
        "adam_step/ascent": variant(_adam, ascent=True),
        "adam_step/no-bias-correction": variant(_adam, corrected=False),
        "adam_step/eps-inside-root": variant(_adam, inside=True),
        "adam_step/step-count-stuck": _count_stuck(),
    }),
    "minimize": Probe([Case(_momentum_run)], _minimize, {
        "minimize/start-missing": variant(_minimize, start=False),
        "minimize/state-dropped": variant(_minimize, keep_state=False),
        "minimize/same-array-stored": variant(_minimize, one_array=True),
    }),
}
