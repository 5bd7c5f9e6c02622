"""The mistakes of 02_parabola_descent in words: parabola, parabola_grad, gradient_descent, descend_until, challenge."""

ENTRIES: list[tuple[str, str, str]] = [
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
]
