"""Correct answers written differently, and common mistakes, for 07_stochastic_descent."""

ASSIGNMENT = "07_stochastic_descent"
NOTEBOOK = "stochastic_descent.ipynb"

CORRECT = {
    "loops_and_lists": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    rng = np.random.default_rng(seed)
    order = list(range(n))
    rng.shuffle(order)
    batches = []
    current = []
    for i in order:
        current.append(i)
        if len(current) == batch_size:
            batches.append(np.array(current))
            current = []
    if current:
        batches.append(np.array(current))
    return batches''',
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = [float(v) for v in w]
    for batch in batches:
        rows = [X[i] for i in batch]
        targets = [y[i] for i in batch]
        grad = [0.0] * len(w)
        for x_i, t_i in zip(rows, targets):
            r = sum(a * b for a, b in zip(x_i, w)) - t_i
            for j in range(len(w)):
                grad[j] += 2 * r * x_i[j] / len(rows)
        w = [w[j] - learning_rate * grad[j] for j in range(len(w))]
    return np.array(w)''',
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    grads = [2 * (X[i] @ w - y[i]) * X[i] for i in range(n)]
    mean = sum(grads) / n
    s2 = sum(float(np.dot(g - mean, g - mean)) for g in grads) / n
    return (s2 * (n - batch_size) / (batch_size * (n - 1))) ** 0.5''',
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = list(w0)
    history = [mse_loss(w, X, y)]
    epoch = 0
    while epoch < n_epochs:
        rate = schedule(epoch)
        w = sgd_epoch(w, X, y, rate, minibatches(len(y), batch_size, seed + epoch))
        history.append(mse_loss(w, X, y))
        epoch += 1
    return np.asarray(w), np.array(history)''',
        "quiet_batch_size": '''noises = np.array([gradient_noise(w0, X, y, b) for b in range(1, len(y) + 1)])
quiet_batch_size = int(np.argmax(noises <= LEVEL)) + 1''',
    },
    "numpy_alternatives": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    order = np.random.default_rng(seed).choice(n, size=n, replace=False)
    return np.array_split(order, np.arange(batch_size, n, batch_size))''',
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = np.asarray(w, dtype=float).copy()
    for b in batches:
        Xb, yb = X[np.asarray(b)], y[np.asarray(b)]
        w -= learning_rate * 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    return w''',
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    X = np.asarray(X, dtype=float)
    G = 2 * (X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float))[:, None] * X
    n = G.shape[0]
    s2 = np.var(G, axis=0).sum()
    return np.sqrt(s2 / batch_size * (1 - (batch_size - 1) / (n - 1)))''',
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = np.zeros(n_epochs + 1)
    history[0] = mse_loss(w, X, y)
    for e in range(n_epochs):
        for batch in minibatches(len(y), batch_size, seed + e):
            w = sgd_epoch(w, X, y, schedule(e), [batch])
        history[e + 1] = mse_loss(w, X, y)
    return w, history''',
        "quiet_batch_size": '''quiet_batch_size = 1
while gradient_noise(w0, X, y, quiet_batch_size) > LEVEL:
    quiet_batch_size += 1''',
    },
}

