"""Offer every function the lessons' wing holds as the answer to every graded exercise.

Run as a script (``python tests/answer_scan.py``) it scans the real wing and prints, as JSON, each
exercise's findings and whether each agrees only by running a declared shortcut
(:mod:`course.shortcuts`). The test runs it in a child process: calling every function of the
course with random arguments changes global state (a check registered under ``None``, a style set).

A student installs ``course`` without ``course/instructor/``: whatever is reachable there can be
read and called. :func:`reachable` walks it (module-level functions, methods, lambdas, partials,
closures' contents, defaults, functions kept in dicts, lists and objects, and nested functions
built from their code objects); :func:`scan` calls each on the inputs the grader's probes draw
for an exercise whose arguments it accepts, and compares it with the probe's right answer
(instructor side, so only here, in a test). An agreement on every draw is an answer given away.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import inspect
import io
import json
import pkgutil
import resource
import signal
import types
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import numpy as np

import course
from course import shortcuts
from course.instructor.grading.judge.diagnosis import same
from course.instructor.probes import PROBES, Probe, right_built

#: Modules that are not library code: importing ``course.__main__`` runs the CLI.
NOT_IMPORTED = {"course.__main__"}
#: Seconds one call may take before it counts as not agreeing (a demo drawing a large figure, say).
CALL_SECONDS = 1.0
#: Bytes of address space one call may add (a demo asked for 10^9 steps must fail, not swap).
CALL_BYTES = 512 * 2**20
COMPREHENSIONS = {"<genexpr>", "<listcomp>", "<setcomp>", "<dictcomp>"}


@dataclass(frozen=True)
class Candidate:
    """A callable found in the lessons' wing, and where: ``course.descent.path``,
    ``course.checks.toolkit.REGISTRY[...]``."""

    where: str
    fn: Callable


def lesson_modules() -> list[types.ModuleType]:
    """Every module of ``course`` outside ``course.instructor``, imported."""
    found = [course]
    for info in pkgutil.walk_packages(course.__path__, "course."):
        if info.name.startswith("course.instructor") or info.name in NOT_IMPORTED:
            continue
        found.append(importlib.import_module(info.name))
    return found


def _ours(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return (module == "course" or module.startswith("course.")) and not module.startswith("course.instructor")


def _nested_functions(fn: types.FunctionType) -> Iterable[tuple[str, types.FunctionType]]:
    """Functions defined inside ``fn``, rebuilt from its code constants (cells filled with None).

    Comprehensions are skipped: their code expects an iterator CPython passes itself, and crashes on anything else.
    """
    for const in fn.__code__.co_consts:
        if isinstance(const, types.CodeType) and const.co_name not in COMPREHENSIONS:
            cells = tuple(types.CellType(None) for _ in const.co_freevars) or None
            yield const.co_qualname, types.FunctionType(const, fn.__globals__, const.co_name, None, cells)


def _needs_nothing(fn: Callable) -> bool:
    try:
        return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False


def reachable(modules: Iterable[types.ModuleType], call_factories: bool = False) -> list[Candidate]:
    """Every callable reachable from ``modules`` that the lessons' wing defines, once each.

    With ``call_factories``, each function found in a module or an object that needs no argument is
    called once (``quadratic()``, a ``make()`` that returns a closure) and what it returns is walked too.
    """
    seen: set[int] = set()
    alive: list[Any] = []  # everything walked stays referenced, so that no id is reused by a new object
    found: list[Candidate] = []
    todo: list[tuple[str, Any]] = [(m.__name__, m) for m in modules]

    def offer(where: str, fn: Callable) -> None:
        found.append(Candidate(where, fn))

    while todo:
        where, obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        alive.append(obj)
        if isinstance(obj, types.ModuleType):
            if _ours(types.SimpleNamespace(__module__=obj.__name__)):
                todo += [(f"{obj.__name__}.{k}", v) for k, v in vars(obj).items() if not k.startswith("__")]
        elif isinstance(obj, (dict, types.MappingProxyType)):
            todo += [(f"{where}[{k!r}]", v) for k, v in obj.items()]
        elif isinstance(obj, (list, tuple, set, frozenset)):
            todo += [(f"{where}[{i}]", v) for i, v in enumerate(obj)]
        elif isinstance(obj, functools.partial):
            offer(where, obj)
            todo += [(f"{where}.func", obj.func), (f"{where}.args", obj.args), (f"{where}.keywords", obj.keywords)]
        elif isinstance(obj, types.FunctionType):
            if not _ours(obj):
                continue
            offer(where, obj)
            for cell in obj.__closure__ or ():
                with contextlib.suppress(ValueError):  # an empty cell
                    todo.append((f"{where}.<closure>", cell.cell_contents))
            todo += [(f"{where}.__defaults__", obj.__defaults__ or ()),
                     (f"{where}.__kwdefaults__", obj.__kwdefaults__ or {})]
            if hasattr(obj, "__wrapped__"):
                todo.append((f"{where}.__wrapped__", obj.__wrapped__))
            todo += [(f"{where}.<code>{name}", nested) for name, nested in _nested_functions(obj)]
            if call_factories and "()" not in where and "<code>" not in where and _needs_nothing(obj):
                with contextlib.suppress(Exception):
                    todo.append((f"{where}()", _contained(obj, ())))
        elif isinstance(obj, types.MethodType):
            offer(where, obj)
            todo.append((f"{where}.__func__", obj.__func__))
        elif isinstance(obj, (staticmethod, classmethod)):
            todo.append((where, obj.__func__))
        elif isinstance(obj, property):
            todo += [(f"{where}.{part}", getattr(obj, part)) for part in ("fget", "fset") if getattr(obj, part)]
        elif isinstance(obj, type):
            if _ours(obj):
                todo += [(f"{where}.{k}", v) for k, v in vars(obj).items() if not k.startswith("__")
                         or k == "__call__"]
        elif _ours(type(obj)):  # an instance of one of the wing's classes: its fields and bound methods
            if callable(obj):
                offer(where, obj)
            with contextlib.suppress(TypeError):
                todo += [(f"{where}.{k}", v) for k, v in vars(obj).items()]
            for name, _ in inspect.getmembers(type(obj), inspect.isfunction):
                if not name.startswith("__"):
                    todo.append((f"{where}.{name}", getattr(obj, name)))
    return found


def _address_space() -> int:
    """This process's virtual memory now, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


