"""course.check: the visible checks praise right answers briefly and name common mistakes."""
import functools
import json
import re
from pathlib import Path

import derived_formulas
import grading_harness as harness
import numpy as np
import pytest
import student_code

from course import check

V01 = harness.load_variants()["01_loss_functions"]


def _run(name, fn):
    """The failure message of check.verify, or None when it passes."""
    try:
        check.verify(name, fn)
    except check.CheckFailed as failure:
        return str(failure)
    return None


def test_passing_check_prints_one_short_line(capsys):
    """Does a right answer get one line of praise that says more tests run at grading?"""
    ns = student_code.namespace(V01.ASSIGNMENT, V01.NOTEBOOK)
    check.run("mse", ns["mse"])
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("\u2713") and "more tests run at grading" in out[0]


@pytest.mark.parametrize("variant", sorted(V01.CORRECT))
def test_correct_variants_pass_the_visible_checks(variant):
    """Do the correct variants the grader accepts also pass the visible checks?"""
    ns = student_code.namespace(V01.ASSIGNMENT, V01.NOTEBOOK, V01.CORRECT[variant])
    for name in ("mse", "mae", "sigmoid", "log_loss", "neuron_mse"):
        assert _run(name, ns[name]) is None, name


@pytest.mark.parametrize("variant", sorted(V01.MISTAKES))
def test_mistaken_variants_fail_the_visible_checks(variant):
    """Does every mistake the grader punishes also fail the visible check?"""
    ns = student_code.namespace(V01.ASSIGNMENT, V01.NOTEBOOK, V01.MISTAKES[variant])
    for name in V01.MISTAKES[variant]:
        assert _run(name, ns[name]) is not None, name


@pytest.mark.parametrize("name, variant, words", [
    ("mse", "sum_instead_of_mean", "summed"),
    ("mae", "sum_instead_of_mean", "summed"),
    ("log_loss", "sum_instead_of_mean", "summed"),
    ("neuron_mse", "sum_instead_of_mean", "summed"),
    ("log_loss", "sign_errors", "minus sign"),
    ("sigmoid", "sign_errors", "sign in the exponent"),
    ("mae", "sign_errors", "absolute value"),
    ("mse", "other_slips", "RMSE"),
    ("mae", "other_slips", "squared"),
    ("sigmoid", "other_slips", "NaN"),
    ("log_loss", "other_slips", "clip"),
    ("neuron_mse", "other_slips", "sigmoid"),
    ("log_loss", "ignores_eps_or_lists", "eps"),
    ("mse", "ignores_eps_or_lists", "np.asarray"),
])
def test_common_mistakes_are_named(name, variant, words):
    """Does the check name the mistake in words, not only say 'wrong'?"""
    ns = student_code.namespace(V01.ASSIGNMENT, V01.NOTEBOOK, V01.MISTAKES[variant])
    message = _run(name, ns[name])
    assert message is not None and words in message, message


def test_failures_never_print_the_expected_value():
    """Does a failure keep the expected number to itself?"""
    message = _run("mse", lambda p, t: 1.0)
    assert "1.333" not in message and "4/3" not in message


def test_unwritten_exercise_says_what_to_do():
    """Does the stub's NotImplementedError become an instruction, not a traceback?"""
    def stub(p, t):
        raise NotImplementedError("Write this function")
    assert "not written yet" in _run("mse", stub)


def test_none_and_wrong_types_are_explained():
    """Is a missing return or a non-number named as such?"""
    assert "forget `return`" in _run("mse", lambda p, t: None)
    assert "not a number" in _run("mse", lambda p, t: "4/3")
    assert "single number" in _run("mse", lambda p, t: (np.asarray(p) - np.asarray(t)) ** 2)


def test_every_problem_has_a_hint(capsys):
    """Does each registered exercise have a hint that does not contain code answers?"""
    assert {"mse", "mae", "sigmoid", "log_loss", "neuron_mse"} <= set(check.names())
    for name in check.names():
        check.hint(name)
        text = capsys.readouterr().out
        assert text.startswith(f"Hint for {name}:")
        assert "def " not in text and "return " not in text, f"the hint for {name} reads like code"


def test_unknown_check_lists_the_known_ones():
    """Does a typo in a check name say which names exist?"""
    with pytest.raises(KeyError, match="known checks"):
        check.verify("msee", lambda p, t: 0)


def test_failing_check_prints_and_lets_the_notebook_go_on(monkeypatch, capsys):
    """Outside nbgrader, does a failing check print its diagnosis (with ✗) instead of raising?"""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    check.run("mse", lambda p, t: None)
    out = capsys.readouterr().out
    assert out.startswith("\u2717 mse:") and "forget `return`" in out and "check.hint('mse')" in out


