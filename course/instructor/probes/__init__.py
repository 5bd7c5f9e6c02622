"""The grader's probes: for each exercise, inputs to try, the right function and the catalogued wrong ones.

One module per assignment, named as its visible checks in ``course/checks/`` and its mistakes'
words in ``course/mistakes/`` (``loss_functions.py`` holds 01's probes); what a probe is made of
is :mod:`.core`. Inputs come from the grader's generator (fresh for every notebook graded). These
are references (right answers), so they live in the instructor's wing, which neither a grading
kernel nor the student's package sees; :mod:`..grading.diagnosis` and ``descent release``
(:mod:`..grading.expected`) use them, through :data:`PROBES`, :data:`ANSWERS` and :func:`right_built`.
"""
from __future__ import annotations

import functools
from types import ModuleType
from typing import Callable

from . import backprop, learning_rate, logistic, loss_functions, matrix_weights, optimizers, parabola, stochastic
from .core import OVERFLOW, Answer, Case, Inputs, Probe, Trait

__all__ = ["ANSWERS", "ASSIGNMENTS", "OVERFLOW", "PROBES", "Answer", "Case", "Inputs", "Probe", "Trait",
           "gathered", "right_built"]

#: Each assignment's probes, in the syllabus's order (a module per check module of ``course/checks/``).
ASSIGNMENTS: tuple[ModuleType, ...] = (loss_functions, parabola, learning_rate, matrix_weights, logistic, backprop,
                                       stochastic, optimizers)


def gathered(kind: str) -> dict:
    """Every assignment's ``PROBES`` (or ``ANSWERS``), keyed by exercise; an exercise probed twice is an error.

    Parameters
    ----------
    kind : str
        ``"PROBES"`` (exercises whose answer is a function) or ``"ANSWERS"`` (a value).
    """
    found: dict = {}
    for module in ASSIGNMENTS:
        for exercise, probe in getattr(module, kind, {}).items():
            if exercise in found:
                raise ValueError(f"{exercise} is probed twice ({module.__name__} and another assignment)")
            found[exercise] = probe
    return found


#: Exercise -> its probe, for every exercise whose answer is a function.
PROBES: dict[str, Probe] = gathered("PROBES")
#: Exercise -> the names its value answer is kept in and the rules that name its mistakes.
ANSWERS: dict[str, Answer] = gathered("ANSWERS")


def right_built(exercise: str) -> Callable:
    """The right implementation of ``exercise`` with every helper it ``uses`` right too, all the way down."""
    probe = PROBES[exercise]
    return functools.partial(probe.right, **{name: right_built(name) for name in probe.uses}) if probe.uses \
        else probe.right
