"""What a probe is made of, and the helpers several assignments' probes share.

A :class:`Probe` holds, for one exercise, the kinds of input to draw (:class:`Case`), the right
function and the catalogued wrong ones, keyed by their ids in :mod:`course.mistakes`. Where the ways
of writing one mistake give different answers (a clip at any fixed number, an overflow of any kind),
the id holds a :class:`Trait` instead, what all of them give, or a tuple of implementations, any one
of which is the mistake. An exercise whose answer is a value (``my_rate``, ``W1``) has an
:class:`Answer` instead: rules on the values, each true only of one mistake.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..grading.judge.judge import call_and_report

#: Where the inputs of one probe call come from: the grader's generator -> positional arguments.
Inputs = Callable[[np.random.Generator], tuple]


@dataclass(frozen=True)
class Case:
    """One kind of input an exercise is probed with (``trials`` draws), optionally under ``np.errstate``."""

    inputs: Inputs
    trials: int = 2
    errstate: "dict | None" = None


@dataclass(frozen=True)
class Probe:
    """How to tell an exercise's right answer from its catalogued mistakes.

    ``run(fn, args)`` is how one draw calls a function and what of it is compared (by default the
    value of ``fn(*args)``): it may call it more than once (is a shuffle repeatable?) or look at an
    argument afterwards (was it changed in place?). ``uses`` names the student's own functions the
    exercise calls (``train`` calls ``loss`` and ``loss_gradient``): the right and the wrong
    implementations call the student's, given as keyword arguments, so that a mistake named is the
    exercise's own and never one of a function it calls.
    """

    cases: list[Case]
    right: Callable
    # mistake id -> its wrong implementation, a tuple of them (any one), or a trait
    wrong: "dict[str, Callable | tuple | Trait]" = field(default_factory=dict)
    run: "Callable[[Callable, tuple], Any] | None" = None
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trait:
    """A mistake defined by what every implementation of it gives, where they may differ among themselves.

    ``holds(args, value, raised)`` says whether one draw's outcome (the ``run`` of the student's
    function: its value, or the built-in class of what it raised, see :data:`OVERFLOW`) shows the
    mistake; it never holds for the right answer's outcome. A clip at any fixed number, an overflow
    of any kind: one trait each, where one wrong implementation would name one way of writing it.
    """

    holds: Callable[[tuple, Any, str], bool]


#: What any overflow is recorded as: ``OverflowError`` (``math.exp``) and ``FloatingPointError``
#: (NumPy under ``np.errstate(over="raise")``) are one mistake, however the exponential was taken.
OVERFLOW = "OverflowError"


@dataclass(frozen=True)
class Answer:
    """How to name the mistake behind a value answer: the names it is kept in, and one rule per mistake.

    A rule takes the values (in the order of ``names``) and holds only for an answer that fails the
    hidden tests for that reason: a right answer never meets one.
    """

    names: tuple[str, ...]
    rules: dict[str, Callable[..., bool]]  # mistake id -> does the answer show it?


def keeps(position: int) -> Callable[[Callable, tuple], tuple]:
    """A ``run`` that also says whether the function left its argument at ``position`` as it was."""
    def run(fn: Callable, args: tuple) -> tuple:
        out, left = call_and_report(fn, *args)
        return out, bool(np.array_equal(np.asarray(left[position]), np.asarray(args[position])))
    return run


def floats(a: Any) -> np.ndarray:
    """``a`` as a float array (a list, a number or an array)."""
    return np.asarray(a, dtype=float)


def close(value: Any, expected: Any) -> bool:
    """Is a value the expected number or array (to 1e-6, same size)?"""
    try:
        v, e = floats(value), floats(expected)
    except (TypeError, ValueError):
        return False
    return v.size == e.size and bool(np.allclose(v.reshape(e.shape), e, rtol=1e-6, atol=1e-9))


def stable_sigmoid(z: Any) -> np.ndarray:
    """The logistic function 1 / (1 + e^(-z)), entry by entry, with no overflow for any z (e^(-|z|) only)."""
    z = floats(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def variant(fn: Callable, **options: Any) -> Callable:
    """``fn`` with keyword ``options`` set: one wrong way of a right implementation that takes them as switches."""
    return lambda *args, **helpers: fn(*args, **helpers, **options)
