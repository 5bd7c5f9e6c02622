"""An exercise's three places agree: its visible check, its mistakes' words and the grader's probes.

Each assignment has one module in each of ``course/checks/``, ``course/mistakes/`` and
``course/instructor/probes/``, under the same name; every exercise a source notebook grades is
probed in the module named as its check, and the mistakes its probe tells apart are exactly the ones
the catalogue words (no kernels here).
"""
from __future__ import annotations

import pkgutil
from pathlib import Path

import diagnosis_harness as dh
import nbformat
import pytest

from course import check, checks, mistakes
from course.instructor import probes
from course.instructor.grading.core.cells import exercise_graded_by, grade_ids

REPO = Path(__file__).resolve().parents[2]
#: The check modules that register problems (``recorded.py`` only reads the recorded outputs).
TOPICS = sorted(info.name for info in pkgutil.iter_modules(checks.__path__) if check.names(info.name))


def _modules(package) -> set[str]:
    return {info.name for info in pkgutil.iter_modules(package.__path__)}


def _catalogued(topic: str) -> list[str]:
    """The mistake ids worded in ``course/mistakes/<topic>.py``."""
    return [mistake_id for mistake_id, _, _ in getattr(mistakes, topic).ENTRIES]


def _probed(topic: str) -> dict[str, set[str]]:
    """Exercise -> the mistake ids its probe (or its value answer's rules) can name, in one probes module."""
    module = getattr(probes, topic)
    return {exercise: set(probe.wrong) for exercise, probe in getattr(module, "PROBES", {}).items()} | \
        {exercise: set(answer.rules) for exercise, answer in getattr(module, "ANSWERS", {}).items()}


def _graded() -> dict[str, list[str]]:
    """Source notebook's assignment -> the exercises its test cells grade."""
    return {path.parent.name: [exercise_graded_by(gid) for gid in grade_ids(nbformat.read(path, as_version=4), "test")]
            for path in sorted((REPO / "source").glob("*/*.ipynb"))}


def test_each_check_module_has_a_mistakes_module_and_a_probes_module():
    """Has every assignment's check module its words and its probes under the same name, both gathered?"""
    assert len(TOPICS) == len(_graded()) == 8
    assert _modules(mistakes) == set(TOPICS)
    assert _modules(probes) - {"core"} == set(TOPICS)
    assert sorted(module.__name__.rpartition(".")[2] for module in mistakes.ASSIGNMENTS) == TOPICS
    assert sorted(module.__name__.rpartition(".")[2] for module in probes.ASSIGNMENTS) == TOPICS


@pytest.mark.parametrize("topic", TOPICS)
def test_a_module_holds_only_its_own_assignments_exercises(topic):
    """Are the exercises worded and probed under a topic's name only exercises its check module checks?"""
    assert {mistakes.exercise_of(mistake_id) for mistake_id in _catalogued(topic)} <= set(check.names(topic))
    assert set(_probed(topic)) <= set(check.names(topic))


@pytest.mark.parametrize("topic", TOPICS)
def test_the_catalogue_words_exactly_the_mistakes_the_probes_name(topic):
    """Is each catalogued id of a topic named by the probe of its own exercise, and each probe's id catalogued?"""
    probed = _probed(topic)
    for exercise, ids in probed.items():
        assert {mistakes.exercise_of(mistake_id) for mistake_id in ids} <= {exercise}, exercise
    assert set(_catalogued(topic)) == set().union(*probed.values())


def test_no_mistake_is_catalogued_twice():
    """Is every id worded once, so that no module's words silently replace another's?"""
    ids = [mistake_id for module in mistakes.ASSIGNMENTS for mistake_id, _, _ in module.ENTRIES]
    assert len(ids) == len(set(ids)) == len(mistakes.known_ids())


def test_every_graded_exercise_is_probed_beside_its_check():
    """Is each exercise a source notebook's test cells grade probed, in the one module named as its check?"""
    for assignment, exercises in _graded().items():
        assert exercises, f"{assignment} grades nothing"
        topics = {topic for topic in TOPICS if set(exercises) & set(check.names(topic))}
        assert len(topics) == 1, f"{assignment}'s exercises are checked in {sorted(topics)}"
        assert set(exercises) <= set(_probed(topics.pop())), assignment


def test_every_planted_and_probed_id_is_in_the_catalogue():
    """Is each id a probe can give, and each id a test plants, described (message and hint) in the catalogue?"""
    probed = {mid for probe in probes.PROBES.values() for mid in probe.wrong} | \
        {mid for answer in probes.ANSWERS.values() for mid in answer.rules}
    ids = probed | {mid for module in dh.VARIANTS.values() for named in getattr(module, "NAMED", {}).values()
                    for mid in named.values()}
    for mid in sorted(ids):
        entry = mistakes.describe(mid)
        assert entry is not None and entry.message and entry.hint, mid
        assert entry.exercise in check.names(), f"{mid} names no exercise with a visible check"
    assert set(mistakes.known_ids()) == probed


def test_an_exercise_probed_twice_is_refused(monkeypatch):
    """Does gathering the probes refuse two assignments that probe one exercise, rather than keep either?"""
    monkeypatch.setattr(probes.parabola, "PROBES", {**probes.parabola.PROBES, "mse": probes.PROBES["mse"]})
    with pytest.raises(ValueError, match="mse is probed twice"):
        probes.gathered("PROBES")
