"""course.gradient_report: the gradient check names the entries of an unfinished gradient that disagree."""
import numpy as np
import pytest

from course.gradient_report import check_gradient, check_gradients, compare

X = np.array([1.0, -2.0, 0.5])
T = np.array([0.3, -1.0])
W = np.array([[0.2, -0.4], [1.1, 0.3], [-0.7, 0.9]])


def loss(V):
    """Mean squared error of a 3-input, 2-output layer, so that every entry of the gradient is nonzero."""
    return float(np.mean((X @ V - T) ** 2))


def right(V):
    return np.outer(X, X @ V - T)  # (2/k) with k = 2 outputs


def _report(grad, capsys):
    ok = check_gradient(loss, grad, W, name="W")
    return ok, capsys.readouterr().out


def test_a_right_gradient_passes(capsys):
    """Does the right gradient agree, and is that said?"""
    ok, said = _report(right, capsys)
    assert ok and "agrees" in said and "DISAGREES" not in said


def test_one_wrong_entry_is_named_and_only_it(capsys):
    """With W[2, 1] off by 10%, is that entry, and no other, named?"""
    def one_off(V):
        g = right(V)
        g[2, 1] *= 1.1
        return g
    ok, said = _report(one_off, capsys)
    assert not ok and "1 of 6 entries differ" in said and "W[2, 1]" in said
    assert not any(f"W[{i}, {j}]" in said for i in range(3) for j in range(2) if (i, j) != (2, 1))


@pytest.mark.parametrize("factor, words", [(0.5, "0.5 times"), (-1.0, "-1 times")])
def test_a_missing_factor_or_a_sign_names_every_entry_and_the_factor(factor, words, capsys):
    """A missing factor of 2 or a sign error: are all six entries named, and the constant factor said?"""
    ok, said = _report(lambda V: factor * right(V), capsys)
    assert not ok and "6 of 6 entries differ" in said and words in said
    assert all(f"W[{i}, {j}]" in said for i in range(3) for j in range(2))


def test_a_transposed_gradient_is_named_as_such(capsys):
    """Is a (2, 3) gradient for a (3, 2) parameter called the transpose?"""
    ok, said = _report(lambda V: right(V).T, capsys)
    assert not ok and "shape (2, 3)" in said and "transpose" in said


def test_the_stub_says_what_to_do(capsys):
    """Does a gradient that still raises NotImplementedError get told what to do, without a crash?"""
    def stub(V):
        raise NotImplementedError("Write this function")
    ok, said = _report(stub, capsys)
    assert not ok and "not written yet" in said and "NotImplementedError" in said


@pytest.mark.parametrize("grad, words", [
    (lambda V: None, "forget `return`"),
    (lambda V: np.full((3, 2), np.nan), "NaN or infinite"),
    (lambda V: 1 / 0, "ZeroDivisionError"),
    (lambda V: right(V).ravel(), "shape (6,)"),
    (lambda V: "grad", "not an array of numbers"),
])
def test_broken_gradients_get_a_clear_message(grad, words, capsys):
    """None, NaN, a crash, a flat array and a string: each a sentence, never an exception?"""
    ok, said = _report(grad, capsys)
    assert not ok and words in said


def test_an_unfinished_loss_is_said(capsys):
    """Does the check say so when the loss it differentiates is still a stub?"""
    def stub_loss(V):
        raise NotImplementedError
    assert not check_gradient(stub_loss, right, W, name="W")
    assert "loss the check differentiates is not written yet" in capsys.readouterr().out


def test_a_true_zero_entry_is_not_flagged_for_rounding_noise():
    """With x[0] = 0 the first row of the gradient is 0: does the rounding noise of its centred differences pass?"""
    x0 = np.array([0.0, 3.0, -1.0])
    ok, said = compare(lambda V: float(np.mean((x0 @ V - T) ** 2)), np.outer(x0, x0 @ W - T), W, "W")
    assert ok, said


def test_a_dict_of_gradients_is_reported_per_parameter(capsys):
    """For dict parameters, is only the key with the wrong gradient called out?"""
    params = {"a": np.array([1.0, 2.0]), "b": np.array([0.5])}
    loss_of = lambda P: float(np.sum(P["a"] ** 2) + 3 * P["b"][0] ** 2)  # noqa: E731
    assert check_gradients(loss_of, lambda P: {"a": 2 * P["a"], "b": 6 * P["b"]}, params)
    capsys.readouterr()
    assert not check_gradients(loss_of, lambda P: {"a": 2 * P["a"], "b": 3 * P["b"]}, params)
    said = capsys.readouterr().out
    assert "a: agrees" in said and "b: DISAGREES" in said and "b[0]" in said
    def stub(P):
        raise NotImplementedError
    assert not check_gradients(loss_of, stub, params)
    assert "not written yet" in capsys.readouterr().out
