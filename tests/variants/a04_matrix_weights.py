"""Correct answers written differently, and common mistakes, for 04_matrix_weights."""

ASSIGNMENT = "04_matrix_weights"
NOTEBOOK = "matrix_weights.ipynb"

CORRECT = {
    "loops": {
        "predict": '''def predict(x, W):
    n, k = len(W), len(W[0])
    out = []
    for j in range(k):
        total = 0.0
        for i in range(n):
            total += x[i] * W[i][j]
        out.append(total)
    return np.array(out)''',
        "loss": '''def loss(x, W, target):
    p = predict(x, W)
    errors = [(p[j] - target[j]) ** 2 for j in range(len(target))]
    return sum(errors) / len(errors)''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    p = predict(x, W)
    k = len(target)
    G = np.zeros((len(x), k))
    for a in range(len(x)):
        for b in range(k):
            G[a, b] = 2 / k * x[a] * (p[b] - target[b])
    return G''',
        "train": '''def train(x, W, target, learning_rate, n_steps):
    W = [list(map(float, row)) for row in W]
    history = [loss(x, W, target)]
    step = 0
    while step < n_steps:
        G = loss_gradient(x, W, target)
        W = [[W[i][j] - learning_rate * G[i][j] for j in range(len(W[0]))] for i in range(len(W))]
        history.append(loss(x, W, target))
        step += 1
    return np.array(W), history''',
        # The ideal rate 1/15 lands in one step.
        "train_W1": '''W1, _ = train(x, W1_init, target, 1 / 15, 1)''',
    },
    "numpy_alternatives_float32": {
        "predict": '''def predict(x, W):
    return np.einsum("i,ij->j", np.asarray(x, dtype=np.float32), np.asarray(W, dtype=np.float32))''',
        "loss": '''def loss(x, W, target):
    r = np.dot(x, np.asarray(W)) - np.asarray(target)
    return np.dot(r, r) / r.size''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    x = np.asarray(x, dtype=float)
    r = x @ np.asarray(W, dtype=float) - np.asarray(target, dtype=float)
    return x[:, None] * r[None, :] * (2 / len(r))''',
        "train": '''def train(x, W, target, learning_rate, n_steps):
    W = np.asarray(W, dtype=float).copy()
    history = np.empty(n_steps + 1)
    history[0] = loss(x, W, target)
    for t in range(1, n_steps + 1):
        W -= learning_rate * loss_gradient(x, W, target)
        history[t] = loss(x, W, target)
    return W, history''',
        "train_W1": '''W1 = train(x, W1_init, target, learning_rate=0.05, n_steps=40)[0]''',
    },
    "lists_and_chatty": {
        "predict": '''def predict(x, W):
    return np.array(W, dtype=float).T @ np.array(x, dtype=float)''',
        "loss": '''def loss(x, W, target):
    return float(((predict(x, W) - np.array(target)) ** 2).mean())''',
        "train_W1": '''rate, steps = 0.1, 30
W1, hist = train(x, W1_init.tolist(), target.tolist(), rate, steps)
W1 = W1.tolist()
print("final loss", hist[-1])''',
    },
}

