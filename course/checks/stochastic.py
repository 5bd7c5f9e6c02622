"""Public checks for 07_stochastic_descent: mini-batches, an epoch of mini-batch descent, a training
loop with a learning-rate schedule, the noise of a mini-batch gradient, and one computed answer.

The model is linear, ``prediction = X @ w``, with the mean squared error. The expected outputs on the
small fixed data below, and the outputs of the usual mistakes, were recorded when the course was
released (:mod:`course.checks.recorded`); no code here computes an exercise's answer, and none is printed.
"""
from __future__ import annotations

import numpy as np

from ..mistakes import said
from . import recorded
from .toolkit import CheckFailed, expect_close, expect_true, problem

# Five samples, two features; batches as the exercise gives them.
X5 = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0], [2.0, -1.0], [-1.0, 1.0]])
Y5 = np.array([1.0, 2.0, 0.0, 3.0, -1.0])
W5 = np.array([0.5, -0.5])
BATCHES5 = [[0, 3], [4, 1], [2]]
TOPIC = "stochastic"
#: The value answers recorded as digests.
VALUE_ANSWERS = ("quiet_batch_size",)


def _falling_rate(epoch: int) -> float:
    """The schedule of the train_sgd case, 0.1 / (1 + epoch)."""
    return 0.1 / (1 + epoch)


def fixed() -> dict:
    """The checks' fixed inputs: case -> (exercise, arguments); their outputs are recorded at release."""
    return {
        "sgd_epoch": ("sgd_epoch", (W5, X5, Y5, 0.1, BATCHES5)),
        "sgd_epoch one batch": ("sgd_epoch", (W5, X5, Y5, 0.1, [[0, 1, 2, 3, 4]])),
        "train_sgd full batches": ("train_sgd", (W5, X5, Y5, len(Y5), 3, _falling_rate, 0)),
        **{f"gradient_noise B={B}": ("gradient_noise", (W5, X5, Y5, B)) for B in (1, 2, 4)},
    }


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
         hint="Which generator, made from the seed, shuffles the indices 0..n-1, and how often do you shuffle? "
              "Then where does each batch start, and what does slicing do past the end of an array?")
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


@problem("sgd_epoch",
         hint="How many steps does one epoch take: one per what? At each step, on which samples is the "
              "gradient computed, and at which w? Does your function leave the caller's w as it was?")
def _check_sgd_epoch(sgd_epoch):
    w = W5.copy()  # a copy, so that an update in place cannot change the fixed input of later checks
    got = sgd_epoch(w, X5, Y5, 0.1, BATCHES5)
    expect_true(np.array_equal(w, W5), f"{said('sgd_epoch/changes-input')} Start from a copy, "
                                       "`w = np.array(w, dtype=float)`.")
    expect_close(got, recorded.right(TOPIC, "sgd_epoch"), what="sgd_epoch on 5 samples in 3 batches",
                 diagnoses=recorded.matching(TOPIC, "sgd_epoch", {
                     "sgd_epoch/only-last-batch": "only the last batch made a step: update w once per batch."}))
    as_arrays = [np.array(b) for b in BATCHES5]
    expect_close(sgd_epoch(W5.tolist(), X5, Y5, 0.1, as_arrays), recorded.right(TOPIC, "sgd_epoch"),
                 what="sgd_epoch with w as a list and batches as arrays")
    expect_close(sgd_epoch(W5.copy(), X5, Y5, 0.1, [[0, 1, 2, 3, 4]]), recorded.right(TOPIC, "sgd_epoch one batch"),
                 what="sgd_epoch with one batch of all the data (one full-batch step)")


@problem("train_sgd",
         hint="Which of your functions runs one epoch, and which cuts the data into batches? Read the "
              "exercise again for what changes from one epoch to the next (the rate, the shuffle's seed), "
              "and ask how many losses the history holds for n_epochs epochs.")
