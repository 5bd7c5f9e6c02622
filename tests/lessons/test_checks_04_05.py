"""Visible checks of 04 and 05: they pass the solutions and the correct variants, and diagnose the mistakes."""
import grading_harness as harness
import numpy as np
import pytest
import student_code

from course import check
from course.data import matrix_exercise
from course.instructor.grading.publish.sample_submissions import cell_role, read

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # student code that overflows

VARIANTS = harness.load_variants()
V04 = VARIANTS["04_matrix_weights"]
V05 = VARIANTS["05_logistic_regression"]
IDS = {V04: ["predict", "loss", "loss_gradient", "train", "train_W1"],
       V05: ["predict_proba", "logistic_gradients", "fit_logistic"]}
# Mistakes only the hidden tests can see: a good W1 typed in by hand passes its visible check
# (its gradient's check fails instead).
HIDDEN_ONLY = {("hand_typed_W1", "train_W1"), ("hand_typed_W1_gradient_unwritten", "train_W1")}


def namespace(module, replacements=None):
    """Like student_code.namespace, but a solution cell that raises is skipped, as in a real kernel
    (a broken predict makes the training cell fail; the other answers are still there to check)."""
    nb = read(student_code.REPO / "source" / module.ASSIGNMENT / module.NOTEBOOK)
    ns, replacements = {"__name__": "__student__"}, replacements or {}
    for cell in nb.cells:
        role = cell_role(cell)
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or role not in {"locked", "solution"}:
            continue
        try:
            exec(compile(replacements.get(gid, cell.source), f"<{gid}>", "exec"), ns)
        except Exception:
            if role == "locked":
                raise
    return ns


def _object(name, ns):
    return ns.get("W1") if name == "train_W1" else ns[name]


def _run(name, obj):
    """The failure message of check.verify, or None when it passes."""
    try:
        check.verify(name, obj)
    except check.CheckFailed as failure:
        return str(failure)
    return None


def _cases(kind):
    for module in (V04, V05):
        for variant in getattr(module, kind):
            yield pytest.param(module, variant, id=f"{module.ASSIGNMENT[:2]}-{variant}")


@pytest.mark.parametrize("module", [V04, V05], ids=["04", "05"])
def test_source_solutions_pass(module):
    """Do the instructor's solutions pass every visible check?"""
    ns = namespace(module)
    for name in IDS[module]:
        assert _run(name, _object(name, ns)) is None, name


@pytest.mark.parametrize("module, variant", list(_cases("CORRECT")))
def test_correct_variants_pass(module, variant):
    """Does every answer the grader accepts also pass the visible checks?"""
    ns = namespace(module, module.CORRECT[variant])
    for name in IDS[module]:
        assert _run(name, _object(name, ns)) is None, name


@pytest.mark.parametrize("module, variant", list(_cases("MISTAKES")))
def test_mistakes_fail(module, variant):
    """Does every mistake the grader punishes also fail its visible check (save those only hidden tests see)?"""
    ns = namespace(module, module.MISTAKES[variant])
    for name in module.MISTAKES[variant]:
        if (variant, name) in HIDDEN_ONLY:
            continue
        assert _run(name, _object(name, ns)) is not None, name


@pytest.mark.parametrize("module, name, variant, words", [
    (V04, "predict", "seed_model_mixup", "`W @ x` is a different model"),
    (V04, "loss", "seed_model_mixup", "loss of `W @ x`"),
    (V04, "loss", "sum_instead_of_mean", "summed"),
    (V04, "loss", "forgot_to_sum_and_rmse", "square root"),
    (V04, "loss_gradient", "gradient_missing_2_over_k", "a constant factor is off"),
    (V04, "loss_gradient", "transposed_outer", "transposed"),
    (V04, "loss_gradient", "sum_instead_of_mean", "differentiated a sum"),
    (V04, "loss_gradient", "sign_error_in_gradient", "opposite sign"),
    (V04, "predict", "forgot_to_sum_and_rmse", "shape"),
    (V04, "train", "sign_error_in_step", "loss grows"),
    (V04, "train", "gradient_computed_once", "recompute the gradient at every step"),
    (V04, "train", "mutates_and_short_history", "changes the W passed to it"),
    (V04, "train_W1", "W1_missing", "not defined"),
    (V04, "train_W1", "W1_kept_pair", "not a matrix"),
    (V04, "train_W1", "W1_problems", "diverged"),
    (V04, "train_W1", "W1_not_trained_enough", "not below 1.30"),
    (V05, "predict_proba", "sign_errors", "1 - p"),
    (V05, "predict_proba", "forgot_bias", "bias b is missing"),
    (V05, "predict_proba", "unstable_sigmoid_and_transposed", "NaN"),
    (V05, "predict_proba", "gradient_once_random_start", "rounded labels"),
    (V05, "logistic_gradients", "sum_instead_of_mean", "divide by n"),
    (V05, "logistic_gradients", "sign_errors", "wrong sign"),
    (V05, "logistic_gradients", "unstable_sigmoid_and_transposed", "shape error"),
    (V05, "logistic_gradients", "mse_gradient_and_off_by_one", "squared error"),
    (V05, "logistic_gradients", "forgot_bias", "bias gets a gradient"),
    (V05, "fit_logistic", "sum_instead_of_mean", "3 times too long"),
    (V05, "fit_logistic", "forgot_bias", "update the bias"),
    (V05, "fit_logistic", "mse_gradient_and_off_by_one", "exactly n_iters steps"),
])
def test_common_mistakes_are_named(module, name, variant, words):
    """Does the check name the mistake in words, not only say 'wrong'?"""
    ns = namespace(module, module.MISTAKES[variant])
    message = _run(name, _object(name, ns))
    assert message is not None and words in message, message


