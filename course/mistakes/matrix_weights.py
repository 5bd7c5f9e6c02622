"""The mistakes of 04_matrix_weights in words: predict, loss, loss_gradient, train, train_W1."""

ENTRIES: list[tuple[str, str, str]] = [
    ("predict/order-swapped", "W @ x is computed instead of x @ W: that is another model, and it fails "
                              "unless W is square.",
     "keep the course's convention: x of shape (d,), W of shape (d, k), prediction x @ W."),
    ("predict/not-summed", "x multiplies W entry by entry and nothing is summed, so the result has W's shape.",
     "a matrix product sums over the inputs: each output is a sum over i of x[i] * W[i, j]."),
    ("loss/sum-not-mean", "you summed the squared errors of the k outputs instead of averaging them.",
     "divide by the number of outputs, or use np.mean."),
    ("loss/root-taken", "you took a square root at the end: that is the RMSE, not the mean squared error.",
     "leave out the square root."),
    ("loss/order-swapped", "the loss is computed with W @ x instead of x @ W.",
     "use your predict, x @ W, for the prediction."),
    ("loss_gradient/transposed", "the gradient is transposed: it has shape (k, d), but W has shape (d, k).",
     "entry [i, j] of the gradient pairs input i with output j: which order of the outer product gives that?"),
    ("loss_gradient/no-mean", "this is the gradient of the *summed* squared error: the 1/k of the mean is "
                              "missing.", "the loss averages over the k outputs, so its gradient does too."),
    ("loss_gradient/factor-missing", "a constant factor is missing: the square brings down a number, "
                                     "and so does the mean.", "differentiate the mean of squares term by term."),
    ("loss_gradient/sign-flipped", "the gradient has the wrong sign: it is written with target - prediction.",
     "differentiate (prediction - target)^2: the residual is prediction minus target."),
    ("train/ascent", "the loss grows: the step adds learning_rate * loss_gradient instead of subtracting it.",
     "step against the gradient: W - learning_rate * loss_gradient(x, W, target)."),
    ("train/gradient-once", "the gradient is computed once, before the loop, and reused: recompute the gradient "
                            "at every step, at the current W.",
     "call loss_gradient inside the loop, at the W of that step."),
    ("train/start-loss-missing", "the loss history misses the starting loss: it should hold n_steps + 1 losses, "
                                 "the first at the W you were given.",
     "record loss(x, W, target) once before the loop, then once after each step."),
    ("train/changes-input", "train changes the W passed to it (an in-place update such as `W -= ...`): the "
                            "caller's weights must stay as they were.",
     "start from a copy, e.g. `W = np.array(W, dtype=float)`."),
    ("train_W1/kept-pair", "W1 is not a matrix but the pair (weights, loss history) that train returns: keep the "
                           "weights alone.",
     "unpack the pair: W1, history = train(...)."),
    ("train_W1/diverged", "the training diverged: W1, or its loss, is NaN, infinite or huge, far above the loss it "
                          "started from. On this layer each step "
                          "multiplies the residual by 1 - 15 * rate, so every rate above 2/15 makes it grow.",
     "pick a smaller learning rate: which rates make |1 - 15 * rate| < 1?"),
    ("train_W1/stopped-short", "W1 lies on the way descent goes, but short of the target: its loss is not below "
                               "1.30 yet, too few steps for the rate chosen.",
     "train for more steps, or with a rate at which the residual shrinks faster."),
]
