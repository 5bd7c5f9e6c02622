"""Name the mistake behind a failed test: call the student's function on fresh inputs, in the grader.

For each exercise with a probe (:mod:`course.instructor.probes`), the grader holds the right function and one
wrong implementation per catalogued mistake (:mod:`course.mistakes` describes them in words). When a
test cell fails, :func:`diagnose` calls the student's function (through the judge's proxy, so it
runs in the student's kernel on plain data) on inputs drawn from the grader's generator, and
computes the right and the wrong answers here. A mistake is named only when the student's
outcomes (values, or the built-in class of an exception) equal that wrong implementation's on
every input **and** differ from the right one on at least one: an answer that is right on
every probe, however it is written, is never given a mistake id.

A mistake whose implementations differ among themselves (a clip at any fixed number, an
overflow of any kind) is a :class:`course.instructor.probes.Trait`: what every one of them gives, on each draw.

An exercise that calls the student's other functions (``train`` calls ``loss_gradient``) is
judged against its own right and wrong versions built on those same functions, called in the
kernel too (and on the grader's right ones, for a student who wrote the helper's work inline):
a training loop that is right around a wrong gradient is the knock-on
``train/uses-wrong-loss_gradient``, never a mistake of its own. A value answer (``my_rate``,
``W1``) is named by its exercise's rules (:data:`course.instructor.probes.ANSWERS`), each of which holds only for
an answer that fails for that reason; a stub left in place is ``not-written``.

The probes hold references (right answers): they belong to the instructor's wing, which a
grading kernel cannot see.
"""
from __future__ import annotations

import builtins
import copy
import functools
import itertools
import pickle
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .... import check, mistakes
from ...probes import ANSWERS, OVERFLOW, PROBES, Probe, Trait, right_built

#: Exceptions that are one mistake, whatever raised them: NumPy's overflow under np.errstate is math's.
_ALIKE = {"FloatingPointError": OVERFLOW}


@dataclass(frozen=True)
class Outcome:
    """What one call gave: a value, or the nearest built-in class of the exception it raised."""

    value: Any = None
    raised: str = ""


def _builtin_name(exc: BaseException) -> str:
    for cls in type(exc).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return _ALIKE.get(cls.__name__, cls.__name__)
    return "Exception"


def _called(probe: Probe, fn: Callable, args: tuple) -> Any:
    args = copy.deepcopy(args)
    return probe.run(fn, args) if probe.run else fn(*args)


def _grader_outcome(probe: Probe, fn: Callable, args: tuple, errstate: "dict | None") -> Outcome:
    try:
        with np.errstate(**(errstate or {"all": "ignore"})):
            return Outcome(_called(probe, fn, args))
    except Exception as exc:  # noqa: BLE001 (a wrong implementation that raises is a mistake's signature)
        return Outcome(raised=_builtin_name(exc))


def _student_outcome(probe: Probe, student: Callable, args: tuple, errstate: "dict | None") -> Outcome:
    call = student.strict(**errstate) if errstate and hasattr(student, "strict") else student
    try:
        return Outcome(_called(probe, call, args))
    except Exception as exc:  # noqa: BLE001 (the judge re-raises the student's exception as its built-in class)
        return Outcome(raised=_builtin_name(exc))


class _Remembered:
    """One of the student's functions, called once per distinct argument however many implementations ask."""

    def __init__(self, fn: Callable) -> None:
        self.fn, self.seen = fn, {}

    def __call__(self, *args: Any) -> Any:
        try:
            key = pickle.dumps(args)
        except Exception:  # noqa: BLE001 (an argument that cannot be a key is simply not remembered)
            return self.fn(*copy.deepcopy(args))
        if key not in self.seen:
            try:
                self.seen[key] = (True, self.fn(*copy.deepcopy(args)))
            except Exception as exc:  # noqa: BLE001 (the same call raises the same again)
                self.seen[key] = (False, exc)
        ok, value = self.seen[key]
        if not ok:
            raise value
        return copy.deepcopy(value)


def same(a: Any, b: Any) -> bool:
    """Do two answers agree (numbers and arrays to 1e-6, same shape; strings exactly; dicts, lists, tuples entry
    by entry)?"""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
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


def _matches(probe: Probe, draws: list, got: list[Outcome], fn: "Callable | tuple | Trait", helpers: dict) -> bool:
    """Does the student's every outcome show ``fn``: a trait's, or the outcomes of an implementation on ``helpers``
    (of one of them, for a tuple)?"""
    if isinstance(fn, tuple):
        return any(_matches(probe, draws, got, one, helpers) for one in fn)
    if isinstance(fn, Trait):
        return all(fn.holds(args, g.value, g.raised) for (_, args), g in zip(draws, got))
    call = functools.partial(fn, **helpers)
    return all(_agree(g, _grader_outcome(probe, call, args, case.errstate)) for (case, args), g in zip(draws, got))


