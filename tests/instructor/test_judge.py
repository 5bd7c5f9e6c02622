"""The judge: hidden tests run in the grader, the student's answers come from the other side of a socket.

Here the other side is :func:`course.answering.serve` in a thread (in grading it is the
student's kernel), so the protocol, the callbacks and the verdicts are exercised for real.
"""
from __future__ import annotations

import copy
import socket
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from course import answering
from course.instructor.grading.judge import judge


def _link(namespace: dict, server=answering.serve, seconds: float = 10.0) -> judge.AnswerLink:
    """A judge link to ``server`` answering from ``namespace`` in a thread, as a kernel would."""
    address = str(Path(tempfile.mkdtemp()) / "answers")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(1)
    threading.Thread(target=server, args=(address, "token", namespace), daemon=True).start()
    conn, _ = listener.accept()
    assert answering.receive(conn) == {"hello": "token"}
    return judge.AnswerLink(conn, time.monotonic() + seconds)


def _verdict(hidden: str, student: dict, given=(), seconds: float = 10.0) -> judge.Verdict:
    link = _link(student, seconds=seconds)
    try:
        return judge.run_hidden(hidden, "test_x", link, {"np": np, "rng": np.random.default_rng()}, set(given),
                                seconds)
    finally:
        link.close()


MSE_TEST = """
for _n in (1, 7):
    _p, _t = rng.normal(size=_n), rng.normal(size=_n)
    assert np.isclose(mse(_p, _t), np.mean((_p - _t) ** 2)), f"mse is wrong on random arrays of length {_n}"
    assert np.isclose(mse(list(_p), list(_t)), np.mean((_p - _t) ** 2)), "mse is wrong on lists"
"""


def test_split_hidden_and_free_names():
    """Are the hidden blocks found, and are the student's names exactly what the test reads but never binds?"""
    source = "check.run('mse', mse)\n### BEGIN HIDDEN TESTS\nx = mse(a)\ndef f(y):\n    return y + z\n" \
             "### END HIDDEN TESTS\nprint('after')"
    visible, hidden = judge.split_hidden(source)
    assert "BEGIN" not in visible and "print('after')" in visible and "check.run" in visible
    assert judge.free_names(hidden) == {"mse", "a", "z"}
    assert judge.free_names("for i in range(3):\n    print(i, len(W1))") == {"W1"}


def test_a_correct_answer_passes_and_a_summed_one_fails():
    """Does the grader's own reference pass a right mse (written with loops) and fail a summed one?"""
    def loop_mse(p, t):
        return sum((a - b) ** 2 for a, b in zip(p, t)) / len(p)

    assert _verdict(MSE_TEST, {"mse": loop_mse}).passed
    wrong = _verdict(MSE_TEST, {"mse": lambda p, t: float(np.sum((np.asarray(p) - np.asarray(t)) ** 2))})
    assert not wrong.passed and "mse is wrong on random arrays of length" in wrong.message


def test_a_kernel_that_lies_still_has_to_be_right():
    """Does a forged answer loop (any reply the student's code could send) score only what its answers deserve?"""
    def forged(address, token, namespace):
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(address)
            answering.send(sock, {"hello": token})
            while True:
                request = answering.receive(sock)
                if request.get("op") == "done":
                    return
                if request.get("op") == "lookup":
                    answering.send(sock, {"values": {n: {"kind": "callable"} for n in request["names"]}})
                else:  # "all checks pass": the answer is True, or an object claiming equality
                    answering.send(sock, {"value": True, "after": None})

    link = _link({}, server=forged)
    verdict = judge.run_hidden(MSE_TEST, "test_mse", link, {"np": np, "rng": np.random.default_rng()}, set(), 10)
    link.close()
    assert not verdict.passed


def test_student_exceptions_come_back_as_built_in_classes():
    """Can a hidden test expect ValueError from a student's function (LinAlgError is one)?"""
    hidden = ("try:\n    newton(np.array([[1.0, 2.0], [2.0, 4.0]]))\nexcept ValueError:\n    pass\n"
              "else:\n    raise AssertionError('a singular Hessian must raise ValueError')")
    assert _verdict(hidden, {"newton": lambda H: np.linalg.solve(H, np.ones(2))}).passed
    verdict = _verdict("f(1)", {"f": lambda x: [][x]})
    assert not verdict.passed and "f raised IndexError" in verdict.message


