"""course.shortcuts: an answer that runs the course's own version of an exercise is told to write it."""
import pytest

from course import check, descent, functions, shortcuts


def _message(name, fn):
    try:
        check.verify(name, fn)
    except check.CheckFailed as failure:
        return str(failure)
    return None


@pytest.mark.parametrize("name, answer", [
    ("parabola", functions.quadratic(1.0, 3.0)),                                   # the object itself
    ("parabola", lambda x: functions.quadratic(1.0, 3.0).value(x)),               # a call to it
    ("parabola_grad", functions.quadratic(1.0, 3.0).grad),
    ("gradient_descent", descent.path),
    ("gradient_descent", lambda grad, x0, rate, n: list(descent.descend(grad, x0, rate, n))),
])
def test_an_answer_through_the_course_is_told_to_write_it(name, answer):
    """Does a right answer that runs the course's own code fail its check with 'write it yourself'?"""
    message = _message(name, answer)
    assert message is not None and f"write {name} yourself" in message, message


def test_an_answer_of_ones_own_passes():
    """Does a parabola written by hand pass, although the check itself draws on the course's objective?"""
    assert _message("parabola", lambda x: (x - 3.0) ** 2) is None
    assert _message("gradient_descent", lambda grad, x0, rate, n: _descent(grad, x0, rate, n)) is None


def _descent(grad, x0, rate, n):
    xs = [x0]
    for _ in range(n):
        xs.append(xs[-1] - rate * grad(xs[-1]))
    return xs


def test_every_shortcut_names_a_function():
    """Does every entry of SHORTCUTS name a function of the lessons' wing (so the grader's flag can import it)?"""
    for exercise, names in shortcuts.SHORTCUTS.items():
        for dotted in names:
            assert callable(shortcuts.resolve(dotted)) and not dotted.startswith("course.instructor"), dotted
            assert shortcuts.shortcut_codes(exercise)
