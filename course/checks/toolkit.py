"""What a visible check is built from: the problem registry, the failure it raises, and the
comparisons its cases make (values close, known mistakes recognised, never the expected values shown).

Each topic module of :mod:`course.checks` registers its problems here with :func:`problem`;
:mod:`course.check` runs them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np


class CheckFailed(AssertionError):
    """A visible check found a problem. Shown without a long traceback in Jupyter."""

    def _render_traceback_(self):  # IPython calls this instead of printing the traceback
        return [f"\u2717 {line}" if i == 0 else f"  {line}" for i, line in enumerate(str(self).splitlines())]


#: A diagnosis looks at (got, expected) and returns a message when it recognises a mistake.
Diagnosis = Callable[[np.ndarray, np.ndarray], "str | None"]


@dataclass
class Problem:
    """One exercise: its public cases (callables taking the student's object) and a hint."""

    name: str
    cases: list[Callable[[Any], None]]
    hint: str
    praise: str = "public checks passed; more tests run at grading."


#: Every exercise with a visible check, by name: filled as the topic modules of :mod:`course.checks` load.
REGISTRY: dict[str, Problem] = {}


def problem(name: str, hint: str) -> Callable:
    """Decorator: register a function of the student's object as a problem's cases.

    The decorated function receives the student's object and raises
    :class:`CheckFailed` (via :func:`expect_close` and friends) when something is wrong.
    """

    def register(cases_fn: Callable[[Any], None]) -> Callable[[Any], None]:
        REGISTRY[name] = Problem(name=name, cases=[cases_fn], hint=hint)
        return cases_fn

    return register


# --- building blocks for cases -------------------------------------------------------

def scaled(factor: float, message: str) -> Diagnosis:
    """Recognise a result that is ``factor`` times the right one."""

    def diagnose(got, expected):
        if np.allclose(got, factor * expected, rtol=1e-6, atol=1e-12) and not np.allclose(expected, 0):
            return message
        return None

    return diagnose


def negated(message: str = "the result has the opposite sign: check the sign of each term "
                           "(a sign error flips the direction of every step).") -> Diagnosis:
    """Recognise the negative of the right result."""
    return scaled(-1.0, message)


def transposed(message: str = "the entries are right but transposed: check the order of the "
                              "factors in your outer or matrix product.") -> Diagnosis:
    """Recognise the transpose of the right matrix."""

    def diagnose(got, expected):
        if got.ndim == 2 and got.T.shape == expected.shape and got.shape != expected.shape:
            return message
        if got.ndim == 2 and got.shape == expected.shape and got.shape[0] == got.shape[1] \
                and not np.allclose(expected, expected.T) and np.allclose(got, expected.T):
            return message
        return None

    return diagnose


def equals(target: Any, message: str) -> Diagnosis:
    """Recognise a result equal to ``target`` (same shape), the output of a known wrong formula."""
    target = np.asarray(target, dtype=float)

    def diagnose(got, expected):
        if got.shape == target.shape and np.allclose(got, target, rtol=1e-6, atol=1e-9):
            return message
        return None

    return diagnose


_LISTS = "works on NumPy arrays but not on Python lists: convert the inputs first with np.asarray(...)."
#: The course's convention for a linear layer, quoted when a student writes ``W @ x``.
MATMUL_ORDER = ("use the course's convention `x @ W` (x of shape (d,), W of shape (d, k)); "
                "`W @ x` is a different model.")


def call(fn: Callable, *args: Any, what: str, **kwargs: Any) -> Any:
    """Call a student's function; the errors beginners meet become plain messages (:class:`CheckFailed`).

    A ``TypeError`` from ``^`` (xor in Python, not a power), a ``TypeError`` on Python list
    inputs (array arithmetic on lists), and a ``ValueError`` from a matrix product whose
    shapes do not line up (``W @ x``). Anything else propagates.
    """
    try:
        return fn(*args, **kwargs)
    except TypeError as exc:
        if "^" in str(exc):
            raise CheckFailed(f"{what}: in Python `^` is not a power (it is bitwise xor); write `**`.") from None
        if any(isinstance(a, list) for a in args):
            raise CheckFailed(f"{what}: {_LISTS} ({exc})") from None
        raise
    except ValueError as exc:
        if any(word in str(exc) for word in ("matmul", "shapes", "aligned")):
            raise CheckFailed(f"{what} raised a shape error ({exc}): {MATMUL_ORDER}") from None
        raise


def _as_array(value: Any, what: str) -> np.ndarray:
    if value is None:
        raise CheckFailed(f"{what} returned None: did you forget `return`?")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} returned a {type(value).__name__}, not a number or array.") from None
    return arr


def expect_close(got: Any, expected: Any, *, what: str, diagnoses: Iterable[Diagnosis] = (),
                 nan_message: str | None = None, rtol: float = 1e-6, atol: float = 1e-9,
                 scalar: bool | None = None) -> None:
    """Fail with a clear message unless ``got`` matches ``expected``.

    Checks, in order: something numeric was returned, a scalar where a scalar is due,
    the shape, finiteness, then the values (running ``diagnoses`` on a mismatch).
    """
    expected = np.asarray(expected, dtype=np.float64)
    arr = _as_array(got, what)
    if scalar is None:
        scalar = expected.ndim == 0
    if scalar and arr.size != 1:
        raise CheckFailed(f"{what} should return a single number, but returned an array of shape {arr.shape}: "
                          "did you forget to average?")
    if not scalar and arr.shape != expected.shape:
        raise CheckFailed(f"{what} returned shape {arr.shape}, but shape {expected.shape} was expected.")
    arr = arr.reshape(expected.shape)
    bad = ~np.isfinite(arr) & np.isfinite(expected)
    if bad.any():
        raise CheckFailed(nan_message or f"{what} returned NaN or infinity where a finite value was expected.")
    if np.allclose(arr, expected, rtol=rtol, atol=atol, equal_nan=True):
        return
    for diagnose in diagnoses:
        message = diagnose(arr, expected)
        if message:
            raise CheckFailed(f"{what}: {message}")
    raise CheckFailed(f"{what} returned a wrong value.")


def expect_true(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)
