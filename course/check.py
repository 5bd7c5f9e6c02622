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

Each assignment's problems live in ``course/checks/<topic>.py``, built from and registered with
:mod:`course.checks.toolkit`.
"""
from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Callable

import numpy as np

from .checks import TOPICS  # noqa: F401  (importing them registers every visible check)
from .checks.toolkit import REGISTRY, CheckFailed, Problem
from .grading_state import is_grading
from .shortcuts import watching

__all__ = ["run", "verify", "hint", "hint_text", "ready", "names", "CheckFailed"]


def _get(name: str) -> Problem:
    try:
        return REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"no check named {name!r}; known checks: {known}") from None


def names(topic: "str | None" = None) -> list[str]:
    """Every exercise that has a visible check (registered in ``course/checks/<topic>.py``, if given)."""
    return sorted(name for name, prob in REGISTRY.items()
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
    problem_name = name or label
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), \
                np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if problem_name in REGISTRY:
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
    return REGISTRY[name].hint if name in REGISTRY else ""
