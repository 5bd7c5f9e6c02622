"""Run a test cell's hidden tests in the grader, with the student's answers fetched as plain data.

A hidden test is ordinary Python in the test cell, between ``### BEGIN HIDDEN TESTS`` and
``### END HIDDEN TESTS``. At autograde it runs here, in the grading process, never in the
student's kernel. Names it reads but neither binds nor imports (``mse``, ``W1``) are the
student's answers: a value is read from the kernel once, as plain data; a
function becomes a :class:`StudentFunction` whose calls run in the kernel, with arguments
and results crossing as plain data (:mod:`course.plaindata`). Everything else the test
uses comes from the grader: ``np``, ``rng`` (a generator seeded afresh for every grading
run), and the imports of the notebook's locked setup cells, run here.

So nothing the student's code does in its kernel reaches the verdict except the answers it
reports, and those are judged against references computed here, on inputs drawn here.

The judge owns its inputs. A call sends copies of its arguments; whatever the student's
function does to them (in place, through views, ``np.copyto``, ``list.clear``) stays in the
kernel, so a hidden test's own objects hold after a call what they held before, and a reference
computed after the call from them is still the reference. A test that grades "must not modify
its input" asks for the arguments as the call left them, explicitly, with
:func:`call_and_report` (also given to every hidden test by that name)::

    _out, _left = call_and_report(train, _x, _W0, _t, 0.1, 5)
    assert np.array_equal(_left[1], _W0), "train changed the W it was given (update a copy)"

Nothing else crosses back into the grader's objects: functions the test passes (a gradient, a
step function) are called here with fresh objects decoded from the kernel's message, and what
they return is sent as a copy; a student's result handed into a later call (a state dict) is the
grader's decoded copy, sent anew.
"""
from __future__ import annotations

import ast
import builtins
import copy
import socket
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from .... import answering, plaindata

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
#: What one message from a kernel may hold (size, depth, values).
PLAIN_LIMITS = plaindata.Limits()


class JudgeStop(BaseException):
    """The hidden tests cannot go on (timeout, dead kernel, unreadable answers).

    A ``BaseException``, so that a test's own ``except Exception`` cannot swallow it.
    """

    kind = "stopped"


class JudgeTimeout(JudgeStop):
    kind = "timed out"


class KernelGone(JudgeStop):
    kind = "kernel died"


class Unreadable(JudgeStop):
    kind = "unreadable answer"


class TestError(JudgeStop):
    """The hidden tests themselves are wrong (the instructor's to fix)."""

    kind = "test error"


class StudentRaised(Exception):
    """Mixed into the exception a student's function raised, re-created here from its class names."""


def split_hidden(source: str) -> tuple[str, str]:
    """``(visible, hidden)``: the cell without its hidden blocks, and the hidden blocks joined."""
    visible, hidden, rest = [], [], source
    while BEGIN in rest:
        before, _, after = rest.partition(BEGIN)
        visible.append(before)
        block, found, rest = after.partition(END)
        hidden.append(block)
        if not found:
            rest = ""
    visible.append(rest)
    return "".join(visible), "\n".join(hidden)


def bound_names(tree: ast.AST, *, top_level_only: bool = False) -> set[str]:
    """Names a piece of code binds (assignments, defs, imports, loop and ``as`` targets, arguments)."""
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            if top_level_only:
                return
        elif isinstance(node, ast.Lambda) and top_level_only:
            return
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        for child in ast.iter_child_nodes(node):
            visit(child, top)

    visit(tree, True)
    return found


def free_names(code: str) -> set[str]:
    """Names ``code`` reads but never binds itself (candidates for the student's answers)."""
    tree = ast.parse(code)
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loaded - bound_names(tree) - set(dir(builtins))


def given_names(locked_sources: list[str]) -> set[str]:
    """Names the notebook's locked cells bind (given code and data): never taken from the kernel."""
    names: set[str] = set()
    for source in locked_sources:
        try:
            names |= bound_names(ast.parse(source), top_level_only=True)
        except SyntaxError:
            continue
    return names