MISTAKES = {
    "not_shuffled": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    order = np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]''',
    },
    "drops_last_batch": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]''',
    },
    "with_replacement": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    order = np.random.default_rng(seed).integers(0, n, size=n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]''',
    },
    "ignores_seed": {
        "minibatches": '''def minibatches(n, batch_size, seed):
    order = np.random.permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]''',
    },
    # The seed 003's slip: the gradient taken once, at the start of the epoch.
    "gradient_once_per_epoch": {
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = np.array(w, dtype=float)
    grads = [mse_gradient(w, X[np.asarray(b)], y[np.asarray(b)]) for b in batches]
    for g in grads:
        w = w - learning_rate * g
    return w''',
    },
    "summed_batch_gradient": {
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = np.array(w, dtype=float)
    for b in batches:
        b = np.asarray(b)
        w = w - learning_rate * len(b) * mse_gradient(w, X[b], y[b])
    return w''',
    },
    "full_gradient_each_step": {
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - learning_rate * mse_gradient(w, X, y)
    return w''',
    },
    "in_place_update": {
        "sgd_epoch": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w = np.asarray(w, dtype=float)
    for b in batches:
        b = np.asarray(b)
        w -= learning_rate * mse_gradient(w, X[b], y[b])
    return w''',
    },
    "no_finite_population_factor": {
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    G = 2.0 * X * (X @ w - y)[:, None]
    return float(np.sqrt(np.mean(np.sum((G - G.mean(0)) ** 2, axis=1)) / batch_size))''',
        # The answer follows the formula without the factor (97, not 84).
        "quiet_batch_size": '''quiet_batch_size = next(b for b in range(1, len(y) + 1) if gradient_noise(w0, X, y, b) <= LEVEL)''',
    },
    "variance_not_rms": {
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    G = 2.0 * X * (X @ w - y)[:, None]
    return float(np.mean(np.sum((G - G.mean(0)) ** 2, axis=1)) / batch_size * (n - batch_size) / (n - 1))''',
    },
    "entrywise_std": {
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n = len(y)
    G = 2.0 * X * (X @ w - y)[:, None]
    return float(np.std(G) * np.sqrt((n - batch_size) / (batch_size * (n - 1))))''',
    },
    "same_shuffle_every_epoch": {
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = [mse_loss(w, X, y)]
    batches = minibatches(len(y), batch_size, seed)
    for e in range(n_epochs):
        w = sgd_epoch(w, X, y, schedule(e), batches)
        history.append(mse_loss(w, X, y))
    return w, history''',
    },
    "schedule_ignored": {
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    rate = schedule(0)
    history = [mse_loss(w, X, y)]
    for e in range(n_epochs):
        w = sgd_epoch(w, X, y, rate, minibatches(len(y), batch_size, seed + e))
        history.append(mse_loss(w, X, y))
    return w, history''',
    },
    "history_without_start": {
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = []
    for e in range(n_epochs):
        w = sgd_epoch(w, X, y, schedule(e), minibatches(len(y), batch_size, seed + e))
        history.append(mse_loss(w, X, y))
    return w, history''',
    },
    "schedule_off_by_one": {
        "train_sgd": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = [mse_loss(w, X, y)]
    for e in range(1, n_epochs + 1):
        w = sgd_epoch(w, X, y, schedule(e), minibatches(len(y), batch_size, seed + e - 1))
        history.append(mse_loss(w, X, y))
    return w, history''',
    },
    "typed_guess": {
        "quiet_batch_size": '''quiet_batch_size = 100''',
    },
    "largest_above_level": {
        "quiet_batch_size": '''quiet_batch_size = next(b for b in range(1, len(y) + 1) if gradient_noise(w0, X, y, b) <= LEVEL) - 1''',
    },
    # The right number typed in, while gradient_noise is not written: the answer cannot come from it.
    "typed_answer_unwritten_noise": {
        "quiet_batch_size": '''quiet_batch_size = 84''',
        "gradient_noise": '''def gradient_noise(w, X, y, batch_size):
    raise NotImplementedError("Write this function")''',
    },
}

# The catalogued mistake (course/mistakes/stochastic.py) the grader must name; other mistaken functions: "unrecognised".
# train_sgd is judged around the variant's own sgd_epoch and minibatches. A guessed quiet_batch_size, or a right
# one that gradient_noise cannot reproduce, gets no id.
NAMED = {
    "not_shuffled": {"minibatches": "minibatches/not-shuffled"},
    "drops_last_batch": {"minibatches": "minibatches/last-batch-dropped"},
    "with_replacement": {"minibatches": "minibatches/with-replacement"},
    "ignores_seed": {"minibatches": "minibatches/not-reproducible"},
    "gradient_once_per_epoch": {"sgd_epoch": "sgd_epoch/gradients-at-start"},
    "summed_batch_gradient": {"sgd_epoch": "sgd_epoch/summed-batch-gradient"},
    "full_gradient_each_step": {"sgd_epoch": "sgd_epoch/full-gradient"},
    "in_place_update": {"sgd_epoch": "sgd_epoch/changes-input"},
    "no_finite_population_factor": {"gradient_noise": "gradient_noise/no-finite-population-factor",
                                    "quiet_batch_size": "quiet_batch_size/no-finite-population-factor"},
    "variance_not_rms": {"gradient_noise": "gradient_noise/no-square-root"},
    "entrywise_std": {"gradient_noise": "gradient_noise/entrywise-spread"},
    "same_shuffle_every_epoch": {"train_sgd": "train_sgd/same-batches-every-epoch"},
    "schedule_ignored": {"train_sgd": "train_sgd/schedule-ignored"},
    "history_without_start": {"train_sgd": "train_sgd/start-loss-missing"},
    "schedule_off_by_one": {"train_sgd": "train_sgd/schedule-from-one"},
    "largest_above_level": {"quiet_batch_size": "quiet_batch_size/last-above-level"},
    "typed_answer_unwritten_noise": {"gradient_noise": "gradient_noise/not-written"},
}

