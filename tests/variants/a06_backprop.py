"""Correct answers written differently, and common mistakes, for 06_backprop."""

ASSIGNMENT = "06_backprop"
NOTEBOOK = "backprop.ipynb"

CORRECT = {
    "loops": {
        "forward": '''import math
def forward(params, X):
    X = np.array(X, dtype=float)
    n, h = X.shape[0], params["W1"].shape[1]
    H = np.zeros((n, h))
    p = np.zeros(n)
    for i in range(n):
        for j in range(h):
            H[i, j] = math.tanh(sum(X[i, k] * params["W1"][k, j] for k in range(X.shape[1])) + params["b1"][j])
        z = sum(H[i, j] * params["W2"][j, 0] for j in range(h)) + params["b2"][0]
        p[i] = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
    return p, {"X": X, "H": H, "p": p}''',
        "backward": '''def backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    n = len(p)
    grads = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    for i in range(n):
        dz = (p[i] - y[i]) / n
        grads["W2"][:, 0] += dz * H[i]
        grads["b2"][0] += dz
        dZ1 = dz * params["W2"][:, 0] * (1 - H[i] ** 2)
        grads["W1"] += np.outer(X[i], dZ1)
        grads["b1"] += dZ1
    return grads''',
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(X.shape[1], hidden, seed)
    losses = np.zeros(n_steps)
    for step in range(n_steps):
        p, cache = forward(params, X)
        losses[step] = mean_log_loss(p, y)
        grads = backward(params, cache, y)
        for name in ("W1", "b1", "W2", "b2"):
            params[name] = params[name] - learning_rate * grads[name]
    return params, losses''',
    },
    "other_forms": {
        "forward": '''def forward(params, X):
    X = np.asarray(X, dtype=np.float64)
    Z1 = np.dot(X, params["W1"]) + params["b1"][None, :]
    H = (np.exp(2 * Z1) - 1) / (np.exp(2 * Z1) + 1) if np.abs(Z1).max() < 300 else np.tanh(Z1)
    z2 = (H @ params["W2"]).ravel() + params["b2"][0]
    p = np.exp(-np.logaddexp(0.0, -z2))
    return p, {"X": X, "H": H, "p": p, "Z1": Z1}''',
        "backward": '''def backward(params, cache, y):
    X = cache["X"]
    Z1 = X @ params["W1"] + params["b1"]  # recomputed: allowed, it needs only X and params
    slope = 1 / np.cosh(Z1) ** 2
    err = (cache["p"] - np.asarray(y, dtype=float)) / X.shape[0]
    dZ1 = np.einsum("n,h,nh->nh", err, params["W2"][:, 0], slope)
    return {"W1": np.einsum("nd,nh->dh", X, dZ1), "b1": dZ1.sum(0),
            "W2": np.tanh(Z1).T.dot(err).reshape(-1, 1), "b2": np.array([err.sum()])}''',
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(np.asarray(X).shape[1], hidden, seed)
    history = []
    step = 0
    while step < n_steps:
        p, cache = forward(params, X)
        history.append(mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params = dict((name, value - learning_rate * grads[name]) for name, value in params.items())
        step += 1
    return params, np.asarray(history)''',
    },
}