def setup_namespace(setup_sources: list[str]) -> dict:
    """The grader's own copies of what the notebook's locked setup cells import."""
    namespace: dict = {}
    for source in setup_sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
        if imports:
            exec(compile(ast.Module(body=imports, type_ignores=[]), "<setup imports>", "exec"), namespace)
    namespace.pop("__builtins__", None)
    return namespace


class AnswerLink:
    """The grader's end of the socket to one kernel's :func:`course.answering.serve`."""

    def __init__(self, sock: socket.socket, deadline: float, limits: plaindata.Limits = PLAIN_LIMITS):
        self.sock, self.deadline, self.limits = sock, deadline, limits
        self.callbacks: list[Callable] = []
        self.calls = 0

    def _wait(self) -> dict:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise JudgeTimeout("the hidden tests ran out of time")
        self.sock.settimeout(left)
        try:
            return answering.receive(self.sock, self.limits.max_bytes)
        except socket.timeout:
            raise JudgeTimeout("a call into the notebook did not return in time") from None
        except (EOFError, ConnectionError, OSError) as exc:
            raise KernelGone(f"the kernel stopped answering ({type(exc).__name__})") from None
        except plaindata.WireError as exc:
            raise Unreadable(str(exc)) from None

    def _send(self, message: dict) -> None:
        try:
            answering.send(self.sock, message)
        except (ConnectionError, OSError) as exc:
            raise KernelGone(f"the kernel stopped answering ({type(exc).__name__})") from None

    def _register(self, function: Callable) -> int:
        self.callbacks.append(function)
        return len(self.callbacks) - 1

    def _decode(self, tree: Any) -> Any:
        try:
            return plaindata.decode_tree(tree, self.limits)
        except (plaindata.WireError, RecursionError) as exc:
            raise Unreadable(str(exc)) from None

    def request(self, message: dict) -> dict:
        """Send ``message``; answer the kernel's callbacks until its reply comes."""
        self._send(message)
        while True:
            reply = self._wait()
            if reply.get("op") != "callback":
                if "unreadable" in reply:
                    raise Unreadable(str(reply["unreadable"])[:300])
                return reply
            function = self.callbacks[reply["id"]] if isinstance(reply.get("id"), int) and \
                0 <= reply["id"] < len(self.callbacks) else None
            if function is None:
                raise Unreadable("the kernel called back a function it was never given")
            args, kwargs = self._decode(reply.get("args")), self._decode(reply.get("kwargs"))
            if not isinstance(args, tuple) or not isinstance(kwargs, dict):
                raise Unreadable("a malformed callback")
            try:
                value = function(*args, **kwargs)
            except Exception as exc:  # the test's own function failed on the student's argument
                self._send({"raised": {"types": [type(exc).__name__], "message": str(exc)[:300]}})
                continue
            self._send({"value": plaindata.to_plain(value, self._register)})

    def lookup(self, names: list[str]) -> dict:
        """``{name: ("callable" | "value" | "missing", value)}`` for names in the student's namespace."""
        reply = self.request({"op": "lookup", "names": names})
        values = reply.get("values")
        if not isinstance(values, dict):
            raise Unreadable("a malformed answer to a lookup")
        found = {}
        for name in names:
            entry = values.get(name)
            if not isinstance(entry, dict) or entry.get("kind") not in ("callable", "value", "missing"):
                raise Unreadable(f"a malformed answer for {name}")
            found[name] = (entry["kind"], self._decode(entry.get("value")) if entry["kind"] == "value" else None)
        return found

    def _call(self, name: str, args: tuple, kwargs: dict, errstate: "dict | None", report: bool) -> dict:
        self.calls += 1
        reply = self.request({"op": "call", "name": name,
                              "args": plaindata.to_plain(_as_refs(args), self._register),
                              "kwargs": plaindata.to_plain(_as_refs(kwargs), self._register),
                              "errstate": errstate, "report": report})
        if "raised" in reply:
            raise _student_exception(name, reply["raised"])
        if "value" not in reply:
            raise Unreadable("a malformed reply to a call")
        return reply

    def call(self, name: str, args: tuple, kwargs: dict, errstate: "dict | None") -> Any:
        """Call the student's ``name`` in the kernel on copies of ``args`` and ``kwargs``; its result."""
        return self._decode(self._call(name, args, kwargs, errstate, report=False)["value"])

    def call_reporting(self, name: str, args: tuple, kwargs: dict,
                       errstate: "dict | None") -> "tuple[Any, ArgumentsAfter]":
        """As :meth:`call`, and the kernel's copies of the arguments as the call left them."""
        reply = self._call(name, args, kwargs, errstate, report=True)
        after = reply.get("after")
        left_args = self._decode(after.get("args")) if isinstance(after, dict) else None
        left_kwargs = self._decode(after.get("kwargs")) if isinstance(after, dict) else None
        if not (isinstance(left_args, tuple) and len(left_args) == len(args) and isinstance(left_kwargs, dict)
                and left_kwargs.keys() == kwargs.keys()):
            raise Unreadable(f"a malformed report of what {name} did to its arguments")
        return self._decode(reply["value"]), ArgumentsAfter(left_args, left_kwargs)

    def close(self) -> None:
        try:
            answering.send(self.sock, {"op": "done"})
        except OSError:
            pass
        self.sock.close()