# Each catalogued mistake written from the catalogue's words (course/mistakes/stochastic.py), three or more ways, in styles
# that differ (NumPy generators, Python's random, loops, in place, formulas); each must get exactly its id. The
# other functions are the source's (train_sgd calls its sgd_epoch and minibatches; quiet_batch_size its
# gradient_noise). The styles share their scaffolding (below): only the lines that make the mistake differ.


def _batches(order: str, cut: str = "range(0, n, batch_size)") -> str:
    """minibatches from an ``order`` of the indices (an expression in n, seed), cut at the starts in ``cut``."""
    return f'''def minibatches(n, batch_size, seed):
    order = {order}
    return [np.asarray(order[i:i + batch_size]) for i in {cut}]'''


def _epoch(step: str, start: str = "np.array(w, dtype=float)") -> str:
    """sgd_epoch: w from ``start``, then ``step`` (statements in w, X, y, b, learning_rate) for each batch b."""
    return f'''def sgd_epoch(w, X, y, learning_rate, batches):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w = {start}
    for b in batches:
        b = np.asarray(b, dtype=int)
        {step}
    return w'''


def _noise(spread: str, result: str) -> str:
    """gradient_noise: the per-sample gradients G, their ``spread``, and the ``result`` from it (s2, B, n)."""
    return f'''def gradient_noise(w, X, y, batch_size):
    X, y, w = np.asarray(X, dtype=float), np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    n, B = len(y), batch_size
    G = 2.0 * X * (X @ w - y)[:, None]
    s2 = {spread}
    return float({result})'''


#: The spread of the per-sample gradients, and the noise it gives, as the exercise defines them.
_SPREAD = "np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))"
_NOISE = "np.sqrt(s2 / B * (n - B) / (n - 1))"


def _train(rate: str = "schedule(epoch)", seed: str = "seed + epoch", first: int = 0) -> str:
    """train_sgd with the rate and the shuffle's seed of each epoch, its history kept from entry ``first``."""
    return f'''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = [mse_loss(w, X, y)]
    for epoch in range(n_epochs):
        w = sgd_epoch(w, X, y, {rate}, minibatches(len(y), batch_size, {seed}))
        history.append(mse_loss(w, X, y))
    return w, history[{first}:]'''