class _TooSlow(Exception):  # noqa: N818 (raised by the alarm, caught as any Exception)
    pass


def _alarm(signum, frame):
    raise _TooSlow


def _quietly(fn: Callable, args: tuple, probe: Probe) -> Any:
    """``fn`` on a copy of ``args``, as the probe compares it, contained (:func:`_contained`)."""
    args = copy.deepcopy(args)
    return _contained(probe.run, (fn, args)) if probe.run else _contained(fn, args)


def _contained(fn: Callable, args: tuple) -> Any:
    """``fn(*args)`` without output, warnings or open figures, in bounded time and memory."""
    import matplotlib.pyplot as plt

    previous = signal.signal(signal.SIGALRM, _alarm)
    limits = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + CALL_BYTES, limits[1]))
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, limits)
        plt.close("all")


def _accepts(fn: Callable, args: tuple) -> bool:
    try:
        inspect.signature(fn).bind(*args)
    except (TypeError, ValueError):
        return False
    return True


def right_answer(exercise: str) -> Callable:
    """The model solution of ``exercise``: the probe's right function, built on the right helpers it uses."""
    return right_built(exercise)


def draws(exercise: str, seed: int = 0) -> list[tuple]:
    """The inputs the grader's probe draws for ``exercise`` (every case, every trial)."""
    rng = np.random.default_rng(seed)
    return [case.inputs(rng) for case in PROBES[exercise].cases for _ in range(case.trials)]


def _outcome(fn: Callable, args: tuple, probe: Probe) -> tuple[str, Any]:
    """``("value", answer)`` or ``("raised", the exception's class name)``, as the grader's diagnosis compares."""
    try:
        return "value", _quietly(fn, args, probe)
    except Exception as exc:  # noqa: BLE001 (raising is an outcome: the right classify_rate raises ValueError)
        return "raised", type(exc).__name__


def _same(got: tuple[str, Any], want: tuple[str, Any]) -> bool:
    if got[0] != want[0]:
        return False
    try:
        return bool(got[1] == want[1] if got[0] == "raised" else same(got[1], want[1]))
    except Exception:  # noqa: BLE001 (an answer that cannot be compared, an object with odd equality, differs)
        return False


def agrees(fn: Callable, exercise: str, inputs: list[tuple], answers: "list | None" = None) -> bool:
    """Does ``fn`` give the model solution's outcome on every one of ``inputs`` (``answers``, if known)?"""
    probe = PROBES[exercise]
    if not all(_accepts(fn, args) for args in inputs):
        return False
    answers = answers if answers is not None else [_outcome(right_answer(exercise), args, probe) for args in inputs]
    return all(_same(_outcome(fn, args, probe), want) for args, want in zip(inputs, answers))


def scan(candidates: Iterable[Candidate], exercises: Iterable[str] = tuple(PROBES)) -> dict[str, list[str]]:
    """For each exercise, where the candidates that compute its answer were found."""
    inputs = {exercise: draws(exercise) for exercise in exercises}
    answers = {exercise: [_outcome(right_answer(exercise), args, PROBES[exercise]) for args in inputs[exercise]]
               for exercise in inputs}
    hits: dict[str, list[str]] = {}
    for candidate in candidates:
        for exercise, args in inputs.items():
            if agrees(candidate.fn, exercise, args, answers[exercise]):
                hits.setdefault(exercise, []).append(candidate.where)
    return hits


def findings() -> dict[str, dict[str, bool]]:
    """Scan the real lessons' wing: exercise -> {where an answer was found: does it run a declared shortcut?}."""
    candidates = reachable(lesson_modules(), call_factories=True)
    by_place = {c.where: c.fn for c in candidates}
    return {exercise: {where: bool(shortcuts.taken(exercise, by_place[where], *draws(exercise)[0])) for where in found}
            for exercise, found in scan(candidates).items()}


if __name__ == "__main__":
    import matplotlib

    matplotlib.use("Agg")
    print(json.dumps(findings()))
