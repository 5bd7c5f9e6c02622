"""Correct answers written differently, and common mistakes, for 08_optimizers."""

ASSIGNMENT = "08_optimizers"
NOTEBOOK = "optimizers.ipynb"

CORRECT = {
    "loops": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    p = np.array(params, dtype=float)
    g = np.array(grad, dtype=float)
    old = np.zeros(p.shape) if state is None else np.array(state["v"], dtype=float)
    v = np.empty(p.shape)
    new = np.empty(p.shape)
    for i in np.ndindex(p.shape):
        v[i] = beta * old[i] + g[i]
        new[i] = p[i] - learning_rate * v[i]
    return new, {"v": v}''',
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    out = np.zeros((n_steps + 1,) + np.shape(x0))
    out[0] = x0
    state = None
    for k in range(n_steps):
        new, state = step_fn(out[k].copy(), grad(out[k].copy()), state)
        out[k + 1] = new
    return out''',
        "rmsprop_step": '''import math
def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    p = np.array(params, dtype=float)
    g = np.array(grad, dtype=float)
    s = np.zeros(p.shape) if state is None else np.array(state["s"], dtype=float)
    for i in np.ndindex(p.shape):
        s[i] = beta * s[i] + (1 - beta) * g[i] * g[i]
        p[i] = p[i] - learning_rate * g[i] / (math.sqrt(s[i]) + eps)
    return p, {"s": s}''',
        "adam_step": '''import math
def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    p = np.array(params, dtype=float)
    g = np.array(grad, dtype=float)
    if state is None:
        m, v, t = np.zeros(p.shape), np.zeros(p.shape), 0
    else:
        m, v, t = np.array(state["m"], dtype=float), np.array(state["v"], dtype=float), state["t"]
    t = t + 1
    for i in np.ndindex(p.shape):
        m[i] = beta1 * m[i] + (1 - beta1) * g[i]
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2
        m_hat = m[i] / (1 - beta1 ** t)
        v_hat = v[i] / (1 - beta2 ** t)
        p[i] -= learning_rate * m_hat / (math.sqrt(v_hat) + eps)
    return p, {"m": m, "v": v, "t": t}''',
    },
    "other_forms": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    velocity = grad if state is None else np.multiply(beta, state["v"]) + grad
    velocity = np.asarray(velocity, dtype=np.float64)
    return np.subtract(params, learning_rate * velocity), dict(v=velocity)''',
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    x, state, path = np.asarray(x0, dtype=float), None, []
    path.append(x)
    while len(path) <= n_steps:
        x, state = step_fn(x, grad(x), state)
        path.append(np.asarray(x, dtype=float))
    return np.stack(path)''',
        "rmsprop_step": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    s_old = 0.0 if state is None else state["s"]
    s = s_old + (1 - beta) * (np.square(grad) - s_old)
    s = np.broadcast_to(s, np.shape(params)).astype(float)
    return params - learning_rate * np.divide(grad, eps + s ** 0.5), {"s": s}''',
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    state = state or {"m": 0 * params, "v": 0 * params, "t": 0}
    t = state["t"] + 1
    m = state["m"] + (1 - beta1) * (grad - state["m"])
    v = state["v"] + (1 - beta2) * (grad * grad - state["v"])
    # fold the corrections into the rate, then rescale eps so that the result is unchanged
    step = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return params - step * m / (np.sqrt(v) + eps * np.sqrt(1 - beta2 ** t)), {"m": m, "v": v, "t": t}''',
    },
    "float32_inputs_ok": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    params = np.asarray(params)
    v = np.zeros_like(params, dtype=float) if state is None else state["v"]
    v = beta * v + grad
    return params - learning_rate * v, {"v": v}''',
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    iterates = [np.copy(np.asarray(x0, dtype=float))]
    state = None
    for _ in range(n_steps):
        current = iterates[-1]
        nxt, state = step_fn(current, grad(current), state)
        iterates.append(nxt)
    return np.asarray(iterates, dtype=float)''',
    },
}

