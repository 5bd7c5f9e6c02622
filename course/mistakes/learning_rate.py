"""The mistakes of 03_learning_rate in words: classify_rate, ideal_rate, newton_step."""

ENTRIES: list[tuple[str, str, str]] = [
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
]
