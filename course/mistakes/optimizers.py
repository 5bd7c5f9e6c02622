"""The mistakes of 08_optimizers in words: minimize, momentum_step, rmsprop_step, adam_step."""

ENTRIES: list[tuple[str, str, str]] = [
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
]