def test_callbacks_run_in_the_grader():
    """Can the student's descent call a gradient the test defines, as often as it steps?"""
    def descent(grad, x0, rate, n):
        xs = [x0]
        for _ in range(n):
            xs.append(xs[-1] - rate * grad(xs[-1]))
        return xs

    hidden = ("_calls = []\n"
              "def _g(x):\n    _calls.append(x)\n    return 2 * (x - 3)\n"
              "assert np.allclose(descent(_g, 1.0, 0.05, 25), 3 - 2 * 0.9 ** np.arange(26))\n"
              "assert len(_calls) == 25")
    assert _verdict(hidden, {"descent": descent}).passed


def _overwrite(value, how: int = 0):
    """Overwrite ``value`` in place with zeros: arrays, lists and dicts, each in one of several ways."""
    if isinstance(value, np.ndarray):
        (lambda a: a.__setitem__(Ellipsis, 0), lambda a: a.T.__setitem__(Ellipsis, 0),
         lambda a: np.copyto(a, np.zeros_like(a)), lambda a: a.fill(0))[how % 4](value)
    elif isinstance(value, list):
        if how % 2:
            value.clear()
            value.extend([0.0] * 3)
        else:
            value[:] = [0.0] * len(value)
    elif isinstance(value, dict):
        for key in value:
            _overwrite(value[key], how)


def _forging_mse(*args):
    for how, arg in enumerate(args):
        _overwrite(arg, how)
    return 0.0


@pytest.mark.parametrize("how", range(4))
def test_a_student_call_never_changes_the_graders_objects(how):
    """Does an mse that zeroes its inputs (in place, via a view, copyto, fill, list.clear/extend) and returns 0 fail,
    leaving every object of the test's as it was?"""
    def forging_mse(p, t):
        for arg in (p, t):
            _overwrite(arg, how)
        return 0.0

    assert not _verdict(MSE_TEST, {"mse": forging_mse}).passed
    kept = {"_A": np.arange(6.0).reshape(2, 3), "_L": [1.0, 2.0, 3.0], "_D": {"v": np.ones(3), "k": [4.0]}}
    namespace = {"np": np, **{k: copy.deepcopy(v) for k, v in kept.items()}}
    link = _link({"f": forging_mse})
    try:
        verdict = judge.run_hidden("f(_A, _L)\nf(_D, [_D])\nf(_L, (_A, _D))", "test_x", link, namespace, set(), 10)
    finally:
        link.close()
    assert verdict.passed, verdict.message
    for name, value in kept.items():
        assert _identical(namespace[name], value), name


