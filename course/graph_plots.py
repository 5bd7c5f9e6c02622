"""The two-layer network of 06_backprop as a computation graph, and why its start must be random.

:func:`draw_computation_graph` draws the forward pass (solid arrows, left to right) and
the backward pass (dashed arrows, right to left) with every quantity's shape.
:func:`symmetry_runs` trains the network from three starts with the student's ``forward``
and ``backward`` and records the hidden weights, for :func:`draw_symmetry`.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .figure_text import describe
from .plots import CYCLE, PALETTE, label

#: (name, shape, x, y) of every node of the graph.
_NODES = [("X", "(n, d)", 0.0, 1.0), ("W1", "(d, h)", 0.0, 2.2), ("b1", "(h,)", 0.0, -0.2),
          ("Z1", "(n, h)", 1.6, 1.0), ("H", "(n, h)", 3.0, 1.0), ("W2", "(h, 1)", 3.0, 2.2),
          ("b2", "(1,)", 3.0, -0.2), ("z2", "(n, 1)", 4.6, 1.0), ("p", "(n,)", 6.0, 1.0),
          ("y", "(n,)", 6.0, 2.2), ("J", "scalar", 7.4, 1.0)]
_EDGES = [("X", "Z1", "X W1 + b1"), ("W1", "Z1", ""), ("b1", "Z1", ""), ("Z1", "H", "tanh"),
          ("H", "z2", "H W2 + b2"), ("W2", "z2", ""), ("b2", "z2", ""), ("z2", "p", "sigmoid"),
          ("p", "J", "mean log loss"), ("y", "J", "")]


def draw_computation_graph(ax) -> None:
    """Forward pass (solid, left to right) and backward pass (dashed, the deltas) of the two-layer network."""
    where = {name: (x, y) for name, _, x, y in _NODES}
    params = {"W1", "b1", "W2", "b2"}
    for name, shape, x, y in _NODES:
        colour = PALETTE["orange"] if name in params else ("0.85" if name in {"X", "y"} else PALETTE["sky"])
        ax.text(x, y, f"{name}\n{shape}", ha="center", va="center", fontsize=10,
                bbox=dict(boxstyle="round,pad=0.35", fc=colour, ec="k", lw=0.8))
    for a, b, text in _EDGES:
        (xa, ya), (xb, yb) = where[a], where[b]
        ax.annotate("", xy=(xb - 0.35 * np.sign(xb - xa), yb + (0.25 if ya > yb else -0.25 if ya < yb else 0)),
                    xytext=(xa + 0.35 * np.sign(xb - xa) if xa != xb else xa, ya),
                    arrowprops=dict(arrowstyle="->", color="k", lw=1.1))
        if text:
            ax.text((xa + xb) / 2, (ya + yb) / 2 + 0.12, text, ha="center", fontsize=8)
    chain = ["J", "p", "z2", "H", "Z1"]
    for a, b in zip(chain[:-1], chain[1:]):
        (xa, ya), (xb, yb) = where[a], where[b]
        ax.annotate("", xy=(xb + 0.3, yb - 0.45), xytext=(xa - 0.3, ya - 0.45),
                    arrowprops=dict(arrowstyle="->", color=PALETTE["vermillion"], lw=1.3, ls="--"))
    for name, x in (("δz2", 4.6), ("δH", 3.0), ("δZ1", 1.6)):
        ax.text(x, 0.42, name, ha="center", color=PALETTE["vermillion"], fontsize=10)
    ax.text(3.7, -0.75, "backward pass: each δ has the shape of its quantity; parameters (orange) get "
                        "their gradients from the δ of the node they feed", ha="center", fontsize=8,
            color=PALETTE["vermillion"])
    ax.set_xlim(-0.6, 8.0)
    ax.set_ylim(-1.0, 2.7)
    ax.axis("off")
    ax.set_title("The two-layer network as a computation graph: forward (black), backward (dashed)")
    describe(ax.figure, _graph_in_words())


def _graph_in_words() -> str:
    """The graph as a sentence, from the same nodes and edges that are drawn."""
    shape = {name: shape for name, shape, _, _ in _NODES}
    steps = []
    for target in dict.fromkeys(b for _, b, _ in _EDGES):
        inputs = [a for a, b, _ in _EDGES if b == target]
        how = next(text for a, b, text in _EDGES if b == target and text)
        steps.append(f"{' and '.join(f'{a} {shape[a]}' for a in inputs)} give {target} {shape[target]} by {how}")
    return ("The two-layer network as a computation graph. Forward pass, left to right: " + "; ".join(steps)
            + ". Backward pass, dashed, right to left: J to p to z2 to H to Z1, with deltas δz2, δH and δZ1 "
              "of the same shapes; the parameters W1, b1, W2, b2 get their gradients from the delta of the "
              "node they feed.")


def symmetry_runs(forward: Callable, backward: Callable, X, y, starts: dict, *, learning_rate: float = 1.0,
                  n_steps: int = 300) -> dict:
    """Train from each start in ``starts`` (``{label: params}``) and record ``W1`` after every step.

    Returns ``{label: array of shape (n_steps + 1, d, h)}``. Uses the student's functions.
    """
    out = {}
    for name, params in starts.items():
        params = {k: np.array(v, dtype=float) for k, v in params.items()}
        history = [params["W1"].copy()]
        for _ in range(n_steps):
            _, cache = forward(params, X)
            grads = backward(params, cache, y)
            params = {k: v - learning_rate * np.asarray(grads[k], dtype=float) for k, v in params.items()}
            history.append(params["W1"].copy())
        out[name] = np.array(history)
    return out


def draw_symmetry(axes, runs: dict) -> None:
    """One panel per start: the first input's weight into each hidden unit, ``W1[0, j]``, over the steps."""
    for ax, (name, history) in zip(axes, runs.items()):
        for j, colour in zip(range(history.shape[2]), CYCLE * 3):
            ax.plot(history[:, 0, j], color=colour, lw=1.5, alpha=0.8)
        spread = float(np.ptp(history[-1], axis=1).max())
        label(ax, f"{name}\nunits differ by {spread:.3g} at the end", "step", "W1[0, j], one line per unit j")


__all__ = ["draw_computation_graph", "symmetry_runs", "draw_symmetry"]
