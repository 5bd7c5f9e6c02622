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

# The catalogued mistake (course/mistakes/loss_functions.py) the grader must name for each mistaken function;
# any other function of MISTAKES is "unrecognised". neuron_mse calls the variant's own sigmoid.
# sum_instead_of_mean's neuron_mse sums as its own mse does: on values alone it is a right neuron_mse
# built on that mse, so it is mse's knock-on (fixing mse first shows whether neuron_mse sums too).
NAMED = {
    "sum_instead_of_mean": {"mse": "mse/sum-not-mean", "mae": "mae/sum-not-mean",
                            "log_loss": "log_loss/sum-not-mean", "neuron_mse": "neuron_mse/uses-wrong-mse"},
    # neuron_mse subtracts b, around its own (flipped) sigmoid
    "sign_errors": {"mse": "mse/squared-mean", "mae": "mae/no-absolute-value", "sigmoid": "sigmoid/sign-of-z",
                    "log_loss": "log_loss/minus-missing", "neuron_mse": "neuron_mse/bias-subtracted"},
    "hard_coded": {"mse": "mse/hard-coded", "mae": "mae/hard-coded", "sigmoid": "sigmoid/hard-coded",
                   "log_loss": "log_loss/hard-coded", "neuron_mse": "neuron_mse/hard-coded"},
    "other_slips": {"mse": "mse/root-taken", "mae": "mae/squared", "sigmoid": "sigmoid/overflows",
                    "log_loss": "log_loss/not-clipped", "neuron_mse": "neuron_mse/no-sigmoid"},
    "ignores_eps_or_lists": {"log_loss": "log_loss/eps-ignored", "mse": "mse/no-lists"},
    "naive_sigmoid_overflows": {"sigmoid": "sigmoid/overflows"},
    "where_evaluates_both_branches": {"sigmoid": "sigmoid/overflows"},
}

# Each catalogued mistake written from the catalogue's words (course/mistakes/loss_functions.py), three or more ways, in styles
# that differ (loops, NumPy, math, lists, np.where, in place); each must get exactly its id. A style is the
# exercise's cell, or {grade_id: cell} when it needs another cell of its own (a knock-on's wrong helper).
STYLES = {
    "mse/sum-not-mean": {
        "numpy": '''def mse(predictions, targets):
    return np.sum(np.square(np.subtract(predictions, targets)))''',
        "loop": '''def mse(predictions, targets):
    total = 0.0
    for p, t in zip(predictions, targets):
        total += (p - t) ** 2
    return total''',
        "math": '''import math
def mse(predictions, targets):
    return math.fsum((float(p) - float(t)) ** 2 for p, t in zip(predictions, targets))''',
        "dot": '''def mse(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return float(d @ d)''',
    },
    "mse/absolute-not-squared": {
        "numpy": '''def mse(predictions, targets):
    return np.abs(np.asarray(predictions) - np.asarray(targets)).mean()''',
        "loop": '''def mse(predictions, targets):
    total = 0.0
    for p, t in zip(predictions, targets):
        total += abs(p - t)
    return total / len(predictions)''',
        "where": '''def mse(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return float(np.mean(np.where(d < 0, -d, d)))''',
    },
    "mse/root-taken": {
        "numpy": '''def mse(predictions, targets):
    return np.sqrt(np.mean((np.asarray(predictions) - np.asarray(targets)) ** 2))''',
        "math": '''import math
def mse(predictions, targets):
    squares = [(p - t) ** 2 for p, t in zip(predictions, targets)]
    return math.sqrt(sum(squares) / len(squares))''',
        "norm": '''def mse(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return np.linalg.norm(d) / np.sqrt(d.size)''',
        "power": '''def mse(predictions, targets):
    d = np.subtract(predictions, targets)
    return (d ** 2).mean() ** 0.5''',
    },
    "mse/squared-mean": {
        "numpy": '''def mse(predictions, targets):
    return np.square(np.mean(np.asarray(predictions) - np.asarray(targets)))''',
        "loop": '''def mse(predictions, targets):
    total = 0.0
    for p, t in zip(predictions, targets):
        total += p - t
    mean = total / len(predictions)
    return mean * mean''',
        "sums": '''def mse(predictions, targets):
    n = len(predictions)
    return ((sum(predictions) - sum(targets)) / n) ** 2''',
    },
    "mse/no-lists": {
        "numpy": '''def mse(predictions, targets):
    return np.square(predictions - targets).mean()''',
        "shape": '''def mse(predictions, targets):
    d = predictions - targets
    return float(np.dot(d, d) / d.size)''',
        "attribute": '''def mse(predictions, targets):
    n = predictions.shape[0]
    return float(np.sum((np.asarray(predictions) - np.asarray(targets)) ** 2) / n)''',
    },
    "mae/sum-not-mean": {
        "numpy": '''def mae(predictions, targets):
    return np.abs(np.subtract(predictions, targets)).sum()''',
        "loop": '''def mae(predictions, targets):
    total = 0
    for p, t in zip(predictions, targets):
        total += abs(p - t)
    return total''',
        "math": '''import math
def mae(predictions, targets):
    return math.fsum(math.fabs(p - t) for p, t in zip(predictions, targets))''',
    },
    "mae/no-absolute-value": {
        "numpy": '''def mae(predictions, targets):
    return np.subtract(predictions, targets).mean()''',
        "loop": '''def mae(predictions, targets):
    diffs = [p - t for p, t in zip(predictions, targets)]
    return sum(diffs) / len(diffs)''',
        "sums": '''def mae(predictions, targets):
    return (np.sum(predictions) - np.sum(targets)) / len(targets)''',
    },
    "mae/squared": {
        "numpy": '''def mae(predictions, targets):
    return np.mean(np.square(np.asarray(predictions) - np.asarray(targets)))''',
        "loop": '''def mae(predictions, targets):
    total = 0.0
    for p, t in zip(predictions, targets):
        total += (p - t) * (p - t)
    return total / len(targets)''',
        "dot": '''def mae(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return d.dot(d) / len(d)''',
    },
    "sigmoid/sign-of-z": {
        "numpy": '''def sigmoid(z):
    return 1.0 / (1.0 + np.exp(np.asarray(z, dtype=float)))''',
        "math": '''import math
def sigmoid(z):
    return np.array([1.0 / (1.0 + math.exp(v)) for v in np.ravel(z)]).reshape(np.shape(z))''',
        "stable": '''def sigmoid(z):
    return 0.5 * (1.0 - np.tanh(0.5 * np.asarray(z, dtype=float)))''',
        "where": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))''',
    },
    "sigmoid/overflows": {
        "numpy": '''def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))''',
        "math": '''import math