def _wrong_helper(names: tuple, helper: Callable[[str], Callable], rng: np.random.Generator) -> "str | None":
    """The first of the student's helpers ``names`` that its own probe finds wrong, or None."""
    for name in names:
        if diagnose(name, helper(name), rng, helper) is not None:
            return name
    return None


def _bases(probe: Probe, own: dict) -> list[tuple[dict, tuple]]:
    """Every way to build on the helpers: each the student's own or the grader's right one (all own first).

    Each base comes with the names it takes from the student. A student may call one helper and
    write another's work in place, so every mix is tried.
    """
    layouts = itertools.product(*[[(name, True), (name, False)] for name in probe.uses])
    return [({name: own[name] if mine else right_built(name) for name, mine in layout},
             tuple(name for name, mine in layout if mine)) for layout in layouts]


def diagnose(exercise: str, student: Callable, rng: np.random.Generator,
             helper: "Callable[[str], Callable] | None" = None) -> "str | None":
    """The id of the catalogued mistake the student's function makes, :data:`UNRECOGNISED`, or None.

    ``helper(name)`` gives the student's function ``name`` (the judge's proxy), for the exercises
    whose probe ``uses`` them. None means the function was right on every probe, on right helpers
    (it failed the hidden tests for another reason, or the exercise has no probe); the caller then
    records :data:`UNRECOGNISED`. Right on the student's own helpers, one of them wrong, or no
    mistake of its own found while one of them is wrong (a predict of the wrong shape leaves no
    right answer to compare with): the knock-on id :func:`course.mistakes.knock_on`, whose words say
    that the function itself may be right. The judge's own stops (timeouts, a dead kernel) pass through.
    """
    probe = PROBES.get(exercise)
    if probe is None or (probe.uses and helper is None):
        return None
    own = {name: _Remembered(helper(name)) for name in probe.uses}
    bases = _bases(probe, own)
    draws = [(case, case.inputs(rng)) for case in probe.cases for _ in range(case.trials)]
    got = [_student_outcome(probe, student, args, case.errstate) for case, args in draws]
    if any(o.raised == "NotImplementedError" for o in got):
        return f"{exercise}/not-written"
    for base, mine in bases:  # right, on the grader's helpers or on some of the student's own
        if _matches(probe, draws, got, probe.right, base):
            wrong_helper = _wrong_helper(mine, helper, rng)
            return mistakes.knock_on(exercise, wrong_helper) if wrong_helper else None
    for mistake_id, wrong in probe.wrong.items():
        if any(_matches(probe, draws, got, wrong, base) for base, _ in bases):
            return mistake_id
    right = [_grader_outcome(probe, functools.partial(probe.right, **bases[-1][0]), args, case.errstate)
             for case, args in draws]
    values = [o for o in got if not o.raised]
    if len(values) == len(got) > 1 and all(same(v.value, values[0].value) for v in values) and \
            not all(_agree(r, right[0]) for r in right):
        return f"{exercise}/hard-coded"
    # no mistake of its own found: a wrong helper of the student's explains the failure before anything else
    wrong_helper = _wrong_helper(probe.uses, helper, rng)
    return mistakes.knock_on(exercise, wrong_helper) if wrong_helper else mistakes.UNRECOGNISED


def diagnose_answer(exercise: str, values: dict, unwritten: bool = False) -> "str | None":
    """The id of the catalogued mistake a value answer shows (``values``: its names found in the notebook), or None.

    ``unwritten``: the answer's cell raised ``NotImplementedError`` (its stub, or a function it
    calls). That, or every name still None as the stub leaves it, is ``<exercise>/not-written``.
    """
    answer = ANSWERS.get(exercise)
    if answer is None:
        return None
    if unwritten or all(name in values and values[name] is None for name in answer.names):
        return f"{exercise}/not-written"
    if any(name not in values for name in answer.names):
        return None
    for mistake_id, holds in answer.rules.items():
        try:
            if holds(*(values[name] for name in answer.names)):
                return mistake_id
        except Exception:  # noqa: BLE001 (an answer a rule cannot read is not that mistake)
            continue
    return None


def explanation(exercise: str, mistake_id: str) -> str:
    """What the student reads under a failed test: the mistake in plain words and its hint.

    Never the inputs, the expected values or the test: only the catalogue's words (for an
    unrecognised mistake, the exercise's own hint).
    """
    entry = mistakes.describe(mistake_id)
    if entry is not None:
        return f"What went wrong: {entry.message}\nHint: {entry.hint}"

    hint = check.hint_text(exercise)
    return f"Hint: {hint}" if hint else ""