def _identical(a, b) -> bool:
    """Equal in type, shape and every entry, arrays, lists and dicts alike."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_identical(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_identical(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and np.array_equal(a, b)


def test_call_and_report_shows_what_a_call_did_to_its_arguments():
    """Does a test that asks see a W changed in place (positional or keyword), and an untouched one as untouched?"""
    def careless_train(W, steps=1, *, state=None):
        W -= 1.0
        if state is not None:
            state["v"].fill(7.0)
        return W

    def careful_train(W, steps=1, *, state=None):
        return W - 1.0

    hidden = ("_W, _s = np.zeros(3), {'v': np.ones(2)}\n"
              "_out, _left = call_and_report(train, _W, 2, state=_s)\n"
              "assert np.array_equal(_out, -np.ones(3)) and np.array_equal(_W, np.zeros(3))\n"
              "assert _left[1] == 2 and np.array_equal(_s['v'], np.ones(2))\n"
              "assert np.array_equal(_left[0], _W), 'train changed the W it was given'\n"
              "assert np.array_equal(_left['state']['v'], _s['v']), 'train changed the state it was given'")
    careless = _verdict(hidden, {"train": careless_train})
    assert not careless.passed and careless.message == "train changed the W it was given"
    assert _verdict(hidden, {"train": careful_train}).passed
    changes_state = _verdict(hidden, {"train": lambda W, steps=1, *, state=None: (state["v"].fill(7.0), W - 1.0)[1]})
    assert not changes_state.passed and changes_state.message == "train changed the state it was given"


def test_call_and_report_copies_for_the_graders_own_functions():
    """Called on a grader function (a probe's wrong implementation), are the caller's objects kept and the
    function's changes shown on copies?"""
    W, state = np.zeros(3), {"v": [1.0, 2.0]}
    out, left = judge.call_and_report(_forging_mse, W, state)
    assert out == 0.0 and np.array_equal(W, np.zeros(3)) and state == {"v": [1.0, 2.0]}
    assert np.array_equal(left[0], np.zeros(3)) and left[1] == {"v": [0.0, 0.0, 0.0]}


def test_callbacks_and_returned_state_never_reach_the_graders_objects():
    """A gradient returning the grader's own array, a gradient keeping what it was given, a state dict handed back into
    the next call: does the student's function change any of them on the grader's side by writing into its copies?"""
    def greedy_step(p, grad, state):
        g = grad(p)
        g[...] = 0.0          # the array the grader's gradient returned
        p[...] = 0.0          # the array the grader's gradient was given, and kept
        if state is not None:
            _overwrite(state)  # the state the grader hands back
        return p, {"v": np.full(2, 5.0)}

    hidden = ("_G, _p, _seen = np.array([1.0, 2.0]), np.array([3.0, 4.0]), []\n"
              "def _grad(w):\n    _seen.append(w)\n    return _G\n"
              "_q, _s = step(_p, _grad, None)\n"
              "_q, _s2 = step(_p, _grad, _s)\n"
              "assert np.array_equal(_G, [1.0, 2.0]) and np.array_equal(_p, [3.0, 4.0])\n"
              "assert all(np.array_equal(w, [3.0, 4.0]) for w in _seen) and len(_seen) == 2\n"
              "assert np.array_equal(_s['v'], [5.0, 5.0]) and _s2 is not _s")
    verdict = _verdict(hidden, {"step": greedy_step})
    assert verdict.passed, verdict.message


def test_values_names_missing_and_objects():
    """Are variables read as data, missing names reported plainly, and objects refused with a clear error?"""
    assert _verdict("assert W1.shape == (4, 4) and my_iters == 3", {"W1": np.eye(4), "my_iters": 3}).passed
    missing = _verdict("assert mse([1], [1]) == 0", {})
    assert not missing.passed and "mse is not defined in your notebook" in missing.message

    class Weird:
        pass

    opaque = _verdict("assert np.isclose(f(1), 1)", {"f": lambda x: Weird()})
    assert not opaque.passed and "Weird" in opaque.message


def test_a_name_a_locked_cell_defines_is_never_taken_from_the_kernel():
    """Is a hidden test that leans on given code (which the student could rebind) refused, for the instructor?"""
    verdict = _verdict("assert np.isclose(sigmoid(0.0), 0.5)", {"sigmoid": lambda z: 0.5}, given={"sigmoid"})
    assert not verdict.passed and verdict.kind == "test error" and "locked cell" in verdict.message


def test_an_endless_student_function_times_out_without_stopping_the_grader():
    """Does a student's endless loop end the hidden tests after their time, with a timeout verdict?"""
    def forever(*args):
        while True:
            time.sleep(0.01)

    start = time.monotonic()
    verdict = _verdict("forever(1)", {"forever": forever}, seconds=1.0)
    assert verdict.kind == "timed out" and time.monotonic() - start < 5


def test_the_tests_own_loops_are_bounded_too():
    """Does a hidden test that loops on a student's value (range(my_iters) with 10**12) stop at the deadline?"""
    verdict = _verdict("_x = 0\nfor _ in range(int(my_iters)):\n    _x += 1", {"my_iters": 10**12}, seconds=1.0)
    assert verdict.kind == "timed out"


@pytest.mark.parametrize("reply", [b"\x00\x00\x00\x05nope!", b"\xff\xff\xff\xff"])
def test_garbage_from_the_kernel_is_an_unreadable_answer(reply):
    """Is a reply that is not a message (or claims 4 GB) an 'unreadable answer', not a grader crash?"""
    def garbage(address, token, namespace):
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(address)
            answering.send(sock, {"hello": token})
            answering.receive(sock)
            sock.sendall(reply)
            time.sleep(1)

    link = _link({}, server=garbage)
    verdict = judge.run_hidden("mse(1)", "test_mse", link, {"np": np}, set(), 5)
    link.close()
    assert not verdict.passed and verdict.kind == "unreadable answer"


def test_a_launch_error_file_the_kernel_replaced_is_never_followed(tmp_path):
    """Is the launcher's reason read only from a regular file: a fifo or a link a kernel left is ignored?"""
    import os

    from course.instructor.grading.run.sandbox import launch_error

    os.mkfifo(tmp_path / "launch-error.txt")
    assert launch_error(str(tmp_path)) == ""  # would block forever if opened as a plain file
    (tmp_path / "launch-error.txt").unlink()
    (tmp_path / "launch-error.txt").symlink_to("/etc/hostname")
    assert launch_error(str(tmp_path)) == ""