def _check_train_sgd(train_sgd):
    calls = []

    def schedule(epoch):
        calls.append(epoch)
        return _falling_rate(epoch)

    n = len(Y5)
    out = train_sgd(W5.copy(), X5, Y5, n, 3, schedule, 0)
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
    want_w, want_history = recorded.right(TOPIC, "train_sgd full batches")
    expect_close(history[0], want_history[0], what="history[0] (the loss at w0, before any step)")
    expect_close(history, want_history, what="the loss history of full-batch epochs with rates 0.1 / (1 + epoch)")
    expect_close(w, want_w, what="the final w of train_sgd")
    _expect_own_epochs(train_sgd)


def _expect_own_epochs(train_sgd) -> None:
    """With a real shuffle, train_sgd must be the student's own sgd_epoch over their own minibatches, epoch by epoch."""
    helpers = getattr(train_sgd, "__globals__", {})
    minibatches, sgd_epoch = helpers.get("minibatches"), helpers.get("sgd_epoch")
    if not (callable(minibatches) and callable(sgd_epoch)):
        return
    try:
        batches = [_batch_list(minibatches(len(Y5), 2, 7 + e), "minibatches") for e in range(2)]
        expected = sgd_epoch(sgd_epoch(W5.copy(), X5, Y5, 0.05, batches[0]), X5, Y5, 0.05, batches[1])
        same = sgd_epoch(sgd_epoch(W5.copy(), X5, Y5, 0.05, batches[0]), X5, Y5, 0.05, batches[0])
    except NotImplementedError:
        return
    got = train_sgd(W5.copy(), X5, Y5, 2, 2, lambda e: 0.05, 7)[0]
    expect_close(got, expected, what="train_sgd with batch_size 2, 2 epochs, seed 7 (against your own sgd_epoch "
                                     "over your own minibatches)",
                 diagnoses=[lambda g, e: said("train_sgd/same-batches-every-epoch") if np.allclose(g, same)
                            else None])


@problem("gradient_noise",
         hint="What are the n per-sample gradients, one row each, and their mean? How far does a row sit "
              "from that mean on average (the spread s^2 of the text)? How does a mean of B rows drawn "
              "without replacement shrink it, and is the answer a variance or its square root?")
def _check_gradient_noise(gradient_noise):
    for B in (1, 2, 4):
        case = f"gradient_noise B={B}"
        expect_close(gradient_noise(W5.copy(), X5, Y5, B), recorded.right(TOPIC, case),
                     what=f"gradient_noise on 5 samples, batch size {B}", diagnoses=recorded.matching(TOPIC, case))
    expect_close(gradient_noise(W5.tolist(), X5.tolist(), Y5.tolist(), 5), 0.0, atol=1e-9,
                 what="gradient_noise with batch size n (and plain lists): the batch is all the data")


@problem("quiet_batch_size",
         hint="Your gradient_noise measures the noise for one batch size. Does the noise grow or shrink as "
              "the batch grows, and which batch size does the question ask for: any below LEVEL, or one in "
              "particular?")
def _check_quiet_batch_size(value):
    expect_true(value is not None, "quiet_batch_size is not defined: run your answer cell.")
    try:
        B = float(np.asarray(value, dtype=float))
    except (TypeError, ValueError):
        raise CheckFailed("quiet_batch_size should be one whole number, a batch size.") from None
    expect_true(B == int(B) and 1 <= B <= 600, "quiet_batch_size should be a whole number between 1 and 600.")
    # Recorded as digests of the right value and of the values each mistake gives: the file holds no answer.
    verdict = recorded.value_mistake(TOPIC, "quiet_batch_size", int(B))
    if verdict == "right":
        return
    if verdict is not None:
        raise CheckFailed(said(verdict))
    raise CheckFailed("quiet_batch_size is not the smallest batch size whose noise at w0 is at most LEVEL: "
                      "compute the noise for B = 1, 2, 3, ... with your gradient_noise and keep the first "
                      "that is at most LEVEL.")