MISTAKES = {
    "sign_flipped": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros_like(params) if state is None else state["v"]
    v = beta * v + grad
    return params + learning_rate * v, {"v": v}''',
        "rmsprop_step": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    s = np.zeros_like(params) if state is None else state["s"]
    s = beta * s + (1 - beta) * grad ** 2
    return params + learning_rate * grad / (np.sqrt(s) + eps), {"s": s}''',
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params), "v": np.zeros_like(params), "t": 0}
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    return params + learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), {"m": m, "v": v, "t": t}''',
    },
    "adam_no_bias_correction": {
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params), "v": np.zeros_like(params), "t": 0}
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    return params - learning_rate * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": t}''',
    },
    "eps_inside_sqrt": {
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params), "v": np.zeros_like(params), "t": 0}
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    return params - learning_rate * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t) + eps), {"m": m, "v": v, "t": t}''',
        "rmsprop_step": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    s = np.zeros_like(params) if state is None else state["s"]
    s = beta * s + (1 - beta) * grad ** 2
    return params - learning_rate * grad / np.sqrt(s + eps), {"s": s}''',
    },
    "state_forgotten": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = beta * np.zeros_like(params) + grad
    return params - learning_rate * v, {"v": v}''',
        "rmsprop_step": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    s = (1 - beta) * grad ** 2
    return params - learning_rate * grad / (np.sqrt(s) + eps), {"s": s}''',
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params), "v": np.zeros_like(params), "t": 0}
    t = 1
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    return params - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), {"m": m, "v": v, "t": t}''',
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    x, path = np.array(x0, dtype=float), []
    path.append(x.copy())
    for _ in range(n_steps):
        x, _ = step_fn(x, grad(x), None)
        path.append(x)
    return np.array(path)''',
    },
    "in_place_updates": {
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    x = np.asarray(x0, dtype=float)
    state, path = None, [x]
    for _ in range(n_steps):
        new, state = step_fn(x, grad(x), state)
        x[...] = new
        path.append(x)
    return np.array(path)''',
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros_like(params) if state is None else state["v"]
    v = beta * v + grad
    params -= learning_rate * v
    return params, {"v": v}''',
    },
    "start_missing_or_averaged_velocity": {
        "minimize": '''def minimize(step_fn, grad, x0, n_steps):
    x, state, path = np.array(x0, dtype=float), None, []
    for _ in range(n_steps):
        x, state = step_fn(x, grad(x), state)
        path.append(x)
    return np.array(path)''',
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros_like(params) if state is None else state["v"]
    v = beta * v + (1 - beta) * grad
    return params - learning_rate * v, {"v": v}''',
    },
    # The state rule: the arrays inside the state given are left alone (a caller may keep the old state).
    "state_mutated_in_place": {
        "momentum_step": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    if state is None:
        state = {"v": np.zeros_like(params, dtype=float)}
    v = state["v"]
    v *= beta
    v += grad
    return params - learning_rate * v, {"v": v}''',
        "rmsprop_step": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    if state is None:
        state = {"s": np.zeros_like(params, dtype=float)}
    s = state["s"]
    s *= beta
    s += (1 - beta) * grad ** 2
    return params - learning_rate * grad / (np.sqrt(s) + eps), {"s": s}''',
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params, dtype=float), "v": np.zeros_like(params, dtype=float), "t": 0}
    state["t"] += 1
    t = state["t"]
    state["m"] = beta1 * state["m"] + (1 - beta1) * grad
    state["v"] = beta2 * state["v"] + (1 - beta2) * grad ** 2
    m_hat, v_hat = state["m"] / (1 - beta1 ** t), state["v"] / (1 - beta2 ** t)
    return params - learning_rate * m_hat / (np.sqrt(v_hat) + eps), state''',
    },
    # Kingma and Ba's "efficient" form adds eps to sqrt(v), not to sqrt(v_hat): not the formula asked for.
    "adam_efficient_form": {
        "adam_step": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    if state is None:
        state = {"m": np.zeros_like(params), "v": np.zeros_like(params), "t": 0}
    t = state["t"] + 1
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    rate = learning_rate * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return params - rate * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": t}''',
    },
}

