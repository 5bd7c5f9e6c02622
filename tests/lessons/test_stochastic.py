"""07_stochastic_descent: its data, its numbers, its demos, and its visible checks on the variants."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
import numpy as np
import pytest

from course import check, data
from course.check import CheckFailed
from course.sgd_widget import NoiseExplorer
from course.stochastic_demos import batch_size_race, race_table, sampled_noise, step_path

matplotlib.use("Agg")
VARIANTS = Path(__file__).resolve().parents[1] / "variants"
_spec = importlib.util.spec_from_file_location("a07_stochastic_descent", VARIANTS / "a07_stochastic_descent.py")
STOCHASTIC = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(STOCHASTIC)

W0 = np.array([-1.0, 2.0])


def _mse_loss(w, X, y):
    X = np.asarray(X, dtype=float)
    return float(np.mean((X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def _mse_gradient(w, X, y):
    X = np.asarray(X, dtype=float)
    r = X @ np.asarray(w, dtype=float) - np.asarray(y, dtype=float)
    return 2.0 * X.T @ r / len(r)


def _noise(w, X, y, b):
    G = 2.0 * X * (X @ w - y)[:, None]
    s2 = np.mean(np.sum((G - G.mean(0)) ** 2, axis=1))
    return float(np.sqrt(s2 / b * (len(y) - b) / (len(y) - 1)))


def _namespace(cells: dict | None = None) -> dict:
    """The notebook's names: given code and data, the correct solutions, then ``cells`` on top."""
    X, y = data.linear_regression(n=600, noise=1.0, seed=0)
    ns = {"np": np, "mse_loss": _mse_loss, "mse_gradient": _mse_gradient, "X": X, "y": y, "w0": W0.copy(),
          "LEVEL": 0.25 * float(np.linalg.norm(_mse_gradient(W0, X, y)))}
    for gid, source in STOCHASTIC.CORRECT["loops_and_lists"].items():
        if gid != "quiet_batch_size":
            exec(source, ns)
    for source in (cells or {}).values():
        exec(source, ns)
    return ns


def _run(gid: str, cells: dict) -> None:
    ns = _namespace(cells)
    check.verify(gid, ns.get(gid))


def test_linear_regression_data_is_seeded_and_has_the_lesson_numbers():
    """Is the data reproducible, with best loss 1.0652, |g(w0)| = 4.0925 and the answer 84?"""
    X, y = data.linear_regression()
    X2, y2 = data.linear_regression()
    assert np.array_equal(X, X2) and np.array_equal(y, y2) and X.shape == (600, 2)
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    assert np.isclose(_mse_loss(best, X, y), 1.0651649, atol=1e-6)
    assert np.allclose(_mse_gradient(best, X, y), 0.0, atol=1e-12)
    level = 0.25 * np.linalg.norm(_mse_gradient(W0, X, y))
    assert np.isclose(4 * level, 4.0924793, atol=1e-6)
    answer = next(b for b in range(1, 601) if _noise(W0, X, y, b) <= level)
    assert answer == 84
    # Without the finite-population factor the answer would be 97: the question tells the two apart.
    s = _noise(W0, X, y, 1)
    assert next(b for b in range(1, 601) if s / np.sqrt(b) <= level) == 97


def test_noise_formula_matches_exhaustive_enumeration():
    """Is E|g_B - g|^2 = s^2/b (n-b)/(n-1) exact, over every batch of distinct samples of a small set?"""
    from itertools import combinations

    rng = np.random.default_rng(5)
    X, y, w = rng.normal(size=(7, 2)), rng.normal(size=7), rng.normal(size=2)
    G = 2.0 * X * (X @ w - y)[:, None]
    g = G.mean(0)
    for b in range(1, 8):
        mean_sq = np.mean([np.sum((G[list(c)].mean(0) - g) ** 2) for c in combinations(range(7), b)])
        assert np.isclose(np.sqrt(mean_sq), _noise(w, X, y, b), rtol=1e-12, atol=1e-12)


def test_sampled_noise_agrees_with_the_formula():
    """Does the measured noise of the demo come within 10% of the formula on the lesson's data?"""
    X, y = data.linear_regression()
    sizes = [1, 8, 64, 300]
    measured = sampled_noise(_mse_gradient, W0, X, y, sizes, n_draws=2000, seed=3)
    assert np.allclose(measured, [_noise(W0, X, y, b) for b in sizes], rtol=0.1)


