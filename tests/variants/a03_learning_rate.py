"""Correct answers written differently, and common mistakes, for 03_learning_rate."""

ASSIGNMENT = "03_learning_rate"
NOTEBOOK = "learning_rate.ipynb"

CORRECT = {
    "boundaries_by_rate": {
        "classify_rate": '''import math
def classify_rate(learning_rate, curvature):
    if not curvature > 0 or not learning_rate > 0:
        raise ValueError("learning_rate and curvature must both be positive")
    ideal, limit = 1 / curvature, 2 / curvature
    if math.isclose(learning_rate, ideal, rel_tol=1e-9):
        return "ideal"
    if math.isclose(learning_rate, limit, rel_tol=1e-9):
        return "stuck"
    if learning_rate < ideal:
        return "slow"
    return "oscillating" if learning_rate < limit else "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    if not curvature > 0:
        raise ValueError("no minimum: curvature must be positive")
    return curvature ** -1''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = np.array(w, dtype=float)
    H_inv = np.linalg.inv(hess(w))
    return w - H_inv @ grad(w)''',
    },
    "contraction_factor": {
        "classify_rate": '''def classify_rate(learning_rate, curvature):
    if curvature <= 0:
        raise ValueError("curvature must be > 0")
    if learning_rate <= 0:
        raise ValueError("learning_rate must be > 0")
    q = 1 - learning_rate * curvature
    if abs(q) < 1e-9:
        return "ideal"
    if abs(q + 1) < 1e-9:
        return "stuck"
    if q > 0:
        return "slow"
    if q > -1:
        return "oscillating"
    return "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError(f"ideal_rate needs a positive curvature, got {curvature}")
    return float(np.reciprocal(float(curvature)))''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = [float(v) for v in w]
    g = np.asarray(grad(np.array(w)), dtype=float)
    H = np.asarray(hess(np.array(w)), dtype=float)
    step = np.linalg.solve(H, g.reshape(-1, 1)).ravel()
    return np.array([wi - si for wi, si in zip(w, step)])''',
    },
}

MISTAKES = {
    "diverges_from_one_over_curvature": {
        "classify_rate": '''def classify_rate(learning_rate, curvature):
    if curvature <= 0 or learning_rate <= 0:
        raise ValueError("must be positive")
    p = learning_rate * curvature
    if np.isclose(p, 1.0):
        return "ideal"
    if np.isclose(p, 2.0):
        return "stuck"
    return "slow" if p < 1 else "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("must be positive")
    return 2.0 / curvature''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - grad(w) / np.diag(hess(w))''',
    },
    "exact_equality": {
        "classify_rate": '''def classify_rate(learning_rate, curvature):
    if curvature <= 0 or learning_rate <= 0:
        raise ValueError("must be positive")
    p = learning_rate * curvature
    if p == 1:
        return "ideal"
    if p == 2:
        return "stuck"
    if p < 1:
        return "slow"
    return "oscillating" if p < 2 else "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    return 1.0 / curvature''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w + np.linalg.solve(hess(w), grad(w))''',
    },
    "no_value_errors": {
        "classify_rate": '''def classify_rate(learning_rate, curvature):
    p = learning_rate * curvature
    if np.isclose(p, 1.0):
        return "ideal"
    if np.isclose(p, 2.0):
        return "stuck"
    if p < 1:
        return "slow"
    return "oscillating" if p < 2 else "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    if curvature == 0:
        raise ValueError("zero curvature")
    return 1.0 / abs(curvature)''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - (1.0 / hess(w)) @ grad(w)''',
    },
    "stuck_and_half_rate": {
        "classify_rate": '''def classify_rate(learning_rate, curvature):
    if curvature <= 0 or learning_rate <= 0:
        raise ValueError("must be positive")
    p = learning_rate * curvature
    if np.isclose(p, 1.0):
        return "ideal"
    if p < 1:
        return "slow"
    return "oscillating" if p <= 2 else "diverging"''',
        "ideal_rate": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("must be positive")
    return 1.0 / (2 * curvature)''',
        "newton_step": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - grad(w)''',
    },
}

# The catalogued mistake (course/mistakes.py) the grader must name; other mistaken functions: "unrecognised".
NAMED = {
    "diverges_from_one_over_curvature": {"classify_rate": "classify_rate/diverges-past-ideal",
                                         "ideal_rate": "ideal_rate/edge-of-stability",
                                         "newton_step": "newton_step/diagonal-only"},
    "exact_equality": {"classify_rate": "classify_rate/exact-comparison", "ideal_rate": "ideal_rate/no-value-error",
                       "newton_step": "newton_step/ascent"},
    # ideal_rate refuses 0 but takes |curvature| for a negative one: no catalogued mistake
    "no_value_errors": {"classify_rate": "classify_rate/no-value-error",
                        "newton_step": "newton_step/entrywise-inverse"},
    "stuck_and_half_rate": {"classify_rate": "classify_rate/stuck-as-oscillating", "ideal_rate": "ideal_rate/half",
                            "newton_step": "newton_step/gradient-step"},
}
