"""The kernel's side of grading: answer the grader's calls with plain data.

At autograde, the hidden tests do not run in the student's kernel. They run in the grader,
and each time they need a student's answer (call ``mse`` on these arrays, read ``W1``) the
grader asks the kernel over a private socket. This module is what answers: it looks the
name up in the notebook's namespace, calls it, and sends the result back as plain data
(:mod:`course.plaindata`). Functions the grader passes as arguments (a gradient to descend
on, a step function) become stubs that call back to the grader. The arguments are the kernel's
own copies: what a call does to them is sent back only when the grader asks (``report``).

Nothing here decides a grade. A student can change this module in their kernel; then the
answers it reports change, and they must still be right on inputs the student never saw.
"""
from __future__ import annotations

import builtins
import socket
import struct
import traceback
from typing import Any

import numpy as np

from . import plaindata

_HEADER = struct.Struct("!I")


def send(sock: socket.socket, message: dict) -> None:
    """Send one message: a 4-byte length, then JSON."""
    body = plaindata.json.dumps(message, allow_nan=True, separators=(",", ":")).encode()
    sock.sendall(_HEADER.pack(len(body)) + body)


def receive(sock: socket.socket, max_bytes: int = plaindata.Limits.max_bytes) -> dict:
    """Receive one message sent by :func:`send`; ``EOFError`` if the other side has gone."""
    size = _HEADER.unpack(_read(sock, _HEADER.size))[0]
    if size > max_bytes:
        raise plaindata.WireError(f"a message of {size} bytes, above the limit of {max_bytes}")
    try:
        message = plaindata.json.loads(_read(sock, size))
    except (ValueError, RecursionError) as exc:
        raise plaindata.WireError(f"a message that is not JSON ({type(exc).__name__})") from None
    if not isinstance(message, dict):
        raise plaindata.WireError("a message that is not a JSON object")
    return message


def _read(sock: socket.socket, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _raised(exc: BaseException) -> dict:
    """What the grader learns of an exception: its class names (most derived first) and message."""
    names = [cls.__name__ for cls in type(exc).__mro__]
    return {"raised": {"types": names[:12], "message": str(exc)[:500]}}


class _Server:
    def __init__(self, sock: socket.socket, namespace: dict) -> None:
        self.sock, self.namespace = sock, namespace

    def callback(self, ident: int):
        def call_grader(*args: Any, **kwargs: Any) -> Any:
            send(self.sock, {"op": "callback", "id": ident,
                             "args": plaindata.to_plain(args), "kwargs": plaindata.to_plain(kwargs)})
            reply = receive(self.sock)
            if "raised" in reply:
                info = reply["raised"]
                error = getattr(builtins, str(info.get("types", ["RuntimeError"])[0]), RuntimeError)
                if not (isinstance(error, type) and issubclass(error, Exception)):
                    error = RuntimeError
                raise error(str(info.get("message", "")))
            return plaindata.decode_tree(reply.get("value"))
        call_grader.__name__ = f"grader_function_{ident}"
        return call_grader

    def lookup(self, names: list) -> dict:
        found = {}
        for name in names:
            if name not in self.namespace:
                found[name] = {"kind": "missing"}
            elif callable(self.namespace[name]) and not isinstance(self.namespace[name], (type, np.ndarray)):
                found[name] = {"kind": "callable"}
            else:
                try:
                    found[name] = {"kind": "value", "value": plaindata.to_plain(self.namespace[name])}
                except Exception as exc:  # a value that cannot even be looked at
                    found[name] = {"kind": "value", "value": {"opaque": type(exc).__name__}}
        return {"values": found}

    def call(self, request: dict) -> dict:
        function = self.namespace.get(request.get("name"))
        if function is None:
            return _raised(NameError(f"name {request.get('name')!r} is not defined"))
        decode = lambda tree: plaindata.decode_tree(tree, make_callback=self.callback,  # noqa: E731
                                                    resolve_ref=self.namespace.get)
        args, kwargs = decode(request.get("args", {"list": []})), decode(request.get("kwargs", {"dict": []}))
        try:
            with np.errstate(**(request.get("errstate") or {})):
                result = function(*args, **kwargs)
        except Exception as exc:
            return _raised(exc)
        reply = {"value": plaindata.to_plain(result)}
        if request.get("report"):  # the hidden test asked what the call did to its arguments
            reply["after"] = {"args": plaindata.to_plain(tuple(args)), "kwargs": plaindata.to_plain(dict(kwargs))}
        return reply


def serve(address: str, token: str, namespace: dict) -> None:
    """Answer the grader's requests on the unix socket at ``address`` until it says it is done."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(address)
        send(sock, {"hello": token})
        server = _Server(sock, namespace)
        while True:
            request = receive(sock)
            op = request.get("op")
            if op == "done":
                return
            try:
                reply = server.lookup(list(request.get("names", []))) if op == "lookup" else server.call(request)
            except (plaindata.WireError, RecursionError, ValueError, TypeError) as exc:
                reply = {"unreadable": f"{type(exc).__name__}: {exc}"[:300]}
            except Exception:  # noqa: BLE001 (report, never crash the serve loop)
                reply = {"unreadable": traceback.format_exc(limit=2)[-300:]}
            send(sock, reply)
