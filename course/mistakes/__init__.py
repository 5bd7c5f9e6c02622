"""The catalogue of common mistakes: each one named once, with what went wrong and a hint.

A mistake has a stable id, ``<exercise>/<slug>`` (``mse/sum-not-mean``). The visible checks
(:mod:`course.check`, ``course/checks/``) quote its message when they recognise it on their
public cases; the grader recognises the same mistakes on inputs the student never saw, records
the id per student and test cell, and quotes the message and hint in the student's feedback.

Two kinds of mistake exist for every exercise without being listed: ``<exercise>/not-written``
(``NotImplementedError`` from a stub: the exercise's own, or one it calls) and
``<exercise>/hard-coded`` (the same answer whatever the input). A third is a knock-on, not a
mistake of the exercise itself: ``<exercise>/uses-wrong-<helper>`` (``train/uses-wrong-loss_gradient``),
a function that is right around the student's own helper, which is wrong. A wrong answer the
grader cannot name is :data:`UNRECOGNISED`.

The catalogue is kept per assignment, one module each, named as its check module in
``course/checks/`` (``loss_functions.py`` holds 01's mistakes); the instructor's probes of the same
name (``course/instructor/probes/``) recognise them. Nothing here computes an answer: the catalogue
only describes mistakes in words, so it ships in the student's package.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import backprop, learning_rate, logistic, loss_functions, matrix_weights, optimizers, parabola, stochastic

__all__ = ["Mistake", "UNRECOGNISED", "KNOCK_ON", "describe", "said", "exercise_of", "knock_on", "is_knock_on",
           "known_ids"]

#: What the grader records for a wrong answer that matches no catalogued mistake.
UNRECOGNISED = "unrecognised"
#: The kind of a knock-on id: ``<exercise>/uses-wrong-<helper>``.
KNOCK_ON = "uses-wrong-"


@dataclass(frozen=True)
class Mistake:
    """One common mistake: its id, what went wrong in plain words, and a hint towards the fix."""

    id: str
    message: str
    hint: str

    @property
    def exercise(self) -> str:
        return exercise_of(self.id)


def exercise_of(mistake_id: str) -> str:
    """The exercise a mistake id belongs to (``mse`` for ``mse/sum-not-mean``; empty if it has none)."""
    return mistake_id.split("/", 1)[0] if "/" in mistake_id else ""


_GENERIC = {
    "not-written": ("it raises NotImplementedError: this function, or one it calls, is not written yet.",
                    "replace each `raise NotImplementedError(...)` line left with your code and run its cell."),
    "hard-coded": ("it returns the same answer whatever the input: a value typed in for the public check "
                   "cannot be right on other inputs.",
                   "compute the result from the arguments, so that other inputs give other answers."),
}



def knock_on(exercise: str, helper: str) -> str:
    """The id of a right ``exercise`` built on the student's own wrong ``helper``."""
    return f"{exercise}/{KNOCK_ON}{helper}"


def is_knock_on(mistake_id: str) -> bool:
    """Is the id a knock-on of a wrong helper, not a mistake of its exercise's own code?"""
    return mistake_id.partition("/")[2].startswith(KNOCK_ON)


def _knock_on_entry(mistake_id: str, helper: str) -> Mistake:
    return Mistake(mistake_id, f"it is built on your {helper}, which is wrong: this function itself may be right, "
                               f"but it cannot give right answers until {helper} does.",
                   f"fix {helper} first (see its exercise and its check), then run this cell again.")


#: Each assignment's mistakes, in the syllabus's order (a module per check module of ``course/checks/``).
ASSIGNMENTS = (loss_functions, parabola, learning_rate, matrix_weights, logistic, backprop, stochastic, optimizers)

_CATALOGUE: dict[str, Mistake] = {mid: Mistake(mid, message, hint)
                                  for module in ASSIGNMENTS for mid, message, hint in module.ENTRIES}


def describe(mistake_id: str) -> "Mistake | None":
    """The catalogue's entry for ``mistake_id`` (generic kinds included); None for an unknown id."""
    if mistake_id in _CATALOGUE:
        return _CATALOGUE[mistake_id]
    exercise, _, kind = mistake_id.partition("/")
    if exercise and kind in _GENERIC:
        return Mistake(mistake_id, *_GENERIC[kind])
    if exercise and kind.startswith(KNOCK_ON) and kind != KNOCK_ON:
        return _knock_on_entry(mistake_id, kind.removeprefix(KNOCK_ON))
    return None


def said(mistake_id: str) -> str:
    """The plain-words message of a catalogued mistake (for the visible checks)."""
    entry = describe(mistake_id)
    if entry is None:
        raise KeyError(f"no mistake {mistake_id!r} in the catalogue")
    return entry.message


def known_ids(exercise: "str | None" = None) -> list[str]:
    """The listed mistake ids (of one exercise, if given), in catalogue order."""
    return [mid for mid in _CATALOGUE if exercise is None or exercise_of(mid) == exercise]
