"""What a student installs computes no graded answer: every function of the lessons' wing, offered as each answer."""
import functools
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import answer_scan
import derived_formulas
import pytest

from course import shortcuts


@pytest.fixture(scope="module")
def findings():
    """The scan of the real lessons' wing, in a child process: exercise -> {where: through a declared shortcut?}."""
    done = subprocess.run([sys.executable, answer_scan.__file__], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_scan_offers_every_kind_of_function():
    """Does the walk reach module functions, methods, lambdas in dicts, closures' contents and nested functions?"""
    places = [c.where for c in answer_scan.reachable(answer_scan.lesson_modules())]
    assert len(places) > 200
    for expected in ("course.gradcheck.numerical_gradient", "course.descent.path",     # module level
                     "course.gradcheck.GradCheck.ok",                                    # a method
                     "course.learning_rate_widget.FUNCTIONS[",                            # an object in a dict
                     "<code>",                                                           # a nested function
                     "course.checks.toolkit.REGISTRY['mse'].cases"):                     # a visible check
        assert any(expected in p for p in places), expected


def test_no_function_of_the_lessons_wing_computes_a_graded_answer(findings):
    """Does every function that agrees with a model solution do so only through a declared shortcut?"""
    given_away = {exercise: [w for w, shortcut in found.items() if not shortcut]
                  for exercise, found in findings.items()}
    assert not {e: w for e, w in given_away.items() if w}, given_away


def test_every_declared_shortcut_is_needed(findings):
    """Is each exercise in course.shortcuts really answered by the course's own code (the list stays short)?"""
    assert set(findings) == set(shortcuts.SHORTCUTS)


PLANTED = '''
import functools
import numpy as np

def reference_mse(p, t):
    return np.mean((np.asarray(p, dtype=float) - np.asarray(t, dtype=float)) ** 2)

TABLE = {"loss": [lambda p, t: float(np.mean((np.asarray(p) - np.asarray(t)) ** 2))]}

class Helper:
    def mae(self, p, t):
        return np.mean(np.abs(np.asarray(p, dtype=float) - np.asarray(t, dtype=float)))

HELPER = Helper()
SIGMOID = functools.partial(lambda z, scale: 1.0 / (1.0 + np.exp(-scale * np.asarray(z, dtype=float))), scale=1.0)

def factory():
    def hidden_slope(x):
        return 2.0 * (np.asarray(x, dtype=float) - 3.0)
    return hidden_slope

def make(centre=3.0):
    def slope(x):
        return 2.0 * (np.asarray(x, dtype=float) - centre)
    return slope
'''


@pytest.fixture
def planted():
    """A throwaway module of the lessons' wing holding reference implementations in every kind of place."""
    module = types.ModuleType("course.planted_for_test")
    sys.modules[module.__name__] = module
    exec(compile(PLANTED, "<planted>", "exec"), module.__dict__)
    yield module
    del sys.modules[module.__name__]


@pytest.mark.parametrize("exercise, place", [
    ("mse", "course.planted_for_test.reference_mse"),            # a module-level function
    ("mse", "course.planted_for_test.TABLE['loss'][0]"),         # a lambda in a dict of lists
    ("mae", "course.planted_for_test.HELPER.mae"),               # a method of an object
    ("sigmoid", "course.planted_for_test.SIGMOID"),              # a partial
    ("parabola_grad", "course.planted_for_test.factory.<code>factory.<locals>.hidden_slope"),  # never returned
    ("parabola_grad", "course.planted_for_test.make()"),           # a closure a factory returns
])
def test_the_scan_finds_a_planted_reference(planted, exercise, place):
    """Can the scan fail: does it find a right implementation planted anywhere in the lessons' wing?"""
    hits = answer_scan.scan(answer_scan.reachable([planted], call_factories=True), [exercise])
    assert place in hits.get(exercise, []), hits


def test_a_wrong_implementation_is_not_an_answer(planted):
    """Does the scan stay quiet about a function that is close but wrong (the sum, not the mean)?"""
    planted.near_miss = functools.partial(lambda p, t: float(sum((a - b) ** 2 for a, b in zip(p, t))))
    hits = answer_scan.scan([answer_scan.Candidate("near_miss", planted.near_miss)], ["mse"])
    assert hits == {}


def test_the_model_solutions_the_scan_compares_with_run():
    """Does each model solution give an answer on the scan's draws (a right answer that raised TypeError would
    make every candidate that raises one agree, and the scan see nothing)?"""
    for exercise in answer_scan.PROBES:
        for args in answer_scan.draws(exercise):
            kind, value = answer_scan._outcome(answer_scan.right_answer(exercise), args, answer_scan.PROBES[exercise])
            assert kind == "value" or value in ("ValueError",), (exercise, value)


ROOT = Path(__file__).resolve().parents[1]


def _release_cells():
    for path in sorted((ROOT / "release").glob("*/*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text())["cells"]):
            yield f"{path.relative_to(ROOT)} cell {index}", "".join(cell["source"])


def _wing_files():
    for path in sorted((ROOT / "course").rglob("*.py")):
        if "instructor" not in path.relative_to(ROOT / "course").parts:
            yield str(path.relative_to(ROOT)), path.read_text()
    for path in sorted((ROOT / "labextension" / "built").rglob("*.js")):  # the Lab notice the wheel installs
        yield str(path.relative_to(ROOT)), path.read_text()


def test_the_release_does_not_state_the_gradients_the_student_derives():
    """Do the release notebooks and the student's wheel (stub docstrings, checks' messages, hints, mistakes, the
    Lab notice's scripts) leave out the final formulas of 04's loss_gradient, 05's logistic_gradients and 07's
    backward (issue 25)?"""
    places = list(_release_cells()) + list(_wing_files())
    assert len(places) > 200
    found = {where: derived_formulas.stated(text) for where, text in places}
    assert not {where: forms for where, forms in found.items() if forms}, found


@pytest.mark.parametrize("text", [
    '"""dL/dW = (2/k) * outer(x, prediction - target), shape (n, k)."""',
    r"$$\frac{\partial L}{\partial W} = \frac{2}{k}\;\mathrm{outer}(x,\; p - t)$$",
    r"\dfrac{2}{k}\, x_a\,(p_b - t_b)",
    "- derive the gradients of the mean log loss, `dw = Xᵀ(p − y)/n` and `db = mean(p − y)`",
    r"$$\frac{\partial L}{\partial w} = \frac1n \sum_i (p_i - y_i)\, x_i = \frac{X^\top (p - y)}{n}$$",
    "    return X.T @ error / len(error), float(np.mean(error))",
    r"$\delta H = \delta z_2 W_2^\top$; $\delta Z_1 = \delta H \odot (1 - H^2)$; $\delta W_1 = X^\top \delta Z_1$",
    '    dH = dz2 @ params["W2"].T\n    dZ1 = dH * (1.0 - H ** 2)',
])
def test_the_formula_scan_finds_each_way_of_writing_them(text):
    """Can the scan fail: does it find the formulas as the notebooks and stubs wrote them before issue 25?"""
    assert derived_formulas.stated(text)
