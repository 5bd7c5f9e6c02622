"""Public checks for 08_optimizers.

Every expected number is worked out by hand in the comments from the update rules
stated in the notebook; no solution code lives here.
"""
from __future__ import annotations

import numpy as np

from ..functions import quadratic
from ..mistakes import said
from .toolkit import CheckFailed, equals, expect_close, expect_true, problem


def _moved_the_other_way(start, message="the step goes the wrong way (uphill): the update must "
                                        "subtract the learning rate times the step direction."):
    """A diagnosis for a step of the right size taken in the opposite direction."""
    start = np.asarray(start, dtype=float)

    def diagnose(got, expected):
        step, want = got - start, expected - start
        return message if np.allclose(step, -want, rtol=1e-6, atol=1e-12) and not np.allclose(want, 0) else None

    return diagnose


def _step(fn, name, params, grad, state, **hyper):
    """Call a step function and check the shape of what it returns: ``(params, state_dict)``."""
    what = f"{name}(params={params.tolist()}, grad={grad.tolist()}, state={'None' if state is None else '...'})"
    params_before = params.copy()
    state_before = {k: np.array(v, copy=True) for k, v in (state or {}).items()}
    out = fn(params, grad, state, **hyper)
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise CheckFailed(f"{what} must return a pair (new_params, new_state), but returned a "
                          f"{type(out).__name__}.")
    new_params, new_state = out
    expect_true(isinstance(new_state, dict),
                f"{what}: the new state must be a dict, got {type(new_state).__name__}.")
    expect_true(np.array_equal(params, params_before),
                f"{what} changed the params array it was given: build a new array instead of "
                "updating in place (e.g. `params - ...`, not `params -= ...`).")
    for key, before in state_before.items():
        expect_true(np.array_equal(np.asarray(state[key]), before),
                    f"{what} changed state[{key!r}] in place: build new arrays for the new state "
                    "(e.g. `v = beta * v + grad`, not `v *= beta`), so the old state stays as it was.")
    return what, new_params, new_state


def _key(state, key, what):
    expect_true(key in state, f"{what}: the state must have the key {key!r}; it has {sorted(state)}.")
    return state[key]


@problem("momentum_step",
         hint="What is the velocity on the very first step, when state is None (which shape)? Then follow "
              "the update rule in the text in its order: the new velocity first, then the step it makes.")
def _check_momentum_step(momentum_step):
    p0, g1 = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    # v1 = 0.9 * 0 + g1 = [0.5, -1]; params = [1, 2] - 0.1 * [0.5, -1] = [0.95, 2.1]
    what, p1, s1 = _step(momentum_step, "momentum_step", p0, g1, None, learning_rate=0.1, beta=0.9)
    expect_close(p1, [0.95, 2.1], what=what + " (first step, learning_rate=0.1, beta=0.9)", diagnoses=[
        _moved_the_other_way(p0, "the step goes uphill: momentum's sign is flipped. Subtract "
                                 "learning_rate * v from params (with v = beta * v + grad)."),
        equals([0.995, 2.01], "the step is 10 times too small: you used v = beta * v + (1 - beta) * grad. "
                               "This notebook's convention is v = beta * v + grad."),
    ])
    v1 = _key(s1, "v", what)
    expect_close(v1, [0.5, -1.0], what="the velocity state['v'] after the first step", diagnoses=[
        equals([-0.05, 0.1], "you stored -learning_rate * v (the other convention); this notebook "
                              "stores v = beta * v + grad."),
        equals([-0.5, 1.0], "the velocity has the wrong sign: v = beta * v + grad."),
    ])
    g2 = np.array([1.0, 1.0])
    # v2 = 0.9 * [0.5, -1] + [1, 1] = [1.45, 0.1]; params = [0.95, 2.1] - 0.1 * v2 = [0.805, 2.09]
    what, p2, s2 = _step(momentum_step, "momentum_step", np.asarray(p1, dtype=float), g2, s1,
                         learning_rate=0.1, beta=0.9)
    expect_close(p2, [0.805, 2.09], what="momentum_step's second step (state from the first)", diagnoses=[
        equals([0.85, 2.0], "the second step ignores the velocity in `state`: read state['v'] "
                             "when state is not None."),
        _moved_the_other_way([0.95, 2.1]),
    ])
    expect_close(_key(s2, "v", what), [1.45, 0.1], what="state['v'] after two steps")
    # 2-D parameters: one step from state None, learning_rate 0.5, beta 0.9 -> params - 0.5 * grad
    P, G = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[2.0, 0.0], [0.0, -2.0]])
    _, P1, _ = _step(momentum_step, "momentum_step", P, G, None, learning_rate=0.5, beta=0.9)
    expect_close(P1, [[0.0, 2.0], [3.0, 5.0]], what="momentum_step on 2 x 2 parameters")


