"""Visible checks of 06_backprop and 08_optimizers: correct answers pass, mistakes get named."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from course import check
from course.check import CheckFailed
from course.network_init import init_two_layer

VARIANTS = Path(__file__).resolve().parents[1] / "variants"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, VARIANTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OPTIMIZERS, BACKPROP = _load("a08_optimizers"), _load("a06_backprop")


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _mean_log_loss(p, y, eps=1e-12):
    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _forward(params, X):
    X = np.asarray(X, dtype=float)
    H = np.tanh(X @ params["W1"] + params["b1"])
    p = _sigmoid(H @ params["W2"] + params["b2"])[:, 0]
    return p, {"X": X, "H": H, "p": p}


def _backward(params, cache, y):
    X, H, p = cache["X"], cache["H"], cache["p"]
    dz = ((p - np.asarray(y, dtype=float)) / len(p))[:, None]
    dZ1 = (dz @ params["W2"].T) * (1 - H ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": H.T @ dz, "b2": dz.sum(0)}


def _compile(source: str, name: str):
    """Define a variant's function in a namespace like the notebook's, with correct helpers."""
    namespace = {"np": np, "init_two_layer": init_two_layer, "sigmoid": _sigmoid,
                 "mean_log_loss": _mean_log_loss, "forward": _forward, "backward": _backward}
    exec(source, namespace)
    return namespace[name]


def _cases(module, table):
    for variant, cells in getattr(module, table).items():
        for gid, source in cells.items():
            yield pytest.param(gid, source, id=f"{module.ASSIGNMENT}-{variant}-{gid}")


@pytest.mark.parametrize("gid, source", list(_cases(OPTIMIZERS, "CORRECT")) + list(_cases(BACKPROP, "CORRECT")))
def test_correct_variants_pass_the_visible_check(gid, source, capsys):
    """Does every correct way of writing an exercise pass its visible check?"""
    check.verify(gid, _compile(source, gid))
    assert "public checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("gid, source", list(_cases(OPTIMIZERS, "MISTAKES")) + list(_cases(BACKPROP, "MISTAKES")))
def test_mistakes_fail_the_visible_check(gid, source):
    """Does every common mistake fail its visible check (with a message, never the expected values)?"""
    with np.errstate(all="ignore"), pytest.raises(CheckFailed) as failure:
        check.verify(gid, _compile(source, gid))
    assert f"check.hint({gid!r})" in str(failure.value)


def _diagnosis(gid, source):
    with np.errstate(all="ignore"), pytest.raises(CheckFailed) as failure:
        check.verify(gid, _compile(source, gid))
    return str(failure.value)


def test_momentum_sign_flip_is_named():
    """Is a momentum step taken uphill diagnosed as a flipped sign?"""
    text = _diagnosis("momentum_step", OPTIMIZERS.MISTAKES["sign_flipped"]["momentum_step"])
    assert "uphill" in text and "sign is flipped" in text


def test_momentum_other_convention_is_named():
    """Is v = beta v + (1 - beta) g recognised as the other convention, not just 'wrong'?"""
    text = _diagnosis("momentum_step", OPTIMIZERS.MISTAKES["start_missing_or_averaged_velocity"]["momentum_step"])
    assert "(1 - beta) * grad" in text


def test_momentum_ignoring_state_is_named():
    """Is a momentum step that forgets the old velocity told to read state['v']?"""
    forgetful = OPTIMIZERS.MISTAKES["state_forgotten"]["momentum_step"]
    assert "ignores the velocity" in _diagnosis("momentum_step", forgetful)


def test_adam_without_bias_correction_is_named():
    """Is Adam without bias correction diagnosed as such (first step about 3.2 times too large)?"""
    text = _diagnosis("adam_step", OPTIMIZERS.MISTAKES["adam_no_bias_correction"]["adam_step"])
    assert "bias correction is missing" in text


def test_adam_half_corrected_is_named():
    """Is Adam that corrects only m told that v needs its own correction?"""
    source = OPTIMIZERS.CORRECT["loops"]["adam_step"].replace("v_hat = v[i] / (1 - beta2 ** t)", "v_hat = v[i]")
    assert "only m is bias-corrected" in _diagnosis("adam_step", source)


def test_adam_counting_after_correction_is_named():
    """Is Adam that divides by 1 - beta**0 = 0 on its first step told to increment t first?"""
    source = OPTIMIZERS.CORRECT["loops"]["adam_step"].replace("    t = t + 1\n", "").replace(
        'return p, {"m": m, "v": v, "t": t}', 'return p, {"m": m, "v": v, "t": t + 1}')
    with np.errstate(all="ignore"):
        text = _diagnosis("adam_step", source)
    assert "increment t first" in text


@pytest.mark.parametrize("gid", ["adam_step", "rmsprop_step"])
def test_eps_inside_the_square_root_is_named(gid):
    """Is epsilon inside the square root diagnosed for both Adam and RMSprop?"""
    text = _diagnosis(gid, OPTIMIZERS.MISTAKES["eps_inside_sqrt"][gid])
    assert "eps is inside the square root" in text


def test_minimize_without_the_start_is_named():
    """Is a minimize that leaves out x0 told so?"""
    text = _diagnosis("minimize", OPTIMIZERS.MISTAKES["start_missing_or_averaged_velocity"]["minimize"])
    assert "x0 is missing" in text


def test_minimize_updating_in_place_is_named():
    """Is a minimize that modifies x0 in place told to copy it?"""
    assert "changed the x0 array" in _diagnosis("minimize", OPTIMIZERS.MISTAKES["in_place_updates"]["minimize"])


def test_minimize_that_drops_the_state_is_named():
    """Is a minimize that always passes state None told to thread the state through?"""
    text = _diagnosis("minimize", OPTIMIZERS.MISTAKES["state_forgotten"]["minimize"])
    assert "hand the state" in text


def test_backward_without_activation_derivative_is_named():
    """Is a backward pass that forgets tanh's derivative diagnosed as such?"""
    text = _diagnosis("backward", BACKPROP.MISTAKES["no_activation_derivative"]["backward"])
    assert "tanh derivative is missing" in text and "1 - H" not in text  # a question, not the answer


