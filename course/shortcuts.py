"""The course's own code that does what an exercise asks the student to write.

The demos need a few things the exercises also ask for: the parabola ``(x - 3)**2`` and its slope
(``course.functions.quadratic(1, 3)``, drawn in 02 and 03) and the descent engine
(``course.descent.descend`` and ``path``). They stay in the lessons' wing; an answer that uses
them has not written the exercise. This list is the one place that says which, for the visible
checks (they say "write it yourself") and for the grader's flag alike.
"""
from __future__ import annotations

import contextlib
import sys
import types
from typing import Callable, Iterator

from .descent import descend, path
from .functions import quadratic

_FUNCTIONS: dict[str, tuple[Callable, ...]] = {
    "parabola": (quadratic,),
    "parabola_grad": (quadratic,),
    "gradient_descent": (descend, path),
}


def _dotted(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


#: Exercise -> the course's functions (dotted names) an answer to it must not use.
SHORTCUTS: dict[str, tuple[str, ...]] = {exercise: tuple(map(_dotted, fns)) for exercise, fns in _FUNCTIONS.items()}
_BY_NAME: dict[str, Callable] = {_dotted(fn): fn for fns in _FUNCTIONS.values() for fn in fns}


def resolve(dotted: str) -> Callable:
    """The function a dotted name in :data:`SHORTCUTS` names."""
    return _BY_NAME[dotted]


def _codes(fn: Callable) -> Iterator[types.CodeType]:
    """``fn``'s code and the code of every function defined inside it (the lambdas a factory returns)."""
    todo = [fn.__code__]
    while todo:
        code = todo.pop()
        yield code
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]


def shortcut_codes(exercise: str) -> frozenset:
    """The code objects whose running means an answer to ``exercise`` took a shortcut."""
    return frozenset(code for dotted in SHORTCUTS.get(exercise, ()) for code in _codes(resolve(dotted)))


@contextlib.contextmanager
def watching(exercise: str) -> Iterator[set]:
    """Record, in the set yielded, which of ``exercise``'s shortcuts run inside the ``with`` block.

    Identity and calls alike: ``parabola = quadratic(1, 3)`` runs the objective's lambda when called,
    ``def gradient_descent(...): return descent.path(...)`` runs ``path``.
    """
    codes = {code: dotted for dotted in SHORTCUTS.get(exercise, ()) for code in _codes(resolve(dotted))}
    taken: set = set()
    if not codes:
        yield taken
        return

    def profile(frame, event, arg):
        if event == "call" and frame.f_code in codes:
            taken.add(codes[frame.f_code])

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield taken
    finally:
        sys.setprofile(previous)


def taken(exercise: str, fn: Callable, *args) -> set:
    """The shortcuts of ``exercise`` that ``fn(*args)`` runs (errors of ``fn`` are its own business)."""
    with watching(exercise) as used:
        with contextlib.suppress(Exception):
            fn(*args)
    return used
