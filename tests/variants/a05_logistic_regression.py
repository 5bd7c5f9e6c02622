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

# The catalogued mistake (course/mistakes.py) the grader must name; other mistaken functions: "unrecognised".
# logistic_gradients calls the variant's own predict_proba, so a wrong one there makes its mistake another.
# fit_logistic is judged around the variant's own logistic_gradients: sum_instead_of_mean's (summed inline, as
# its logistic_gradients sums) and forgot_bias's (whose logistic_gradients gives db = 0) are right around them,
# so they are that helper's knock-on; gradient_once_random_start's makes two mistakes at once, around a
# logistic_gradients made wrong by its rounded predict_proba: no mistake of its own is found, so the helper is named.
NAMED = {
    "sum_instead_of_mean": {"logistic_gradients": "logistic_gradients/sum-not-mean",
                            "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
    "sign_errors": {"predict_proba": "predict_proba/sign-flipped", "fit_logistic": "fit_logistic/ascent"},
    "forgot_bias": {"predict_proba": "predict_proba/bias-missing",
                    "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
    # right values for moderate inputs (the overflow is what the hidden tests catch): no name for predict_proba
    "unstable_sigmoid_and_transposed": {"logistic_gradients": "logistic_gradients/transposed"},
    "mse_gradient_and_off_by_one": {"logistic_gradients": "logistic_gradients/squared-error",
                                    "fit_logistic": "fit_logistic/one-step-too-many"},
    "gradient_once_random_start": {"predict_proba": "predict_proba/rounded",
                                   "fit_logistic": "fit_logistic/uses-wrong-logistic_gradients"},
}