def sigmoid(z):
    return np.array([1.0 / (1.0 + math.exp(-v)) for v in np.ravel(z)]).reshape(np.shape(z))''',
        "where": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))''',
        "ratio": '''def sigmoid(z):
    e = np.exp(np.asarray(z, dtype=float))
    return e / (1.0 + e)''',
        "power": '''def sigmoid(z):
    return 1 / (1 + np.e ** (-np.asarray(z, dtype=float)))''',
    },
    "log_loss/sum-not-mean": {
        "numpy": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum())''',
        "loop": '''import math
def log_loss(p, y, eps=1e-12):
    total = 0.0
    for pi, yi in zip(p, y):
        pi = min(max(pi, eps), 1 - eps)
        total -= math.log(pi) if yi == 1 else math.log(1 - pi)
    return total''',
        "where": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(p, eps, 1 - eps)
    return np.sum(np.where(np.asarray(y) == 1, -np.log(p), -np.log(1 - p)))''',
    },
    "log_loss/minus-missing": {
        "numpy": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    return np.mean(y * np.log(p) + (1 - y) * np.log1p(-p))''',
        "loop": '''import math
def log_loss(p, y, eps=1e-12):
    terms = []
    for pi, yi in zip(p, y):
        pi = min(max(pi, eps), 1 - eps)
        terms.append(yi * math.log(pi) + (1 - yi) * math.log(1 - pi))
    return sum(terms) / len(terms)''',
        "where": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(np.where(np.asarray(y) == 1, np.log(p), np.log(1 - p)).mean())''',
    },
    "log_loss/not-clipped": {
        "nan": '''def log_loss(p, y, eps=1e-12):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "where_inf": '''def log_loss(p, y, eps=1e-12):
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p)))''',
        "math": '''import math
def log_loss(p, y, eps=1e-12):
    total = 0.0
    for pi, yi in zip(p, y):
        total += -math.log(pi) if yi == 1 else -math.log(1 - pi)
    return total / len(p)''',
        "lists": '''def log_loss(p, y, eps=1e-12):
    losses = [-np.log(pi) if yi == 1 else -np.log(1 - pi) for pi, yi in zip(np.ravel(p), np.ravel(y))]
    return float(np.mean(losses))''',
    },
    "log_loss/eps-ignored": {
        "clip_1e-7": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), 1e-7, 1 - 1e-7)
    y = np.asarray(y, dtype=float)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))''',
        "clip_1e-15_where": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), 1e-15, 1 - 1e-15)
    return np.mean(np.where(np.asarray(y) == 1, -np.log(p), -np.log(1 - p)))''',
        "loop_min_max": '''import math
