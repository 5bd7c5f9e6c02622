"""Public checks for 08_stochastic_descent: mini-batches, an epoch of mini-batch descent, a training
loop with a learning-rate schedule, the noise of a mini-batch gradient, and one computed answer.

The model is linear, ``prediction = X @ w``, with the mean squared error; the gradient on a batch
``b`` is ``2 X_b^T (X_b w - y_b) / |b|``. Expected values are computed below from that formula on
small fixed data; none comes from a solution, and none is printed.
"""
from __future__ import annotations

import numpy as np

from ..check import CheckFailed, expect_close, expect_true, problem
from ..data import linear_regression
from ..mistakes import said

# Five samples, two features; batches as the exercise gives them.
X5 = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [2.0, -1.0], [-1.0, 1.0]])
Y5 = np.array([1.0, 2.0, 0.0, 3.0, -1.0])
W5 = np.array([0.5, -0.5])
BATCHES5 = [[0, 3], [4, 1], [2]]

#: The data, start and level of the notebook's question (its locked cells make the same).
QUESTION_START = np.array([-1.0, 2.0])


def _grad(w, X, y):
    r = X @ w - y
    return 2.0 * X.T @ r / len(r)


def _batch_list(out, what: str) -> list[np.ndarray]:
    """The student's batches as integer arrays, with a plain message for what is not a batch list."""
    expect_true(out is not None, f"{what} returned None: did you forget `return`?")
    expect_true(isinstance(out, (list, tuple)), f"{what} returned a {type(out).__name__}: return a list of "
                                                "index arrays, one per batch.")
    try:
        batches = [np.asarray(b).ravel() for b in out]
    except TypeError:
        raise CheckFailed(f"{what} returned a {type(out).__name__}: return a list of index arrays, "
                          "one per batch.") from None
    for b in batches:
        expect_true(b.size == 0 or np.issubdtype(b.dtype, np.integer) or np.all(np.mod(b, 1) == 0),
                    f"{what}: each batch must hold sample indices (whole numbers), one per sample.")
    return [b.astype(int) for b in batches]


def _expect_partition(batches, n: int, batch_size: int, what: str) -> None:
    expect_true(all(b.size > 0 for b in batches), f"{what} contains an empty batch: stop when every sample "
                                                  "has been used.")
    flat = np.concatenate(batches) if batches else np.array([], dtype=int)
    if flat.size < n and len(set(flat.tolist())) == flat.size and n % batch_size:
        raise CheckFailed(f"{what} leaves out {n - flat.size} samples: {said('minibatches/last-batch-dropped')}")
    expect_true(len(set(flat.tolist())) == flat.size, f"{what}: {said('minibatches/with-replacement')}")
    expect_true(sorted(flat.tolist()) == list(range(n)), f"{what} must use every index 0..n-1 exactly once.")
    sizes = [b.size for b in batches]
    expected = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    expect_true(sizes == expected, f"{what} has batches of sizes {sizes}: every batch should hold batch_size "
                                   "samples, except a smaller last one when batch_size does not divide n.")


@problem("minibatches",
         hint="Shuffle the indices 0..n-1 once with a generator made from the seed, then cut the shuffled "
              "indices into consecutive slices of batch_size. What does slicing do past the end of an array?")
def _check_minibatches(minibatches):
    for n, B in ((10, 4), (12, 4), (5, 8), (7, 1)):
        what = f"minibatches({n}, {B}, 0)"
        _expect_partition(_batch_list(minibatches(n, B, 0), what), n, B, what)
    first = np.concatenate(_batch_list(minibatches(50, 7, 0), "minibatches(50, 7, 0)"))
    again = np.concatenate(_batch_list(minibatches(50, 7, 0), "minibatches(50, 7, 0)"))
    other = np.concatenate(_batch_list(minibatches(50, 7, 1), "minibatches(50, 7, 1)"))
    expect_true(not np.array_equal(first, np.arange(50)), said("minibatches/not-shuffled"))
    expect_true(np.array_equal(first, again), said("minibatches/not-reproducible"))
    expect_true(not np.array_equal(first, other), f"seeds 0 and 1: {said('minibatches/same-for-every-seed')}")