# The catalogued mistake (course/mistakes/optimizers.py) the grader must name; other mistaken functions (values
# right but arguments changed in place, Adam's efficient form with another eps) are "unrecognised".
NAMED = {
    "sign_flipped": {"momentum_step": "momentum_step/ascent", "rmsprop_step": "rmsprop_step/ascent",
                     "adam_step": "adam_step/ascent"},
    "adam_no_bias_correction": {"adam_step": "adam_step/no-bias-correction"},
    "eps_inside_sqrt": {"adam_step": "adam_step/eps-inside-root", "rmsprop_step": "rmsprop_step/eps-inside-root"},
    "state_forgotten": {"momentum_step": "momentum_step/no-state", "rmsprop_step": "rmsprop_step/no-state",
                        "adam_step": "adam_step/step-count-stuck", "minimize": "minimize/state-dropped"},
    "in_place_updates": {"minimize": "minimize/same-array-stored"},
    "start_missing_or_averaged_velocity": {"momentum_step": "momentum_step/averaged-velocity",
                                           "minimize": "minimize/start-missing"},
}


# The moments of one Adam step, entry by entry (t counted up): the loop styles below go on from here.
_ADAM_LOOP = '''import math
def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    n = len(params)
    m0, v0, t = ([0.0] * n, [0.0] * n, 0) if state is None else (list(state["m"]), list(state["v"]), state["t"])
    t += 1
    m = [beta1 * a + (1 - beta1) * g for a, g in zip(m0, grad)]
    v = [beta2 * a + (1 - beta2) * g * g for a, g in zip(v0, grad)]
'''

