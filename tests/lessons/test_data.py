"""course.data: seeded, reproducible, and with the numbers the lessons quote."""
import numpy as np

from course import data


def test_matrix_exercise_has_the_lesson_numbers():
    """Is x @ W1 = [15, 13, 18, 11] with MSE 125.25 against the targets?"""
    x, target, W1 = data.matrix_exercise()
    assert np.array_equal(x @ W1, [15.0, 13.0, 18.0, 11.0])
    assert np.mean((x @ W1 - target) ** 2) == 125.25


def test_generators_are_reproducible_and_seed_dependent():
    """Does the same seed give the same data, and another seed other data?"""
    for make in (data.neuron_samples, data.two_clouds, data.xor):
        a, b, c = make(seed=3), make(seed=3), make(seed=4)
        assert all(np.array_equal(u, v) for u, v in zip(a, b))
        assert not np.array_equal(a[0], c[0])


def test_labels_are_binary_and_balanced_enough():
    """Are class labels 0/1 with both classes present?"""
    for make in (data.two_clouds, data.xor):
        _, y = make(n=200)
        assert set(np.unique(y)) == {0.0, 1.0} and 0.3 < y.mean() < 0.7


def test_xor_is_not_linearly_separable():
    """Does the best straight line through XOR data still misclassify many points?"""
    X, y = data.xor(n=400)
    best = 0.0
    for angle in np.linspace(0, np.pi, 180, endpoint=False):
        proj = X @ np.array([np.cos(angle), np.sin(angle)])
        for cut in np.quantile(proj, np.linspace(0.05, 0.95, 19)):
            acc = np.mean((proj > cut) == y)
            best = max(best, acc, 1 - acc)
    assert best < 0.75


def test_train_test_split_partitions_the_data():
    """Does the split keep every sample exactly once?"""
    X, y = data.two_clouds(n=100)
    Xtr, ytr, Xte, yte = data.train_test_split(X, y, 0.25)
    assert len(ytr) == 75 and len(yte) == 25
    assert sorted(map(tuple, np.vstack([Xtr, Xte]))) == sorted(map(tuple, X))
