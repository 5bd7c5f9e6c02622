"""Correct answers written differently, and common mistakes, for 01_loss_functions."""

ASSIGNMENT = "01_loss_functions"
NOTEBOOK = "loss_functions.ipynb"

CORRECT = {
    "loops": {
        "mse": '''def mse(predictions, targets):
    total, count = 0.0, 0
    for p, t in zip(np.ravel(predictions), np.ravel(targets)):
        total += (p - t) * (p - t)
        count += 1
    return total / count''',
        "mae": '''def mae(predictions, targets):
    diffs = [abs(p - t) for p, t in zip(np.ravel(predictions), np.ravel(targets))]
    return sum(diffs) / len(diffs)''',
        "sigmoid": '''import math
def sigmoid(z):
    def one(v):
        if v >= 0:
            return 1.0 / (1.0 + math.exp(-v))
        e = math.exp(v)
        return e / (1.0 + e)
    arr = np.asarray(z, dtype=float)
    return np.vectorize(one)(arr) if arr.ndim else one(float(arr))''',
        "log_loss": '''import math
def log_loss(p, y, eps=1e-12):
    total = 0.0
    ps, ys = list(np.ravel(p)), list(np.ravel(y))
    for pi, yi in zip(ps, ys):
        pi = min(max(pi, eps), 1 - eps)
        total += -math.log(pi) if yi == 1 else -math.log(1 - pi)
    return total / len(ps)''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    errors = []
    for xi, ti in zip(x, t):
        errors.append((sigmoid(w * xi + b) - ti) ** 2)
    return float(np.mean(errors))''',
    },
    "numpy_alternatives_float32": {
        "mse": '''def mse(predictions, targets):
    d = np.subtract(np.asarray(predictions, dtype=np.float32), np.asarray(targets, dtype=np.float32))
    return np.square(d).mean()''',
        "mae": '''def mae(predictions, targets):
    d = np.asarray(predictions, dtype=np.float32) - np.asarray(targets, dtype=np.float32)
    return np.average(np.absolute(d))''',
        "sigmoid": '''def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))''',
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    return np.mean(np.where(y == 1, -np.log(p), -np.log1p(-p)))''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    z = np.multiply(w, x) + b
    return np.mean(np.square(sigmoid(z) - np.asarray(t)))''',
    },
    # A function that warns while its result is right: the grader must not dock marks for a warning.
    "naive_but_right": {
        "sigmoid": '''def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))''',
        "mse": '''def mse(predictions, targets):
    import warnings
    warnings.warn("student debugging output", RuntimeWarning)
    return np.mean((np.array(predictions) - np.array(targets)) ** 2)''',
    },
}

MISTAKES = {
    "sum_instead_of_mean": {
        "mse": '''def mse(predictions, targets):
    return np.sum((np.asarray(predictions) - np.asarray(targets)) ** 2)''',
        "mae": '''def mae(predictions, targets):
    return np.sum(np.abs(np.asarray(predictions) - np.asarray(targets)))''',
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y)
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    return np.sum((sigmoid(w * np.asarray(x) + b) - np.asarray(t)) ** 2)''',
    },
    "sign_errors": {
        "mse": '''def mse(predictions, targets):
    return np.mean(np.asarray(predictions) - np.asarray(targets)) ** 2''',
        "mae": '''def mae(predictions, targets):
    return np.mean(np.asarray(predictions) - np.asarray(targets))''',
        "sigmoid": '''def sigmoid(z):
    return 1 / (1 + np.exp(np.asarray(z, dtype=float)))''',
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y)
    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    return np.mean((sigmoid(w * np.asarray(x) - b) - np.asarray(t)) ** 2)''',
    },
    "hard_coded": {
        "mse": '''def mse(predictions, targets):
    return 4 / 3''',
        "mae": '''def mae(predictions, targets):
    return 1.5''',
        "sigmoid": '''def sigmoid(z):
    return 0.5''',
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    return 0.164252033486018''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    return 0.13210466830930553''',
    },
    "other_slips": {
        # RMSE for MSE; squares for MAE; unstable form that turns into NaN; no clip; no sigmoid
        "mse": '''def mse(predictions, targets):
    return np.sqrt(np.mean((np.asarray(predictions) - np.asarray(targets)) ** 2))''',
        "mae": '''def mae(predictions, targets):
    return np.mean((np.asarray(predictions) - np.asarray(targets)) ** 2)''',
        "sigmoid": '''def sigmoid(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / (1 + e)''',
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "neuron_mse": '''def neuron_mse(w, b, x, t):
    return np.mean((w * np.asarray(x) + b - np.asarray(t)) ** 2)''',
    },
    "ignores_eps_or_lists": {
        "log_loss": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=float)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "mse": '''def mse(predictions, targets):
    return np.mean((predictions - targets) ** 2)''',
    },
    # Right values for every z, but exp overflows for z << 0: the stable form is an objective,
    # graded with overflow raising (np.errstate(over="raise")).
    "naive_sigmoid_overflows": {
        "sigmoid": '''def sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))''',
    },
    # Both forms inside np.where: np.where evaluates both for every entry, so one of them overflows.
    "where_evaluates_both_branches": {
        "sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))''',
    },
}

# The catalogued mistake (course/mistakes.py) the grader must name for each mistaken function;
# any other function of MISTAKES is "unrecognised". neuron_mse calls the variant's own sigmoid.
# sum_instead_of_mean's neuron_mse sums as its own mse does: on values alone it is a right neuron_mse
# built on that mse, so it is mse's knock-on (fixing mse first shows whether neuron_mse sums too).
NAMED = {
    "sum_instead_of_mean": {"mse": "mse/sum-not-mean", "mae": "mae/sum-not-mean",
                            "log_loss": "log_loss/sum-not-mean", "neuron_mse": "neuron_mse/uses-wrong-mse"},
    "sign_errors": {"mse": "mse/squared-mean", "mae": "mae/no-absolute-value", "sigmoid": "sigmoid/sign-of-z",
                    "log_loss": "log_loss/minus-missing"},
    "hard_coded": {"mse": "mse/hard-coded", "mae": "mae/hard-coded", "sigmoid": "sigmoid/hard-coded",
                   "log_loss": "log_loss/hard-coded", "neuron_mse": "neuron_mse/hard-coded"},
    "other_slips": {"mse": "mse/root-taken", "mae": "mae/squared", "sigmoid": "sigmoid/overflows",
                    "log_loss": "log_loss/not-clipped", "neuron_mse": "neuron_mse/no-sigmoid"},
    "ignores_eps_or_lists": {"log_loss": "log_loss/eps-ignored", "mse": "mse/no-lists"},
    "naive_sigmoid_overflows": {"sigmoid": "sigmoid/overflows"},
    "where_evaluates_both_branches": {"sigmoid": "sigmoid/overflows"},
}
