"""Seeded starting weights for the two-layer network of 06_backprop.

The shapes are the notebook's contract: ``W1`` is ``(n_inputs, n_hidden)``, ``b1`` is
``(n_hidden,)``, ``W2`` is ``(n_hidden, 1)`` and ``b2`` is ``(1,)``. Weights are drawn at
random (a network whose hidden units start equal stays symmetric: every unit gets the
same gradient and they never learn different features); biases start at zero.
"""
from __future__ import annotations

import numpy as np


def init_two_layer(n_inputs: int, n_hidden: int, seed: int = 0) -> dict:
    """``{"W1", "b1", "W2", "b2"}`` with normal weights of variance ``1 / fan_in`` and zero biases.

    Scaling by ``1 / sqrt(fan_in)`` keeps each pre-activation of order 1, so ``tanh``
    starts in its steep middle rather than on its flat tails.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((n_inputs, n_hidden)) / np.sqrt(n_inputs),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_hidden, 1)) / np.sqrt(n_hidden),
        "b2": np.zeros(1),
    }
