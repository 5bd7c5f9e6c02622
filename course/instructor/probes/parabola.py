"""The grader's probes of 02_parabola_descent (parabola, parabola_grad, gradient_descent, descend_until, challenge).

For each exercise: inputs to draw, the right function and one wrong implementation (or trait,
or rule on a value answer) per mistake of ``course/mistakes/parabola.py``. The visible checks of
the same exercises are ``course/checks/parabola.py``.
"""
from __future__ import annotations

import numpy as np

from .core import Answer, Case, Probe, floats, variant


def _whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


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


PROBES: dict[str, Probe] = {
    "parabola": Probe([Case(_points, trials=3)], lambda x: (floats(x) - 3.0) ** 2, {
        "parabola/power-forgotten": lambda x: floats(x) ** 2 - 3.0,
        "parabola/plus-three": lambda x: (floats(x) + 3.0) ** 2,
        "parabola/slope-not-value": lambda x: 2.0 * (floats(x) - 3.0),
    }),
    "parabola_grad": Probe([Case(_points, trials=3)], lambda x: 2.0 * (floats(x) - 3.0), {
        "parabola_grad/power-rule": lambda x: 2.0 * floats(x) - 3.0,
        "parabola_grad/sign-flipped": lambda x: 2.0 * (3.0 - floats(x)),
        "parabola_grad/factor-two-missing": lambda x: floats(x) - 3.0,
    }),
    "gradient_descent": Probe([Case(_descent_inputs, trials=3)], _descent, {
        "gradient_descent/start-missing": variant(_descent, start=False),
        "gradient_descent/ascent": variant(_descent, ascent=True),
        "gradient_descent/rate-subtracted-first": variant(_descent, seed_rule=True),
        "gradient_descent/grad-ignored": variant(_descent, slope=lambda x: 2.0 * (x - 3.0)),
        "gradient_descent/last-only": variant(_descent, last=True),
    }),
    "descend_until": Probe([Case(_stops, trials=3), Case(_never_stops, trials=1)], _descend_until, {
        "descend_until/slope-not-step": variant(_descend_until, slope_rule=True),
        "descend_until/step-not-counted": variant(_descend_until, report_before=True),
        "descend_until/stops-before-max": variant(_descend_until, short=True),
    }),
}


ANSWERS: dict[str, Answer] = {
    "challenge": Answer(("my_rate", "my_iters"), {
        "challenge/too-many-iterations": lambda rate, iters: _whole(iters) and iters > 10,
        "challenge/not-contracting": lambda rate, iters: _challenge_fails(rate, iters, contracting=False),
        "challenge/too-slow": lambda rate, iters: _challenge_fails(rate, iters, contracting=True),
    }),
}
