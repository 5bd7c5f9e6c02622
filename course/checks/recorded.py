"""What the visible checks compare with: outputs on their fixed inputs, recorded when the instructor releases.

A check module lists its fixed inputs in ``fixed()`` (case name -> exercise and arguments).
``descent release`` runs the model solution and every catalogued wrong implementation on them,
on the instructor's side, and writes the outputs to ``checks/expected/<module>.json``. So a check
holds numbers, never code that computes an exercise's answer: a wrong answer is recognised by
matching a wrong implementation's recorded output ("sum for mean" by the sum's numbers).
A value answer (one batch size) is recorded as digests, so the file does not print it.
"""
from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from typing import Any, Callable, Iterable

import numpy as np

from ..mistakes import describe
from .toolkit import Diagnosis


@functools.lru_cache(maxsize=None)
def outputs(topic: str) -> dict:
    """The recorded outputs of check module ``topic``: case -> {"right": output, "wrong": {mistake id: output}}."""
    text = resources.files(__package__).joinpath("expected", f"{topic}.json").read_text()
    return json.loads(text)


def right(topic: str, case: str) -> Any:
    """The model solution's output on ``case`` (arrays as nested lists)."""
    return outputs(topic)[case]["right"]


def wrong(topic: str, case: str, mistake_id: str) -> Any:
    """A catalogued wrong implementation's output on ``case``."""
    return outputs(topic)[case]["wrong"][mistake_id]


def matching(topic: str, case: str, words: "dict[str, str] | None" = None,
             ids: "Iterable[str] | None" = None) -> list[Diagnosis]:
    """Diagnoses that recognise recorded wrong outputs of ``case`` and say the mistake, first match first.

    ``ids`` are the mistakes to recognise, in order (default: every recorded one); ``words`` replaces the
    catalogue's sentence for some ids (and gives one to an id outside the catalogue).
    """
    words, recorded_wrong = words or {}, outputs(topic)[case]["wrong"]
    found = []
    for mistake_id in recorded_wrong if ids is None else ids:
        entry = describe(mistake_id)
        message = words.get(mistake_id) or (entry.message if entry else None)
        if recorded_wrong[mistake_id] is not None and message:
            found.append(_equal_to(recorded_wrong[mistake_id], message))
    return found


def _equal_to(output: Any, message: str) -> Diagnosis:
    target = np.asarray(output, dtype=float)

    def diagnose(got: np.ndarray, expected: np.ndarray) -> "str | None":
        if got.shape == target.shape and np.allclose(got, target, rtol=1e-6, atol=1e-9):
            return message
        return None

    return diagnose


def digest(topic: str, name: str, value: Any) -> str:
    """The digest a value answer is recorded as (the file then holds no answer to read)."""
    return hashlib.sha256(f"{topic}:{name}:{value!r}".encode()).hexdigest()


def value_mistake(topic: str, name: str, value: Any) -> "str | None":
    """``"right"``, the id of the recorded mistake the value answer ``value`` shows, or None."""
    record, key = outputs(topic)[name], digest(topic, name, value)
    if key in record["right"]:
        return "right"
    return next((mistake_id for mistake_id, keys in record["wrong"].items() if key in keys), None)


#: What a check module provides for the recorder: case -> (exercise, positional arguments).
Fixed = Callable[[], "dict[str, tuple[str, tuple]]"]