MISTAKES = {
    "gradient_missing_2_over_k": {
        "loss_gradient": '''def loss_gradient(x, W, target):
    return np.outer(x, predict(x, W) - np.asarray(target))''',
    },
    "transposed_outer": {
        "loss_gradient": '''def loss_gradient(x, W, target):
    return 2 / len(target) * np.outer(predict(x, W) - np.asarray(target), x)''',
        "train": '''def train(x, W, target, learning_rate, n_steps):
    W = np.array(W, dtype=float)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        r = predict(x, W) - np.asarray(target)
        W = W - learning_rate * 2 / len(r) * np.outer(r, x)
        history.append(loss(x, W, target))
    return W, history''',
    },
    "sum_instead_of_mean": {
        "loss": '''def loss(x, W, target):
    return np.sum((predict(x, W) - np.asarray(target)) ** 2)''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    return 2 * np.outer(x, predict(x, W) - np.asarray(target))''',
    },
    "sign_error_in_gradient": {
        "loss_gradient": '''def loss_gradient(x, W, target):
    return 2 / len(target) * np.outer(x, np.asarray(target) - predict(x, W))''',
    },
    # Alone, a sign slip in the step climbs the loss (with the gradient's own sign slip too,
    # the two would cancel and train would behave correctly).
    "sign_error_in_step": {
        "train": '''def train(x, W, target, learning_rate, n_steps):
    W = np.array(W, dtype=float)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W = W + learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history''',
    },
    "seed_model_mixup": {
        # The seed's slip: W @ x in one place, x @ W in another.
        "predict": '''def predict(x, W):
    return np.asarray(W) @ np.asarray(x)''',
        "loss": '''def loss(x, W, target):
    return np.mean((np.asarray(W) @ np.asarray(x) - np.asarray(target)) ** 2)''',
    },
    "gradient_computed_once": {
        "train": '''def train(x, W, target, learning_rate, n_steps):
    W = np.array(W, dtype=float)
    G = loss_gradient(x, W, target)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W = W - learning_rate * G
        history.append(loss(x, W, target))
    return W, history''',
    },
    "mutates_and_short_history": {
        "train": '''def train(x, W, target, learning_rate, n_steps):
    history = []
    for _ in range(n_steps):
        W -= learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history''',
        "predict": '''def predict(x, W):
    return np.asarray(x) @ np.asarray(W)[:, :1]''',
    },
    # A W1 found elsewhere, typed in as numbers, while the gradient does not work:
    # the W1 test reruns train, and the gradient's own test fails.
    "hand_typed_W1": {
        "train_W1": '''W1 = np.array([[ 1.1045,  0.9958,  1.3741,  0.9175],
               [ 0.709 ,  0.6916,  0.9482,  0.7349],
               [ 0.3136,  0.3874,  0.5223,  0.5524],
               [-0.0819,  0.0831,  0.0964,  0.3699]])''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    return -np.outer(x, predict(x, W) - np.asarray(target))''',
    },
    "hand_typed_W1_gradient_unwritten": {
        "train_W1": '''W1 = np.array([[1.1045, 0.9958, 1.3741, 0.9175], [0.709, 0.6916, 0.9482, 0.7349],
               [0.3136, 0.3874, 0.5223, 0.5524], [-0.0819, 0.0831, 0.0964, 0.3699]])''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    raise NotImplementedError("Write this function")''',
    },
    "forgot_to_sum_and_rmse": {
        "predict": '''def predict(x, W):
    return np.asarray(x, dtype=float)[:, None] * np.asarray(W, dtype=float)''',
        "loss": '''def loss(x, W, target):
    return np.sqrt(np.mean((np.asarray(x) @ np.asarray(W) - np.asarray(target)) ** 2))''',
    },
    "hard_coded": {
        "predict": '''def predict(x, W):
    return np.array([15.0, 13.0, 18.0, 11.0])''',
        "loss": '''def loss(x, W, target):
    return 125.25''',
        "loss_gradient": '''def loss_gradient(x, W, target):
    return 0.5 * np.outer([1.0, 2.0, 3.0, 4.0], [13.0, 10.0, 14.0, 6.0])''',
    },
    "W1_problems": {
        # Diverged: rate above 2/15.
        "train_W1": '''W1, history = train(x, W1_init, target, 0.5, 200)''',
    },
    "W1_kept_pair": {
        "train_W1": '''W1 = train(x, W1_init, target, 0.01, 15)''',
    },
    "W1_not_trained_enough": {
        "train_W1": '''W1, history = train(x, W1_init, target, 0.01, 14)''',
    },
    "W1_missing": {
        "train_W1": '''W_trained, history = train(x, W1_init, target, 0.01, 15)''',
    },
}

