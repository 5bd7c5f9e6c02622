"""Visible self-checks: run a few public cases on a student's function and say,
in plain words, what looks wrong.

In a notebook::

    from course import check
    check.run("mse", mse)      # one line of praise, or a diagnosis (✗ ...)
    check.hint("mse")          # a nudge that does not give the answer away

A passing check means the *public* cases pass; more tests run at grading.
A failing check prints its diagnosis and lets the notebook run on, except while
nbgrader runs the notebook (Validate, autograde): then it fails the cell.
Failures never print the expected values, only what is wrong (type, shape,
finiteness, then values) and, where it recognises one, the likely mistake.

Each assignment's problems live in ``course/checks/<topic>.py`` and are
registered with :func:`problem`.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

from .grading_state import is_grading
from .shortcuts import watching

__all__ = ["run", "verify", "hint", "hint_text", "ready", "names", "problem", "CheckFailed", "expect_close",
           "expect_true", "scaled", "negated", "transposed", "equals", "call", "Diagnosis", "MATMUL_ORDER"]


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


_REGISTRY: dict[str, Problem] = {}
_LOADED = False


def problem(name: str, hint: str) -> Callable:
    """Decorator: register a function of the student's object as a problem's cases.

    The decorated function receives the student's object and raises
    :class:`CheckFailed` (via :func:`expect_close` and friends) when something is wrong.
    """

    def register(cases_fn: Callable[[Any], None]) -> Callable[[Any], None]:
        _REGISTRY[name] = Problem(name=name, cases=[cases_fn], hint=hint)
        return cases_fn

    return register


def _load_all() -> None:
    global _LOADED
    if _LOADED:
        return
    from . import checks

    for info in pkgutil.iter_modules(checks.__path__):
        importlib.import_module(f"{checks.__name__}.{info.name}")
    _LOADED = True


def _get(name: str) -> Problem:
    _load_all()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"no check named {name!r}; known checks: {known}") from None


def names(topic: "str | None" = None) -> list[str]:
    """Every exercise that has a visible check (registered in ``course/checks/<topic>.py``, if given)."""
    _load_all()
    return sorted(name for name, prob in _REGISTRY.items()
                  if topic is None or prob.cases[0].__module__ == f"{__package__}.checks.{topic}")


class NotWritten(CheckFailed):
    """The student's function still raises the stub's ``NotImplementedError``."""


def _judge(name: str, student_object: Any) -> None:
    """Run the public cases of ``name``; raise :class:`CheckFailed` (or :class:`NotWritten`) on a problem."""
    prob = _get(name)
    try:
        with watching(name) as taken:
            for case in prob.cases:
                case(student_object)
        _expect_own_code(name, taken)
    except CheckFailed as failure:
        raise CheckFailed(f"{name}: {failure}\n(For a nudge: check.hint({name!r}))") from None
    except NotImplementedError:
        raise NotWritten(
            f"{name} is not written yet: replace the `raise NotImplementedError(...)` line "
            "with your code, run that cell, then run this check again."
        ) from None
    except Exception as exc:  # the student's code crashed: say where, briefly
        raise CheckFailed(
            f"{name} raised {type(exc).__name__}: {exc}\n"
            "Run the function on a small input in a scratch cell to see where it fails."
        ) from exc


def _expect_own_code(name: str, taken: set) -> None:
    """Fail when the answer ran one of the course's own versions of it (:data:`course.shortcuts.SHORTCUTS`)."""
    if taken:
        used = ", ".join(f"`{dotted}`" for dotted in sorted(taken))
        raise CheckFailed(f"your answer runs the course's own {used} (kept for the demos): "
                          f"write {name} yourself, from the formula in the text.")


def verify(name: str, student_object: Any) -> None:
    """Run the public checks for ``name`` strictly: print one line when all pass, else raise.

    Raises
    ------
    CheckFailed
        With a diagnosis in plain words (never the expected values).
    """
    _judge(name, student_object)
    print(f"\u2713 {name}: {_get(name).praise}")


def run(name: str, student_object: Any) -> None:
    """Run the public checks for exercise ``name`` on the student's function or value.

    Prints one line when all pass. On a problem it prints the diagnosis (starting with
    \u2717) and returns, so that Run All goes on to the next cells; while nbgrader runs
    the notebook (``nbgrader validate``, autograde) it raises :class:`CheckFailed`
    instead, so the cell fails and Validate lists it.
    """
    try:
        verify(name, student_object)
    except CheckFailed as failure:
        if is_grading():
            raise
        print("\n".join(failure._render_traceback_()))


def ready(fn: Callable, *args: Any, name: "str | None" = None) -> bool:
    """True when ``fn`` is written and passes its visible check, judged by running it.

    Demos that draw with a student's function use this so that they print a friendly
    line, instead of failing, before the exercise is done. ``fn`` is run on its
    exercise's public cases (the exercise is ``name``, by default ``fn.__name__``), quietly;
    with ``args`` and no such exercise, ``fn(*args)`` must not raise ``NotImplementedError``.
    """
    label = getattr(fn, "__name__", "that function")
    _load_all()
    problem_name = name or label
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if problem_name in _REGISTRY:
                _judge(problem_name, fn)
            elif args:
                fn(*args)
    except (NotWritten, NotImplementedError):
        print(f"\u23f3 This demo uses your `{label}`: finish that exercise above, run its cell, "
              "then run this one again.")
        return False
    except Exception:  # a wrong answer, or a crash: the check cell above says which
        print(f"\u23f3 This demo uses your `{label}`, which does not pass its check yet (its check cell "
              "above says why): fix it, run its cell, then run this one again.")
        return False
    return True


def hint(name: str) -> None:
    """Print a hint for exercise ``name`` that points the way without giving the answer."""
    print(f"Hint for {name}: {_get(name).hint}")


def hint_text(name: str) -> str:
    """The hint of exercise ``name``, or an empty string if it has no visible check."""
    _load_all()
    return _REGISTRY[name].hint if name in _REGISTRY else ""


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
