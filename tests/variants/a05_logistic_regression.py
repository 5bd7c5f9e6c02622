"""Correct answers written differently, and common mistakes, for 05_logistic_regression."""

ASSIGNMENT = "05_logistic_regression"
NOTEBOOK = "logistic_regression.ipynb"

CORRECT = {
    "loops": {
        "predict_proba": '''import math
def predict_proba(w, b, X):
    probs = []
    for row in X:
        z = sum(wi * xi for wi, xi in zip(w, row)) + b
        if z >= 0:
            probs.append(1.0 / (1.0 + math.exp(-z)))
        else:
            e = math.exp(z)
            probs.append(e / (1.0 + e))
    return np.array(probs)''',
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    p = predict_proba(w, b, X)
    dw = [0.0] * d
    db = 0.0
    for i in range(n):
        e = p[i] - y[i]
        for j in range(d):
            dw[j] += e * X[i, j] / n
        db += e / n
    return np.array(dw), db''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    X = np.asarray(X, dtype=float)
    w = [0.0] * X.shape[1]
    b = 0.0
    i = 0
    while i < n_iters:
        dw, db = logistic_gradients(w, b, X, y)
        w = [wj - learning_rate * gj for wj, gj in zip(w, dw)]
        b = b - learning_rate * db
        i += 1
    return w, b''',
    },
    "numpy_alternatives_float32": {
        "predict_proba": '''def predict_proba(w, b, X):
    z = np.asarray(X, dtype=np.float32) @ np.asarray(w, dtype=np.float32) + np.float32(b)
    return 0.5 * (1 + np.tanh(0.5 * z))''',
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    z = X @ np.asarray(w, dtype=float) + b
    e = np.exp(-np.logaddexp(0, -z)) - np.asarray(y, dtype=float)
    return np.mean(e[:, None] * X, axis=0), np.sum(e) / len(e)''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    theta = np.zeros(X.shape[1] + 1)
    Xa = np.column_stack([X, np.ones(len(y))])
    for _ in range(n_iters):
        p = 1 / (1 + np.exp(-(Xa @ theta)))
        theta -= learning_rate * Xa.T @ (p - y) / len(y)
    return theta[:-1], theta[-1]''',
    },
    "naive_sigmoid_that_warns": {
        # Right values (exp overflows to inf, 1/inf = 0) with a RuntimeWarning: no marks lost.
        "predict_proba": '''def predict_proba(w, b, X):
    return 1 / (1 + np.exp(-(np.asarray(X) @ np.asarray(w) + b)))''',
    },
}

