"""Plain data across the grading boundary: numbers, arrays, strings and containers, nothing else.

At grading, a student's functions run in their sandboxed kernel and the hidden tests run in
the grader. What passes between them is encoded here as tagged JSON: ``None``, booleans,
integers, floats (NaN and infinities included), complex numbers, strings, NumPy arrays and
scalars of numeric dtypes (raw bytes, base64), and lists, tuples and dicts of those. Never
objects, pickles or code: whatever the kernel sends, :func:`decode` builds only these types,
within the limits of :class:`Limits`.

Both sides use this module, but each its own copy: the grader never imports anything from
the student's kernel.
"""
from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

#: Dtypes that may cross: booleans, integers, unsigned integers, floats and complex numbers.
_DTYPE = re.compile(r"^[<>|=]?[biufc][1-9][0-9]?$")
_TAGS = ("list", "tuple", "dict", "array", "scalar", "complex", "opaque", "callback", "ref")


class WireError(ValueError):
    """Data that is not plain data, or breaks the limits."""


@dataclass(frozen=True)
class Limits:
    """How much one message may hold."""

    max_bytes: int = 64 * 2**20
    max_depth: int = 32
    max_nodes: int = 1_000_000
    max_string: int = 1_000_000


@dataclass(frozen=True)
class Opaque:
    """A value the other side could not express as plain data (a class instance, a generator...)."""

    type_name: str

    def __repr__(self) -> str:
        return f"<a {self.type_name} object>"

    def _refuse(self, *_: Any) -> Any:
        raise TypeError(f"the answer is a {self.type_name} object, not a number, an array, a string, "
                        "a list, a tuple or a dict")

    __array__ = __float__ = __int__ = __index__ = __bool__ = __len__ = __iter__ = __getitem__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __add__ = __sub__ = __mul__ = __truediv__ = __neg__ = _refuse


@dataclass(frozen=True)
class Ref:
    """A name in the student's namespace, passed as an argument (a student's function)."""

    name: str


def _array_node(array: np.ndarray) -> dict:
    return {"array": {"dtype": array.dtype.str, "shape": list(array.shape),
                      "b64": base64.b64encode(array.tobytes(order="C")).decode("ascii")}}


def to_plain(value: Any, callback: "Callable[[Any], int] | None" = None, depth: int = 0) -> Any:
    """``value`` as a JSON-ready tagged tree; callables become callbacks (if ``callback`` is given)."""
    if depth > 64:
        raise WireError("data nested more than 64 levels deep")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):
        if value.dtype.kind in "biufc":
            return {"scalar": _array_node(np.asarray(value))["array"]}
        return {"opaque": type(value).__name__}
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, complex):
        return {"complex": [value.real, value.imag]}
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            return _array_node(value)
        if value.dtype.kind == "O":
            return {"list": [to_plain(v, callback, depth + 1) for v in value.tolist()]}
        return {"opaque": f"array of {value.dtype}"}
    if isinstance(value, Ref):
        return {"ref": value.name}
    if isinstance(value, tuple):
        return {"tuple": [to_plain(v, callback, depth + 1) for v in value]}
    if isinstance(value, list):
        return {"list": [to_plain(v, callback, depth + 1) for v in value]}
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            if isinstance(key, np.generic):
                key = key.item()
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = repr(key)
            items.append([key, to_plain(item, callback, depth + 1)])
        return {"dict": items}
    if callable(value) and callback is not None:
        return {"callback": callback(value)}
    return {"opaque": type(value).__name__}


def encode(value: Any, callback: "Callable[[Any], int] | None" = None) -> bytes:
    """JSON bytes of :func:`to_plain` of ``value``."""
    return json.dumps(to_plain(value, callback), allow_nan=True, separators=(",", ":")).encode()


class _Decoder:
    def __init__(self, limits: Limits, make_callback: "Callable[[int], Any] | None",
                 resolve_ref: "Callable[[str], Any] | None") -> None:
        self.limits, self.make_callback, self.resolve_ref = limits, make_callback, resolve_ref
        self.nodes = 0

    def __call__(self, node: Any, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise WireError(f"more than {self.limits.max_nodes} values in one answer")
        if depth > self.limits.max_depth:
            raise WireError(f"data nested more than {self.limits.max_depth} levels deep")
        if node is None or isinstance(node, (bool, int, float)):
            return node
        if isinstance(node, str):
            if len(node) > self.limits.max_string:
                raise WireError(f"a string longer than {self.limits.max_string} characters")
            return node
        if not isinstance(node, dict) or len(node) != 1 or next(iter(node)) not in _TAGS:
            raise WireError("not plain data (an unknown node)")
        tag, body = next(iter(node.items()))
        if tag in ("list", "tuple"):
            if not isinstance(body, list):
                raise WireError(f"a malformed {tag}")
            items = [self(v, depth + 1) for v in body]
            return items if tag == "list" else tuple(items)
        if tag == "dict":
            if not isinstance(body, list):
                raise WireError("a malformed dict")
            out = {}
            for pair in body:
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], (str, int))
                        and not isinstance(pair[0], bool)):
                    raise WireError("a malformed dict entry")
                out[self(pair[0], depth + 1)] = self(pair[1], depth + 1)
            return out
        if tag in ("array", "scalar"):
            array = self._array(body)
            return array[()] if tag == "scalar" else array
        if tag == "complex":
            if not (isinstance(body, list) and len(body) == 2 and all(isinstance(v, (int, float)) for v in body)):
                raise WireError("a malformed complex number")
            return complex(body[0], body[1])
        if tag == "opaque":
            return Opaque(str(body)[:80])
        if tag == "callback" and self.make_callback is not None and isinstance(body, int):
            return self.make_callback(body)
        if tag == "ref" and self.resolve_ref is not None and isinstance(body, str):
            return self.resolve_ref(body)
        raise WireError(f"a {tag} is not allowed here")

    def _array(self, body: Any) -> np.ndarray:
        if not isinstance(body, dict) or set(body) != {"dtype", "shape", "b64"}:
            raise WireError("a malformed array")
        dtype, shape, b64 = body["dtype"], body["shape"], body["b64"]
        if not (isinstance(dtype, str) and _DTYPE.match(dtype)):
            raise WireError("an array of a dtype that is not numeric")
        if not (isinstance(shape, list) and len(shape) <= 32
                and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)):
            raise WireError("an array with a malformed shape")
        dtype = np.dtype(dtype)
        size = math.prod(shape) * dtype.itemsize
        if not isinstance(b64, str) or size > self.limits.max_bytes or len(b64) > 4 * (size // 3 + 1) + 4:
            raise WireError("an array larger than the limit, or malformed")
        raw = base64.b64decode(b64.encode("ascii"), validate=True)
        if len(raw) != size:
            raise WireError("an array whose data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def decode(data: bytes, limits: Limits = Limits(), make_callback: "Callable[[int], Any] | None" = None,
           resolve_ref: "Callable[[str], Any] | None" = None) -> Any:
    """The plain data in ``data``; :class:`WireError` for anything else or beyond ``limits``."""
    if len(data) > limits.max_bytes:
        raise WireError(f"an answer larger than {limits.max_bytes} bytes")
    try:
        tree = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not JSON ({type(exc).__name__})") from None
    return _Decoder(limits, make_callback, resolve_ref)(tree)


def decode_tree(tree: Any, limits: Limits = Limits(), make_callback: "Callable[[int], Any] | None" = None,
                resolve_ref: "Callable[[str], Any] | None" = None) -> Any:
    """Like :func:`decode`, for a tree already parsed from JSON."""
    return _Decoder(limits, make_callback, resolve_ref)(tree)
