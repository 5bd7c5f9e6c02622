"""Run a variant's cells as its notebook would, in this process, and diagnose them as the judge does.

The source's solution cells with the variant's in their place; the given code of the locked and
plain cells (imports, functions; no plots, no data); the data the value answers read; then the
value answers. No kernels: the student's functions are called here, through :class:`Local`, which
has the judge proxy's ``strict``.
"""
from __future__ import annotations

import ast
import contextlib
import io

import grading_harness as harness
import numpy as np

import course.data
from course.instructor.grading.core.cells import cell_role, grade_id
from course.instructor.grading.judge import diagnosis
from course.instructor.grading.publish import sample_submissions
from course.instructor.probes import ANSWERS

VARIANTS = harness.load_variants()
#: The namespace key holding the value answers whose cell raised NotImplementedError (as the grader records).
STUBBED = "__stubbed__"


class Local:
    """A function of this process with the judge proxy's ``strict`` (errstate applied around the call)."""

    def __init__(self, fn, errstate=None):
        self.fn, self.errstate = fn, errstate

    def __call__(self, *args, **kwargs):
        with np.errstate(**(self.errstate or {})):
            return self.fn(*args, **kwargs)

    def strict(self, **errstate):
        return Local(self.fn, errstate)


def _given_data(assignment: str, namespace: dict) -> None:
    """The data the value answers' cells read, as the notebook's locked cells make it (without their plots)."""
    if assignment == "04_matrix_weights":
        namespace["x"], namespace["target"], namespace["W1_init"] = course.data.matrix_exercise()
    elif assignment == "07_stochastic_descent":
        namespace["X"], namespace["y"] = course.data.linear_regression(n=600, noise=1.0, seed=0)
        namespace["w0"] = np.array([-1.0, 2.0])
        namespace["LEVEL"] = 0.25 * float(np.linalg.norm(namespace["mse_gradient"](namespace["w0"], namespace["X"],
                                                                                     namespace["y"])))


def namespace_of(assignment: str, cells: dict, notebook=None) -> dict:
    """The names the notebook defines with ``cells`` in place of the source's (``notebook``: another base)."""
    module = VARIANTS[assignment]
    nb = notebook or sample_submissions.read(harness.REPO / "source" / assignment / module.NOTEBOOK)
    nb = sample_submissions.replace_solutions(nb, cells)
    namespace = {"np": np, STUBBED: set()}
    for cell in nb.cells:  # the given code: imports and functions of locked and plain cells (no plots, no data)
        if cell.cell_type == "code" and cell_role(cell) in ("locked", "plain"):
            tree = ast.parse(cell.source)
            tree.body = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
            exec(compile(tree, f"<{assignment} given>", "exec"), namespace)
    for cell in nb.cells:
        if cell_role(cell) == "solution" and cell.cell_type == "code" and f"def {grade_id(cell)}(" in cell.source:
            exec(compile(cell.source, f"<{assignment}>", "exec"), namespace)
    _given_data(assignment, namespace)
    for cell in nb.cells:  # the value answers (the variant's own, or all of the base's), which may call the functions
        if cell_role(cell) == "solution" and cell.cell_type == "code" and grade_id(cell) in ANSWERS and \
                (grade_id(cell) in cells or not cells or notebook is not None):
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(cell.source, f"<{assignment} {grade_id(cell)}>", "exec"), namespace)
            except NotImplementedError:
                namespace[STUBBED].add(grade_id(cell))
            except Exception:  # noqa: BLE001 (a value answer that fails to run is left as far as it got)
                pass
    return namespace


def diagnose(namespace: dict, exercise: str, seed: int = 0):
    """What the grader records for a failed test cell of ``exercise`` (None: right on every probe)."""
    if exercise in ANSWERS:
        return diagnosis.diagnose_answer(exercise, namespace, exercise in namespace.get(STUBBED, ()))
    return diagnosis.diagnose(exercise, Local(namespace[exercise]), np.random.default_rng(seed),
                              lambda name: Local(namespace[name]))