# The catalogued mistake (course/mistakes/matrix_weights.py) the grader must name; other mistaken functions: "unrecognised".
# loss and loss_gradient call the variant's own predict (the source's, where the variant has none). train is
# judged around the variant's own loss and loss_gradient: a right loop around a wrong gradient is that gradient's
# knock-on (train/uses-wrong-loss_gradient), and so is transposed_outer's train, which transposes as its
# loss_gradient does; mutates_and_short_history's train makes two mistakes at once, around a loss made wrong by
# its predict: no mistake of its own is found, so the wrong helper is named (train/uses-wrong-loss). A W1 that
# is right, or missing without a stub, gets none.
NAMED = {
    "gradient_missing_2_over_k": {"loss_gradient": "loss_gradient/factor-missing"},
    "transposed_outer": {"loss_gradient": "loss_gradient/transposed", "train": "train/uses-wrong-loss_gradient"},
    "sum_instead_of_mean": {"loss": "loss/sum-not-mean", "loss_gradient": "loss_gradient/no-mean"},
    "sign_error_in_gradient": {"loss_gradient": "loss_gradient/sign-flipped"},
    "sign_error_in_step": {"train": "train/ascent"},
    # its loss computes W @ x inline, as its own predict does: on values alone, a right loss on that predict
    "seed_model_mixup": {"predict": "predict/order-swapped", "loss": "loss/uses-wrong-predict"},
    "gradient_computed_once": {"train": "train/gradient-once"},
    "mutates_and_short_history": {"train": "train/uses-wrong-loss"},
    "hand_typed_W1_gradient_unwritten": {"loss_gradient": "loss_gradient/not-written"},
    "forgot_to_sum_and_rmse": {"predict": "predict/not-summed", "loss": "loss/root-taken"},
    "hard_coded": {"predict": "predict/hard-coded", "loss": "loss/hard-coded",
                   "loss_gradient": "loss_gradient/hard-coded"},
    "W1_problems": {"train_W1": "train_W1/diverged"},
    "W1_kept_pair": {"train_W1": "train_W1/kept-pair"},
    "W1_not_trained_enough": {"train_W1": "train_W1/stopped-short"},
}