MISTAKES = {
    "sum_instead_of_mean": {
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = predict_proba(w, b, X) - np.asarray(y)
    return X.T @ e, np.sum(e)''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    X = np.asarray(X, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(n_iters):
        e = predict_proba(w, b, X) - np.asarray(y)
        w, b = w - learning_rate * X.T @ e, b - learning_rate * np.sum(e)
    return w, b''',
    },
    "sign_errors": {
        "predict_proba": '''def predict_proba(w, b, X):
    return sigmoid(-(np.asarray(X) @ np.asarray(w) + b))''',
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = np.asarray(y) - predict_proba(w, b, X)
    return X.T @ e / len(e), np.mean(e)''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    for _ in range(n_iters):
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w + learning_rate * dw, b + learning_rate * db
    return w, b''',
    },
    "forgot_bias": {
        "predict_proba": '''def predict_proba(w, b, X):
    return sigmoid(np.asarray(X) @ np.asarray(w))''',
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = predict_proba(w, b, X) - np.asarray(y)
    return X.T @ e / len(e), 0.0''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    w = np.zeros(np.shape(X)[1])
    for _ in range(n_iters):
        dw, db = logistic_gradients(w, 0.0, X, y)
        w = w - learning_rate * dw
    return w, 0.0''',
    },
    "unstable_sigmoid_and_transposed": {
        "predict_proba": '''def predict_proba(w, b, X):
    e = np.exp(np.asarray(X) @ np.asarray(w) + b)
    return e / (1 + e)''',
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = predict_proba(w, b, X) - np.asarray(y)
    return X @ e / len(e), np.mean(e)''',
    },
    "mse_gradient_and_off_by_one": {
        # The gradient of the squared error of a sigmoid, not of the log loss.
        "logistic_gradients": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    p = predict_proba(w, b, X)
    e = (p - np.asarray(y)) * p * (1 - p)
    return X.T @ e / len(e), np.mean(e)''',
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    for _ in range(n_iters + 1):
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b''',
    },
    "gradient_once_random_start": {
        "fit_logistic": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.random.default_rng(1).normal(size=np.shape(X)[1]), 0.0
    dw, db = logistic_gradients(w, b, X, y)
    for _ in range(n_iters):
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b''',
        "predict_proba": '''def predict_proba(w, b, X):
    return np.round(sigmoid(np.asarray(X) @ np.asarray(w) + b))''',
    },
}

# The catalogued mistake (course/mistakes/logistic.py) the grader must name; other mistaken functions: "unrecognised".
# logistic_gradients is judged around the variant's own predict_proba: sign_errors' writes y - p (its own
# mistake, on its flipped predict_proba); forgot_bias's drops db and calls a predict_proba without the bias, no
# mistake of its own is found, so that helper is named.
# fit_logistic is judged around the variant's own logistic_gradients: sum_instead_of_mean's (summed inline, as
# its logistic_gradients sums) and forgot_bias's (whose logistic_gradients gives db = 0) are right around them,
# so they are that helper's knock-on; gradient_once_random_start's makes two mistakes at once, around a
# logistic_gradients made wrong by its rounded predict_proba: no mistake of its own is found, so the helper is named.
NAMED = {
    "sum_instead_of_mean": {"logistic_gradients": "logistic_gradients/sum-not-mean",
                            "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
    "sign_errors": {"predict_proba": "predict_proba/sign-flipped", "fit_logistic": "fit_logistic/ascent",
                    "logistic_gradients": "logistic_gradients/sign-flipped"},
    "forgot_bias": {"predict_proba": "predict_proba/bias-missing",
                    "logistic_gradients": "logistic_gradients/uses-wrong-predict_proba",
                    "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
    # right values for moderate inputs (the overflow is what the hidden tests catch): no name for predict_proba
    "unstable_sigmoid_and_transposed": {"logistic_gradients": "logistic_gradients/transposed"},
    "mse_gradient_and_off_by_one": {"logistic_gradients": "logistic_gradients/squared-error",
                                    "fit_logistic": "fit_logistic/one-step-too-many"},
    "gradient_once_random_start": {"predict_proba": "predict_proba/rounded",
                                   "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
}

# Each catalogued mistake written from the catalogue's words (course/mistakes/logistic.py), three or more ways, in styles
# that differ (loops, NumPy, einsum, lists, in place); each must get exactly its id. The other functions are the
# source's (logistic_gradients calls its predict_proba, fit_logistic its logistic_gradients).
STYLES = {
    "predict_proba/sign-flipped": {
        "negated": '''def predict_proba(w, b, X):
    return sigmoid(-(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b))''',
        "complement": '''def predict_proba(w, b, X):
    return 1.0 - sigmoid(np.dot(X, w) + b)''',
        "loops": '''def predict_proba(w, b, X):
    return np.array([sigmoid(-(sum(wi * xi for wi, xi in zip(w, row)) + b)) for row in X])''',
    },
    "predict_proba/bias-missing": {
        "matmul": '''def predict_proba(w, b, X):
    return sigmoid(np.asarray(X, dtype=float) @ np.asarray(w, dtype=float))''',
        "einsum": '''def predict_proba(w, b, X):
    return sigmoid(np.einsum("ij,j->i", np.asarray(X, dtype=float), np.asarray(w, dtype=float)))''',
        "loops": '''def predict_proba(w, b, X):
    out = []
    for row in X:
        out.append(sigmoid(sum(wi * xi for wi, xi in zip(w, row))))
    return np.array(out)''',
    },
    "predict_proba/rounded": {
        "round": MISTAKES["gradient_once_random_start"]["predict_proba"],
        "threshold": '''def predict_proba(w, b, X):
    return (sigmoid(np.dot(X, w) + b) >= 0.5).astype(float)''',
        "where": '''def predict_proba(w, b, X):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
    return np.where(z > 0, 1.0, 0.0)''',
    },
    "logistic_gradients/sum-not-mean": {
        "matmul": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return X.T @ e, float(np.sum(e))''',
        "loops": '''def logistic_gradients(w, b, X, y):
    p = predict_proba(w, b, X)
    dw, db = np.zeros(len(w)), 0.0
    for row, pi, yi in zip(np.asarray(X, dtype=float), p, y):
        dw += (pi - yi) * row
        db += pi - yi
    return dw, db''',
        "einsum": '''def logistic_gradients(w, b, X, y):
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return np.einsum("ij,i->j", np.asarray(X, dtype=float), e), e.sum()''',
    },
    "logistic_gradients/sign-flipped": {
        "matmul": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = np.asarray(y, dtype=float) - predict_proba(w, b, X)
    return X.T @ e / len(e), float(np.mean(e))''',
        "negated": '''def logistic_gradients(w, b, X, y):
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return -np.dot(np.transpose(X), e) / len(e), -np.mean(e)''',
        "loops": '''def logistic_gradients(w, b, X, y):
    p = predict_proba(w, b, X)
    n = len(y)
    dw = [sum((y[i] - p[i]) * X[i][j] for i in range(n)) / n for j in range(len(w))]
    return np.array(dw), sum(y[i] - p[i] for i in range(n)) / n''',
    },
    "logistic_gradients/transposed": {
        "matmul": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return X @ e / len(e), float(np.mean(e))''',
        "dot": '''def logistic_gradients(w, b, X, y):
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return np.dot(X, e) / e.size, e.mean()''',
        "loops": '''def logistic_gradients(w, b, X, y):
    p = predict_proba(w, b, X)
    n = len(y)
    dw = [sum(X[j][i] * (p[i] - y[i]) for i in range(n)) / n for j in range(len(X))]
    return np.array(dw), sum(p[i] - y[i] for i in range(n)) / n''',
    },
    "logistic_gradients/squared-error": {
        "matmul": '''def logistic_gradients(w, b, X, y):
    X = np.asarray(X, dtype=float)
    p = predict_proba(w, b, X)
    e = (p - np.asarray(y, dtype=float)) * p * (1 - p)
    return X.T @ e / len(e), float(np.mean(e))''',
        "chain_rule": '''def logistic_gradients(w, b, X, y):
    p = predict_proba(w, b, X)
    slope = p * (1.0 - p)
    e = np.multiply(p - np.asarray(y, dtype=float), slope)
    return np.dot(np.asarray(X, dtype=float).T, e) / len(y), np.mean(e)''',
        "loops": '''def logistic_gradients(w, b, X, y):
    p = predict_proba(w, b, X)
    n = len(y)
    e = [(p[i] - y[i]) * p[i] * (1 - p[i]) for i in range(n)]
    dw = [sum(e[i] * X[i][j] for i in range(n)) / n for j in range(len(w))]
    return np.array(dw), sum(e) / n''',
    },
    "fit_logistic/ascent": {
        "plus": MISTAKES["sign_errors"]["fit_logistic"],
        "in_place": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    for _ in range(n_iters):
        dw, db = logistic_gradients(w, b, X, y)
        w += learning_rate * np.asarray(dw)
        b += learning_rate * db
    return w, b''',
        "while": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b, k = np.zeros(len(X[0])), 0.0, 0
    while k < n_iters:
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - learning_rate * -np.asarray(dw), b - learning_rate * -db
        k += 1
    return w, b''',
    },
    "fit_logistic/bias-frozen": {
        "ignored_db": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    for _ in range(n_iters):
        dw, _ = logistic_gradients(w, b, X, y)
        w = w - learning_rate * dw
    return w, b''',
        "zero_bias": '''def fit_logistic(X, y, learning_rate, n_iters):
    w = np.zeros(np.shape(X)[1])
    for _ in range(n_iters):
        w = w - learning_rate * logistic_gradients(w, 0.0, X, y)[0]
    return w, 0.0''',
        "in_place": '''def fit_logistic(X, y, learning_rate, n_iters):
    w = np.zeros(len(X[0]))
    b = 0.0
    for _ in range(n_iters):
        grads = logistic_gradients(w, b, X, y)
        w -= learning_rate * np.asarray(grads[0])
    return w, b''',
    },
    "fit_logistic/one-step-too-many": {
        "range": MISTAKES["mse_gradient_and_off_by_one"]["fit_logistic"],
        "while": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b, k = np.zeros(np.shape(X)[1]), 0.0, 0
    while k <= n_iters:
        dw, db = logistic_gradients(w, b, X, y)
        w, b = w - learning_rate * dw, b - learning_rate * db
        k += 1
    return w, b''',
        "inclusive": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(len(X[0])), 0.0
    for _ in range(0, n_iters + 1):
        dw, db = logistic_gradients(w, b, X, y)
        w -= learning_rate * np.asarray(dw)
        b -= learning_rate * db
    return w, b''',
    },
    "fit_logistic/gradient-once": {
        "before_loop": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(np.shape(X)[1]), 0.0
    dw, db = logistic_gradients(w, b, X, y)
    for _ in range(n_iters):
        w, b = w - learning_rate * dw, b - learning_rate * db
    return w, b''',
        "multiplied": '''def fit_logistic(X, y, learning_rate, n_iters):
    w0 = np.zeros(np.shape(X)[1])
    dw, db = logistic_gradients(w0, 0.0, X, y)
    return w0 - n_iters * learning_rate * np.asarray(dw), -n_iters * learning_rate * db''',
        "in_place": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(len(X[0])), 0.0
    step_w, step_b = (learning_rate * np.asarray(g) for g in logistic_gradients(w, b, X, y))
    for _ in range(n_iters):
        w -= step_w
        b -= step_b
    return w, float(b)''',
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "predict_proba": {
        "loops": '''def predict_proba(w, b, X):
    return np.array([sigmoid(sum(wi * xi for wi, xi in zip(w, row)) + b) for row in X])''',
    },
    "logistic_gradients": {
        "einsum": '''def logistic_gradients(w, b, X, y):
    e = predict_proba(w, b, X) - np.asarray(y, dtype=float)
    return np.einsum("ij,i->j", np.asarray(X, dtype=float), e) / len(e), e.mean()''',
    },
    "fit_logistic": {
        "in_place": '''def fit_logistic(X, y, learning_rate, n_iters):
    w, b = np.zeros(len(X[0])), 0.0
    for _ in range(n_iters):
        dw, db = logistic_gradients(w, b, X, y)
        w -= learning_rate * np.asarray(dw)
        b -= learning_rate * db
    return w, b''',
    },
}
