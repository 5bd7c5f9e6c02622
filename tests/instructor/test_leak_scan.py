"""The scan for solutions and hidden tests in what a class is given: silent on the course, loud on a plant."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.instructor.bundle import INSTRUCTOR_ONLY, LAB_CONFIG, NOTEBOOKS
from course.instructor.leak_scan import Secrets, scan_bundle

REPO = Path(__file__).resolve().parents[2]
SECRETS = Secrets(REPO)


def _bundle_like(tmp_path: Path, checks: bool = True) -> Path:
    """A folder laid out as a bundle, the lessons' wing unpacked (the wheel's members are the same files)."""
    out = tmp_path / "bundle"
    leave = shutil.ignore_patterns("__pycache__", *INSTRUCTOR_ONLY, *([] if checks else ["checks"]))
    shutil.copytree(REPO / "course", out / "course", ignore=leave)
    for folder in sorted(REPO.glob("release/[0-9][0-9]_*")):
        shutil.copytree(folder, out / NOTEBOOKS / folder.name)
    shutil.copy(REPO / "release" / LAB_CONFIG, out / NOTEBOOKS / LAB_CONFIG)
    return out


def test_the_course_has_secrets_to_look_for():
    """Does the scan read every assignment's solutions and hidden tests (an empty list would pass anything)?"""
    kinds = {(s.assignment, s.kind) for s in [*SECRETS.whole.values(), *SECRETS.single.values()]}
    assignments = {p.name for p in REPO.glob("source/[0-9][0-9]_*")}
    assert {a for a, k in kinds if k == "solution"} == assignments
    assert {a for a, k in kinds if k == "hidden test"} == assignments
    assert {s.assignment for s in SECRETS.prose.values() if s.kind == "written answer"} == assignments


@pytest.fixture(scope="module")
def course_report(tmp_path_factory):
    """The scan of the release notebooks, the student's config and the lessons' wing but course/checks/."""
    return scan_bundle(REPO, _bundle_like(tmp_path_factory.mktemp("b"), checks=False), SECRETS)


def test_release_notebooks_and_lessons_wing_hold_no_answers(course_report):
    """Do the release notebooks, the student's config and the lessons' wing (outside course/checks/) hold no
    solution, no hidden test and no nbgrader marker?"""
    assert course_report.leaks == []


def test_visible_checks_hold_no_answers(tmp_path):
    """Does course/checks/ hold no solution and no hidden test?"""
    report = scan_bundle(REPO, _bundle_like(tmp_path), SECRETS)
    assert report.leaks == []


def test_later_lessons_that_give_earlier_answers_are_noted(course_report):
    """Is a release notebook that gives an earlier assignment's answer (05 gives 01's sigmoid) reported as a note,
    naming both, rather than passing unseen?"""
    assert "05_logistic_regression gives 01_loss_functions's sigmoid: hand it out after 01_loss_functions is due" \
        in course_report.notes


PLANTS = {
    "renamed solution": ("course/helpers.py", "import numpy as np\n\n\ndef average_square(a, b):\n"
                         "    a = np.asarray(a, dtype=float)\n    b = np.asarray(b, dtype=float)\n"
                         "    return float(np.mean((a - b) ** 2))\n", "01_loss_functions mse (solution)"),
    "one line of a solution": ("course/helpers.py", "def f(z):\n    e = np.exp(-np.abs(z))\n    return e\n",
                               "01_loss_functions sigmoid (solution)"),
    "a hidden test's check": ("course/helpers.py", "from x import parabola_grad\n\n\ndef t():\n"
                              "    assert parabola_grad(-1.0) < 0 < parabola_grad(7.0), "
                              "'the slope should be negative left of 3 and positive right of it'\n",
                              "02_parabola_descent test_parabola_grad (hidden test)"),
    "the parabola with int constants": ("course/helpers.py", "def p(t):\n    return (t - 3.0) ** 2.0\n",
                                        "02_parabola_descent parabola (solution)"),
    "an nbgrader marker": ("STUDENT.md", "### BEGIN SOLUTION\n", "nbgrader marker"),
    "a rubric's line, rewrapped": ("STUDENT.md", "Note: RMSprop gets WORSE, because its scaling is per coordinate\n"
                                   "and the steep and shallow directions are no longer coordinates.\n",
                                   "08_optimizers explain_rotation (written answer)"),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_answer_is_found(tmp_path, plant):
    """Does the scan fire on a solution or hidden test copied into the bundle, even renamed or reformatted?"""
    out = tmp_path / "bundle"
    name, text, named = PLANTS[plant]
    (out / name).parent.mkdir(parents=True)
    (out / name).write_text(text)
    leaks = scan_bundle(REPO, out, SECRETS).leaks
    assert any(named in leak and leak.startswith(name) for leak in leaks), leaks


def test_a_notebook_giving_its_own_or_a_later_answer_is_a_leak(tmp_path):
    """Is 01's notebook carrying 07's gradient_noise a leak (not a note): no assignment may give a later answer?"""
    import nbformat

    out = tmp_path / "bundle"
    path = out / NOTEBOOKS / "01_loss_functions" / "loss_functions.ipynb"
    shutil.copytree(REPO / "release" / "01_loss_functions", path.parent)
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("def noise(w, X, y, b):\n    G = 2.0 * X * (X @ w - y)[:, None]\n"
                                              "    return G\n"))
    nbformat.write(nb, path)
    leaks = scan_bundle(REPO, out, SECRETS).leaks
    assert any("07_stochastic_descent gradient_noise (solution)" in leak for leak in leaks), leaks


def test_plain_conversions_are_not_taken_for_answers(tmp_path):
    """Are lines every numerical helper has (np.asarray of an argument, a call on names) left alone?"""
    out = tmp_path / "bundle"
    out.mkdir()
    (out / "helpers.py").write_text("import numpy as np\n\n\ndef g(p, t, f):\n"
                                               "    p = np.asarray(p, dtype=float)\n    out = f(p, t)\n"
                                               "    return out\n")
    assert scan_bundle(REPO, out, SECRETS).leaks == []


def test_a_written_answers_model_answer_in_a_notebook_is_a_leak(tmp_path):
    """Is a release notebook whose written answer holds the source's model answer and rubric (an answer cell
    copied from source/) a leak, naming the written answer, though it is Markdown and no marker is left?"""
    import nbformat

    from course.instructor.grading.core.cells import cell_role, grade_id

    out = tmp_path / "bundle"
    path = out / NOTEBOOKS / "02_parabola_descent" / "parabola_descent.ipynb"
    shutil.copytree(REPO / "release" / "02_parabola_descent", path.parent)
    source = nbformat.read(REPO / "source" / "02_parabola_descent" / "parabola_descent.ipynb", as_version=4)
    model = next(c.source for c in source.cells if cell_role(c) == "written")
    nb = nbformat.read(path, as_version=4)
    answer = next(c for c in nb.cells if cell_role(c) == "written")
    answer.source = "\n".join(line for line in model.splitlines() if "SOLUTION" not in line)
    nbformat.write(nb, path)
    leaks = scan_bundle(REPO, out, SECRETS).leaks
    assert any(f"02_parabola_descent {grade_id(answer)} (written answer)" in leak for leak in leaks), leaks
