"""What crosses the grading boundary: plain data in, plain data out, and nothing else."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from course import plaindata
from course.plaindata import Limits, Opaque, WireError, decode, encode


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 3.25, "text", [1, 2.5, "a"], (1, (2, [3])), {"m": 1.0, "t": 3},
    {1: "one"}, complex(1, -2), np.float32(0.1), np.int64(5), np.bool_(True),
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    """Does every kind of plain value survive a round trip, type included (float32 stays float32)?"""
    back = decode(encode(value))
    assert type(back) is type(value)
    assert back == value


def test_arrays_keep_dtype_shape_and_special_values():
    """Do arrays keep their dtype, shape and NaN/inf through the wire?"""
    for array in (np.arange(12, dtype=np.float32).reshape(3, 4), np.array([np.nan, np.inf, -np.inf]),
                  np.zeros((0, 3)), np.array([[True, False]]), np.arange(6, dtype=np.int16)[::2],
                  np.float64(2.0) * np.ones((2, 1, 2), order="F")):
        back = decode(encode(array))
        assert back.dtype == array.dtype and back.shape == array.shape
        assert np.array_equal(back, array, equal_nan=True)
        assert back.flags.writeable


def test_nan_and_infinity_as_python_floats():
    back = decode(encode([math.nan, math.inf]))
    assert math.isnan(back[0]) and back[1] == math.inf


def test_objects_arrive_opaque_and_refuse_every_use():
    """Does an object that is not plain data (or poses as an array) arrive as a marker that compares to nothing?"""
    class Liar:
        def __array__(self, *a, **k):
            return np.zeros(3)

        def __eq__(self, other):
            return True

    back = decode(encode(Liar()))
    assert isinstance(back, Opaque) and back.type_name == "Liar"
    for use in (lambda: np.asarray(back, dtype=float), lambda: float(back), lambda: back < 1, lambda: bool(back)):
        with pytest.raises(TypeError):
            use()
    assert isinstance(decode(encode(np.array(["a"]))), Opaque)


@pytest.mark.parametrize("tree", [
    {"array": {"dtype": "|O8", "shape": [1], "b64": "AAAAAAAAAAA="}},
    {"array": {"dtype": "<f8", "shape": [2], "b64": "AAAAAAAAAAA="}},
    {"array": {"dtype": "<f8", "shape": [10**9], "b64": ""}},
    {"array": {"dtype": "<f8", "shape": [-1], "b64": ""}},
    {"array": {"dtype": "(2,)f8", "shape": [1], "b64": ""}},
    {"pickle": "gASVAAAAAAAAAAA="},
    {"list": [1], "tuple": [2]},
    {"dict": [["a"]]},
    {"callback": 1},
    {"ref": "mse"},
])
def test_malformed_or_forbidden_data_is_refused(tree):
    """Is every node that is not plain data, or lies about its size, refused with WireError?"""
    with pytest.raises(WireError):
        decode(json.dumps(tree).encode())


def test_limits_of_depth_size_and_count():
    """Do absurd nesting, size and counts fail cleanly instead of exhausting the grader?"""
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(WireError):
        decode(deep.encode())
    nested = {"list": []}
    for _ in range(40):
        nested = {"list": [nested]}
    with pytest.raises(WireError):
        decode(json.dumps(nested).encode())
    with pytest.raises(WireError):
        decode(encode(list(range(100))), Limits(max_nodes=50))
    with pytest.raises(WireError):
        decode(b"x" * 2000, Limits(max_bytes=1000))


def test_callbacks_and_refs_only_where_the_reader_allows_them():
    """Are functions encoded as callback numbers, and decoded only by a reader that knows what to do?"""
    seen = []
    tree = plaindata.to_plain((lambda x: x, plaindata.Ref("adam_step")), callback=lambda f: seen.append(f) or 0)
    back = plaindata.decode_tree(tree, make_callback=lambda i: f"callback {i}", resolve_ref=lambda n: f"ref {n}")
    assert back == ("callback 0", "ref adam_step") and len(seen) == 1