def _epoch_reference(w, rate, batches):
    w = np.array(w, dtype=float)
    for b in batches:
        w = w - rate * _grad(w, X5[b], Y5[b])
    return w


@problem("sgd_epoch",
         hint="Loop over the batches in the order given. At each one: the gradient of the loss on that batch "
              "alone, at the current w, then one step. Start from a copy of w.")
def _check_sgd_epoch(sgd_epoch):
    w_before = W5.copy()
    got = sgd_epoch(W5, X5, Y5, 0.1, BATCHES5)
    expect_true(np.array_equal(W5, w_before), f"{said('sgd_epoch/changes-input')} Start from a copy, "
                                              "`w = np.array(w, dtype=float)`.")
    once = W5 - 0.1 * sum(_grad(W5, X5[b], Y5[b]) for b in BATCHES5)
    full = W5.copy()
    for _ in BATCHES5:
        full = full - 0.1 * _grad(full, X5, Y5)
    summed = W5.copy()
    for b in BATCHES5:
        summed = summed - 0.1 * len(b) * _grad(summed, X5[b], Y5[b])
    last = W5 - 0.1 * _grad(W5, X5[BATCHES5[-1]], Y5[BATCHES5[-1]])
    like = lambda ref, msg: (lambda g, e: msg if np.allclose(g, ref) else None)
    expect_close(got, _epoch_reference(W5, 0.1, BATCHES5), what="sgd_epoch on 5 samples in 3 batches",
                 diagnoses=[like(once, said("sgd_epoch/gradients-at-start")),
                            like(full, said("sgd_epoch/full-gradient")),
                            like(summed, said("sgd_epoch/summed-batch-gradient")),
                            like(last, "only the last batch made a step: update w once per batch.")])
    as_arrays = [np.array(b) for b in BATCHES5]
    expect_close(sgd_epoch(W5.tolist(), X5, Y5, 0.1, as_arrays), _epoch_reference(W5, 0.1, BATCHES5),
                 what="sgd_epoch with w as a list and batches as arrays")
    expect_close(sgd_epoch(W5, X5, Y5, 0.1, [[0, 1, 2, 3, 4]]), W5 - 0.1 * _grad(W5, X5, Y5),
                 what="sgd_epoch with one batch of all the data (one full-batch step)")


@problem("train_sgd",
         hint="One epoch per pass of the loop: the rate is schedule(epoch), the batches are "
              "minibatches(len(y), batch_size, seed + epoch). Record the full-data loss before the first "
              "epoch and after each one.")
def _check_train_sgd(train_sgd):
    calls = []

    def schedule(epoch):
        calls.append(epoch)
        return 0.1 / (1 + epoch)

    n = len(Y5)
    out = train_sgd(W5, X5, Y5, n, 3, schedule, 0)
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2,
                "train_sgd should return a pair (final w, loss history).")
    w, history = out
    history = np.asarray(history, dtype=float).ravel()
    expect_true(history.shape != (3,), f"the loss history of 3 epochs has 3 entries: "
                                       f"{said('train_sgd/start-loss-missing')}")
    expect_true(history.shape == (4,), f"the loss history has {history.size} entries; with 3 epochs it should "
                                       "hold 4: the loss at w0, then the loss after each epoch.")
    epochs = [c for i, c in enumerate(calls) if i == 0 or calls[i - 1] != c]
    expect_true(epochs != [0], f"schedule was called for epoch 0 only: {said('train_sgd/schedule-ignored')}")
    expect_true(epochs != [1, 2, 3], f"schedule was called with [1, 2, 3]: {said('train_sgd/schedule-from-one')}")
    expect_true(epochs == [0, 1, 2], f"schedule was called with {epochs}; call it in every epoch, with the epoch "
                                     "number 0, 1, 2, ...")
    # With batch_size = n every epoch is one full-batch step, whatever the shuffle.
    ref = [W5.copy()]
    for e in range(3):
        ref.append(ref[-1] - 0.1 / (1 + e) * _grad(ref[-1], X5, Y5))
    losses = [float(np.mean((X5 @ r - Y5) ** 2)) for r in ref]
    expect_close(history[0], losses[0], what="history[0] (the loss at w0, before any step)")
    expect_close(history, losses, what="the loss history of full-batch epochs with rates 0.1 / (1 + epoch)")
    expect_close(w, ref[-1], what="the final w of train_sgd")
    minibatches = getattr(train_sgd, "__globals__", {}).get("minibatches")
    if callable(minibatches):  # the shuffle differs between epochs: compare with the student's own batches
        try:
            batches = [_batch_list(minibatches(n, 2, 7 + e), "minibatches") for e in range(2)]
        except NotImplementedError:
            return
        expected = _epoch_reference(_epoch_reference(W5, 0.05, batches[0]), 0.05, batches[1])
        got = train_sgd(W5, X5, Y5, 2, 2, lambda e: 0.05, 7)[0]
        same = _epoch_reference(_epoch_reference(W5, 0.05, batches[0]), 0.05, batches[0])
        expect_close(got, expected, what="train_sgd with batch_size 2, 2 epochs, seed 7",
                     diagnoses=[lambda g, e: said("train_sgd/same-batches-every-epoch") if np.allclose(g, same)
                                else None])