def test_a_decaying_schedule_settles_where_a_constant_rate_bounces():
    """With batch size 1, does the decaying schedule end closer to the minimum than the constant rate?"""
    ns = _namespace()
    X, y = ns["X"], ns["y"]
    best = np.linalg.lstsq(X, y, rcond=None)[0]
    dist = {}
    for name, sched in {"constant": lambda e: 0.03, "decay": lambda e: 0.03 / (1 + e / 2)}.items():
        w = ns["train_sgd"](W0, X, y, 1, 30, sched, 0)[0]
        batches = [b for e in range(30, 35) for b in ns["minibatches"](600, 1, e)]
        rates = [sched(e) for e in range(30, 35) for _ in range(600)]
        dist[name] = np.mean(np.linalg.norm(step_path(ns["sgd_epoch"], w, X, y, rates, batches) - best, axis=1))
    assert dist["decay"] < dist["constant"] / 3


def test_batch_race_and_widget_run_on_the_students_functions():
    """Do the race and the slider demo run on correct student functions and report their numbers?"""
    ns = _namespace()
    X, y = ns["X"], ns["y"]
    best = _mse_loss(np.linalg.lstsq(X, y, rcond=None)[0], X, y)
    rows = batch_size_race(ns["sgd_epoch"], ns["minibatches"], _mse_loss, X, y, W0, [1, 16, 600],
                           rate_for=lambda b: min(0.01 * b, 0.3), target=best + 0.02)
    assert all(r["reached"] for r in rows)
    assert rows[0]["steps"] > rows[1]["steps"] > rows[2]["steps"]
    assert rows[2]["epochs"] > rows[1]["epochs"]
    assert "steps" in race_table(rows)
    explorer = NoiseExplorer(ns["minibatches"], ns["sgd_epoch"], _mse_loss, X, y, W0, best)
    assert "above the best" in explorer.readout
    assert "diverged" in explorer.update(batch_size=1, learning_rate=0.3) or "above" in explorer.readout
    quiet = explorer.update(batch_size=32, learning_rate=0.1)
    noisy = explorer.update(batch_size=1, learning_rate=0.1)
    spread = lambda text: float(text.rsplit(" ", 1)[-1])
    assert spread(noisy) > 5 * spread(quiet)


def _cases(table):
    for variant, cells in getattr(STOCHASTIC, table).items():
        for gid in cells:
            yield pytest.param(variant, gid, id=f"{variant}-{gid}")


@pytest.mark.parametrize("variant, gid", list(_cases("CORRECT")))
def test_correct_variants_pass_the_visible_check(variant, gid, capsys):
    """Does every correct way of writing an exercise of 07 pass its visible check?"""
    _run(gid, STOCHASTIC.CORRECT[variant])
    assert "public checks passed" in capsys.readouterr().out


#: A right number typed in passes the visible check; only grading (which reruns gradient_noise) catches it.
VISIBLE_PASSES = {("typed_answer_unwritten_noise", "quiet_batch_size")}


@pytest.mark.parametrize("variant, gid", [p for p in _cases("MISTAKES") if tuple(p.values) not in VISIBLE_PASSES])
def test_mistakes_fail_the_visible_check(variant, gid):
    """Does every common mistake of 07 fail its visible check, with a pointer to the hint?"""
    with pytest.raises(CheckFailed) as failure:
        _run(gid, STOCHASTIC.MISTAKES[variant])
    assert f"check.hint({gid!r})" in str(failure.value) or "not written yet" in str(failure.value)


@pytest.mark.parametrize("variant, gid, words", [
    ("not_shuffled", "minibatches", "original order"),
    ("drops_last_batch", "minibatches", "last, smaller batch"),
    ("with_replacement", "minibatches", "twice"),
    ("ignores_seed", "minibatches", "same seed"),
    ("gradient_once_per_epoch", "sgd_epoch", "starting w"),
    ("summed_batch_gradient", "sgd_epoch", "summed"),
    ("full_gradient_each_step", "sgd_epoch", "all the data"),
    ("in_place_update", "sgd_epoch", "in-place"),
    ("no_finite_population_factor", "gradient_noise", "(n - B) / (n - 1)"),
    ("variance_not_rms", "gradient_noise", "square root"),
    ("same_shuffle_every_epoch", "train_sgd", "same shuffle"),
    ("schedule_ignored", "train_sgd", "schedule(epoch)"),
    ("history_without_start", "train_sgd", "loss at w0"),
    ("schedule_off_by_one", "train_sgd", "0, 1, 2"),
    ("largest_above_level", "quiet_batch_size", "above LEVEL"),
    ("typed_guess", "quiet_batch_size", "smallest"),
])
def test_mistakes_are_named(variant, gid, words):
    """Does the visible check name the likely mistake, not only say 'wrong'?"""
    with pytest.raises(CheckFailed) as failure:
        _run(gid, STOCHASTIC.MISTAKES[variant])
    assert words in str(failure.value)


def test_every_exercise_has_a_hint():
    """Does every graded exercise of 07 have a hint that names no formula's result?"""
    for gid in ("minibatches", "sgd_epoch", "gradient_noise", "train_sgd", "quiet_batch_size"):
        assert gid in check.names()
