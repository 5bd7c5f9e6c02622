"""The mistakes of 05_logistic_regression in words: predict_proba, logistic_gradients, fit_logistic."""

ENTRIES: list[tuple[str, str, str]] = [
    ("predict_proba/sign-flipped", "the probabilities are those of the other class: the sign of X @ w + b "
                                   "is flipped.", "the probability of class 1 is sigmoid(X @ w + b)."),
    ("predict_proba/bias-missing", "the bias b is left out.", "add b to X @ w before the sigmoid."),
    ("predict_proba/rounded", "it returns 0 or 1, labels, instead of probabilities.",
     "return the sigmoid's value itself; rounding is for a decision, not a probability."),
    ("logistic_gradients/sum-not-mean", "the gradients are summed over the samples instead of averaged.",
     "the loss is a mean over n samples, so divide its gradients by n."),
    ("logistic_gradients/sign-flipped", "the gradients have the wrong sign: the error is written y - p.",
     "the gradient of the log loss uses the error p - y."),
    ("logistic_gradients/transposed", "dw multiplies X and the error in the wrong order (it only runs when X is "
                                      "square).", "dw needs one entry per feature: which product gives that?"),
    ("logistic_gradients/squared-error", "the error is multiplied by p (1 - p): that is the gradient of the "
                                         "squared error through a sigmoid, not of the log loss.",
     "for the log loss, the sigmoid's derivative cancels: the error is just p - y."),
    ("fit_logistic/ascent", "the steps go uphill: fit_logistic adds learning_rate times the gradients instead "
                            "of subtracting them.",
     "update with w - learning_rate * dw and b - learning_rate * db."),
    ("fit_logistic/bias-frozen", "the bias b never moves from 0: update the bias as well as w.",
     "update b with db at every step, as w with dw."),
    ("fit_logistic/one-step-too-many", "it takes n_iters + 1 steps, one more than asked (with n_iters = 0 it "
                                       "should return the start, w = 0 and b = 0).",
     "a for loop over range(n_iters) makes exactly n_iters steps."),
    ("fit_logistic/gradient-once", "the gradients are computed once, at the start, and reused: recompute them at "
                                   "the current (w, b) at every step.",
     "call logistic_gradients inside the loop, at the current (w, b)."),
]