def _noise_reference(w, X, y, B):
    """The noise of a batch of B (a number or an array of them), then the same without the factor
    (n - B) / (n - 1), and with the spread taken over all the entries together (np.std of the whole
    array of per-sample gradients)."""
    G = 2.0 * X * (X @ w - y)[:, None]
    s2 = np.mean(np.sum((G - G.mean(0)) ** 2, axis=1))
    n = len(y)
    return np.sqrt(s2 / B * (n - B) / (n - 1)), np.sqrt(s2 / B), np.std(G) * np.sqrt((n - B) / (B * (n - 1)))


@problem("gradient_noise",
         hint="First the n per-sample gradients (one row each) and their mean g. Their spread s^2 is the mean "
              "of |g_i - g|^2. Then the formula in the text for B samples drawn without replacement; "
              "the answer is the square root.")
def _check_gradient_noise(gradient_noise):
    for B in (1, 2, 4):
        want, no_fpc, entrywise = _noise_reference(W5, X5, Y5, B)
        expect_close(gradient_noise(W5, X5, Y5, B), want, what=f"gradient_noise on 5 samples, batch size {B}",
                     diagnoses=[lambda g, e, v=no_fpc: said("gradient_noise/no-finite-population-factor")
                                if B > 1 and np.isclose(g, v) else None,
                                lambda g, e: said("gradient_noise/no-square-root")
                                if np.isclose(g, e ** 2) and not np.isclose(e, 1.0) else None,
                                lambda g, e, v=entrywise: said("gradient_noise/entrywise-spread")
                                if np.isclose(g, v) else None])
    expect_close(gradient_noise(W5.tolist(), X5.tolist(), Y5.tolist(), 5), 0.0, atol=1e-9,
                 what="gradient_noise with batch size n (and plain lists): the batch is all the data")


@problem("quiet_batch_size",
         hint="Call your gradient_noise at w0 for B = 1, 2, 3, ... and keep the first B whose noise is at most "
              "LEVEL (a loop, or np.argmax on a boolean array).")
def _check_quiet_batch_size(value):
    expect_true(value is not None, "quiet_batch_size is not defined: run your answer cell.")
    try:
        B = float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise CheckFailed("quiet_batch_size should be one whole number, a batch size.") from None
    X, y = linear_regression(n=600, noise=1.0, seed=0)
    expect_true(B == int(B) and 1 <= B <= len(y), "quiet_batch_size should be a whole number between 1 and 600.")
    level = 0.25 * np.linalg.norm(_grad(QUESTION_START, X, y))
    B = int(B)
    noise, plain, _ = _noise_reference(QUESTION_START, X, y, np.arange(1, len(y) + 1))  # [b - 1]: batch size b
    expect_true(not (noise[B - 1] > level and B < len(y) and noise[B] <= level),
                said("quiet_batch_size/last-above-level"))
    expect_true(noise[B - 1] <= level,
                "at this batch size the noise at w0 is still above LEVEL: a larger batch is needed.")
    expect_true(B == 1 or noise[B - 2] > level or B != 1 + int(np.argmax(plain <= level)),
                said("quiet_batch_size/no-finite-population-factor"))
    expect_true(B == 1 or noise[B - 2] > level,
                "a smaller batch already brings the noise at w0 down to LEVEL: the question asks for the smallest.")