@problem("minimize",
         hint="What does step_fn need from you each round, and what does it hand back? The state it "
              "returns is what it needs next time. How many iterates should you return, and is x0 one "
              "of them?")
def _check_minimize(minimize):
    grad = quadratic(1.0, 3.0).grad  # f = (x - 3)^2, from the demos' functions
    plain = lambda p, g, s: (p - 0.25 * g, s)  # noqa: E731
    x0 = np.array([1.0])
    what = "minimize(plain descent with rate 0.25, grad of (x - 3)^2, x0=[1.0], n_steps=3)"
    got = minimize(plain, grad, x0, 3)
    # each step halves the distance to 3: 1 -> 2 -> 2.5 -> 2.75
    arr = np.asarray(got, dtype=float)
    if arr.shape == (3, 1) and np.allclose(arr.ravel(), [2.0, 2.5, 2.75]):
        raise CheckFailed(f"{what}: {said('minimize/start-missing')}")
    if arr.shape == (1,) or arr.ndim == 0:
        raise CheckFailed(f"{what} returned only one point: return every iterate, stacked in one array.")
    expect_true(np.array_equal(x0, [1.0]), "minimize changed the x0 array it was given: copy it first "
                                           "(np.array(x0, dtype=float) makes a copy).")
    if arr.shape == (4, 1) and np.allclose(arr, arr[-1]):
        raise CheckFailed(f"{what}: {said('minimize/same-array-stored')} Append a new array (or a copy) at each step.")
    expect_close(got, [[1.0], [2.0], [2.5], [2.75]], what=what)
    calls = []

    def counting_step(p, g, s):
        calls.append(s)
        k = 0 if s is None else s["k"]
        return p - 0.25 * g, {"k": k + 1}

    minimize(counting_step, grad, [1.0, 5.0], 3)
    expect_true(len(calls) == 3, f"minimize called step_fn {len(calls)} times for n_steps=3; expected 3.")
    expect_true(calls[0] is None, "minimize must call step_fn with state None on the first step.")
    expect_true(any(c is not None for c in calls), said("minimize/state-dropped"))
    expect_true([c["k"] if isinstance(c, dict) else None for c in calls[1:]] == [1, 2],
                "minimize must hand the state returned by one step to the next step.")
    got = minimize(plain, grad, [1.0, 5.0], 0)
    expect_close(got, [[1.0, 5.0]], what="minimize(..., x0=[1.0, 5.0], n_steps=0) (just the start, shape (1, 2))")


@problem("rmsprop_step",
         hint="What does s hold between steps, and what is it before the first one? Once s is updated, "
              "where does eps go: inside the square root or after it?")
def _check_rmsprop_step(rmsprop_step):
    p0, g1 = np.array([1.0, -1.0]), np.array([0.2, -0.4])
    # s = 0.1 * g^2 = [0.004, 0.016]; sqrt(s) = [0.0632456, 0.1264911] = |g| / sqrt(10)
    # each coordinate moves by 0.01 * sqrt(10) = 0.0316228 against its gradient (eps = 1e-8 shifts the 9th digit)
    what, p1, s1 = _step(rmsprop_step, "rmsprop_step", p0, g1, None, learning_rate=0.01, beta=0.9)
    expect_close(p1, [0.9683772283983154, -0.968377225898316], what=what + " (learning_rate=0.01, beta=0.9)",
                 diagnoses=[
                     _moved_the_other_way(p0),
                     equals([0.99, -0.99], "each step is sqrt(10) times too small: the running average "
                                            "must weigh the new grad**2 by (1 - beta)."),
                 ])
    expect_close(_key(s1, "s", what), [0.004, 0.016], what="state['s'] after the first step", diagnoses=[
        equals([0.04, 0.16], "state['s'] is grad**2 itself: it must be beta * s + (1 - beta) * grad**2."),
    ])
    # eps = 0.01 makes its place visible: 0.2 / (0.0632456 + 0.01) = 2.7343, 0.4 / (0.1264911 + 0.01) = 2.9306
    what, p1, s1 = _step(rmsprop_step, "rmsprop_step", p0, g1, None, learning_rate=0.01, beta=0.9, eps=0.01)
    expect_close(p1, [0.9726945881008371, -0.9706940612813245], what=what + " with eps=0.01", diagnoses=[
        equals([0.9830969149054297, -0.9751930530821583],
                "eps is inside the square root: divide by sqrt(s) + eps, not sqrt(s + eps)."),
        equals([0.9683772283983154, -0.968377225898316], "the eps argument is ignored: use the eps you were given."),
    ])
    # second step, g = [0.1, 0.1]: s = 0.9 * [0.004, 0.016] + 0.1 * 0.01 = [0.0046, 0.0154]
    what, p2, s2 = _step(rmsprop_step, "rmsprop_step", np.asarray(p1, dtype=float), np.array([0.1, 0.1]), s1,
                         learning_rate=0.01, beta=0.9, eps=0.01)
    expect_close(_key(s2, "s", what), [0.0046, 0.0154],
                 what="state['s'] after a second step (the state must carry over)")
    expect_close(p2, [0.9598449659161142, -0.9781513643179198], what="rmsprop_step's second step")


