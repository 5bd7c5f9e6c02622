"""Each catalogued mistake is recognised however it is written, and a right answer never is (no kernels here).

``STYLES`` in ``tests/variants/`` holds each mistake written from the catalogue's words in three or
more styles, ``RIGHT_STYLES`` right answers in as many; each is diagnosed as the judge diagnoses a
failed test cell, on several fixed seeds, so that no test depends on which inputs a run draws.
"""
from __future__ import annotations

import diagnosis_harness as dh
import pytest

from course import mistakes
from course.instructor.probes import ANSWERS, PROBES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the styles' own NumPy warnings

SEEDS = (0, 1, 2)
#: The assignments whose every catalogued id has three or more styles: all of them.
COVERED = tuple(sorted(dh.VARIANTS))


def _cells(mistake_or_exercise: str, style) -> dict:
    return dict(style) if isinstance(style, dict) else {mistakes.exercise_of(mistake_or_exercise) or
                                                         mistake_or_exercise: style}


def _styles(table: str):
    for assignment, module in sorted(dh.VARIANTS.items()):
        for key, styles in getattr(module, table, {}).items():
            for name, style in styles.items():
                yield pytest.param(assignment, key, _cells(key, style), id=f"{key}-{name}")


@pytest.mark.parametrize("assignment, mistake_id, cells", list(_styles("STYLES")))
def test_each_style_of_a_mistake_gets_its_id(assignment, mistake_id, cells):
    """Does this way of writing the mistake get exactly its id, whatever the seed?"""
    namespace = dh.namespace_of(assignment, cells)
    exercise = mistakes.exercise_of(mistake_id)
    assert [dh.diagnose(namespace, exercise, seed) for seed in SEEDS] == [mistake_id] * len(SEEDS)


@pytest.mark.parametrize("assignment, exercise, cells", list(_styles("RIGHT_STYLES")))
def test_each_right_style_gets_no_id(assignment, exercise, cells):
    """Is this right answer, written this way, never given an id, whatever the seed?"""
    namespace = dh.namespace_of(assignment, cells)
    assert [dh.diagnose(namespace, exercise, seed) for seed in SEEDS] == [None] * len(SEEDS)


def _exercises(assignment: str) -> list[str]:
    module = dh.VARIANTS[assignment]
    return sorted({e for cells in (*module.CORRECT.values(), *module.MISTAKES.values()) for e in cells
                   if e in PROBES or e in ANSWERS})


@pytest.mark.parametrize("assignment", COVERED)
def test_every_catalogued_id_has_three_styles_and_right_answers_as_many(assignment):
    """Has each catalogued id of the assignment three or more styles, and each exercise three right ones?"""
    module = dh.VARIANTS[assignment]
    for exercise in _exercises(assignment):
        for mistake_id in mistakes.known_ids(exercise):
            assert len(module.STYLES.get(mistake_id, {})) >= 3, mistake_id
        right = len(module.RIGHT_STYLES.get(exercise, {})) + sum(exercise in c for c in module.CORRECT.values())
        assert right >= 3, exercise
