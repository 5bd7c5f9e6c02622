"""The mistakes of 01_loss_functions in words: mse, mae, sigmoid, log_loss, neuron_mse."""

_LISTS = ("it works on NumPy arrays but fails on Python lists.",
          "convert the inputs first with np.asarray(...), as the exercise asks.")

ENTRIES: list[tuple[str, str, str]] = [
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
]
