"""Public checks for 06_backprop.

One tiny network, small enough to follow by hand: inputs X = [[1, 0], [0, 1], [1, 1]],
labels y = [1, 0, 1], W1 = [[1, -1], [0.5, 2]], b1 = [0, 0.5], W2 = [[1], [-1]], b2 = [0.2].
The expected numbers below come from the formulas in the notebook, evaluated with a
calculator (and confirmed by centred finite differences); no solution code lives here.
"""
from __future__ import annotations

import numpy as np

from ..data import xor
from ..mistakes import said
from .toolkit import CheckFailed, equals, expect_close, expect_true, negated, problem, scaled, transposed


def _tiny():
    params = {"W1": np.array([[1.0, -1.0], [0.5, 2.0]]), "b1": np.array([0.0, 0.5]),
              "W2": np.array([[1.0], [-1.0]]), "b2": np.array([0.2])}
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([1.0, 0.0, 1.0])
    return params, X, y


# Z1 rows: [1, -0.5], [0.5, 2.5], [1.5, 1.5]; H = tanh(Z1)
_H = np.array([[0.7615941559557649, -0.46211715726000974],
               [0.46211715726000974, 0.9866142981514303],
               [0.9051482536448665, 0.9051482536448665]])
# z2 = H @ W2 + b2 = [1.4237113, -0.3244971, 0.2]; p = sigmoid(z2)
_P = np.array([0.8059195739955416, 0.4195801528349652, 0.549833997312478])

_SHAPES = {"W1": (2, 2), "b1": (2,), "W2": (2, 1), "b2": (1,)}


@problem("forward",
         hint="Go layer by layer as in the picture: hidden activations, then the output score, then a "
              "probability. What shape does each have for n samples, and which shape must p have to be "
              "compared with y? Keep in the cache what backward will need.")
def _check_forward(forward):
    params, X, _ = _tiny()
    what = "forward(tiny network, X of shape (3, 2))"
    out = forward(params, X)
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2, f"{what} must return a pair (p, cache).")
    p, cache = out
    arr = np.asarray(p, dtype=float)
    if arr.shape == (3, 1):
        raise CheckFailed(f"{what}: {said('forward/column-output')}")
    # without b1: Z1 rows [1, -1], [0.5, 2], [1.5, 1]; H = tanh(Z1); z2 = H @ W2 + b2; p = sigmoid(z2)
    no_b1 = [0.8485390553789576, 0.4250905310025843, 0.5850535965977803]
    expect_close(p, _P, what=what, diagnoses=[
        equals([0.6349513871832484, 0.4746012578638877, 0.549833997312478], said("forward/sigmoid-hidden")),
        equals([1.4237113132157746, -0.3244971408914205, 0.2], said("forward/scores-not-probabilities")),
        equals(no_b1, said("forward/hidden-bias-missing")),
    ])
    expect_true(isinstance(cache, dict), f"{what}: the cache must be a dict, got {type(cache).__name__}.")
    for key in ("X", "H", "p"):
        expect_true(key in cache, f"{what}: the cache must contain the key {key!r} (it has {sorted(cache)}).")
    expect_close(cache["H"], _H, what="cache['H'] (the tanh activations)", diagnoses=[
        equals(np.array([[1.0, -0.5], [0.5, 2.5], [1.5, 1.5]]),
                "cache['H'] holds the pre-activations Z1: store H = np.tanh(Z1)."),
    ])
    expect_close(cache["p"], _P, what="cache['p']")


@problem("backward",
         hint="Start at the output: with a mean log loss on a sigmoid, what is the loss's slope with "
              "respect to each output score (mind the 1/n)? Then, one layer at a time: what did each "
              "parameter multiply in the forward pass, and what does tanh contribute on the way back? "
              "Each gradient has its parameter's shape: use that to order the factors.")