MISTAKES = {
    "no_activation_derivative": {
        "backward": '''def backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz2 = ((p - y) / len(y))[:, None]
    dZ1 = dz2 @ params["W2"].T
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum(0)}''',
        "forward": '''def forward(params, X):
    H = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    p = sigmoid(H @ params["W2"] + params["b2"])[:, 0]
    return p, {"X": X, "H": H, "p": p}''',
    },
    "sum_not_mean": {
        "backward": '''def backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz2 = (p - y)[:, None]
    dZ1 = (dz2 @ params["W2"].T) * (1 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum(0)}''',
        "forward": '''def forward(params, X):
    H = np.tanh(X @ params["W1"] + params["b1"])
    z2 = (H @ params["W2"] + params["b2"])[:, 0]
    return z2, {"X": X, "H": H, "p": z2}''',
    },
    "wrong_shapes": {
        "backward": '''def backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz2 = (p - y) / len(y)
    dZ1 = np.outer(dz2, params["W2"][:, 0]) * (1 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum()}''',
        "forward": '''def forward(params, X):
    H = np.tanh(X @ params["W1"] + params["b1"])
    p = sigmoid(H @ params["W2"] + params["b2"])
    return p, {"X": X, "H": H, "p": p}''',
    },
    "sign_flipped_bias_missing": {
        "backward": '''def backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz2 = ((y - p) / len(y))[:, None]
    dZ1 = (dz2 @ params["W2"].T) * (1 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz2, "b2": dz2.sum(0)}''',
        "forward": '''def forward(params, X):
    H = np.tanh(X @ params["W1"])
    p = sigmoid(H @ params["W2"] + params["b2"])[:, 0]
    return p, {"X": X, "H": H, "p": p}''',
    },
    "train_gradient_ascent": {
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(X.shape[1], hidden, seed)
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        losses.append(mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params = {k: params[k] + learning_rate * grads[k] for k in params}
    return params, np.array(losses)''',
    },
    "train_losses_after_update": {
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(X.shape[1], hidden, seed)
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        grads = backward(params, cache, y)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
        losses.append(mean_log_loss(forward(params, X)[0], y))
    return params, np.array(losses)''',
    },
    "train_biases_frozen": {
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(X.shape[1], hidden, seed)
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        losses.append(mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params["W1"] = params["W1"] - learning_rate * grads["W1"]
        params["W2"] = params["W2"] - learning_rate * grads["W2"]
    return params, np.array(losses)''',
    },
    "train_zero_start": {
        "train_network": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    d = X.shape[1]
    params = {"W1": np.zeros((d, hidden)), "b1": np.zeros(hidden), "W2": np.zeros((hidden, 1)), "b2": np.zeros(1)}
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        losses.append(mean_log_loss(p, y))
        grads = backward(params, cache, y)
        params = {k: params[k] - learning_rate * grads[k] for k in params}
    return params, np.array(losses)''',
    },
}

# The catalogued mistake (course/mistakes/backprop.py) the grader must name; other mistaken functions: "unrecognised".
# train_network is judged around the variant's own forward and backward.
NAMED = {
    "no_activation_derivative": {"backward": "backward/no-activation-derivative",
                                 "forward": "forward/sigmoid-hidden"},
    "sum_not_mean": {"backward": "backward/sum-not-mean", "forward": "forward/scores-not-probabilities"},
    "wrong_shapes": {"backward": "backward/flat-output-gradients", "forward": "forward/column-output"},
    "sign_flipped_bias_missing": {"backward": "backward/sign-flipped", "forward": "forward/hidden-bias-missing"},
    "train_gradient_ascent": {"train_network": "train_network/ascent"},
    "train_losses_after_update": {"train_network": "train_network/losses-one-step-late"},
    "train_biases_frozen": {"train_network": "train_network/biases-frozen"},
    "train_zero_start": {"train_network": "train_network/zero-start"},
}


# Each catalogued mistake written from the catalogue's words (course/mistakes/backprop.py), three or more ways, in styles
# that differ (NumPy, einsum, loops over samples, in place); each must get exactly its id. The other functions are
# the source's (train_network calls its forward and backward). The styles share their scaffolding (below): only
# the lines that make the mistake differ.


def _forward(hidden: str, output: str) -> str:
    """A forward pass: H from ``hidden``, p from ``output`` (both expressions in X, params, H)."""
    return f'''def forward(params, X):
    X = np.asarray(X, dtype=float)
    H = {hidden}
    p = {output}
    return p, {{"X": X, "H": H, "p": p}}'''


def _backward(error: str, body: str) -> str:
    """A backward pass: e, the output error per sample, from ``error``; the gradients from ``body``."""
    return f'''def backward(params, cache, y):
    X, H, p = np.asarray(cache["X"]), np.asarray(cache["H"]), np.asarray(cache["p"])
    e = {error}
{body}'''


#: Gradients per sample, summed in a loop over the samples (e: each sample's output error, already scaled).
_PER_SAMPLE = '''    grads = {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in params.items()}
    for i in range(len(p)):
        dz1 = e[i] * params["W2"][:, 0] * (1 - H[i] ** 2)
        grads["W2"][:, 0] += e[i] * H[i]
        grads["b2"][0] += e[i]
        grads["W1"] += np.outer(X[i], dz1)
        grads["b1"] += dz1
    return grads'''
#: The gradients with matrices (e: the output errors, already scaled).
_MATRICES = '''    dZ1 = np.outer(e, params["W2"][:, 0]) * (1.0 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": (H.T @ e)[:, None], "b2": np.array([e.sum()])}'''


def _train(update: str, start: str = "init_two_layer(np.shape(X)[1], hidden, seed)", record: str = "p") -> str:
    """A training loop: params from ``start``; the loss of ``record`` kept, then ``update`` (a statement)."""
    return f'''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = {start}
    losses = []
    for _ in range(n_steps):
        p, cache = forward(params, X)
        grads = backward(params, cache, y)
        {update}
        losses.append(mean_log_loss({record}, y))
    return params, np.array(losses)'''


#: A loop whose loss is recorded before its step (the record is of p, computed before the update).
_DOWNHILL = "params = {k: params[k] - learning_rate * grads[k] for k in params}"

STYLES = {
    "forward/sigmoid-hidden": {
        "sigmoid": _forward('sigmoid(X @ params["W1"] + params["b1"])', 'sigmoid(H @ params["W2"] + params["b2"])[:, 0]'),
        "exp": _forward('1.0 / (1.0 + np.exp(-(np.dot(X, params["W1"]) + params["b1"])))',
                        'sigmoid(np.dot(H, params["W2"]) + params["b2"]).ravel()'),
        "tanh_half": _forward('0.5 * (1 + np.tanh(0.5 * (X @ params["W1"] + params["b1"])))',
                              'sigmoid(H @ params["W2"] + params["b2"]).reshape(-1)'),
    },
    "forward/scores-not-probabilities": {
        "matmul": _forward('np.tanh(X @ params["W1"] + params["b1"])', '(H @ params["W2"] + params["b2"])[:, 0]'),
        "einsum": _forward('np.tanh(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])',
                           'np.einsum("nh,h->n", H, np.asarray(params["W2"])[:, 0]) + params["b2"][0]'),
        "loops": _forward('np.tanh(X @ params["W1"] + params["b1"])',
                          'np.array([float(row @ params["W2"][:, 0] + params["b2"][0]) for row in H])'),
    },
    "forward/column-output": {
        "column": _forward('np.tanh(X @ params["W1"] + params["b1"])', 'sigmoid(H @ params["W2"] + params["b2"])'),
        "reshaped": _forward('np.tanh(np.dot(X, params["W1"]) + params["b1"])',
                             'sigmoid(np.dot(H, params["W2"]).reshape(-1, 1) + params["b2"])'),
        "stacked": _forward('np.tanh(X @ params["W1"] + params["b1"])',
                            'np.vstack([sigmoid(row @ params["W2"] + params["b2"]) for row in H])'),
    },
    "forward/hidden-bias-missing": {
        "matmul": _forward('np.tanh(X @ params["W1"])', 'sigmoid(H @ params["W2"] + params["b2"])[:, 0]'),
        "dot": _forward('np.tanh(np.dot(X, params["W1"]))', 'sigmoid(np.dot(H, params["W2"]) + params["b2"]).ravel()'),
        "loops": _forward('np.array([np.tanh(row @ params["W1"]) for row in X])',
                          'sigmoid(H @ params["W2"] + params["b2"])[:, 0]'),
    },
    "backward/no-activation-derivative": {
        "matrices": _backward("(p - np.asarray(y, dtype=float)) / len(p)", _MATRICES.replace(" * (1.0 - H ** 2)", "")),
        "per_sample": _backward("(p - np.asarray(y, dtype=float)) / len(p)", _PER_SAMPLE.replace(" * (1 - H[i] ** 2)", "")),
        "einsum": _backward("(p - np.asarray(y, dtype=float)) / len(p)", '''    dZ1 = np.einsum("n,h->nh", e, params["W2"][:, 0])
    return {"W1": np.einsum("nd,nh->dh", X, dZ1), "b1": dZ1.sum(0), "W2": np.einsum("nh,n->h", H, e)[:, None],
            "b2": e.sum(keepdims=True)}'''),
    },
    "backward/sum-not-mean": {
        "matrices": _backward("p - np.asarray(y, dtype=float)", _MATRICES),
        "per_sample": _backward("[pi - yi for pi, yi in zip(p, y)]", _PER_SAMPLE),
        "column": _backward("(p - np.asarray(y, dtype=float))[:, None]", '''    dZ1 = (e @ params["W2"].T) * (1.0 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": H.T @ e, "b2": e.sum(axis=0)}'''),
    },
    "backward/sign-flipped": {
        "matrices": _backward("(np.asarray(y, dtype=float) - p) / len(p)", _MATRICES),
        "per_sample": _backward("[(yi - pi) / len(p) for pi, yi in zip(p, y)]", _PER_SAMPLE),
        "negated": _backward("(p - np.asarray(y, dtype=float)) / len(p)", '''    dZ1 = np.outer(e, params["W2"][:, 0]) * (1.0 - H * H)
    grads = {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": (H.T @ e)[:, None], "b2": np.array([e.sum()])}
    return {k: -g for k, g in grads.items()}'''),
    },
    "backward/flat-output-gradients": {
        "flat": _backward("(p - np.asarray(y, dtype=float)) / len(p)",
                          _MATRICES.replace('"W2": (H.T @ e)[:, None], "b2": np.array([e.sum()])',
                                            '"W2": H.T @ e, "b2": float(e.sum())')),
        "ravelled": _backward("((p - np.asarray(y, dtype=float)) / len(p))[:, None]", '''    dZ1 = (e @ params["W2"].T) * (1.0 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": (H.T @ e).ravel(), "b2": np.sum(e)}'''),
        "einsum": _backward("(p - np.asarray(y, dtype=float)) / len(p)", '''    dZ1 = np.einsum("n,h->nh", e, params["W2"][:, 0]) * (1 - H ** 2)
    return {"W1": np.einsum("nd,nh->dh", X, dZ1), "b1": dZ1.sum(0), "W2": np.einsum("nh,n->h", H, e),
            "b2": e.mean() * len(e)}'''),
    },
    "train_network/ascent": {
        "plus": _train(_DOWNHILL.replace("] - learning_rate", "] + learning_rate")),
        "in_place": _train("[params[k].__iadd__(learning_rate * np.asarray(g)) for k, g in grads.items()]",
                           start="{k: np.array(v, dtype=float) for k, v in init_two_layer(np.shape(X)[1], hidden, "
                                 "seed).items()}"),
        "negated_rate": _train("params = {k: v - (-learning_rate) * grads[k] for k, v in params.items()}"),
    },
    "train_network/losses-one-step-late": {
        "after_step": _train(_DOWNHILL, record="forward(params, X)[0]"),
        "in_place": _train("[params[k].__isub__(learning_rate * np.asarray(g)) for k, g in grads.items()]",
                           start="{k: np.array(v, dtype=float) for k, v in init_two_layer(np.shape(X)[1], hidden, "
                                 "seed).items()}", record="forward(params, X)[0]"),
        "shifted": '''def train_network(X, y, hidden, learning_rate, n_steps, seed):
    params = init_two_layer(np.shape(X)[1], hidden, seed)
    losses = []
    for step in range(n_steps + 1):
        p, cache = forward(params, X)
        losses.append(mean_log_loss(p, y))
        if step < n_steps:
            grads = backward(params, cache, y)
            params = {k: params[k] - learning_rate * grads[k] for k in params}
    return params, np.array(losses[1:])''',
    },
    "train_network/biases-frozen": {
        "weights_only": _train('params = {k: params[k] - learning_rate * grads[k] if k.startswith("W") else params[k] '
                               'for k in params}'),
        "named": _train('params = {**params, "W1": params["W1"] - learning_rate * grads["W1"], '
                        '"W2": params["W2"] - learning_rate * grads["W2"]}'),
        "in_place": _train('[params[k].__isub__(learning_rate * np.asarray(grads[k])) for k in ("W1", "W2")]',
                           start="{k: np.array(v, dtype=float) for k, v in init_two_layer(np.shape(X)[1], hidden, "
                                 "seed).items()}"),
    },
    "train_network/zero-start": {
        "zeros": _train(_DOWNHILL, start='{"W1": np.zeros((np.shape(X)[1], hidden)), "b1": np.zeros(hidden), '
                                         '"W2": np.zeros((hidden, 1)), "b2": np.zeros(1)}'),
        "zeros_like": _train(_DOWNHILL, start="{k: np.zeros_like(v) for k, v in init_two_layer(np.shape(X)[1], "
                                              "hidden, seed).items()}"),
        "scaled_to_zero": _train(_DOWNHILL, start="{k: 0.0 * np.asarray(v, dtype=float) for k, v in "
                                                  "init_two_layer(np.shape(X)[1], hidden, 0).items()}"),
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "forward": {
        "einsum": _forward('np.tanh(np.einsum("nd,dh->nh", X, params["W1"]) + params["b1"])',
                           'sigmoid(np.einsum("nh,h->n", H, np.asarray(params["W2"])[:, 0]) + params["b2"][0])'),
    },
    "backward": {
        "per_sample": _backward("(p - np.asarray(y, dtype=float)) / len(p)", _PER_SAMPLE),
        "matrices": _backward("(p - np.asarray(y, dtype=float)) / len(p)", _MATRICES),
    },
    "train_network": {
        "in_place": _train("[params[k].__isub__(learning_rate * np.asarray(g)) for k, g in grads.items()]",
                           start="{k: np.array(v, dtype=float) for k, v in init_two_layer(np.shape(X)[1], hidden, "
                                 "seed).items()}"),
    },
}