def test_uphill_step_is_named():
    """Does a fit that adds the (right) gradient hear that it went uphill?"""
    def fit_uphill(X, y, learning_rate, n_iters):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        for _ in range(n_iters):
            e = 1 / (1 + np.exp(-(X @ w + b))) - y
            w, b = w + learning_rate * X.T @ e / len(y), b + learning_rate * np.mean(e)
        return w, b
    assert "uphill" in _run("fit_logistic", fit_uphill)


def test_failures_never_print_the_expected_values():
    """Does a wrong gradient's message keep the right entries (6.5, 13, ...) to itself?"""
    message = _run("loss_gradient", lambda x, W, t: np.ones((4, 4)))
    assert message is not None
    for number in ("6.5", "13.", "125.25", "0.5"):
        assert number not in message


def test_transposed_shape_is_named_before_the_shape_mismatch():
    """Is a gradient of shape (k, d) called transposed rather than just 'wrong shape'?"""
    def transposed(x, W, t):
        x, W, t = (np.asarray(a, dtype=float) for a in (x, W, t))
        return 2 / len(t) * np.outer(x @ W - t, x)
    assert "transpose" in _run("loss_gradient", transposed)


def test_hand_typed_W1_loses_only_through_hidden_tests():
    """A W1 typed in with enough digits passes the visible W1 check: the grade relies on the gradient tests."""
    x, t, W1 = matrix_exercise()
    for _ in range(15):
        W1 = W1 - 0.01 * 0.5 * np.outer(x, x @ W1 - t)
    assert _run("train_W1", np.round(W1, 4).tolist()) is None
    assert "shape" in _run("train_W1", np.zeros((4, 3)))
    assert "NaN" in _run("train_W1", np.full((4, 4), np.nan))


def test_release_stubs_say_not_written():
    """Does each unwritten exercise of 04 and 05 get the 'not written yet' instruction?"""
    def stub(*args):
        raise NotImplementedError("Write this function")
    for name in IDS[V04][:-1] + IDS[V05]:
        assert "not written yet" in _run(name, stub), name
    assert "not defined" in _run("train_W1", None)


def test_hints_exist_and_do_not_read_like_code(capsys):
    """Does every 04/05 exercise have a hint without code answers in it?"""
    for name in IDS[V04] + IDS[V05]:
        check.hint(name)
        text = capsys.readouterr().out
        assert text.startswith(f"Hint for {name}:") and "def " not in text and "return " not in text


def _hidden_W1_test():
    nb = read(student_code.REPO / "source" / V04.ASSIGNMENT / V04.NOTEBOOK)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_train_W1")
    return "\n".join(line for line in cell.source.splitlines() if not line.startswith("check.run"))


@pytest.mark.parametrize("W1, words", [
    ("missing", "W1 is missing"),
    (np.zeros((4, 3)), "wrong shape"),
    (np.full((4, 4), np.nan), "NaN or inf"),
    ((np.zeros((4, 4)), [1.0, 2.0]), "not a matrix"),
    (matrix_exercise()[2], "not below 1.30"),
])
def test_hidden_W1_test_fails_with_a_message(W1, words):
    """Does the hidden W1 test (without its visible first line) fail with words, never crash, for a bad W1?"""
    ns = namespace(V04)
    if isinstance(W1, str):
        del ns["W1"]
    else:
        ns["W1"] = W1
    with pytest.raises(AssertionError, match=words):
        exec(_hidden_W1_test(), ns)


def test_hidden_W1_test_passes_the_solution():
    """Does the hidden W1 test accept the solution's W1?"""
    exec(_hidden_W1_test(), namespace(V04))
