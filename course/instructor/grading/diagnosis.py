"""Name the mistake behind a failed test: call the student's function on fresh inputs, in the grader.

For each exercise with a probe (:mod:`.probes`), the grader holds the right function and one
wrong implementation per catalogued mistake (:mod:`course.mistakes` describes them in words). When a
test cell fails, :func:`diagnose` calls the student's function (through the judge's proxy, so it
runs in the student's kernel on plain data) on inputs drawn from the grader's generator, and
computes the right and the wrong answers here. A mistake is named only when the student's
outcomes (values, or the built-in class of an exception) equal that wrong implementation's on
every input **and** differ from the right one on at least one: an answer that is right on
every probe, however it is written, is never given a mistake id.

The probes hold references (right answers): they belong to the instructor's wing, which a
grading kernel cannot see.
"""
from __future__ import annotations

import builtins
import copy
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ... import mistakes
from .probes import PROBES


@dataclass(frozen=True)
class Outcome:
    """What one call gave: a value, or the nearest built-in class of the exception it raised."""

    value: Any = None
    raised: str = ""


def _builtin_name(exc: BaseException) -> str:
    for cls in type(exc).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "Exception"


def _grader_outcome(fn: Callable, args: tuple, errstate: "dict | None") -> Outcome:
    try:
        with np.errstate(**(errstate or {"all": "ignore"})):
            return Outcome(fn(*copy.deepcopy(args)))
    except Exception as exc:  # noqa: BLE001 (a wrong implementation that raises is a mistake's signature)
        return Outcome(raised=_builtin_name(exc))


def _student_outcome(student: Callable, args: tuple, errstate: "dict | None") -> Outcome:
    call = student.strict(**errstate) if errstate and hasattr(student, "strict") else student
    try:
        return Outcome(call(*copy.deepcopy(args)))
    except Exception as exc:  # noqa: BLE001 (the judge re-raises the student's exception as its built-in class)
        return Outcome(raised=_builtin_name(exc))


def same(a: Any, b: Any) -> bool:
    """Do two answers agree (numbers and arrays to 1e-6, same shape; dicts, lists, tuples entry by entry)?"""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and \
            all(same(a[k], b[k]) for k in a)
    try:
        x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            return len(a) == len(b) and all(same(u, v) for u, v in zip(a, b))
        return False
    if x.shape != y.shape and not (x.size == y.size == 1):
        return False
    return bool(np.allclose(x.reshape(y.shape), y, rtol=1e-6, atol=1e-9, equal_nan=True))


def _agree(a: Outcome, b: Outcome) -> bool:
    if a.raised or b.raised:
        return a.raised == b.raised
    return same(a.value, b.value)


def diagnose(exercise: str, student: Callable, rng: np.random.Generator) -> "str | None":
    """The id of the catalogued mistake the student's function makes, :data:`UNRECOGNISED`, or None.

    None means the function was right on every probe (it failed the hidden tests for another
    reason, or the exercise has no probe); the caller then records :data:`UNRECOGNISED`.
    The judge's own stops (timeouts, a dead kernel) pass through.
    """
    probe = PROBES.get(exercise)
    if probe is None:
        return None
    draws = [(case, case.inputs(rng)) for case in probe.cases for _ in range(case.trials)]
    got = [_student_outcome(student, args, case.errstate) for case, args in draws]
    if any(o.raised == "NotImplementedError" for o in got):
        return f"{exercise}/not-written"
    right = [_grader_outcome(probe.right, args, case.errstate) for case, args in draws]
    if all(_agree(g, r) for g, r in zip(got, right)):
        return None
    for mistake_id, wrong in probe.wrong.items():
        expected = [_grader_outcome(wrong, args, case.errstate) for case, args in draws]
        if all(_agree(g, w) for g, w in zip(got, expected)):
            return mistake_id
    values = [o for o in got if not o.raised]
    if len(values) == len(got) > 1 and all(same(v.value, values[0].value) for v in values) and \
            not all(_agree(r, right[0]) for r in right):
        return f"{exercise}/hard-coded"
    return mistakes.UNRECOGNISED


def explanation(exercise: str, mistake_id: str) -> str:
    """What the student reads under a failed test: the mistake in plain words and its hint.

    Never the inputs, the expected values or the test: only the catalogue's words (for an
    unrecognised mistake, the exercise's own hint).
    """
    entry = mistakes.describe(mistake_id)
    if entry is not None:
        return f"What went wrong: {entry.message}\nHint: {entry.hint}"
    from ... import check

    hint = check.hint_text(exercise)
    return f"Hint: {hint}" if hint else ""
