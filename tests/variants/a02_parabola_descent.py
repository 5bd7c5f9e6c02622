"""Correct answers written differently, and common mistakes, for 02_parabola_descent."""

ASSIGNMENT = "02_parabola_descent"
NOTEBOOK = "parabola_descent.ipynb"

CORRECT = {
    "loops_lists": {
        "parabola": '''def parabola(x):
    d = x - 3
    return d * d''',
        "parabola_grad": '''def parabola_grad(x):
    return 2 * x - 6''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        x = xs[-1]
        xs.append(x - learning_rate * grad(x))
    return xs''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x, n = x0, 0
    while n < max_iters:
        step = learning_rate * grad(x)
        x = x - step
        n += 1
        if abs(step) < tol:
            break
    return x, n''',
        "challenge": '''my_rate = 0.5
my_iters = 1''',
    },
    "numpy_float32_expanded": {
        "parabola": '''def parabola(x):
    x = np.asarray(x, dtype=float)
    return x ** 2 - 6 * x + 9''',
        "parabola_grad": '''def parabola_grad(x):
    return np.multiply(2.0, np.subtract(x, 3.0))''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    out = np.zeros(n_iters + 1, dtype=np.float32)
    out[0] = x0
    x = np.float32(x0)
    for k in range(1, n_iters + 1):
        x = np.float32(x - learning_rate * grad(x))
        out[k] = x
    return out''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    path = [float(x0)]
    for _ in range(max_iters):
        path.append(path[-1] - learning_rate * grad(path[-1]))
        if np.abs(path[-1] - path[-2]) < tol:
            break
    return path[-1], len(path) - 1''',
        "challenge": '''my_rate = 0.45
my_iters = 10''',
    },
    "other_challenge_answer": {
        "challenge": '''my_rate = 0.55
my_iters = np.int64(8)''',
    },
}

MISTAKES = {
    "power_forgotten": {
        "parabola": '''def parabola(x):
    return x ** 2 - 3''',
        "parabola_grad": '''def parabola_grad(x):
    return 2 * x - 3''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = []
    x = x0
    for _ in range(n_iters):
        x = x - learning_rate * grad(x)
        xs.append(x)
    return xs''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = x0
    for n in range(max_iters):
        x_new = x - learning_rate * grad(x)
        if abs(x_new - x) < tol:
            return x, n
        x = x_new
    return x, max_iters''',
        "challenge": '''my_rate = 0.05
my_iters = 10''',
    },
    "sign_errors": {
        "parabola": '''def parabola(x):
    return (x + 3) ** 2''',
        "parabola_grad": '''def parabola_grad(x):
    return 2 * (3 - x)''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        xs.append(xs[-1] + learning_rate * grad(xs[-1]))
    return np.array(xs)''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = x0
    for n in range(1, max_iters + 1):
        x_new = x - learning_rate * grad(x)
        if abs(grad(x_new)) < tol:
            return x_new, n
        x = x_new
    return x, max_iters''',
        "challenge": '''my_rate = 1.0
my_iters = 10''',
    },
    "seed_rule_and_guards": {
        "parabola": '''def parabola(x):
    return 2 * (x - 3)''',
        "parabola_grad": '''def parabola_grad(x):
    return (x - 3)''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        xs.append((xs[-1] - learning_rate) * grad(xs[-1]))
    return xs''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x, n = x0, 0
    while n < max_iters - 1:
        x_new = x - learning_rate * grad(x)
        n += 1
        if abs(x_new - x) < tol:
            return x_new, n
        x = x_new
    return x, n''',
        "challenge": '''my_rate = 0.5
my_iters = 25''',
    },
    "hard_coded": {
        "parabola": '''def parabola(x):
    return np.abs(x - 3) ** 2 if np.ndim(x) == 0 and x != 3 else 0.0''',
        "parabola_grad": '''def parabola_grad(x):
    return np.sign(x - 3) * 2.0''',
        "gradient_descent": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        xs.append(xs[-1] - learning_rate * 2 * (xs[-1] - 3))
    return xs''',
        "descend_until": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = x0
    for n in range(1, max_iters + 1):
        x_new = x - learning_rate * grad(x)
        if abs(x_new - x) < tol:
            return x_new, n
        x = x_new
    return x, n + 1''',
        "challenge": '''my_rate = 0.3
my_iters = 10''',
    },
}

# The catalogued mistake (course/mistakes.py) the grader must name; other mistaken functions: "unrecognised".
# A value (challenge) is named by its rules: the test fails, and for that reason.
NAMED = {
    "power_forgotten": {"parabola": "parabola/power-forgotten", "parabola_grad": "parabola_grad/power-rule",
                        "gradient_descent": "gradient_descent/start-missing",
                        "descend_until": "descend_until/step-not-counted", "challenge": "challenge/too-slow"},
    "sign_errors": {"parabola": "parabola/plus-three", "parabola_grad": "parabola_grad/sign-flipped",
                    "gradient_descent": "gradient_descent/ascent", "descend_until": "descend_until/slope-not-step",
                    "challenge": "challenge/not-contracting"},
    "seed_rule_and_guards": {"parabola": "parabola/slope-not-value",
                             "parabola_grad": "parabola_grad/factor-two-missing",
                             "gradient_descent": "gradient_descent/rate-subtracted-first",
                             "descend_until": "descend_until/stops-before-max",
                             "challenge": "challenge/too-many-iterations"},
    # parabola: right for a single number, 0 for any array; gradient_descent follows 2(x - 3) whatever grad is;
    # descend_until reports max_iters + 1 steps when it runs out (no catalogued mistake)
    "hard_coded": {"parabola": "parabola/hard-coded", "gradient_descent": "gradient_descent/grad-ignored",
                   "challenge": "challenge/too-slow"},
}
