"""Feedback may say that shapes disagree, never which: the shapes are the hidden test's inputs'."""
from __future__ import annotations

import numpy as np
import pytest

from course.instructor.grading.judge.hidden_shapes import SHAPES_DISAGREE, hide_shapes


def _numpy_error(action) -> str:
    try:
        action()
    except Exception as exc:  # noqa: BLE001 (the messages NumPy itself gives)
        return f"train raised {type(exc).__name__}: {exc}"
    raise AssertionError("no error")


@pytest.mark.parametrize("action", [
    lambda: np.ones((3, 2)) + np.ones((2, 3)),
    lambda: np.ones((3, 2)) @ np.ones((3, 2)),
    lambda: np.dot(np.ones(3), np.ones((4, 4))),
    lambda: np.ones(12).reshape(5, 3),
    lambda: np.ones(3)[5],
    lambda: np.concatenate([np.ones((3, 2)), np.ones((2, 3))]),
], ids=["broadcast", "matmul", "dot", "reshape", "index", "concatenate"])
def test_numpy_shape_errors_lose_their_sizes(action):
    """Does each of NumPy's shape errors keep its head and lose every size it names?"""
    shown = hide_shapes(_numpy_error(action))
    assert shown.startswith("train raised ") and shown.endswith(SHAPES_DISAGREE)
    assert not any(ch.isdigit() for ch in shown)


def test_other_messages_are_kept():
    """Is a message that names no shapes shown as it was?"""
    for message in ("mse raised ZeroDivisionError: division by zero", "a hidden test failed",
                    "train raised TypeError: unsupported operand type(s) for -: 'list' and 'float'"):
        assert hide_shapes(message) == message