def log_loss(p, y, eps=1e-12):
    total = 0.0
    for pi, yi in zip(p, y):
        pi = min(max(pi, 1e-10), 1 - 1e-10)
        total += -math.log(pi) if yi == 1 else -math.log(1 - pi)
    return total / len(p)''',
        "default_typed_in": '''def log_loss(p, y, eps=1e-12):
    p = np.minimum(np.maximum(np.asarray(p, dtype=float), 1e-12), 1 - 1e-12)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))''',
    },
    "neuron_mse/sum-not-mean": {
        "numpy": '''def neuron_mse(w, b, x, t):
    return np.sum((sigmoid(w * np.asarray(x) + b) - np.asarray(t)) ** 2)''',
        "loop": '''def neuron_mse(w, b, x, t):
    total = 0.0
    for xi, ti in zip(x, t):
        total += (sigmoid(w * xi + b) - ti) ** 2
    return float(total)''',
        "scaled_mse": '''def neuron_mse(w, b, x, t):
    return mse(sigmoid(w * np.asarray(x) + b), t) * len(t)''',
    },
    "neuron_mse/bias-subtracted": {
        "calls": '''def neuron_mse(w, b, x, t):
    return mse(sigmoid(w * np.asarray(x) - b), t)''',
        "loop": '''def neuron_mse(w, b, x, t):
    errors = [(sigmoid(w * xi - b) - ti) ** 2 for xi, ti in zip(x, t)]
    return float(np.mean(errors))''',
        "inline": '''def neuron_mse(w, b, x, t):
    z = np.multiply(w, x) - b
    return np.mean((0.5 * (1 + np.tanh(z / 2)) - np.asarray(t)) ** 2)''',
    },
    "neuron_mse/no-sigmoid": {
        "calls": '''def neuron_mse(w, b, x, t):
    return mse(w * np.asarray(x) + b, t)''',
        "loop": '''def neuron_mse(w, b, x, t):
    total = 0.0
    for xi, ti in zip(x, t):
        total += (w * xi + b - ti) ** 2
    return total / len(x)''',
        "numpy": '''def neuron_mse(w, b, x, t):
    return np.square(np.add(np.multiply(w, x), b) - np.asarray(t)).mean()''',
    },
}

# knock-ons: a right neuron_mse on a wrong helper of the student's own (a style of that helper's mistake)
_CALLS_MSE = '''def neuron_mse(w, b, x, t):
    return mse(sigmoid(w * np.asarray(x) + b), t)'''
STYLES["neuron_mse/uses-wrong-mse"] = {
    "root_mse": {"mse": STYLES["mse/root-taken"]["numpy"], "neuron_mse": _CALLS_MSE},
    "summing_mse": {"mse": STYLES["mse/sum-not-mean"]["loop"], "neuron_mse": '''def neuron_mse(w, b, x, t):
    return mse([sigmoid(w * xi + b) for xi in x], t)'''},
}
STYLES["neuron_mse/uses-wrong-sigmoid"] = {
    "flipped": {"sigmoid": STYLES["sigmoid/sign-of-z"]["numpy"], "neuron_mse": _CALLS_MSE},
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "mse": {
        "math": '''import math
def mse(predictions, targets):
    return math.fsum((float(p) - float(t)) ** 2 for p, t in zip(predictions, targets)) / len(targets)''',
        "dot": '''def mse(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return d @ d / d.size''',
        "in_place": '''def mse(predictions, targets):
    d = np.array(predictions, dtype=float)
    d -= np.asarray(targets, dtype=float)
    d **= 2
    return d.mean()''',
    },
    "mae": {
        "where": '''def mae(predictions, targets):
    d = np.asarray(predictions, dtype=float) - np.asarray(targets, dtype=float)
    return np.mean(np.where(d < 0, -d, d))''',
        "math": '''import math
def mae(predictions, targets):
    return math.fsum(math.fabs(p - t) for p, t in zip(predictions, targets)) / len(targets)''',
        "norm": '''def mae(predictions, targets):
    d = np.subtract(predictions, targets)
    return np.linalg.norm(d, 1) / len(d)''',
    },
    "sigmoid": {
        "math_branches": '''import math
def sigmoid(z):
    out = []
    for v in np.ravel(np.asarray(z, dtype=float)):
        out.append(1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v)))
    return np.array(out).reshape(np.shape(z))''',
        "masks_in_place": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out''',
        "logaddexp": '''def sigmoid(z):
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))''',
    },
    "log_loss": {
        "where": '''def log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    return float(np.mean(np.where(np.asarray(y) == 1, -np.log(p), -np.log(1 - p))))''',
        "math_min_max": '''import math
def log_loss(p, y, eps=1e-12):
    total = 0.0
    for pi, yi in zip(p, y):
        pi = min(max(pi, eps), 1 - eps)
        total -= yi * math.log(pi) + (1 - yi) * math.log(1 - pi)
    return total / len(p)''',
        "in_place": '''def log_loss(p, y, eps=1e-12):
    q = np.array(p, dtype=float)
    np.clip(q, eps, 1 - eps, out=q)
    y = np.asarray(y, dtype=float)
    return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))''',
    },
    "neuron_mse": {
        "calls": '''def neuron_mse(w, b, x, t):
    return mse(sigmoid(w * np.asarray(x, dtype=float) + b), t)''',
        "loop": '''def neuron_mse(w, b, x, t):
    total = 0.0
    for xi, ti in zip(x, t):
        total += (sigmoid(w * xi + b) - ti) ** 2
    return total / len(x)''',
        "inline": '''def neuron_mse(w, b, x, t):
    z = np.multiply(w, x) + b
    return np.mean((np.exp(-np.logaddexp(0, -z)) - np.asarray(t)) ** 2)''',
    },
}
