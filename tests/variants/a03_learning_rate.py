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

# The catalogued mistake (course/mistakes/learning_rate.py) the grader must name; other mistaken functions: "unrecognised".
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

# Each catalogued mistake written from the catalogue's words (course/mistakes/learning_rate.py), three or more ways, in styles
# that differ (if chains, dicts, NumPy, loops); each must get exactly its id. The other functions are the source's.
STYLES = {
    "classify_rate/diverges-past-ideal": {
        "chain": MISTAKES["diverges_from_one_over_curvature"]["classify_rate"],
        "table": '''def classify_rate(learning_rate, curvature):
    if min(learning_rate, curvature) <= 0:
        raise ValueError("learning_rate and curvature must be positive")
    q = learning_rate * curvature
    for target, name in ((1.0, "ideal"), (2.0, "stuck")):
        if abs(q - target) <= 1e-8 * target:
            return name
    return {True: "slow", False: "diverging"}[q < 1.0]''',
        "factor": '''def classify_rate(learning_rate, curvature):
    if not (learning_rate > 0 and curvature > 0):
        raise ValueError("not positive")
    factor = 1 - learning_rate * curvature
    if np.isclose(factor, 0.0, atol=1e-9):
        return "ideal"
    if np.isclose(factor, -1.0):
        return "stuck"
    if factor > 0:
        return "slow"
    return "diverging"''',
    },
    "classify_rate/exact-comparison": {
        "chain": MISTAKES["exact_equality"]["classify_rate"],
        "factor": '''def classify_rate(learning_rate, curvature):
    if min(learning_rate, curvature) <= 0:
        raise ValueError("must be positive")
    factor = 1 - learning_rate * curvature
    if factor == 0:
        return "ideal"
    if factor == -1:
        return "stuck"
    if factor > 0:
        return "slow"
    return "oscillating" if factor > -1 else "diverging"''',
        "bands": '''def classify_rate(learning_rate, curvature):
    if not (learning_rate > 0 and curvature > 0):
        raise ValueError("not positive")
    q = learning_rate * curvature
    exact = {1.0: "ideal", 2.0: "stuck"}
    if q in exact:
        return exact[q]
    for upper, name in ((1.0, "slow"), (2.0, "oscillating")):
        if q < upper:
            return name
    return "diverging"''',
    },
    "classify_rate/stuck-as-oscillating": {
        "chain": MISTAKES["stuck_and_half_rate"]["classify_rate"],
        "factor": '''def classify_rate(learning_rate, curvature):
    if min(learning_rate, curvature) <= 0:
        raise ValueError("must be positive")
    factor = 1 - learning_rate * curvature
    if np.isclose(factor, 0.0, atol=1e-9):
        return "ideal"
    if factor > 0:
        return "slow"
    return "oscillating" if factor >= -1 or np.isclose(factor, -1.0) else "diverging"''',
        "bands": '''def classify_rate(learning_rate, curvature):
    if not (learning_rate > 0 and curvature > 0):
        raise ValueError("not positive")
    q = learning_rate * curvature
    if abs(q - 1) < 1e-9:
        return "ideal"
    names = ["slow", "oscillating", "diverging"]
    return names[int(np.searchsorted([1.0, 2.0 + 1e-9], q, side="right"))]''',
    },
    "classify_rate/no-value-error": {
        "unchecked": MISTAKES["no_value_errors"]["classify_rate"],
        "factor": '''def classify_rate(learning_rate, curvature):
    factor = 1 - learning_rate * curvature
    if np.isclose(factor, 0.0, atol=1e-9):
        return "ideal"
    if np.isclose(factor, -1.0):
        return "stuck"
    if factor > 0:
        return "slow"
    return "oscillating" if factor > -1 else "diverging"''',
        "returns_a_word": '''def classify_rate(learning_rate, curvature):
    if curvature <= 0 or learning_rate <= 0:
        return "invalid"
    q = learning_rate * curvature
    if np.isclose(q, 1.0):
        return "ideal"
    if np.isclose(q, 2.0):
        return "stuck"
    return "slow" if q < 1.0 else ("oscillating" if q < 2.0 else "diverging")''',
    },
    "ideal_rate/edge-of-stability": {
        "plain": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("curvature must be positive")
    return 2.0 / curvature''',
        "numpy": '''def ideal_rate(curvature):
    if not curvature > 0:
        raise ValueError("no minimum")
    return float(np.divide(2, curvature))''',
        "halved_wrongly": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("no minimum")
    return 1 / (curvature / 2)''',
    },
    "ideal_rate/half": {
        "plain": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("curvature must be positive")
    return 0.5 / curvature''',
        "numpy": '''def ideal_rate(curvature):
    if not curvature > 0:
        raise ValueError("no minimum")
    return float(np.reciprocal(2.0 * curvature))''',
        "power": '''def ideal_rate(curvature):
    if curvature <= 0:
        raise ValueError("no minimum")
    return (2 * curvature) ** -1''',
    },
    "ideal_rate/no-value-error": {
        "plain": '''def ideal_rate(curvature):
    return 1 / curvature''',
        "numpy": '''def ideal_rate(curvature):
    return np.divide(1.0, curvature)''',
        "power": '''def ideal_rate(curvature):
    return float(np.float64(curvature) ** -1)''',
    },
    "newton_step/ascent": {
        "solve": MISTAKES["exact_equality"]["newton_step"],
        "inverse": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w + np.linalg.inv(hess(w)) @ grad(w)''',
        "negated_step": '''def newton_step(grad, hess, w):
    w = np.array(w, dtype=float)
    d = np.linalg.solve(hess(w), -np.asarray(grad(w)))
    return w - d''',
    },
    "newton_step/diagonal-only": {
        "diag": MISTAKES["diverges_from_one_over_curvature"]["newton_step"],
        "loop": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    g, H = grad(w), hess(w)
    return np.array([w[i] - g[i] / H[i][i] for i in range(len(w))])''',
        "diagonal_matrix": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    D = np.diag(np.diag(hess(w)))
    return w - np.linalg.solve(D, grad(w))''',
    },
    "newton_step/entrywise-inverse": {
        "reciprocal": MISTAKES["no_value_errors"]["newton_step"],
        "power": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - np.dot(np.asarray(hess(w)) ** -1, grad(w))''',
        "loops": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    g, H = grad(w), hess(w)
    n = len(w)
    return np.array([w[i] - sum(g[j] / H[i][j] for j in range(n)) for i in range(n)])''',
    },
    "newton_step/gradient-step": {
        "plain": MISTAKES["stuck_and_half_rate"]["newton_step"],
        "identity": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - np.linalg.solve(np.eye(len(w)), grad(w))''',
        "loop": '''def newton_step(grad, hess, w):
    g = grad(np.asarray(w, dtype=float))
    return np.array([wi - gi for wi, gi in zip(w, g)])''',
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "classify_rate": {
        "factor": '''def classify_rate(learning_rate, curvature):
    if min(learning_rate, curvature) <= 0:
        raise ValueError("must be positive")
    factor = 1 - learning_rate * curvature
    if np.isclose(factor, 0.0, atol=1e-9):
        return "ideal"
    if np.isclose(factor, -1.0):
        return "stuck"
    if factor > 0:
        return "slow"
    return "oscillating" if factor > -1 else "diverging"''',
    },
    "ideal_rate": {
        "numpy": '''def ideal_rate(curvature):
    if not curvature > 0:
        raise ValueError("no minimum")
    return float(np.reciprocal(float(curvature)))''',
    },
    "newton_step": {
        "inverse": '''def newton_step(grad, hess, w):
    w = np.asarray(w, dtype=float)
    return w - np.linalg.inv(hess(w)) @ grad(w)''',
    },
}
