"""Submissions whose functions rewrite the arguments the grader gives them, for every assignment.

Two students per assignment, each the instructor's solutions with every function that takes
arrays, lists or dicts wrapped (issue "A student's function can rewrite the test's own inputs"):

- ``forges``: overwrites every mutable argument with numbers of its choosing, then returns what
  the right function gives on them. Before the judge owned its inputs, a reference computed after
  the call from the same objects agreed with it; now every such exercise must score 0.
- ``mutates``: the right result, computed first, then the same overwriting. It keeps every mark
  but those of the exercises whose hidden tests grade "must not modify its input".

Arguments are overwritten in place through each way a student could: ``a[...] =``, a view
(``a.T[...] =``), ``np.copyto``, ``.fill``, ``list[:] =``, ``list.clear()`` then ``extend``, and
each entry of a dict. Only calls that come from the grader are tampered with (the caller is
``course.answering``), so the student's own cells and functions calling each other still work.
"""
from __future__ import annotations

from nbformat.v4 import new_code_cell

from course.instructor.grading.core.cells import exercise_graded_by
from course.instructor.grading.publish import sample_submissions

#: Exercises whose function takes arrays, lists or dicts, per assignment.
MUTABLE = {
    "01_loss_functions": ("mse", "mae", "sigmoid", "log_loss", "neuron_mse"),
    "02_parabola_descent": ("parabola", "parabola_grad"),
    "03_learning_rate": ("newton_step",),
    "04_matrix_weights": ("predict", "loss", "loss_gradient", "train"),
    "05_logistic_regression": ("predict_proba", "logistic_gradients", "fit_logistic"),
    "06_backprop": ("forward", "backward", "train_network"),
    "07_stochastic_descent": ("sgd_epoch", "gradient_noise", "train_sgd"),
    "08_optimizers": ("momentum_step", "minimize", "rmsprop_step", "adam_step"),
}
#: Graded answers with no mutable argument to rewrite, and why.
NOT_MUTABLE = {
    "gradient_descent": "numbers and a gradient function", "descend_until": "numbers and a gradient function",
    "challenge": "a value (my_rate, my_iters)", "classify_rate": "two numbers", "ideal_rate": "one number",
    "train_W1": "a value (W1)", "minibatches": "three numbers", "quiet_batch_size": "a value",
}
#: Exercises whose hidden tests grade "must not modify its input" (through ``call_and_report``).
MUST_NOT_MODIFY = {"train", "momentum_step", "minimize", "rmsprop_step", "adam_step", "backward", "sgd_epoch",
                   "train_sgd"}
#: Value answers the hidden tests check by rerunning one of the student's functions.
RERUNS = {"train_W1": "train", "quiet_batch_size": "gradient_noise"}

TAMPERING = '''import copy as _copy
import sys as _sys
import numpy as _np

def _overwrite(value, how):
    """Overwrite value in place: 0.5 for floats, 0 for whole numbers (indices stay valid)."""
    if isinstance(value, _np.ndarray):
        fill = 0 if value.dtype.kind in "iu" else 0.5
        way = how % 4
        if way == 0:
            value[...] = fill
        elif way == 1:
            value.T[...] = fill
        elif way == 2:
            _np.copyto(value, _np.full_like(value, fill))
        else:
            value.fill(fill)
    elif isinstance(value, list):
        new = [v if _overwrite(v, how) else _chosen(v) for v in value]
        if how % 2:
            value.clear()
            value.extend(new)
        else:
            value[:] = new
    elif isinstance(value, dict):
        for key in list(value):
            if not _overwrite(value[key], how):
                value[key] = _chosen(value[key])
    else:
        return False
    return True

def _chosen(v):
    if isinstance(v, (bool, _np.bool_)) or not isinstance(v, (int, float, _np.number)):
        return v
    return type(v)(0) if isinstance(v, (int, _np.integer)) else type(v)(0.5)

def _from_grader():
    return _sys._getframe(2).f_globals.get("__name__") == "course.answering"

def _rewrite(args, kwargs):
    for how, value in enumerate([*args, *kwargs.values()]):
        _overwrite(value, how)

def _forging(fn):
    def forged(*args, **kwargs):
        if _from_grader():
            _rewrite(args, kwargs)
        return fn(*args, **kwargs)
    return forged

def _mutating(fn):
    def mutating(*args, **kwargs):
        out = fn(*args, **kwargs)
        if _from_grader():
            out = _copy.deepcopy(out)
            _rewrite(args, kwargs)
        return out
    return mutating
'''

WRAPPERS = {"forges": "_forging", "mutates": "_mutating"}


def submission(source_nb, assignment: str, kind: str):
    """The instructor's solutions with each of ``MUTABLE[assignment]`` wrapped by ``kind`` (a WRAPPERS key)."""
    answers = {sample_submissions.grade_id(c): c.source for c in source_nb.cells
               if sample_submissions.cell_role(c) == "solution"}
    wrap = WRAPPERS[kind]
    nb = sample_submissions.replace_solutions(source_nb, {name: f"{answers[name]}\n{name} = {wrap}({name})\n"
                                                   for name in MUTABLE[assignment]})
    setup = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    nb.cells.insert(setup + 1, new_code_cell(TAMPERING))
    return nb


def expected(assignment: str, kind: str, points: dict[str, float]) -> dict[str, float]:
    """``{test grade_id: points}`` the ``kind`` student of ``assignment`` must get, from each cell's maximum."""
    lost = set(MUTABLE[assignment]) | {v for v, f in RERUNS.items() if f in MUTABLE[assignment]} \
        if kind == "forges" else MUST_NOT_MODIFY & set(MUTABLE[assignment])
    return {gid: 0.0 if exercise_graded_by(gid) in lost else full for gid, full in points.items()}