# Each catalogued mistake written from the catalogue's words (course/mistakes/matrix_weights.py), three or more ways, in styles
# that differ (loops, NumPy, lists, einsum, in place); each must get exactly its id. A style is the exercise's
# cell, or {grade_id: cell} when it needs another cell of its own (a knock-on's wrong helper). The other
# functions are the source's (loss and loss_gradient call its predict; train its loss and loss_gradient).
STYLES = {
    "predict/order-swapped": {
        "matmul": '''def predict(x, W):
    return np.asarray(W, dtype=float) @ np.asarray(x, dtype=float)''',
        "dot": '''def predict(x, W):
    return np.dot(W, x)''',
        "loops": '''def predict(x, W):
    out = []
    for row in W:
        out.append(sum(row[i] * x[i] for i in range(len(row))))
    return np.array(out)''',
        "einsum": '''def predict(x, W):
    return np.einsum("ij,j->i", np.asarray(W, dtype=float), np.asarray(x, dtype=float))''',
    },
    "predict/not-summed": {
        "broadcast": '''def predict(x, W):
    return np.asarray(x, dtype=float)[:, None] * np.asarray(W, dtype=float)''',
        "reshape": '''def predict(x, W):
    return np.multiply(np.reshape(x, (-1, 1)), W)''',
        "loops": '''def predict(x, W):
    return np.array([[x[i] * W[i][j] for j in range(len(W[0]))] for i in range(len(x))])''',
        "einsum": '''def predict(x, W):
    return np.einsum("i,ij->ij", np.asarray(x, dtype=float), np.asarray(W, dtype=float))''',
    },
    "loss/sum-not-mean": {
        "numpy": '''def loss(x, W, target):
    return np.sum((predict(x, W) - np.asarray(target)) ** 2)''',
        "dot": '''def loss(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return float(r @ r)''',
        "loops": '''def loss(x, W, target):
    p = predict(x, W)
    total = 0.0
    for j in range(len(target)):
        total += (p[j] - target[j]) ** 2
    return total''',
    },
    "loss/root-taken": {
        "numpy": '''def loss(x, W, target):
    return np.sqrt(np.mean((predict(x, W) - np.asarray(target)) ** 2))''',
        "norm": '''def loss(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return np.linalg.norm(r) / np.sqrt(len(r))''',
        "math": '''import math
def loss(x, W, target):
    p = predict(x, W)
    return math.sqrt(sum((p[j] - target[j]) ** 2 for j in range(len(target))) / len(target))''',
    },
    "loss/order-swapped": {
        "matmul": '''def loss(x, W, target):
    return np.mean((np.asarray(W) @ np.asarray(x) - np.asarray(target)) ** 2)''',
        "dot": '''def loss(x, W, target):
    r = np.dot(W, x) - target
    return float(np.dot(r, r) / len(r))''',
        "loops": '''def loss(x, W, target):
    errors = []
    for j, row in enumerate(W):
        p = sum(row[i] * x[i] for i in range(len(row)))
        errors.append((p - target[j]) ** 2)
    return sum(errors) / len(errors)''',
    },
    "loss_gradient/transposed": {
        "outer": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return 2 / len(r) * np.outer(r, x)''',
        "transpose": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return (2 / r.size * np.outer(x, r)).T''',
        "loops": '''def loss_gradient(x, W, target):
    p = predict(x, W)
    k = len(target)
    return np.array([[2 / k * (p[j] - target[j]) * x[i] for i in range(len(x))] for j in range(k)])''',
    },
    "loss_gradient/no-mean": {
        "outer": '''def loss_gradient(x, W, target):
    return 2 * np.outer(x, predict(x, W) - np.asarray(target))''',
        "broadcast": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return 2.0 * np.asarray(x, dtype=float)[:, None] * r[None, :]''',
        "loops": '''def loss_gradient(x, W, target):
    p = predict(x, W)
    G = np.zeros((len(x), len(target)))
    for i in range(len(x)):
        for j in range(len(target)):
            G[i, j] = 2 * x[i] * (p[j] - target[j])
    return G''',
    },
    "loss_gradient/factor-missing": {
        "outer": '''def loss_gradient(x, W, target):
    return np.outer(x, predict(x, W) - np.asarray(target))''',
        "einsum": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return np.einsum("i,j->ij", np.asarray(x, dtype=float), r)''',
        "loops": '''def loss_gradient(x, W, target):
    p = predict(x, W)
    return np.array([[x[i] * (p[j] - target[j]) for j in range(len(target))] for i in range(len(x))])''',
    },
    "loss_gradient/sign-flipped": {
        "outer": '''def loss_gradient(x, W, target):
    return 2 / len(target) * np.outer(x, np.asarray(target) - predict(x, W))''',
        "negated": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return -(2.0 / r.size) * np.asarray(x, dtype=float)[:, None] * r''',
        "loops": '''def loss_gradient(x, W, target):
    p = predict(x, W)
    k = len(target)
    G = np.zeros((len(x), k))
    for i in range(len(x)):
        for j in range(k):
            G[i, j] = 2 / k * x[i] * (target[j] - p[j])
    return G''',
    },
    "train/ascent": {
        "numpy": MISTAKES["sign_error_in_step"]["train"],
        "while_lists": '''def train(x, W, target, learning_rate, n_steps):
    W = [list(map(float, row)) for row in W]
    history = [loss(x, W, target)]
    step = 0
    while step < n_steps:
        G = loss_gradient(x, W, target)
        W = [[W[i][j] + learning_rate * G[i][j] for j in range(len(W[0]))] for i in range(len(W))]
        history.append(loss(x, W, target))
        step += 1
    return np.array(W), history''',
        "preallocated": '''def train(x, W, target, learning_rate, n_steps):
    W = np.asarray(W, dtype=float).copy()
    history = np.empty(n_steps + 1)
    history[0] = loss(x, W, target)
    for t in range(n_steps):
        W += learning_rate * loss_gradient(x, W, target)
        history[t + 1] = loss(x, W, target)
    return W, history''',
    },
    "train/gradient-once": {
        "numpy": MISTAKES["gradient_computed_once"]["train"],
        "step_once": '''def train(x, W, target, learning_rate, n_steps):
    W = np.asarray(W, dtype=float).copy()
    step = learning_rate * loss_gradient(x, W, target)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W -= step
        history.append(loss(x, W, target))
    return W, history''',
        "lists": '''def train(x, W, target, learning_rate, n_steps):
    G = loss_gradient(x, W, target)
    Ws = [np.array(W, dtype=float)]
    for _ in range(n_steps):
        Ws.append(Ws[-1] - learning_rate * G)
    return Ws[-1], [loss(x, Wk, target) for Wk in Ws]''',
    },
    "train/start-loss-missing": {
        "numpy": '''def train(x, W, target, learning_rate, n_steps):
    W = np.array(W, dtype=float)
    history = []
    for _ in range(n_steps):
        W = W - learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history''',
        "preallocated": '''def train(x, W, target, learning_rate, n_steps):
    W = np.asarray(W, dtype=float).copy()
    history = np.zeros(n_steps)
    for t in range(n_steps):
        W -= learning_rate * loss_gradient(x, W, target)
        history[t] = loss(x, W, target)
    return W, history''',
        "sliced": '''def train(x, W, target, learning_rate, n_steps):
    W = np.array(W, dtype=float)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W = W - learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history[1:]''',
    },
    "train/changes-input": {
        "minus_equals": '''def train(x, W, target, learning_rate, n_steps):
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W -= learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history''',
        "out": '''def train(x, W, target, learning_rate, n_steps):
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        np.subtract(W, learning_rate * loss_gradient(x, W, target), out=W)
        history.append(loss(x, W, target))
    return W, history''',
        "slice_assign": '''def train(x, W, target, learning_rate, n_steps):
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W[:] = W - learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W.copy(), history''',
        "entries": '''def train(x, W, target, learning_rate, n_steps):
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        G = loss_gradient(x, W, target)
        for i in range(len(W)):
            for j in range(len(W[0])):
                W[i][j] -= learning_rate * G[i][j]
        history.append(loss(x, W, target))
    return np.array(W, dtype=float), history''',
    },
    "train_W1/kept-pair": {
        "pair": '''W1 = train(x, W1_init, target, 0.01, 15)''',
        "tuple": '''W1 = tuple(train(x, W1_init, target, 1 / 15, 1))''',
        "list": '''result = train(x, W1_init, target, 0.05, 40)
W1 = list(result)''',
    },
    "train_W1/diverged": {
        "huge_finite": '''W1, history = train(x, W1_init, target, 0.5, 15)''',
        "nan": '''W1, history = train(x, W1_init, target, 0.5, 200)''',
        "overshoot": '''W1 = train(x, W1_init, target, 0.2, 15)[0]''',
        "even_steps_huge": '''W1, _ = train(x, W1_init, target, 0.5, 14)''',
    },
    "train_W1/stopped-short": {
        "few_steps": '''W1, history = train(x, W1_init, target, 0.01, 14)''',
        "small_rate": '''W1 = train(x, W1_init, target, 0.001, 100)[0]''',
        "one_step": '''W1, _ = train(x, W1_init, target, 0.02, 3)''',
    },
}

# knock-ons: a right function (the source's) on a wrong helper of the student's own (a style of its mistake)
STYLES["train/uses-wrong-loss_gradient"] = {
    "sign": {"loss_gradient": STYLES["loss_gradient/sign-flipped"]["outer"]},
    "no_mean": {"loss_gradient": STYLES["loss_gradient/no-mean"]["loops"]},
}
STYLES["loss/uses-wrong-predict"] = {"not_summed": {"predict": STYLES["predict/not-summed"]["broadcast"]}}
STYLES["train/uses-wrong-loss"] = {"root": {"loss": STYLES["loss/root-taken"]["numpy"]}}

# Right answers in as many styles: each must get no id.
RIGHT_STYLES = {
    "predict": {
        "dot": '''def predict(x, W):
    return np.dot(x, W)''',
        "columns": '''def predict(x, W):
    W = np.asarray(W, dtype=float)
    return np.array([np.sum(np.asarray(x) * W[:, j]) for j in range(W.shape[1])])''',
    },
    "loss": {
        "loops": '''def loss(x, W, target):
    p = predict(x, W)
    total = 0.0
    for j in range(len(target)):
        total += (p[j] - target[j]) ** 2
    return total / len(target)''',
        "norm": '''def loss(x, W, target):
    return np.linalg.norm(predict(x, W) - np.asarray(target)) ** 2 / len(target)''',
    },
    "loss_gradient": {
        "einsum": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return np.einsum("i,j->ij", np.asarray(x, dtype=float), r) * 2 / len(r)''',
        "transposed_twice": '''def loss_gradient(x, W, target):
    r = predict(x, W) - np.asarray(target, dtype=float)
    return (2 / r.size * np.outer(r, x)).T''',
    },
    "train": {
        "history_of_weights": '''def train(x, W, target, learning_rate, n_steps):
    Ws = [np.array(W, dtype=float)]
    for _ in range(n_steps):
        Ws.append(Ws[-1] - learning_rate * loss_gradient(x, Ws[-1], target))
    return Ws[-1], [loss(x, Wk, target) for Wk in Ws]''',
        "copy_in_place": '''def train(x, W, target, learning_rate, n_steps):
    W = np.copy(W).astype(float)
    history = [loss(x, W, target)]
    for _ in range(n_steps):
        W -= learning_rate * loss_gradient(x, W, target)
        history.append(loss(x, W, target))
    return W, history''',
    },
    "train_W1": {
        "many_steps": '''W1, _ = train(x, W1_init, target, 0.02, 100)''',
    },
}
