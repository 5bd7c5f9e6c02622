"""The mistakes of 06_backprop in words: forward, backward, train_network."""

ENTRIES: list[tuple[str, str, str]] = [
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
]