# Each catalogued mistake written from the catalogue's words (course/mistakes/optimizers.py), three or more ways, in styles
# that differ (NumPy, loops over entries, dict states, in place); each must get exactly its id.
STYLES = {
    "momentum_step/ascent": {
        "plus": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros_like(np.asarray(params, dtype=float)) if state is None else np.asarray(state["v"], dtype=float)
    v = beta * v + np.asarray(grad, dtype=float)
    return np.asarray(params, dtype=float) + learning_rate * v, {"v": v}''',
        "negated_velocity": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.asarray(grad, dtype=float) + (0 if state is None else beta * np.asarray(state["v"], dtype=float))
    return np.asarray(params, dtype=float) - learning_rate * -v, {"v": v}''',
        "loops": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    old = [0.0] * len(params) if state is None else list(state["v"])
    v = [beta * o + g for o, g in zip(old, grad)]
    return np.array([p + learning_rate * vi for p, vi in zip(params, v)]), {"v": np.array(v)}''',
    },
    "momentum_step/no-state": {
        "grad_only": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.asarray(grad, dtype=float)
    return np.asarray(params, dtype=float) - learning_rate * v, {"v": v}''',
        "fresh_zeros": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros(len(params))
    v = beta * v + np.asarray(grad, dtype=float)
    return np.asarray(params, dtype=float) - learning_rate * v, {"v": v}''',
        "loops": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = [beta * 0.0 + g for g in grad]
    return np.array([p - learning_rate * vi for p, vi in zip(params, v)]), {"v": np.array(v)}''',
    },
    "momentum_step/averaged-velocity": {
        "ema": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    v = np.zeros(np.shape(params)) if state is None else np.asarray(state["v"], dtype=float)
    v = beta * v + (1 - beta) * np.asarray(grad, dtype=float)
    return np.asarray(params, dtype=float) - learning_rate * v, {"v": v}''',
        "lerp": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    g = np.asarray(grad, dtype=float)
    v = (1 - beta) * g if state is None else np.asarray(state["v"]) + (1 - beta) * (g - np.asarray(state["v"]))
    return np.asarray(params, dtype=float) - learning_rate * v, {"v": v}''',
        "loops": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    old = [0.0] * len(params) if state is None else list(state["v"])
    v = [beta * o + (1 - beta) * g for o, g in zip(old, grad)]
    return np.array([p - learning_rate * vi for p, vi in zip(params, v)]), {"v": np.array(v)}''',
    },
    "rmsprop_step/ascent": {
        "plus": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    s = (0 if state is None else beta * np.asarray(state["s"], dtype=float)) + (1 - beta) * g ** 2
    return np.asarray(params, dtype=float) + learning_rate * g / (np.sqrt(s) + eps), {"s": s}''',
        "in_place": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    p, g = np.array(params, dtype=float), np.asarray(grad, dtype=float)
    s = np.zeros_like(p) if state is None else np.array(state["s"], dtype=float)
    s *= beta
    s += (1 - beta) * np.square(g)
    p += learning_rate * g / (np.sqrt(s) + eps)
    return p, {"s": s}''',
        "loops": '''import math
def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    old = [0.0] * len(params) if state is None else list(state["s"])
    s = [beta * o + (1 - beta) * g * g for o, g in zip(old, grad)]
    new = [p + learning_rate * g / (math.sqrt(si) + eps) for p, g, si in zip(params, grad, s)]
    return np.array(new), {"s": np.array(s)}''',
    },
    "rmsprop_step/eps-inside-root": {
        "numpy": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    s = (0 if state is None else beta * np.asarray(state["s"], dtype=float)) + (1 - beta) * g ** 2
    return np.asarray(params, dtype=float) - learning_rate * g / np.sqrt(s + eps), {"s": s}''',
        "power": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    s = np.zeros_like(g) if state is None else np.asarray(state["s"], dtype=float)
    s = beta * s + (1 - beta) * g * g
    return np.asarray(params, dtype=float) - learning_rate * g * (s + eps) ** -0.5, {"s": s}''',
        "loops": '''import math
def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    old = [0.0] * len(params) if state is None else list(state["s"])
    s = [beta * o + (1 - beta) * g * g for o, g in zip(old, grad)]
    new = [p - learning_rate * g / math.sqrt(si + eps) for p, g, si in zip(params, grad, s)]
    return np.array(new), {"s": np.array(s)}''',
    },
    "rmsprop_step/no-state": {
        "fresh": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    s = (1 - beta) * g ** 2
    return np.asarray(params, dtype=float) - learning_rate * g / (np.sqrt(s) + eps), {"s": s}''',
        "zeros": '''def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    s = np.zeros(len(g))
    s = beta * s + (1 - beta) * np.square(g)
    return np.asarray(params, dtype=float) - learning_rate * g / (np.sqrt(s) + eps), {"s": s}''',
        "loops": '''import math
def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    s = [(1 - beta) * g * g for g in grad]
    new = [p - learning_rate * g / (math.sqrt(si) + eps) for p, g, si in zip(params, grad, s)]
    return np.array(new), {"s": np.array(s)}''',
    },
    "adam_step/ascent": {
        "plus": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    state = state or {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    t = state["t"] + 1
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g ** 2
    step = learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return np.asarray(params, dtype=float) + step, {"m": m, "v": v, "t": t}''',
        "negated_grad": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = -np.asarray(grad, dtype=float)
    if state is None:
        state = {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    t = state["t"] + 1
    m = beta1 * -np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g ** 2
    new = np.asarray(params, dtype=float) - learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return new, {"m": -m, "v": v, "t": t}''',
        "loops": _ADAM_LOOP + '''    new = [p + learning_rate * (mi / (1 - beta1 ** t)) / (math.sqrt(vi / (1 - beta2 ** t)) + eps)
           for p, mi, vi in zip(params, m, v)]
    return np.array(new), {"m": np.array(m), "v": np.array(v), "t": t}''',
    },
    "adam_step/no-bias-correction": {
        "numpy": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    state = state or {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g ** 2
    return np.asarray(params, dtype=float) - learning_rate * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": state["t"] + 1}''',
        "in_place": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    p, g = np.array(params, dtype=float), np.asarray(grad, dtype=float)
    if state is None:
        state = {"m": np.zeros_like(p), "v": np.zeros_like(p), "t": 0}
    m, v = np.array(state["m"], dtype=float), np.array(state["v"], dtype=float)
    m *= beta1
    m += (1 - beta1) * g
    v *= beta2
    v += (1 - beta2) * g * g
    p -= learning_rate * m / (np.sqrt(v) + eps)
    return p, {"m": m, "v": v, "t": state["t"] + 1}''',
        "loops": '''import math
def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    n = len(params)
    m0, v0, t = ([0.0] * n, [0.0] * n, 0) if state is None else (list(state["m"]), list(state["v"]), state["t"])
    m = [beta1 * a + (1 - beta1) * g for a, g in zip(m0, grad)]
    v = [beta2 * a + (1 - beta2) * g * g for a, g in zip(v0, grad)]
    new = [p - learning_rate * mi / (math.sqrt(vi) + eps) for p, mi, vi in zip(params, m, v)]
    return np.array(new), {"m": np.array(m), "v": np.array(v), "t": t + 1}''',
    },
    "adam_step/eps-inside-root": {
        "numpy": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    state = state or {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    t = state["t"] + 1
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g ** 2
    step = learning_rate * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t) + eps)
    return np.asarray(params, dtype=float) - step, {"m": m, "v": v, "t": t}''',
        "power": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    if state is None:
        state = {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    t = state["t"] + 1
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return np.asarray(params, dtype=float) - learning_rate * m_hat * (v_hat + eps) ** -0.5, {"m": m, "v": v, "t": t}''',
        "loops": _ADAM_LOOP + '''    new = [p - learning_rate * (mi / (1 - beta1 ** t)) / math.sqrt(vi / (1 - beta2 ** t) + eps)
           for p, mi, vi in zip(params, m, v)]
    return np.array(new), {"m": np.array(m), "v": np.array(v), "t": t}''',
    },
    "adam_step/step-count-stuck": {
        "always_one": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    state = state or {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 0}
    t = 1
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g ** 2
    step = learning_rate * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return np.asarray(params, dtype=float) - step, {"m": m, "v": v, "t": t}''',
        "never_incremented": '''def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    g = np.asarray(grad, dtype=float)
    if state is None:
        state = {"m": np.zeros_like(g), "v": np.zeros_like(g), "t": 1}
    t = state["t"]
    m = beta1 * np.asarray(state["m"]) + (1 - beta1) * g
    v = beta2 * np.asarray(state["v"]) + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return np.asarray(params, dtype=float) - learning_rate * m_hat / (np.sqrt(v_hat) + eps), {"m": m, "v": v, "t": t}''',
        "loops": '''import math
def adam_step(params, grad, state, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    n = len(params)
    m0, v0 = ([0.0] * n, [0.0] * n) if state is None else (list(state["m"]), list(state["v"]))
    m = [beta1 * a + (1 - beta1) * g for a, g in zip(m0, grad)]
    v = [beta2 * a + (1 - beta2) * g * g for a, g in zip(v0, grad)]
    new = [p - learning_rate * (mi / (1 - beta1)) / (math.sqrt(vi / (1 - beta2)) + eps)
           for p, mi, vi in zip(params, m, v)]
    return np.array(new), {"m": np.array(m), "v": np.array(v), "t": 1}''',
    },
    "minimize/start-missing": {
        "append": '''def minimize(step_fn, grad, x0, n_steps):
    x, state, path = np.array(x0, dtype=float), None, []
    for _ in range(n_steps):
        x, state = step_fn(x, grad(x), state)
        path.append(np.array(x, dtype=float))
    return np.array(path)''',
        "sliced": '''def minimize(step_fn, grad, x0, n_steps):
    path, state = [np.array(x0, dtype=float)], None
    for _ in range(n_steps):
        x, state = step_fn(path[-1], grad(path[-1]), state)
        path.append(np.array(x, dtype=float))
    return np.array(path[1:])''',
        "preallocated": '''def minimize(step_fn, grad, x0, n_steps):
    x, state = np.array(x0, dtype=float), None
    out = np.zeros((n_steps, len(x)))
    for k in range(n_steps):
        x, state = step_fn(x, grad(x), state)
        out[k] = x
    return out''',
    },
    "minimize/state-dropped": {
        "none": '''def minimize(step_fn, grad, x0, n_steps):
    x = np.array(x0, dtype=float)
    path = [x.copy()]
    for _ in range(n_steps):
        x, _ = step_fn(x, grad(x), None)
        path.append(np.array(x, dtype=float))
    return np.array(path)''',
        "state_unused": '''def minimize(step_fn, grad, x0, n_steps):
    path, state = [np.array(x0, dtype=float)], None
    for _ in range(n_steps):
        x, new_state = step_fn(path[-1], grad(path[-1]), state)
        path.append(np.asarray(x, dtype=float))
    return np.array(path)''',
        "preallocated": '''def minimize(step_fn, grad, x0, n_steps):
    out = np.zeros((n_steps + 1, len(x0)))
    out[0] = x0
    for k in range(n_steps):
        out[k + 1] = step_fn(out[k], grad(out[k]), None)[0]
    return out''',
    },
    "minimize/same-array-stored": {
        "slice_assign": '''def minimize(step_fn, grad, x0, n_steps):
    x, state = np.array(x0, dtype=float), None
    path = [x]
    for _ in range(n_steps):
        new, state = step_fn(x, grad(x), state)
        x[:] = new
        path.append(x)
    return np.array(path)''',
        "copyto": '''def minimize(step_fn, grad, x0, n_steps):
    x, state, path = np.array(x0, dtype=float), None, []
    path.append(x)
    for _ in range(n_steps):
        new, state = step_fn(x.copy(), grad(x), state)
        np.copyto(x, new)
        path.append(x)
    return np.array(path)''',
        "in_place_subtract": '''def minimize(step_fn, grad, x0, n_steps):
    x, state = np.array(x0, dtype=float), None
    path = [x] * (n_steps + 1)
    for _ in range(n_steps):
        new, state = step_fn(x.copy(), grad(x), state)
        x -= x - np.asarray(new)
    return np.array(path)''',
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "momentum_step": {
        "loops": '''def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
    old = [0.0] * len(params) if state is None else list(state["v"])
    v = [beta * o + g for o, g in zip(old, grad)]
    return np.array([p - learning_rate * vi for p, vi in zip(params, v)]), {"v": np.array(v)}''',
    },
    "rmsprop_step": {
        "loops": '''import math
def rmsprop_step(params, grad, state, learning_rate=0.001, beta=0.9, eps=1e-8):
    old = [0.0] * len(params) if state is None else list(state["s"])
    s = [beta * o + (1 - beta) * g * g for o, g in zip(old, grad)]
    new = [p - learning_rate * g / (math.sqrt(si) + eps) for p, g, si in zip(params, grad, s)]
    return np.array(new), {"s": np.array(s)}''',
    },
    "adam_step": {
        "loops": _ADAM_LOOP + '''    new = [p - learning_rate * (mi / (1 - beta1 ** t)) / (math.sqrt(vi / (1 - beta2 ** t)) + eps)
           for p, mi, vi in zip(params, m, v)]
    return np.array(new), {"m": np.array(m), "v": np.array(v), "t": t}''',
    },
    "minimize": {
        "preallocated": '''def minimize(step_fn, grad, x0, n_steps):
    out = np.zeros((n_steps + 1, len(x0)))
    out[0], state = x0, None
    for k in range(n_steps):
        x, state = step_fn(out[k].copy(), grad(out[k]), state)
        out[k + 1] = x
    return out''',
    },
}