def _check_backward(backward):
    params, X, y = _tiny()
    before = {k: v.copy() for k, v in params.items()}
    grads = backward(params, {"X": X.copy(), "H": _H.copy(), "p": _P.copy()}, y)
    expect_true(isinstance(grads, dict), f"backward must return a dict of gradients, got {type(grads).__name__}.")
    for key, shape in _SHAPES.items():
        expect_true(key in grads, f"backward's result has no gradient for {key!r} (keys: {sorted(grads)}).")
        got_shape = np.shape(grads[key])
        expect_true(got_shape != shape[::-1] or shape[::-1] == shape,
                    f"backward: the gradient for {key} has shape {got_shape}, the transpose of {key}'s shape "
                    f"{shape}: the factors of that matrix product are in the wrong order, or the wrong one "
                    "is transposed.")
        expect_true(got_shape == shape, f"backward: the gradient for {key} has shape {got_shape}, but {key} "
                                        f"has shape {shape}; a gradient always has its parameter's shape.")
    expect_true(all(np.array_equal(params[k], before[k]) for k in params), "backward changed params: it must not.")
    too_big = "is 3 times too large, with 3 samples: the cost is a mean, so dz2 = (p - y) / n."
    # dz2 = (p - y) / 3 = [-0.0646935, 0.1398601, -0.1500553]
    expect_close(grads["b2"], [-0.07488875861900508], what="the gradient for b2",
                 diagnoses=[scaled(3, "the b2 gradient " + too_big), negated()])
    expect_close(grads["W2"], [[-0.12046076731416237], [0.032061567189876725]], what="the gradient for W2",
                 diagnoses=[scaled(3, "the W2 gradient " + too_big), negated()])
    no_slope = ("the tanh derivative is missing: on the way back through H = tanh(Z1), what is the slope "
                "of tanh, and can you write it from H alone, before the hidden layer's gradients?")
    expect_close(grads["b1"], [0.055707025186602484, 0.07427484193722711], what="the gradient for b1",
                 diagnoses=[equals([-0.07488875861900508, 0.07488875861900508], no_slope),
                            scaled(3, "the b1 gradient " + too_big), negated()])
    expect_close(grads["W1"], [[-0.054285594811582766, 0.07799403211587463],
                               [0.08287662489706651, 0.02339680492247121]], what="the gradient for W1",
                 diagnoses=[equals([[-0.2147488095639935, 0.2147488095639935],
                                     [-0.010195283284185619, 0.010195283284185619]], no_slope),
                            scaled(3, "the W1 gradient " + too_big), negated(), transposed()])


@problem("train_network",
         hint="Which functions of this notebook start a network, run it forward, score it and give its "
              "gradients? One training step uses them in that order, then moves every parameter against "
              "its own gradient. Which loss do you record: before or after the step?")
def _check_train_network(train_network):
    X, y = xor(n=40, seed=1)
    what = "train_network(xor(n=40, seed=1), hidden=3, learning_rate=0.5, n_steps=3, seed=0)"
    out = train_network(X, y, 3, 0.5, 3, 0)
    expect_true(isinstance(out, (tuple, list)) and len(out) == 2, f"{what} must return a pair (params, losses).")
    params, losses = out
    expect_true(isinstance(params, dict) and set(params) >= {"W1", "b1", "W2", "b2"},
                f"{what}: the first result must be the params dict with keys W1, b1, W2, b2.")
    for key, shape in {"W1": (2, 3), "b1": (3,), "W2": (3, 1), "b2": (1,)}.items():
        expect_true(np.shape(params[key]) == shape, f"{what}: params[{key!r}] has shape {np.shape(params[key])}, "
                                                    f"expected {shape}.")
    # losses of the seeded start and after one and two updates, worked out with the notebook's formulas
    want = [0.7188075317975272, 0.7099013445046239, 0.7033275466270945]
    got = np.asarray(losses, dtype=float).ravel()
    expect_true(got.size == 3, f"{what} returned {got.size} losses; expected one per step, 3.")
    if np.isclose(got[0], np.log(2.0), atol=1e-9):
        raise CheckFailed(f"{what}: the first loss is exactly log 2, so the network started by saying 0.5 "
                          f"everywhere: {said('train_network/zero-start')} Start from "
                          "init_two_layer(X.shape[1], hidden, seed), not from zeros.")
    if np.allclose(got[:2], want[1:], rtol=1e-6):
        raise CheckFailed(f"{what}: {said('train_network/losses-one-step-late')}")
    if not np.isclose(got[0], want[0], rtol=1e-6):
        raise CheckFailed(f"{what}: losses[0] is not the loss of the starting parameters: start from "
                          "init_two_layer(X.shape[1], hidden, seed) and record the loss before updating.")
    if got[-1] > got[0]:
        raise CheckFailed(f"{what}: {said('train_network/ascent')} (If it moves against it, check the sign of "
                          "backward's gradients.)")
    if np.allclose(np.asarray(params["b2"], dtype=float), 0.0):
        raise CheckFailed(f"{what}: b2 is still 0, its starting value: {said('train_network/biases-frozen')}")
    expect_close(got, want, what=f"the losses of {what}")
    expect_close(params["b2"], [0.06580449339578998], what=f"the final b2 of {what}",
                 nan_message="the final b2 is not finite.")
