"""The judge: hidden tests run in the grader, the student's answers come from the other side of a socket.

Here the other side is :func:`course.answering.serve` in a thread (in grading it is the
student's kernel), so the protocol, the callbacks and the verdicts are exercised for real.
"""
from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from course import answering
from course.instructor.grading import judge


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


def test_callbacks_run_in_the_grader_and_mutations_come_back():
    """Can the student's descent call a gradient the test defines, and is an argument changed in place seen?"""
    def descent(grad, x0, rate, n):
        xs = [x0]
        for _ in range(n):
            xs.append(xs[-1] - rate * grad(xs[-1]))
        return xs

    def careless_train(W):
        W -= 1.0
        return W

    hidden = ("_calls = []\n"
              "def _g(x):\n    _calls.append(x)\n    return 2 * (x - 3)\n"
              "assert np.allclose(descent(_g, 1.0, 0.05, 25), 3 - 2 * 0.9 ** np.arange(26))\n"
              "assert len(_calls) == 25\n"
              "_W = np.zeros(3)\ntrain(_W)\nassert np.array_equal(_W, np.zeros(3)), 'train changed the W it was given'")
    verdict = _verdict(hidden, {"descent": descent, "train": careless_train})
    assert not verdict.passed and verdict.message == "train changed the W it was given"


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

    from course.instructor.grading.sandbox import launch_error

    os.mkfifo(tmp_path / "launch-error.txt")
    assert launch_error(str(tmp_path)) == ""  # would block forever if opened as a plain file
    (tmp_path / "launch-error.txt").unlink()
    (tmp_path / "launch-error.txt").symlink_to("/etc/hostname")
    assert launch_error(str(tmp_path)) == ""
