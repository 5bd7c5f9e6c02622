"""The catalogue of common mistakes: each one named once, with what went wrong and a hint.

A mistake has a stable id, ``<exercise>/<slug>`` (``mse/sum-not-mean``). The visible checks
(:mod:`course.check`, ``course/checks/``) quote its message when they recognise it on their
public cases; the grader recognises the same mistakes on inputs the student never saw, records
the id per student and test cell, and quotes the message and hint in the student's feedback.

Two kinds of mistake exist for every exercise without being listed: ``<exercise>/not-written``
(``NotImplementedError`` from a stub: the exercise's own, or one it calls) and
``<exercise>/hard-coded`` (the same answer whatever the input). A third is a knock-on, not a
mistake of the exercise itself: ``<exercise>/uses-wrong-<helper>`` (``train/uses-wrong-loss_gradient``),
a function that is right around the student's own helper, which is wrong. A wrong answer the
grader cannot name is :data:`UNRECOGNISED`.

Nothing here computes an answer: the catalogue only describes mistakes in words.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mistake", "UNRECOGNISED", "KNOCK_ON", "describe", "said", "exercise_of", "knock_on", "is_knock_on",
           "known_ids"]

#: What the grader records for a wrong answer that matches no catalogued mistake.
UNRECOGNISED = "unrecognised"
#: The kind of a knock-on id: ``<exercise>/uses-wrong-<helper>``.
KNOCK_ON = "uses-wrong-"


@dataclass(frozen=True)
class Mistake:
    """One common mistake: its id, what went wrong in plain words, and a hint towards the fix."""

    id: str
    message: str
    hint: str

    @property
    def exercise(self) -> str:
        return exercise_of(self.id)


def exercise_of(mistake_id: str) -> str:
    """The exercise a mistake id belongs to (``mse`` for ``mse/sum-not-mean``; empty if it has none)."""
    return mistake_id.split("/", 1)[0] if "/" in mistake_id else ""


_GENERIC = {
    "not-written": ("it raises NotImplementedError: this function, or one it calls, is not written yet.",
                    "replace each `raise NotImplementedError(...)` line left with your code and run its cell."),
    "hard-coded": ("it returns the same answer whatever the input: a value typed in for the public check "
                   "cannot be right on other inputs.",
                   "compute the result from the arguments, so that other inputs give other answers."),
}



def knock_on(exercise: str, helper: str) -> str:
    """The id of a right ``exercise`` built on the student's own wrong ``helper``."""
    return f"{exercise}/{KNOCK_ON}{helper}"


def is_knock_on(mistake_id: str) -> bool:
    """Is the id a knock-on of a wrong helper, not a mistake of its exercise's own code?"""
    return mistake_id.partition("/")[2].startswith(KNOCK_ON)


def _knock_on_entry(mistake_id: str, helper: str) -> Mistake:
    return Mistake(mistake_id, f"it is built on your {helper}, which is wrong: this function itself may be right, "
                               f"but it cannot give right answers until {helper} does.",
                   f"fix {helper} first (see its exercise and its check), then run this cell again.")


_LISTS = ("it works on NumPy arrays but fails on Python lists.",
          "convert the inputs first with np.asarray(...), as the exercise asks.")

