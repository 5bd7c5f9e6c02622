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

# The catalogued mistake (course/mistakes/parabola.py) the grader must name; other mistaken functions: "unrecognised".
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

# Each catalogued mistake written from the catalogue's words (course/mistakes/parabola.py), three or more ways, in styles
# that differ (loops, NumPy, math, lists, while, recursion); each must get exactly its id. The other functions
# are the source's.
STYLES = {
    "parabola/power-forgotten": {
        "product": '''def parabola(x):
    return x * x - 3''',
        "numpy": '''def parabola(x):
    return np.square(x) - 3.0''',
        "lists": '''def parabola(x):
    return np.array([v ** 2 - 3 for v in np.ravel(x)]).reshape(np.shape(x))''',
    },
    "parabola/plus-three": {
        "power": MISTAKES["sign_errors"]["parabola"],
        "expanded": '''def parabola(x):
    x = np.asarray(x, dtype=float)
    return x ** 2 + 6 * x + 9''',
        "numpy": '''def parabola(x):
    return np.square(np.add(x, 3))''',
    },
    "parabola/slope-not-value": {
        "factor": MISTAKES["seed_rule_and_guards"]["parabola"],
        "expanded": '''def parabola(x):
    return 2 * np.asarray(x, dtype=float) - 6''',
        "lists": '''def parabola(x):
    return np.array([2.0 * (v - 3.0) for v in np.ravel(x)]).reshape(np.shape(x))''',
    },
    "parabola_grad/power-rule": {
        "plain": MISTAKES["power_forgotten"]["parabola_grad"],
        "numpy": '''def parabola_grad(x):
    return np.subtract(np.multiply(2, x), 3)''',
        "lists": '''def parabola_grad(x):
    return np.array([2 * v - 3 for v in np.ravel(x)]).reshape(np.shape(x))''',
    },
    "parabola_grad/sign-flipped": {
        "swapped": MISTAKES["sign_errors"]["parabola_grad"],
        "negated": '''def parabola_grad(x):
    return -2.0 * (np.asarray(x, dtype=float) - 3.0)''',
        "expanded": '''def parabola_grad(x):
    return 6 - 2 * x''',
    },
    "parabola_grad/factor-two-missing": {
        "plain": '''def parabola_grad(x):
    return x - 3''',
        "numpy": '''def parabola_grad(x):
    return np.subtract(x, 3.0)''',
        "halved": '''def parabola_grad(x):
    return (2 * x - 6) / 2''',
    },
    "gradient_descent/start-missing": {
        "append": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs, x = [], x0
    for _ in range(n_iters):
        x = x - learning_rate * grad(x)
        xs.append(x)
    return xs''',
        "preallocated": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = np.empty(n_iters)
    x = x0
    for k in range(n_iters):
        x = x - learning_rate * grad(x)
        xs[k] = x
    return xs''',
        "sliced": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    while len(xs) <= n_iters:
        xs.append(xs[-1] - learning_rate * grad(xs[-1]))
    return xs[1:]''',
    },
    "gradient_descent/ascent": {
        "append": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        xs.append(xs[-1] + learning_rate * grad(xs[-1]))
    return xs''',
        "preallocated": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = np.zeros(n_iters + 1)
    xs[0] = x0
    for k in range(n_iters):
        xs[k + 1] = xs[k] - learning_rate * -grad(xs[k])
    return xs''',
        "recursion": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    if n_iters == 0:
        return [x0]
    return [x0] + list(gradient_descent(grad, x0 + learning_rate * grad(x0), learning_rate, n_iters - 1))''',
    },
    "gradient_descent/rate-subtracted-first": {
        "append": MISTAKES["seed_rule_and_guards"]["gradient_descent"],
        "while": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs, x, k = [float(x0)], float(x0), 0
    while k < n_iters:
        x = (x - learning_rate) * grad(x)
        xs.append(x)
        k += 1
    return np.array(xs)''',
        "preallocated": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = np.empty(n_iters + 1)
    xs[0] = x0
    for k in range(n_iters):
        shifted = xs[k] - learning_rate
        xs[k + 1] = shifted * grad(xs[k])
    return xs''',
    },
    "gradient_descent/grad-ignored": {
        "formula": MISTAKES["hard_coded"]["gradient_descent"],
        "own_gradient": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = np.empty(n_iters + 1)
    xs[0] = x0
    for k in range(n_iters):
        xs[k + 1] = xs[k] - learning_rate * parabola_grad(xs[k])
    return xs''',
        "expanded": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    x, xs = float(x0), [float(x0)]
    for _ in range(n_iters):
        x = x - learning_rate * (2 * x - 6)
        xs.append(x)
    return xs''',
    },
    "gradient_descent/last-only": {
        "loop": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    x = x0
    for _ in range(n_iters):
        x = x - learning_rate * grad(x)
    return x''',
        "while": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    x, k = float(x0), 0
    while k < n_iters:
        x -= learning_rate * grad(x)
        k += 1
    return x''',
        "list_last": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    xs = [x0]
    for _ in range(n_iters):
        xs.append(xs[-1] - learning_rate * grad(xs[-1]))
    return xs[-1]''',
    },
    "descend_until/slope-not-step": {
        "after_step": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = x0
    for n in range(1, max_iters + 1):
        x = x - learning_rate * grad(x)
        if abs(grad(x)) < tol:
            return x, n
    return x, max_iters''',
        "while_guard": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x, n = float(x0), 0
    while n < max_iters and abs(grad(x)) >= tol:
        x = x - learning_rate * grad(x)
        n += 1
    return x, n''',
        "numpy": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = np.float64(x0)
    n = 0
    for n in range(1, max_iters + 1):
        x = x - learning_rate * grad(x)
        if np.abs(grad(x)) < tol:
            break
    return float(x), n''',
    },
    "descend_until/step-not-counted": {
        "zero_based": MISTAKES["power_forgotten"]["descend_until"],
        "while": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x, n = float(x0), 0
    while n < max_iters:
        step = learning_rate * grad(x)
        if abs(step) < tol:
            break
        x = x - step
        n += 1
    return x, n''',
        "path": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    path = [float(x0)]
    for _ in range(max_iters):
        path.append(path[-1] - learning_rate * grad(path[-1]))
        if abs(path[-1] - path[-2]) < tol:
            return path[-2], len(path) - 2
    return path[-1], len(path) - 1''',
    },
    "descend_until/stops-before-max": {
        "range": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x = x0
    n = 0
    for n in range(1, max_iters):
        x_new = x - learning_rate * grad(x)
        if abs(x_new - x) < tol:
            return x_new, n
        x = x_new
    return x, n''',
        "while": MISTAKES["seed_rule_and_guards"]["descend_until"],
        "path": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    path = [float(x0)]
    while len(path) < max_iters:
        path.append(path[-1] - learning_rate * grad(path[-1]))
        if abs(path[-1] - path[-2]) < tol:
            break
    return path[-1], len(path) - 1''',
    },
    "challenge/too-many-iterations": {
        "slow_rate": '''my_rate = 0.1
my_iters = 80''',
        "ideal_but_many": '''my_rate = 0.5
my_iters = 11''',
        "numpy_int": '''my_rate = 0.3
my_iters = np.int64(20)''',
    },
    "challenge/not-contracting": {
        "bounces": MISTAKES["sign_errors"]["challenge"],
        "zero": '''my_rate = 0.0
my_iters = 5''',
        "too_big": '''my_rate = 1.2
my_iters = 8''',
        "negative": '''my_rate = -0.1
my_iters = 10''',
    },
    "challenge/too-slow": {
        "small_rate": MISTAKES["power_forgotten"]["challenge"],
        "few_iterations": '''my_rate = 0.4
my_iters = 5''',
        "overshooting": '''my_rate = 0.7
my_iters = 10''',
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "parabola": {
        "numpy": '''def parabola(x):
    return np.square(np.subtract(x, 3))''',
    },
    "parabola_grad": {
        "lists": '''def parabola_grad(x):
    return np.array([2 * (v - 3) for v in np.ravel(x)]).reshape(np.shape(x))''',
    },
    "gradient_descent": {
        "recursion": '''def gradient_descent(grad, x0, learning_rate, n_iters):
    if n_iters == 0:
        return [x0]
    return [x0] + list(gradient_descent(grad, x0 - learning_rate * grad(x0), learning_rate, n_iters - 1))''',
    },
    "descend_until": {
        "while": '''def descend_until(grad, x0, learning_rate, tol, max_iters):
    x, n = float(x0), 0
    while n < max_iters:
        step = learning_rate * grad(x)
        x -= step
        n += 1
        if abs(step) < tol:
            break
    return x, n''',
    },
    "challenge": {
        "near_ideal": '''my_rate = 0.48
my_iters = 7''',
    },
}
