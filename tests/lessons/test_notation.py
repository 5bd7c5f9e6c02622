"""One meaning of n across the course: the number of samples, stated once, in 01's notation cell.

The detector reads what a student reads (the release notebooks' markdown and code, and every string in
``course/``: docstrings, check messages, hints, mistakes) and looks for n bound to something else:
n counting nouns other than samples ("n inputs", "in n dimensions"), n set equal to another count
("n = `my_iters`", "n = k = 4"), an iterate indexed by n ("x_n"), and a weight matrix or a Hessian
shaped by n. Plain uses of n (sums to n, shapes (n, d) of data, n = len(y)) are not definitions.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

#: n written as a symbol: n, $n$, `n`, ``n`` (never part of a longer name such as n_steps or _h_n).
_N = r"(?<![\w$\\])(?:\$n\$|``n``|`n`|n)(?![\w$])"
#: Counts that have their own letters: d features (inputs, dimensions), k outputs, h hidden units,
#: b batch size, step and iteration counters.
_OTHER_COUNTS = (r"inputs?|features?|outputs?|steps?|iterations?|iterates?|epochs?|dimensions?|"
                 r"numbers|coordinates|parameters|weights|columns|hidden units|units|classes")
_CONFLICTS = {
    "n counts something other than samples": re.compile(rf"{_N}(?:[ -]| \w+ )(?:{_OTHER_COUNTS})\b"),
    "n is a length other than the data's": re.compile(r"(?<![\w$])length-n\b"),
    "n set equal to another count": re.compile(
        rf"{_N}\s*=\s*(?:`?my_iters`?|`?n_iters`?|`?n_steps`?|`?k`?\b|`?d`?\b|`?h`?\b)"),
    "another count set equal to n": re.compile(rf"(?<![\w$])`?[kdh]`?\s*=\s*{_N}"),
    "an iterate indexed by n": re.compile(r"(?<![\w$])x_\{?n\}?(?![\w])"),
    "a weight matrix or Hessian shaped by n": re.compile(
        r"(?:\bW\w*`?|\bweights?|Hessian)[^.;\n]{0,30}?\(n, ?[nk]\)"),
}


def conflicts(text: str) -> list[str]:
    """Every phrase of ``text`` that gives n a meaning other than the number of samples, with why."""
    flat = re.sub(r"\s+", " ", text)
    return [f"{why}: ...{flat[max(m.start() - 40, 0):m.end() + 20]}..."
            for why, pattern in _CONFLICTS.items() for m in pattern.finditer(flat)]


def _notebook_cells(folder: str = "release") -> list[tuple[str, int, str]]:
    cells = []
    for path in sorted(REPO.glob(f"{folder}/[0-9][0-9]_*/*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text())["cells"]):
            cells.append((path.parent.name, i, "".join(cell["source"])))
    return cells


def _course_strings() -> list[tuple[str, int, str]]:
    strings = []
    for path in sorted((REPO / "course").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.append((str(path.relative_to(REPO)), node.lineno, node.value))
    return strings


@pytest.mark.parametrize("sentence", [
    "`x` of shape `(n,)`, `n` inputs",
    "In $n$ dimensions the same idea gives Newton's step",
    "`w` is a 1-D array or a list of `n` numbers",
    "$|x_n - 3| < 10^{-6}$ for $n$ = `my_iters`",
    "the iterates $x_0, x_1, \\dots, x_{n}$",
    "In this exercise `n = k = 4`",
    "x of shape (n,), W of shape (n, k), prediction x @ W",
    "`hess(w)` the Hessian (shape `(n, n)`)",
    "which product of a length-n vector and an (n, k) matrix",
    "after n steps the distance is 2 |1 - 2 rate|^n",
    "`W` | `(n, k)` | weights",
])
def test_the_detector_finds_n_used_for_another_count(sentence):
    """Does the detector flag each way n has been used for something other than the samples here?"""
    assert conflicts(sentence), sentence


@pytest.mark.parametrize("sentence", [
    "The cost $J$ scores the model on all $n$ samples at once: $J = \\frac1n \\sum_{i=1}^n \\ell_i$.",
    "`X` has shape `(n, d)`, one row per sample; `y` holds `n` targets.",
    "targets `Y` (shape `(n, k)`), the mean over all $n k$ errors",
    "the result is 3 times too large (n = 3): divide by n.",
    "shuffle the $n$ indices; the number of steps per epoch is $\\lceil n / b \\rceil$",
    "n_steps = 1500; n_iters + 1 iterates; _h_n = 4",
    "p has shape (n, 1): flatten it, or it broadcasts against y of shape (n,) into an (n, n) array.",
    "n = len(y)",
])
def test_the_detector_passes_n_as_the_number_of_samples(sentence):
    """Does the detector leave alone every plain use of n for the samples?"""
    assert not conflicts(sentence), conflicts(sentence)


@pytest.mark.parametrize("folder", ["release", "source"])
def test_no_notebook_gives_n_another_meaning(folder):
    """Does every notebook, prose and code (in source/, the hidden tests' messages too), use n only for samples?"""
    found = [f"{name} cell {i}: {c}" for name, i, text in _notebook_cells(folder) for c in conflicts(text)]
    assert not found, "\n".join(found)


def test_no_course_string_gives_n_another_meaning():
    """Do course/'s docstrings, check messages, hints and mistakes use n only for the number of samples?"""
    found = [f"{where}:{line}: {c}" for where, line, text in _course_strings() for c in conflicts(text)]
    assert not found, "\n".join(found)


def test_n_is_stated_once_in_the_first_notebook_that_uses_it():
    """Is n defined as the number of samples in one notation cell, in the first notebook that writes n?"""
    statement = re.compile(r"\*\*Notation[^*]*\*\*[^\n]*" + _N + r"[^.\n]*\bnumber of samples\b")
    stated = [(name, i) for name, i, text in _notebook_cells() if statement.search(text)]
    first_use = next(name for name, _, text in _notebook_cells() if re.search(_N, re.sub(r"\w*_\w*", "", text)))
    assert len(stated) == 1 and stated[0][0] == first_use, (stated, first_use)
