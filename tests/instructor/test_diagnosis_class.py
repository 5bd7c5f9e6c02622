"""A class built from the styles: the report counts exactly what was planted in it (no kernels here).

Each student is the source with one style of ``tests/variants/`` in place (a wrong one, or a right
one), or the blank release. A cell loses marks when its function differs from the right one on a
fixed draw of its probe's inputs (a stand-in for the hidden tests; value answers: when they differ
from the source's), so a wrong helper makes its callers lose marks too. What must be recorded: the
style's id on its own cell; on a caller that fails only through it, the knock-on
``<caller>/uses-wrong-<helper>``; on every cell of the blank release, ``not-written``. The grader's
side runs as the judge runs it (:mod:`diagnosis_harness`), and the report counts what it recorded.
"""
from __future__ import annotations

import copy
import functools
from collections import Counter

import diagnosis_harness as dh
import grading_harness as harness
import numpy as np
import pytest

from course import mistakes
from course.instructor.grading.core.cells import cell_role, exercise_graded_by, grade_id
from course.instructor.grading.judge import diagnosis
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.record import report
from course.instructor.grading.record.scores import CellScore
from course.instructor.probes import ANSWERS, PROBES

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the styles' own NumPy warnings


def _exercises(assignment: str) -> list[str]:
    module = dh.VARIANTS[assignment]
    nb = sample_submissions.read(harness.REPO / "source" / assignment / module.NOTEBOOK)
    return [grade_id(c) for c in nb.cells if cell_role(c) == "solution" and
            (grade_id(c) in PROBES or grade_id(c) in ANSWERS)]


def _call(probe, fn, args):
    return probe.run(fn, copy.deepcopy(args)) if probe.run else fn(*copy.deepcopy(args))


def _fails(exercise: str, namespace: dict, source: dict) -> bool:
    """Does the exercise's answer differ from the right one (a fixed draw of its probe; a value: the source's)?"""
    if exercise in ANSWERS:
        return not all(diagnosis.same(namespace.get(n), source[n]) for n in ANSWERS[exercise].names)
    probe = PROBES[exercise]
    right = functools.partial(probe.right, **{h: PROBES[h].right for h in probe.uses})
    rng = np.random.default_rng(0)
    for case in probe.cases:
        args = case.inputs(rng)
        try:
            with np.errstate(**(case.errstate or {"all": "ignore"})):
                if not diagnosis.same(_call(probe, namespace[exercise], args), _call(probe, right, args)):
                    return True
        except Exception:  # noqa: BLE001 (an answer that raises fails)
            return True
    return False


def _typed_values(assignment: str, source: dict) -> dict:
    """The value answers typed in as the source's values, so that a wrong function does not spill into them."""
    cells = {}
    for exercise in (e for e in _exercises(assignment) if e in ANSWERS):
        cells[exercise] = "\n".join(f"{n} = np.array({np.asarray(source[n]).tolist()!r})" if np.ndim(source[n])
                                    else f"{n} = {source[n]!r}" for n in ANSWERS[exercise].names)
    return cells


def _planted(assignment: str, exercises: list[str], namespace: dict, source: dict, own: dict) -> dict:
    """test cell -> id for every cell that fails: ``own`` (the style's ids), else a knock-on or unrecognised."""
    lost = {e for e in exercises if _fails(e, namespace, source)}
    assert set(own) <= lost, f"a planted mistake passes: {set(own) - lost}"
    planted = {}
    for exercise in sorted(lost):
        helpers = [h for h in getattr(PROBES.get(exercise), "uses", ()) if h in lost]
        planted[f"test_{exercise}"] = own.get(exercise) or \
            (mistakes.knock_on(exercise, helpers[0]) if helpers else mistakes.UNRECOGNISED)
    return planted


def _id_of(module, code: str) -> str:
    """The id of the mistake whose styles hold ``code`` (a knock-on's wrong helper), or empty."""
    return next((mid for mid, styles in module.STYLES.items() if code in styles.values()), "")


def _students(assignment: str):
    """(student, namespace, planted) for every style of the assignment, and the blank release."""
    module = dh.VARIANTS[assignment]
    exercises = _exercises(assignment)
    source = dh.namespace_of(assignment, {})
    typed = _typed_values(assignment, source)
    for table in ("STYLES", "RIGHT_STYLES"):
        for key, styles in getattr(module, table, {}).items():
            exercise = mistakes.exercise_of(key) or key
            for name, style in styles.items():
                cells = dict(style) if isinstance(style, dict) else {exercise: style}
                namespace = dh.namespace_of(assignment, {**typed, **cells})
                own = {e: _id_of(module, code) for e, code in cells.items()} if table == "STYLES" else {}
                own = {e: key if e == exercise else mid for e, mid in own.items() if mid or e == exercise}
                yield f"{key}-{name}", namespace, _planted(assignment, exercises, namespace, source, own)
    release = sample_submissions.read(harness.course().release / assignment / module.NOTEBOOK)
    yield "release", dh.namespace_of(assignment, {}, release), {f"test_{e}": f"{e}/not-written" for e in exercises}


@pytest.mark.parametrize("assignment", sorted(dh.VARIANTS))
def test_report_counts_equal_what_was_planted_in_a_class_of_styles(assignment):
    """Does the class report count, per exercise and id, exactly the mistakes planted in a class of the styles?"""
    exercises = _exercises(assignment)
    rows, recorded, planted = [], {}, Counter()
    students = list(_students(assignment))
    for student, namespace, cells in students:
        recorded[student] = {gid: dh.diagnose(namespace, exercise_graded_by(gid)) or mistakes.UNRECOGNISED
                             for gid in cells}
        rows += [CellScore(student, "nb", f"test_{e}", 0.0 if f"test_{e}" in cells else 1.0, 1.0)
                 for e in exercises]
        planted.update((exercise_graded_by(gid), mid) for gid, mid in cells.items())
    counts = report.count_mistakes(report.lost_marks(rows, recorded), len(students))
    got = {(c.exercise, c.mistake): c.students for found in counts.values() for c in found}
    assert got == dict(planted)
    assert any(mistakes.is_knock_on(mid) for _, mid in planted) or \
        assignment in ("02_parabola_descent", "03_learning_rate", "08_optimizers")  # their exercises call no other