_ENTRIES = [
    # 01_loss_functions
    ("mse/sum-not-mean", "you summed the squared errors instead of averaging them, so the cost grows with "
                         "the number of samples.", "divide by the number of samples, or use np.mean."),
    ("mse/absolute-not-squared", "this is the mean absolute error: the differences are not squared.",
     "square each difference before averaging."),
    ("mse/root-taken", "you took a square root at the end: that is the RMSE, not the MSE.",
     "leave out the square root."),
    ("mse/squared-mean", "you squared the mean difference, so positive and negative errors cancel first.",
     "square each difference first, then average the squares."),
    ("mse/no-lists", *_LISTS),
    ("mae/sum-not-mean", "you summed the absolute errors instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("mae/no-absolute-value", "the signed differences cancel out: the absolute value is missing.",
     "take np.abs of each difference before averaging."),
    ("mae/squared", "this is the mean *squared* error: the differences are squared, not made non-negative.",
     "use absolute values, not squares."),
    ("sigmoid/sign-of-z", "you compute sigmoid(-z): the sign in the exponent is flipped.",
     "sigmoid(z) = 1 / (1 + e^(-z)): it is above 1/2 for positive z."),
    ("sigmoid/overflows", "the values are right, but an exponential of a large positive number overflows "
                          "for large |z| (math.exp raises OverflowError; np.where evaluates both of its "
                          "branches for every entry).",
     "evaluate e^(-|z|) only, and pick the form for each entry from it."),
    ("log_loss/sum-not-mean", "you summed the losses of the samples instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("log_loss/minus-missing", "the loss is negative: the minus sign in front of the average is missing.",
     "the log of a probability is <= 0, so the loss needs a minus sign to be >= 0."),
    ("log_loss/not-clipped", "p is not clipped, so p exactly 0 or 1 gives an infinite or NaN loss (or, with "
                             "math.log, a math domain error).",
     "clip p into [eps, 1 - eps] with np.clip before taking logs."),
    ("log_loss/eps-ignored", "p is clipped with a fixed number instead of the eps argument, so the loss "
                             "does not change when eps does.",
     "clip with the eps you were given."),
    ("neuron_mse/sum-not-mean", "you summed the squared errors instead of averaging them.",
     "divide by the number of samples, or use np.mean."),
    ("neuron_mse/bias-subtracted", "the bias is subtracted: the neuron computes sigmoid(w x + b).",
     "add b to w * x."),
    ("neuron_mse/no-sigmoid", "the error is taken on w x + b itself: the sigmoid is missing.",
     "pass w * x + b through sigmoid before comparing with t."),
    # 02_parabola_descent
    ("parabola/power-forgotten", "that is x^2 - 3: subtract 3 *before* squaring.",
     "square the difference (x - 3) as a whole."),
    ("parabola/plus-three", "that is (x + 3)^2: its minimum is at -3, but the parabola's is at x = 3.",
     "subtract 3 from x, then square."),
    ("parabola/slope-not-value", "that is the slope 2(x - 3), not the height: parabola is the function itself.",
     "return the height (x - 3) ** 2."),
    ("parabola_grad/power-rule", "that is 2x - 3: the factor 2 multiplies both terms of (x - 3).",
     "use the chain rule on (x - 3)^2, or expand it first."),
    ("parabola_grad/sign-flipped", "the slope has the wrong sign: left of the minimum the parabola goes "
                                  "down, so the slope there is negative.",
     "a step against a wrongly signed slope climbs instead of descending."),
    ("parabola_grad/factor-two-missing", "the slope is half the right size: the chain rule brings down the "
                                        "exponent 2 as a factor.", "differentiate (x - 3)^2 with the chain rule."),
    ("gradient_descent/start-missing", "the iterates start after the first step: the list should hold "
                                       "n_iters + 1 points, starting with x0 itself.",
     "put x0 in the list first, then append the point each step reaches."),
    ("gradient_descent/ascent", "the iterates move uphill: the update adds rate * slope instead of "
                                "subtracting it.", "step against the slope: x - learning_rate * grad(x)."),
    ("gradient_descent/rate-subtracted-first", "that is (x - rate) * slope; the update is x - rate * slope "
                                               "(the rate multiplies the slope only).",
     "subtract learning_rate * grad(x) from x."),
    ("gradient_descent/grad-ignored", "the run follows the parabola's slope 2(x - 3), not the `grad` passed in.",
     "call grad(x): the function must descend whatever slope it is given."),
    ("gradient_descent/last-only", "it returns only the last point, not all the iterates.",
     "keep every x you visit in a list, x0 first, and return the list."),
    ("descend_until/slope-not-step", "it stops when the slope is small; the rule is on the step, not the slope: "
                                     "stop right after the first step with |x_new - x| < tol.",
     "the step is learning_rate times the slope, so the two rules stop at different times."),
    ("descend_until/step-not-counted", "it reports one step too few, and the point before that step: the step "
                                       "that fell below tol was made, so it counts.",
     "return the x the last step reached, and count that step."),
    ("descend_until/stops-before-max", "when no step falls below tol it stopped before max_iters, after "
                                       "max_iters - 1 steps.",
     "count the steps as you make them: a for loop over range(max_iters) takes exactly max_iters."),
    ("challenge/too-many-iterations", "my_iters is above 10: the challenge is to get within 1e-6 of 3 in at "
                                      "most 10 iterations.",
     "a rate that shrinks the distance to 3 faster needs fewer iterations."),
    ("challenge/not-contracting", "with that rate the distance to 3 never shrinks: each step multiplies it by "
                                  "1 - 2 * rate, of size 1 or more (at rate 1.0 the run bounces between 1 and 5; "
                                  "below 0 or above 1 it diverges).",
     "which rates make the factor |1 - 2 * rate| smaller than 1, and which makes it smallest?"),
    ("challenge/too-slow", "the run converges, but not fast enough: after my_iters iterations x is still 1e-6 "
                           "or more away from 3.",
     "after k steps the distance is 2 |1 - 2 * rate|^k: a smaller factor gets there in fewer steps."),
    # 03_learning_rate
    ("classify_rate/diverges-past-ideal", "rates between 1/f'' and 2/f'' are called 'diverging': there each step "
                                          "overshoots the minimum, but by less than the distance it had, so the "
                                          "run oscillates and converges. Divergence starts at 2/f''.",
     "with q = 1 - learning_rate * curvature, the run converges while |q| < 1 and oscillates while q < 0."),
    ("classify_rate/exact-comparison", "the boundaries are compared with ==, so a rate equal to 1/f'' or 2/f'' "
                                       "only up to rounding gets another regime: compare with np.isclose.",
     "in floating point (1/9.1) * 9.1 is 0.9999999999999999, not 1."),
    ("classify_rate/stuck-as-oscillating", "at the boundary 2/f'' it answers 'oscillating': at exactly that rate "
                                           "the run bounces between two points for ever, 'stuck'.",
     "compare learning_rate * curvature with 2 (np.isclose) before sorting the rest into bands."),
    ("classify_rate/no-value-error", "it names a regime for a rate or a curvature that is zero or negative, "
                                     "where it should raise ValueError: with f'' <= 0 there is no minimum, and "
                                     "a rate <= 0 does not descend.",
     "check both arguments first, and raise ValueError when either is not positive."),
    ("ideal_rate/edge-of-stability", "that is 2/f'', the edge of stability where the run bounces for ever; the "
                                     "ideal rate is half of it.",
     "which rate makes the contraction factor 1 - rate * f'' equal to zero?"),
    ("ideal_rate/half", "that is half the ideal rate: with it each step only halves the distance to the "
                        "minimum.", "which rate makes the contraction factor 1 - rate * f'' equal to zero?"),
    ("ideal_rate/no-value-error", "it gives a rate, or divides by zero, for a curvature <= 0, where it should "
                                  "raise ValueError: without a minimum there is no ideal rate.",
     "check the curvature first, and raise ValueError when it is not positive."),
    ("newton_step/ascent", "the step went the wrong way: w_new = w - H^-1 g.",
     "solve H d = g for the step d, then subtract it from w."),
    ("newton_step/diagonal-only", "that step divides by the diagonal of H only: the off-diagonal entries matter, "
                                  "solve with the whole matrix.",
     "which NumPy function solves H d = g for d, with the whole matrix H?"),
    ("newton_step/entrywise-inverse", "the gradient is multiplied by 1/H taken entry by entry, which is not the "
                                      "inverse matrix H^-1.",
     "which NumPy function solves H d = g for d, with the whole matrix H?"),
    ("newton_step/gradient-step", "the point moved by the plain gradient: Newton's step is H^-1 g, not g.",
     "solve H d = g for the step d, then subtract it from w."),
    # 04_matrix_weights
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
    # 05_logistic_regression
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
    # 06_backprop
    ("forward/sigmoid-hidden", "the hidden layer uses a sigmoid: this network's hidden activation is np.tanh.",
     "the hidden activations are the tanh of X W1 + b1."),
    ("forward/scores-not-probabilities", "p holds the output scores z2: apply the sigmoid to get probabilities.",
     "p is the sigmoid of H W2 + b2, flattened to shape (n,)."),
    ("forward/column-output", "p has shape (n, 1): flatten it to shape (n,), or it broadcasts against y of "
                              "shape (n,) into an (n, n) array.",
     "take the output column's [:, 0] (or .ravel())."),
    ("forward/hidden-bias-missing", "the hidden layer leaves out its bias b1.",
     "add b1 to X @ W1 before the tanh."),
    ("backward/no-activation-derivative", "the backward pass forgets the derivative of tanh at the hidden "
                                          "layer.", "through each tanh, multiply by its derivative, "
                                                    "1 - tanh(z)^2, which is 1 - H^2."),
    ("backward/sum-not-mean", "the gradients are those of the summed loss: the 1/n of the mean is missing.",
     "the loss averages over n samples, so the output error carries 1/n."),
    ("backward/sign-flipped", "every gradient has the wrong sign: the output error is written y - p.",
     "the error at the output of a sigmoid with log loss is p - y."),
    ("backward/flat-output-gradients", "the gradients of W2 and b2 lost a dimension: each gradient must have "
                                       "the shape of its parameter.",
     "keep the output error as a column of shape (n, 1)."),
    ("train_network/ascent", "the loss goes up: each parameter moves with its gradient instead of against it.",
     "update each parameter as params[k] - learning_rate * grads[k]."),
    ("train_network/losses-one-step-late", "the losses are one step late: losses[0] must be the loss of the "
                                           "starting parameters, recorded before the first update.",
     "in each step: forward, record the loss of its p, backward, then update."),
    ("train_network/biases-frozen", "the biases never move: update the biases too, not only the weights.",
     "update every parameter, b1 and b2 too, against its own gradient."),
    ("train_network/zero-start", "the network starts from zeros: its hidden units start equal, get equal "
                                 "gradients and stay equal.",
     "start from init_two_layer(X.shape[1], hidden, seed)."),
    # 08_optimizers
    ("minimize/start-missing", "x0 is missing: the first row of the result must be the start, then one row "
                               "per step.",
     "put a copy of x0 in the list before the first step: n_steps + 1 rows in all."),
    ("minimize/state-dropped", "step_fn gets state None at every step: hand the state it returns to the next "
                               "step.",
     "keep the state step_fn returns and pass it to the next call (None only on the first)."),
    ("minimize/same-array-stored", "every row is the same point: one array was stored at every step and changed "
                                   "in place.",
     "append a new array (or a copy) at each step."),
    ("momentum_step/ascent", "the step climbs: the velocity is added to the parameters.",
     "subtract learning_rate * v from the parameters."),
    ("momentum_step/no-state", "the velocity starts from zero at every step: the state is not carried over.",
     "read v from the state you are given (zeros only when state is None)."),
    ("momentum_step/averaged-velocity", "the velocity is an average, beta v + (1 - beta) g: that is another "
                                        "convention than this course's heavy ball.",
     "v = beta * v + grad, without the factor (1 - beta)."),
    ("rmsprop_step/ascent", "the step climbs: the scaled gradient is added to the parameters.",
     "subtract the scaled gradient."),
    ("rmsprop_step/eps-inside-root", "eps is inside the square root; it belongs after the root.",
     "divide by np.sqrt(s) + eps."),
    ("rmsprop_step/no-state", "the running mean starts again at every step: the state is not carried over.",
     "read s from the state you are given (zeros only when state is None)."),
    ("adam_step/ascent", "the step climbs: the update is added to the parameters.", "subtract the update."),
    ("adam_step/no-bias-correction", "the moments are not bias-corrected, so the first steps are too small.",
     "divide m by 1 - beta1^t and v by 1 - beta2^t before the step."),
    ("adam_step/eps-inside-root", "eps is inside the square root; it belongs after the root.",
     "divide by np.sqrt(v_hat) + eps."),
    ("adam_step/step-count-stuck", "the step count t does not grow, so the bias correction stays at its "
                                   "first step's value.", "t is the state's t plus one, at every step."),
    # 07_stochastic_descent
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

_CATALOGUE: dict[str, Mistake] = {mid: Mistake(mid, message, hint) for mid, message, hint in _ENTRIES}


def describe(mistake_id: str) -> "Mistake | None":
    """The catalogue's entry for ``mistake_id`` (generic kinds included); None for an unknown id."""
    if mistake_id in _CATALOGUE:
        return _CATALOGUE[mistake_id]
    exercise, _, kind = mistake_id.partition("/")
    if exercise and kind in _GENERIC:
        return Mistake(mistake_id, *_GENERIC[kind])
    if exercise and kind.startswith(KNOCK_ON) and kind != KNOCK_ON:
        return _knock_on_entry(mistake_id, kind.removeprefix(KNOCK_ON))
    return None


def said(mistake_id: str) -> str:
    """The plain-words message of a catalogued mistake (for the visible checks)."""
    entry = describe(mistake_id)
    if entry is None:
        raise KeyError(f"no mistake {mistake_id!r} in the catalogue")
    return entry.message


def known_ids(exercise: "str | None" = None) -> list[str]:
    """The listed mistake ids (of one exercise, if given), in catalogue order."""
    return [mid for mid in _CATALOGUE if exercise is None or exercise_of(mid) == exercise]
