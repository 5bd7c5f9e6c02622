"""The mistakes of 07_stochastic_descent in words.

Its exercises: minibatches, sgd_epoch, gradient_noise, quiet_batch_size, train_sgd.
"""

ENTRIES: list[tuple[str, str, str]] = [
    ("minibatches/not-shuffled", "the samples come in their original order 0, 1, 2, ...: they are not shuffled.",
     "shuffle the indices 0..n-1 with a generator made from the seed, then cut them into batches."),
    ("minibatches/last-batch-dropped", "the last, smaller batch is missing, so some samples are never used: an "
                                       "epoch uses every sample once.",
     "cut up to n, range(0, n, batch_size): a slice past the end of an array stops at its end."),
    ("minibatches/with-replacement", "the indices are drawn with replacement, so some samples come twice and "
                                     "others never (np.random.choice replaces unless told not to).",
     "shuffle the indices 0..n-1: a permutation uses each of them exactly once."),
    ("minibatches/not-reproducible", "two calls with the same seed give different batches: the shuffle does not "
                                     "come from the seed.",
     "make the generator from the seed, np.random.default_rng(seed), and shuffle with it."),
    ("minibatches/same-for-every-seed", "the order is the same whatever the seed: the shuffle does not depend "
                                        "on it.",
     "make the generator from the seed, np.random.default_rng(seed), and shuffle with it."),
    ("sgd_epoch/gradients-at-start", "every gradient is taken at the starting w: each batch's step must use the "
                                     "gradient at the current w.",
     "compute each batch's gradient inside the loop, just before its step."),
    ("sgd_epoch/full-gradient", "each step uses the gradient on all the data, not on its batch.",
     "use only the batch's rows, X[batch] and y[batch]."),
    ("sgd_epoch/summed-batch-gradient", "the batch gradient is summed over the batch, not averaged, so the step "
                                        "grows with the batch size.",
     "use the gradient of the batch's mean loss: mse_gradient on the batch's rows."),
    ("sgd_epoch/changes-input", "sgd_epoch changes the w passed to it (an in-place update such as `w -= ...`).",
     "start from a copy, `w = np.array(w, dtype=float)`."),
    ("gradient_noise/no-finite-population-factor", "this is s / sqrt(B): the factor (n - B) / (n - 1) for "
                                                   "drawing the batch without replacement is missing.",
     "multiply s^2 / B by (n - B) / (n - 1) before the square root: a batch of all n samples has no noise."),
    ("gradient_noise/no-square-root", "this is the mean squared noise, not its root-mean-square: the square root "
                                      "is missing.", "take the square root of s^2 (n - B) / (B (n - 1))."),
    ("gradient_noise/entrywise-spread", "the spread is the standard deviation of all the entries together (np.std "
                                        "of the whole array): s^2 is the mean over the samples of |g_i - g|^2, "
                                        "the squared length of each gradient's difference from the mean gradient.",
     "subtract the mean gradient from each row, sum the squares along each row, then average over the rows."),
    ("quiet_batch_size/last-above-level", "this is the largest batch size whose noise is still above LEVEL, one "
                                          "short of the answer.",
     "keep the first batch size whose noise is at most LEVEL."),
    ("quiet_batch_size/no-finite-population-factor", "this is the smallest batch size for s / sqrt(B), the noise "
                                                     "without the factor (n - B) / (n - 1): with the factor, a "
                                                     "smaller batch is already quiet enough.",
     "fix gradient_noise first (see its exercise), then compute the answer again."),
    ("train_sgd/same-batches-every-epoch", "every epoch uses the same shuffle: epoch e takes its batches from "
                                           "minibatches(n, batch_size, seed + e).",
     "call minibatches inside the epoch loop, with seed + epoch."),
    ("train_sgd/schedule-ignored", "the rate stays schedule(0) in every epoch: call schedule(epoch) in each one.",
     "call schedule(epoch) in each epoch."),
    ("train_sgd/start-loss-missing", "the loss history misses the loss at w0: it should hold n_epochs + 1 losses, "
                                     "the first before any step.",
     "record the loss at w0 before the loop, then once after each epoch."),
    ("train_sgd/schedule-from-one", "the schedule is read with the epochs counted from 1: they are numbered 0, 1, "
                                    "2, ..., so the first epoch runs at schedule(0).",
     "epoch e, counted from 0, uses schedule(e) and minibatches(n, batch_size, seed + e)."),
]
