"""Correct answers written differently, and common mistakes, for 07_backprop."""

ASSIGNMENT = "07_backprop"
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

# The catalogued mistake (course/mistakes.py) the grader must name; other mistaken functions: "unrecognised".
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
