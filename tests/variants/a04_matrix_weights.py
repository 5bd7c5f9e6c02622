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

# The catalogued mistake (course/mistakes.py) the grader must name; other mistaken functions: "unrecognised".
# loss and loss_gradient call the variant's own predict (the source's, where the variant has none). train is
# judged around the variant's own loss and loss_gradient: a right loop around a wrong gradient is that gradient's
# knock-on (train/uses-wrong-loss_gradient), and so is transposed_outer's train, which transposes as its
# loss_gradient does; mutates_and_short_history's train makes two mistakes at once (no id). A W1 that is right,
# or missing without a stub, gets none.
NAMED = {
    "gradient_missing_2_over_k": {"loss_gradient": "loss_gradient/factor-missing"},
    "transposed_outer": {"loss_gradient": "loss_gradient/transposed", "train": "train/uses-wrong-loss_gradient"},
    "sum_instead_of_mean": {"loss": "loss/sum-not-mean", "loss_gradient": "loss_gradient/no-mean"},
    "sign_error_in_gradient": {"loss_gradient": "loss_gradient/sign-flipped"},
    "sign_error_in_step": {"train": "train/ascent"},
    "seed_model_mixup": {"predict": "predict/order-swapped", "loss": "loss/order-swapped"},
    "gradient_computed_once": {"train": "train/gradient-once"},
    "hand_typed_W1_gradient_unwritten": {"loss_gradient": "loss_gradient/not-written"},
    "forgot_to_sum_and_rmse": {"predict": "predict/not-summed", "loss": "loss/root-taken"},
    "hard_coded": {"predict": "predict/hard-coded", "loss": "loss/hard-coded",
                   "loss_gradient": "loss_gradient/hard-coded"},
    "W1_problems": {"train_W1": "train_W1/diverged"},
    "W1_kept_pair": {"train_W1": "train_W1/kept-pair"},
    "W1_not_trained_enough": {"train_W1": "train_W1/stopped-short"},
}
