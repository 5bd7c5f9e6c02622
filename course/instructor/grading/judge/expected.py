"""Record what the visible checks compare with: the probes' right and wrong outputs on the checks' fixed inputs.

Each check module of ``course/checks/`` that has a ``fixed()`` lists its cases (case -> exercise and
arguments). Here, on the instructor's side, every case is run through the model solution and each
catalogued wrong implementation of :mod:`course.instructor.probes` (built on the right versions of the functions the
exercise calls), and the outputs are written to ``course/checks/expected/<module>.json``, which the
checks read (:mod:`course.checks.recorded`). A value answer is recorded as digests of the values that
pass and of those each mistake's rule names. ``descent release`` writes them; a test says they are current.
"""
from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .... import checks
from ....checks.recorded import digest
from ...probes import ANSWERS, PROBES, right_built
from ...probes.stochastic import noise_question as _noise_question
from .diagnosis import same

#: Wrong outputs some checks recognise that are not in the catalogue (the check has its own words for them).
UNCATALOGUED: dict[str, Callable] = {
    "parabola/square-of-x": lambda x: np.asarray(x, dtype=float) ** 2 - 9.0,
    "parabola/not-squared": lambda x: np.asarray(x, dtype=float) - 3.0,
    "parabola_grad/height": lambda x: (np.asarray(x, dtype=float) - 3.0) ** 2,
    "parabola_grad/slope-of-x-squared": lambda x: 2.0 * np.asarray(x, dtype=float),
    "parabola_grad/zero-at-minus-three": lambda x: 2.0 * (np.asarray(x, dtype=float) + 3.0),
    "sgd_epoch/only-last-batch": lambda w, X, y, learning_rate, batches:
        right_built("sgd_epoch")(w, X, y, learning_rate, list(batches)[-1:]),
}



def _smallest_quiet(B: int) -> bool:
    """Is ``B`` the smallest batch size whose noise at the question's w0 is at most LEVEL?"""
    noise, _, level = _noise_question()
    return bool(noise[B - 1] <= level and (B == 1 or noise[B - 2] > level))


#: Value answers: the values a recorder tries, and which of them is right.
VALUES: dict[str, tuple[range, Callable[[Any], bool]]] = {"quiet_batch_size": (range(1, 601), _smallest_quiet)}

FOLDER = Path(checks.__file__).parent / "expected"
#: The check modules by topic name (``course.checks.<topic>``).
_TOPICS = {module.__name__.rpartition(".")[2]: module for module in checks.TOPICS}


def _plain(value: Any) -> Any:
    """``value`` as JSON: arrays and tuples as lists, NumPy numbers as Python numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value


def _built(fn: Callable, exercise: str) -> Callable:
    return functools.partial(fn, **{name: right_built(name) for name in PROBES[exercise].uses})


def _output(fn: Callable, args: tuple) -> Any:
    """``fn``'s output on a copy of ``args``; None when it raises (a check then cannot match it)."""
    try:
        with np.errstate(all="ignore"):
            return _plain(fn(*copy.deepcopy(args)))
    except Exception:  # noqa: BLE001 (a wrong implementation that raises has no output to recognise)
        return None


def _function_case(exercise: str, args: tuple) -> dict:
    probe = PROBES[exercise]
    # A mistake defined by a trait (any fixed clip, any overflow) has no one output to record.
    wrong = {mistake_id: _output(_built(fn, exercise), args) for mistake_id, fn in probe.wrong.items()
             if callable(fn)}
    wrong |= {mistake_id: _output(fn, args) for mistake_id, fn in UNCATALOGUED.items()
              if mistake_id.startswith(f"{exercise}/")}
    return {"right": _output(_built(probe.right, exercise), args), "wrong": wrong}


def _value_case(topic: str, name: str) -> dict:
    """Digests of the values of ``name`` that are right, and of those each of its mistakes' rules holds for."""
    answer, (values, is_right) = ANSWERS[name], VALUES[name]
    wrong = {mistake_id: sorted(digest(topic, name, v) for v in values if rule(v))
             for mistake_id, rule in answer.rules.items()}
    named = {key for keys in wrong.values() for key in keys}
    return {"right": sorted(digest(topic, name, v) for v in values if is_right(v) and
                            digest(topic, name, v) not in named),
            "wrong": wrong}


def record(topic: str) -> dict:
    """The outputs of check module ``course.checks.<topic>`` on its fixed inputs."""
    module = _TOPICS[topic]
    cases = {case: _function_case(exercise, args) for case, (exercise, args) in module.fixed().items()}
    cases |= {name: _value_case(topic, name) for name in getattr(module, "VALUE_ANSWERS", ())}
    return cases


def topics() -> list[str]:
    """The check modules that have fixed inputs."""
    return [topic for topic, module in _TOPICS.items() if hasattr(module, "fixed")]


def text(topic: str) -> str:
    """The file's content for ``topic``: sorted keys, one case per line group, a newline at the end."""
    return json.dumps(record(topic), indent=1, sort_keys=True) + "\n"


def stale(folder: Path = FOLDER) -> list[str]:
    """The topics whose file in ``folder`` is missing or differs from a fresh record (numbers to 1e-9)."""
    found = []
    for topic in topics():
        path = folder / f"{topic}.json"
        if not path.is_file() or not _alike(json.loads(path.read_text()), json.loads(text(topic)), same):
            found.append(topic)
    return found


def _alike(a: Any, b: Any, same: Callable) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and \
            all(_alike(a[k], b[k], same) for k in a)
    if a is None or b is None:
        return a is b
    return same(a, b)


def write(folder: Path = FOLDER) -> list[str]:
    """Write every topic's recorded outputs into ``folder``; the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for topic in topics():
        path, new = folder / f"{topic}.json", text(topic)
        if not path.is_file() or path.read_text() != new:
            path.write_text(new)
            changed.append(path.name)
    return changed