@problem("adam_step",
         hint="In what order do things happen? If the step count is still 0 when you correct the bias, what goes "
              "wrong? Each moment has its own beta and its own correction; which values belong in the "
              "state for the next step: the corrected ones or not?")
def _check_adam_step(adam_step):
    p0, g1 = np.array([1.0, 1.0]), np.array([0.5, -2.0])
    # t = 1: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2 -> step 0.1 * g / (|g| + 1e-8) = 0.1 * sign(g)
    what, p1, s1 = _step(adam_step, "adam_step", p0, g1, None, learning_rate=0.1)
    expect_close(p1, [0.900000002, 1.0999999995], what=what + " (first step, learning_rate=0.1)",
                 nan_message=f"{what} gives NaN or infinity: on the first step t must already be 1 "
                             "when you divide by 1 - beta**t (increment t first).",
                 diagnoses=[
                     equals([0.6837724339830358, 1.3162277160168456],
                             "the first step is about 3.2 times too large: the bias correction is missing. "
                             "Divide m by 1 - beta1**t and v by 1 - beta2**t."),
                     equals([-2.1622756601696445, 4.162277160168459],
                             "only m is bias-corrected: v needs its own correction, 1 - beta2**t."),
                     equals([0.9900000002, 1.00999999995],
                             "only v is bias-corrected: m needs its own correction, 1 - beta1**t."),
                     _moved_the_other_way(p0),
                 ])
    expect_true(_key(s1, "t", what) == 1, f"{what}: state['t'] must be 1 after the first step.")
    expect_close(_key(s1, "m", what), [0.05, -0.2], what="state['m'] after the first step (uncorrected)", diagnoses=[
        equals([0.5, -2.0], "state['m'] holds the bias-corrected value: store m itself, correct a copy."),
    ])
    expect_close(_key(s1, "v", what), [0.00025, 0.004], what="state['v'] after the first step (uncorrected)")
    # t = 2 with g = [0.5, 1]: m = [0.095, -0.08], v = [0.00049975, 0.004996]
    what, p2, s2 = _step(adam_step, "adam_step", np.asarray(p1, dtype=float), np.array([0.5, 1.0]), s1,
                         learning_rate=0.1)
    expect_close(p2, [0.8000000040000006, 1.1266337032975684], what="adam_step's second step (state carried over)")
    expect_true(s2.get("t") == 2, "state['t'] must be 2 after two steps.")
    # tiny gradients: v_hat = 1e-8, so eps = 1e-8 matters. Outside the root: 0.1 * 1e-4 / (1e-4 + 1e-8)
    small = np.array([1e-4, -1e-4])
    what, p1, _ = _step(adam_step, "adam_step", p0, small, None, learning_rate=0.1)
    expect_close(p1, [0.9000099990001, 1.0999900009999], what=what + " (tiny gradients)", diagnoses=[
        equals([0.9292893218813453, 1.0707106781186548],
                "eps is inside the square root: divide by sqrt(v_hat) + eps, not sqrt(v_hat + eps)."),
        # Kingma and Ba's "efficient" form: rate * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + eps).
        equals([0.900315230918326, 1.099684769081674],
                "this is Kingma and Ba's 'efficient' form (corrections folded into the rate, eps added to "
                "sqrt(v)); it differs where eps matters. Implement exactly the notebook's formula: "
                "m_hat / (sqrt(v_hat) + eps)."),
    ])