STYLES = {
    "minibatches/not-shuffled": {
        "arange": _batches("np.arange(n)"),
        "range_list": _batches("list(range(n))"),
        "sorted_permutation": _batches("np.sort(np.random.default_rng(seed).permutation(n))"),
    },
    "minibatches/last-batch-dropped": {
        "stop_early": _batches("np.random.default_rng(seed).permutation(n)", "range(0, n - batch_size + 1, batch_size)"),
        "whole_batches": _batches("np.random.default_rng(seed).permutation(n)",
                                  "[k * batch_size for k in range(n // batch_size)]"),
        "reshaped": '''def minibatches(n, batch_size, seed):
    order = np.random.default_rng(seed).permutation(n)
    return list(order[:n // batch_size * batch_size].reshape(-1, batch_size))''',
    },
    "minibatches/with-replacement": {
        "integers": _batches("np.random.default_rng(seed).integers(0, n, size=n)"),
        "choice": _batches("np.random.default_rng(seed).choice(n, size=n)"),
        "python_random": _batches("(lambda r: [r.randrange(n) for _ in range(n)])(__import__('random').Random(seed))"),
    },
    "minibatches/not-reproducible": {
        "unseeded": _batches("np.random.default_rng().permutation(n)"),
        "global_numpy": _batches("np.random.permutation(n)"),
        "python_shuffle": _batches("(lambda o: (__import__('random').shuffle(o), o)[1])(list(range(n)))"),
    },
    "minibatches/same-for-every-seed": {
        "seed_zero": _batches("np.random.default_rng(0).permutation(n)"),
        "fixed_seed": _batches("np.random.RandomState(42).permutation(n)"),
        "python_random": _batches("(lambda o: (__import__('random').Random(7).shuffle(o), o)[1])(list(range(n)))"),
    },
    "sgd_epoch/gradients-at-start": {
        "fixed_w": _epoch("w = w - learning_rate * mse_gradient(w0, X[b], y[b])",
                          start="np.array(w, dtype=float)\n    w0 = w.copy()"),
        "precomputed": _epoch("w = w - learning_rate * grads.pop(0)",
                              start="np.array(w, dtype=float)\n    grads = [mse_gradient(w, X[np.asarray(c)], "
                                    "y[np.asarray(c)]) for c in batches]"),
        "summed_steps": '''def sgd_epoch(w, X, y, learning_rate, batches):
    w0 = np.array(w, dtype=float)
    steps = [learning_rate * mse_gradient(w0, np.asarray(X)[b], np.asarray(y)[b]) for b in batches]
    return w0 - np.sum(steps, axis=0)''',
    },
    "sgd_epoch/full-gradient": {
        "all_rows": _epoch("w = w - learning_rate * mse_gradient(w, X, y)"),
        "formula": _epoch("w = w - learning_rate * 2.0 * X.T @ (X @ w - y) / len(y)"),
        "in_place_copy": _epoch("w -= learning_rate * mse_gradient(w, X, y)", start="np.asarray(w, dtype=float).copy()"),
    },
    "sgd_epoch/summed-batch-gradient": {
        "scaled": _epoch("w = w - learning_rate * len(b) * mse_gradient(w, X[b], y[b])"),
        "formula": _epoch("w = w - learning_rate * 2.0 * X[b].T @ (X[b] @ w - y[b])"),
        "per_sample": _epoch("w = w - learning_rate * sum(mse_gradient(w, X[i:i + 1], y[i:i + 1]) for i in b)"),
    },
    "sgd_epoch/changes-input": {
        "minus_equals": _epoch("w -= learning_rate * mse_gradient(w, X[b], y[b])", start="np.asarray(w, dtype=float)"),
        "out": _epoch("np.subtract(w, learning_rate * mse_gradient(w, X[b], y[b]), out=w)", start="w"),
        "slice_assign": _epoch("w[:] = w - learning_rate * mse_gradient(w, X[b], y[b])", start="w"),
    },
    "gradient_noise/no-finite-population-factor": {
        "formula": _noise(_SPREAD, "np.sqrt(s2 / B)"),
        "divided": _noise(_SPREAD, "np.sqrt(s2) / np.sqrt(B)"),
        "loops": _noise("sum(float(np.sum((g - G.mean(axis=0)) ** 2)) for g in G) / n", "(s2 / B) ** 0.5"),
    },
    "gradient_noise/no-square-root": {
        "formula": _noise(_SPREAD, "s2 / B * (n - B) / (n - 1)"),
        "squared": _noise(_SPREAD, _NOISE + " ** 2"),
        "loops": _noise("sum(float(np.sum((g - G.mean(axis=0)) ** 2)) for g in G) / n", "s2 * (n - B) / (B * (n - 1))"),
    },
    "gradient_noise/entrywise-spread": {
        "var": _noise("np.var(G)", _NOISE),
        "std": _noise("np.std(G) ** 2", _NOISE),
        "flat": _noise("np.mean((G.ravel() - G.mean()) ** 2)", _NOISE),
    },
    "quiet_batch_size/last-above-level": {
        "minus_one": '''quiet_batch_size = next(b for b in range(1, len(y) + 1) if gradient_noise(w0, X, y, b) <= LEVEL) - 1''',
        "while": '''quiet_batch_size = 1
while gradient_noise(w0, X, y, quiet_batch_size + 1) > LEVEL:
    quiet_batch_size += 1''',
        "last_above": '''quiet_batch_size = max(b for b in range(1, len(y) + 1) if gradient_noise(w0, X, y, b) > LEVEL)''',
    },
    "quiet_batch_size/no-finite-population-factor": {
        "own_noise": {"gradient_noise": _noise(_SPREAD, "np.sqrt(s2 / B)"),
                      "quiet_batch_size": MISTAKES["no_finite_population_factor"]["quiet_batch_size"]},
        "closed_form": '''G = 2.0 * X * (X @ w0 - y)[:, None]
s2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
quiet_batch_size = int(np.ceil(s2 / LEVEL ** 2))''',
        "loop": '''G = 2.0 * X * (X @ w0 - y)[:, None]
s2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
quiet_batch_size = 1
while np.sqrt(s2 / quiet_batch_size) > LEVEL:
    quiet_batch_size += 1''',
    },
    "train_sgd/same-batches-every-epoch": {
        "seed": _train(seed="seed"),
        "once": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w, batches = np.array(w0, dtype=float), minibatches(len(y), batch_size, seed)
    history = [mse_loss(w, X, y)]
    for epoch in range(n_epochs):
        w = sgd_epoch(w, X, y, schedule(epoch), batches)
        history.append(mse_loss(w, X, y))
    return w, history''',
        "seed_plus_zero": _train(seed="seed + 0 * epoch"),
    },
    "train_sgd/schedule-ignored": {
        "first_rate": _train(rate="schedule(0)"),
        "rate_once": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w, rate = np.array(w0, dtype=float), schedule(0)
    history = [mse_loss(w, X, y)]
    for epoch in range(n_epochs):
        w = sgd_epoch(w, X, y, rate, minibatches(len(y), batch_size, seed + epoch))
        history.append(mse_loss(w, X, y))
    return w, history''',
        "epoch_times_zero": _train(rate="schedule(0 * epoch)"),
    },
    "train_sgd/start-loss-missing": {
        "sliced": _train(first=1),
        "appended": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w, history = np.array(w0, dtype=float), []
    for epoch in range(n_epochs):
        w = sgd_epoch(w, X, y, schedule(epoch), minibatches(len(y), batch_size, seed + epoch))
        history.append(mse_loss(w, X, y))
    return w, history''',
        "preallocated": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w, history = np.array(w0, dtype=float), np.zeros(n_epochs)
    for epoch in range(n_epochs):
        w = sgd_epoch(w, X, y, schedule(epoch), minibatches(len(y), batch_size, seed + epoch))
        history[epoch] = mse_loss(w, X, y)
    return w, history''',
    },
    "train_sgd/schedule-from-one": {
        "plus_one": _train(rate="schedule(epoch + 1)", seed="seed + epoch + 1"),
        "range_from_one": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w = np.array(w0, dtype=float)
    history = [mse_loss(w, X, y)]
    for epoch in range(1, n_epochs + 1):
        w = sgd_epoch(w, X, y, schedule(epoch), minibatches(len(y), batch_size, seed + epoch))
        history.append(mse_loss(w, X, y))
    return w, history''',
        "counter": '''def train_sgd(w0, X, y, batch_size, n_epochs, schedule, seed):
    w, epoch = np.array(w0, dtype=float), 0
    history = [mse_loss(w, X, y)]
    while epoch < n_epochs:
        epoch += 1
        w = sgd_epoch(w, X, y, schedule(epoch), minibatches(len(y), batch_size, seed + epoch))
        history.append(mse_loss(w, X, y))
    return w, history''',
    },
}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "minibatches": {"python_random": _batches("(lambda o: (__import__('random').Random(seed).shuffle(o), o)[1])"
                                              "(list(range(n)))")},
    "sgd_epoch": {"formula": _epoch("w = w - learning_rate * 2.0 * X[b].T @ (X[b] @ w - y[b]) / len(b)")},
    "gradient_noise": {"loops": _noise("sum(float(np.sum((g - G.mean(axis=0)) ** 2)) for g in G) / n", _NOISE)},
    "train_sgd": {"counter": _train(rate="schedule(epoch)", seed="seed + epoch")},
    "quiet_batch_size": {"while": '''quiet_batch_size = 1
while gradient_noise(w0, X, y, quiet_batch_size) > LEVEL:
    quiet_batch_size += 1'''},
}
