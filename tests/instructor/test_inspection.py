"""Looking at submissions before grading: risky code is named, honest code is not."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from course.instructor.grading.stage.inspection import risky_code

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(REPO.glob("source/*/*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_the_instructors_solutions_are_not_flagged(path):
    """Are the source solutions, handed in as they are, free of 'review' flags (no false alarms)?"""
    source = nbformat.read(path, as_version=4)
    release = nbformat.read(REPO / "release" / path.parent.name / path.name, as_version=4)
    assert risky_code(source, release) == []


@pytest.mark.parametrize("code, words", [
    ("import socket\ns = socket.socket()", "opens a network connection"),
    ("from urllib.request import urlopen", "opens a network connection"),
    ("import subprocess\nsubprocess.run(['ls'])", "starts processes"),
    ("os.system('rm -rf /')", "starts processes"),
    ("open('../../../gradebook.db').read()", "reads or writes the course's files"),
    ("open('/course/source/01/x.ipynb')", "reads or writes the course's files"),
    ("import ctypes", "calls C directly"),
    ("import signal\nsignal.alarm(0)", "changes limits or signals"),
])
def test_risky_student_code_is_named(code, words):
    """Does a student's cell doing something the course never needs get a 'review' line saying what?"""
    release = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np")])
    cell = nbformat.v4.new_code_cell(code, metadata={"nbgrader": {"grade_id": "mae", "solution": True}})
    submitted = nbformat.v4.new_notebook(cells=[release.cells[0], cell])
    found = risky_code(submitted, release)
    assert len(found) == 1 and found[0].startswith("review: mae ") and words in found[0], found


def test_plain_numpy_is_not_risky():
    """Is ordinary exercise code (numpy, loops, course helpers) left alone?"""
    release = nbformat.v4.new_notebook()
    code = "def mse(p, t):\n    p = np.asarray(p, float)\n    return float(np.mean((p - t) ** 2))  # sources of error"
    submitted = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    assert risky_code(submitted, release) == []