def test_backward_summing_is_named():
    """Is a backward pass n times too large diagnosed as a sum where the cost is a mean?"""
    text = _diagnosis("backward", BACKPROP.MISTAKES["sum_not_mean"]["backward"])
    assert "3 times too large" in text and "(p - y) / n" in text


def test_backward_wrong_shape_is_named():
    """Is a gradient with a shape other than its parameter's named, with both shapes?"""
    text = _diagnosis("backward", BACKPROP.MISTAKES["wrong_shapes"]["backward"])
    assert "shape (2,)" in text and "(2, 1)" in text


def test_backward_sign_is_named():
    """Is a backward pass with y - p instead of p - y diagnosed as a sign error?"""
    assert "opposite sign" in _diagnosis("backward", BACKPROP.MISTAKES["sign_flipped_bias_missing"]["backward"])


def test_forward_mistakes_are_named():
    """Are a sigmoid hidden layer, missing output sigmoid and a column p each named?"""
    assert "np.tanh" in _diagnosis("forward", BACKPROP.MISTAKES["no_activation_derivative"]["forward"])
    assert "output scores" in _diagnosis("forward", BACKPROP.MISTAKES["sum_not_mean"]["forward"])
    assert "shape (n, 1)" in _diagnosis("forward", BACKPROP.MISTAKES["wrong_shapes"]["forward"])


@pytest.mark.parametrize("variant, words", [("train_gradient_ascent", "loss goes up"),
                                            ("train_losses_after_update", "one step late"),
                                            ("train_biases_frozen", "update the biases"),
                                            ("train_zero_start", "not from zeros")])
def test_train_network_mistakes_are_named(variant, words):
    """Does each training mistake get its own diagnosis?"""
    assert words in _diagnosis("train_network", BACKPROP.MISTAKES[variant]["train_network"])


def test_unwritten_exercise_says_so():
    """Does the check of an unwritten stub say 'not written yet' instead of crashing?"""
    def momentum_step(params, grad, state, learning_rate=0.01, beta=0.9):
        raise NotImplementedError("Write this function")

    with pytest.raises(CheckFailed, match="not written yet"):
        check.verify("momentum_step", momentum_step)


@pytest.mark.parametrize("gid", ["momentum_step", "minimize", "rmsprop_step", "adam_step",
                                 "forward", "backward", "train_network"])
def test_every_graded_id_has_a_hint(gid, capsys):
    """Does every graded exercise of backprop (06) and optimizers (08) have a hint?"""
    check.hint(gid)
    assert len(capsys.readouterr().out) > 60