def _as_refs(value: Any) -> Any:
    if isinstance(value, StudentFunction):
        return plaindata.Ref(value.name)
    if isinstance(value, tuple):
        return tuple(_as_refs(v) for v in value)
    if isinstance(value, list):
        return [_as_refs(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_refs(v) for k, v in value.items()}
    return value


_SAFE_ERRORS = {name: getattr(builtins, name) for name in dir(builtins)
                if isinstance(getattr(builtins, name), type) and issubclass(getattr(builtins, name), Exception)}


def _student_exception(name: str, info: Any) -> Exception:
    """The student's exception, re-created here as the nearest built-in class (LinAlgError -> ValueError)."""
    types = info.get("types", []) if isinstance(info, dict) else []
    message = str(info.get("message", ""))[:300] if isinstance(info, dict) else ""
    base = next((_SAFE_ERRORS[t] for t in types if isinstance(t, str) and t in _SAFE_ERRORS), Exception)
    shown = str(types[0])[:60] if types else "an exception"
    error = type(f"Student{base.__name__}", (StudentRaised, base), {})(f"{name} raised {shown}: {message}")
    return error


class StudentFunction:
    """A student's function, living in their kernel; calling it here calls it there."""

    def __init__(self, link: AnswerLink, name: str, options: "dict | None" = None) -> None:
        self.link, self.name, self.options = link, name, options or {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.link.call(self.name, args, kwargs, self.options.get("errstate"))

    def strict(self, **errstate: str) -> "StudentFunction":
        """The same function, called in the kernel under ``np.errstate(**errstate)`` (e.g. ``over="raise"``)."""
        return StudentFunction(self.link, self.name, {"errstate": errstate})

    def __repr__(self) -> str:
        return f"<your function {self.name}>"

    def __deepcopy__(self, memo: dict) -> "StudentFunction":
        return self  # a name in the kernel: copying arguments that hold it keeps the name


@dataclass(frozen=True)
class ArgumentsAfter:
    """A call's arguments as the called function left them: ``after[1]`` positional, ``after["state"]`` keyword."""

    args: tuple
    kwargs: dict

    def __getitem__(self, key: "int | str") -> Any:
        return self.kwargs[key] if isinstance(key, str) else self.args[key]


def call_and_report(function: Callable, *args: Any, **kwargs: Any) -> "tuple[Any, ArgumentsAfter]":
    """Call ``function`` on copies of the arguments; ``(result, arguments as the call left them)``.

    The caller's objects never change. For a student's function the copies are the kernel's,
    reported by it (a kernel rewritten by its student can misreport its own mutations, never
    change the grader's data); for any other callable (the grader's reference or a probe's
    wrong implementation) they are deep copies made here.

    Examples
    --------
    >>> _out, _left = call_and_report(sgd_epoch, _w, _X, _y, 0.1, _batches)
    >>> np.array_equal(_left[0], _w)          # False if sgd_epoch updated w in place
    """
    if isinstance(function, StudentFunction):
        return function.link.call_reporting(function.name, args, kwargs, function.options.get("errstate"))
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    return function(*args, **kwargs), ArgumentsAfter(args, kwargs)


#: Names every hidden test is given besides ``np``, ``rng`` and the setup cells' imports.
PROVIDED = {"call_and_report": call_and_report}


@dataclass
class Verdict:
    """What the hidden tests of one test cell concluded."""

    passed: bool
    message: str = ""
    kind: str = "passed"  # passed, failed, timed out, kernel died, unreadable answer
    calls: int = 0
    seconds: float = 0.0
    details: dict = field(default_factory=dict)


def _tracer(filename: str, deadline: float):
    """A trace function that stops the test's own loops at ``deadline`` (the kernel's are timed by the link)."""
    def local(frame, event, arg):
        if event == "line" and time.monotonic() > deadline:
            raise JudgeTimeout("the hidden tests ran out of time")
        return local

    def on_call(frame, event, arg):
        return local if frame.f_code.co_filename == filename else None
    return on_call


def run_hidden(code: str, grade_id: str, link: AnswerLink, namespace: dict, given: set[str],
               seconds: float) -> Verdict:
    """Run one test cell's hidden tests in ``namespace``, the student's answers fetched through ``link``.

    The answers are the names the code reads and neither binds nor finds in ``namespace`` (the
    grader's imports). A name that a locked cell binds (``given``) is an error in the test: the
    grader must not take a reference from the student's kernel.
    """
    start = time.monotonic()
    deadline = start + seconds
    filename = f"<hidden tests of {grade_id}>"
    try:
        compiled = compile(code, filename, "exec")
        for name, value in PROVIDED.items():
            namespace.setdefault(name, value)
        free = free_names(code) - set(namespace)
        if free & given:
            raise TestError(f"the hidden tests of {grade_id} use {', '.join(sorted(free & given))}, which a "
                            "locked cell of the notebook defines: import it in the setup cell, or define it "
                            "in the hidden tests, so that the grader never takes it from the student's kernel")
        wanted = sorted(free)
        for name in wanted:
            namespace.pop(name, None)
        for name, (kind, value) in link.lookup(wanted).items():
            if kind == "callable":
                namespace[name] = StudentFunction(link, name)
            elif kind == "value":
                namespace[name] = value
        previous = sys.gettrace()
        sys.settrace(_tracer(filename, deadline))
        try:
            exec(compiled, namespace)
        finally:
            sys.settrace(previous)
    except JudgeStop as stop:
        return Verdict(False, _stop_message(stop, seconds), stop.kind, link.calls, time.monotonic() - start)
    except AssertionError as exc:
        message = str(exc) or "a hidden test failed"
        return Verdict(False, message, "failed", link.calls, time.monotonic() - start)
    except StudentRaised as exc:
        raised = next((c.__name__ for c in type(exc).__mro__ if c.__name__ in _SAFE_ERRORS), "Exception")
        return Verdict(False, str(exc), "failed", link.calls, time.monotonic() - start, {"raised": raised})
    except NameError as exc:
        name = getattr(exc, "name", "") or str(exc)
        return Verdict(False, f"{name} is not defined in your notebook: define it (and run its cell) "
                       "before this test", "failed", link.calls, time.monotonic() - start)
    except RecursionError:
        return Verdict(False, "the hidden tests hit Python's recursion limit", "failed", link.calls,
                       time.monotonic() - start)
    except Exception as exc:  # the test could not use what the student's code returned
        return Verdict(False, f"{type(exc).__name__}: {str(exc)[:300]}", "failed", link.calls,
                       time.monotonic() - start)
    return Verdict(True, "", "passed", link.calls, time.monotonic() - start)


def _stop_message(stop: JudgeStop, seconds: float) -> str:
    if isinstance(stop, JudgeTimeout):
        return f"the hidden tests did not finish within {seconds:.0f} s: does a function loop forever?"
    if isinstance(stop, TestError):
        return str(stop)
    if isinstance(stop, KernelGone):
        return "the kernel died (exit, crash or memory limit) while answering the hidden tests"
    return f"your notebook's answers could not be read ({stop})"