@pytest.mark.parametrize("mode", ["validate", "autograde"])
def test_failing_check_fails_the_cell_under_nbgrader(monkeypatch, mode):
    """While nbgrader runs the notebook (Validate, autograde), does a failing check still raise?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(check.CheckFailed, match="forget `return`"):
        check.run("mse", lambda p, t: None)
    def mse(p, t):
        raise NotImplementedError("Write this function")
    with pytest.raises(check.CheckFailed, match="not written yet"):
        check.run("mse", mse)


def test_ready_runs_the_function(capsys):
    """Does check.ready judge by running: a stub waits, a wrong answer waits, a right one runs?"""
    def mse(p, t):
        raise NotImplementedError("Write this function")
    assert not check.ready(mse) and "finish that exercise" in capsys.readouterr().out

    def mse(p, t):  # noqa: F811  (wrong: a sum, not a mean)
        return np.sum((np.asarray(p) - np.asarray(t)) ** 2)
    assert not check.ready(mse) and "does not pass its check" in capsys.readouterr().out

    def mse(p, t):  # noqa: F811  (written above the stub's line, which is never reached)
        print("debugging output the demo does not need")
        return np.mean((np.asarray(p, dtype=float) - np.asarray(t, dtype=float)) ** 2)
        raise NotImplementedError("Write this function")
    assert check.ready(mse) and capsys.readouterr().out == ""


def test_ready_with_arguments_for_functions_without_a_check():
    """Without a check of that name, does check.ready call the function on the arguments given?"""
    def stub(x):
        raise NotImplementedError("Write this function")
    assert not check.ready(stub, 1.0)
    assert check.ready(lambda x: x, 1.0)


#: Exercises whose answer is a few lines of code: their hints must not hand those lines over.
CODE_ANSWERS = ["minimize", "backward", "forward", "train_network", "momentum_step", "rmsprop_step",
                "adam_step", "gradient_descent", "descend_until", "train", "fit_logistic"]


@pytest.mark.parametrize("name", CODE_ANSWERS)
def test_hints_nudge_without_giving_the_code(name, capsys):
    """Does the hint ask a question instead of spelling out the code or every formula?"""
    check.hint(name)
    text = capsys.readouterr().out
    assert "?" in text, f"the hint for {name} asks nothing"
    for code in ("=", "@", "**", "np.", ".T"):
        assert code not in text, f"the hint for {name} contains {code!r}: it reads like the answer's code"


def test_no_hint_writes_matrix_code(capsys):
    """Does no hint carry a matrix product in code?"""
    for name in check.names():
        check.hint(name)
        assert "@" not in capsys.readouterr().out, name


@pytest.mark.parametrize("name, answer, words", [
    ("parabola_grad", lambda x: 2 * x, "2x, the slope of x^2"),
    ("newton_step", lambda grad, hess, w: np.asarray(w) - hess(w) @ grad(w), "multiplies the gradient by H"),
])
def test_more_mistakes_are_named(name, answer, words):
    """Are a slope of x^2 for the parabola and a product with H (not its inverse) named as such?"""
    assert words in _run(name, answer)


def test_transposed_product_in_backward_is_named():
    """Is a gradient of the transposed shape (the factors of a product swapped) named as such?"""
    def backward(params, cache, y):
        return {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W2": np.zeros((1, 2)), "b2": np.zeros(1)}
    message = _run("backward", backward)
    assert "the transpose of W2's shape" in message and "wrong order" in message


@pytest.mark.parametrize("name, answer", [("train_sgd", "seed + epoch"), ("quiet_batch_size", "B = 1, 2, 3"),
                                          ("backward", "1 - H")])
def test_hints_nudge_without_the_answer(name, answer, capsys):
    """Does each hint ask a question (issue 25: three hints gave the recipe) and leave the answer out?"""
    check.hint(name)
    said = capsys.readouterr().out
    assert "?" in said and answer not in said


@functools.cache
def _solution_fragments() -> frozenset[str]:
    """Each expression a model solution assigns or returns (``return ...``, ``x = ...``), normalised, 10+ characters."""
    fragments = set()
    for path in sorted((Path(__file__).resolve().parents[2] / "source").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", text, flags=re.S):
                for line in block.splitlines():
                    line = line.strip()
                    assigned = re.split(r"(?<![=!<>])=(?!=)", line, maxsplit=1)[-1]
                    expression = line[len("return "):] if line.startswith("return ") else assigned
                    expression = derived_formulas.normalised(expression)
                    if len(expression) >= 10:
                        fragments.add(expression)
    return frozenset(fragments)


def test_the_solution_fragments_are_found():
    """Does the test below see the model solutions' code (so that it can fail)?"""
    fragments = _solution_fragments()
    assert len(fragments) > 40 and derived_formulas.normalised("np.mean(residual ** 2)") in {
        f[len("float("):-1] for f in fragments if f.startswith("float(")}


@pytest.mark.parametrize("name", check.names())
def test_no_hint_states_the_answer(name):
    """For every exercise: does the hint ask a question, and leave out the model solution's code and the
    gradients the student derives (issue 25: hints nudge, the answer never appears)?"""
    said = check.hint_text(name)
    assert "?" in said, f"the hint for {name} asks nothing: it gives steps instead of a nudge"
    assert not derived_formulas.stated(said), derived_formulas.stated(said)
    flat = derived_formulas.normalised(said)
    assert not [f for f in _solution_fragments() if f in flat], f"the hint for {name} holds the solution's code"


def test_every_check_module_is_a_topic_that_import_course_check_loads():
    """Is every module of course/checks/ (but the toolkit and the records' reader) in ``checks.TOPICS``, so
    that ``from course import check`` registers its problems?"""
    from course import checks

    folder = Path(checks.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "toolkit", "recorded"}
    assert modules == {m.__name__.rpartition(".")[2] for m in checks.TOPICS}
    assert {"mse", "parabola", "train_sgd"} <= set(check.names())
