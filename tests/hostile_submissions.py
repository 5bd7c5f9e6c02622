"""Submissions of 01_loss_functions that attack or break the grader, with what grading must give.

Each case: the solution cells it replaces (the rest are the instructor's solutions), or raw
bytes for the notebook file, the expected status and total, and words its flags must contain.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from course.instructor.grading.run.sandbox import sandbox_status

FULL = 12.0
#: Whether grading kernels run in the bubblewrap sandbox here (the attacks below need it to be stopped).
SANDBOXED = sandbox_status() == "bwrap"
MAE = "def mae(p, t):\n    return float(np.mean(np.abs(np.asarray(p, float) - np.asarray(t, float))))\n"


@dataclass
class Case:
    cells: dict = field(default_factory=dict)
    raw: "bytes | None" = None
    status: str = "graded"
    total: "float | None" = FULL
    flag: str = ""  # words one of the flags must contain
    tamper: bool = False


CASES = {
    "good": Case(),
    "infinite_loop": Case({"mae": "def mae(p, t):\n    while True:\n        pass"},
                          total=FULL - 2, flag="timed out in test_mae"),
    "swallowing_loop": Case({"mae": "import time\ndef mae(p, t):\n    while True:\n        try:\n"
                                    "            time.sleep(0.01)\n        except BaseException:\n            pass"},
                            total=FULL - 2, flag="timed out in test_mae"),
    "os_exit": Case({"sigmoid": "import os\ndef sigmoid(z):\n    os._exit(1)"},
                    total=FULL - 2 - 3, flag="kernel died in test_sigmoid"),
    "segfault": Case({"mae": "import ctypes\ndef mae(p, t):\n    return ctypes.string_at(0)"},
                     total=FULL - 2, flag="kernel died in test_mae"),
    "sys_exit": Case({"mse": "import sys\nsys.exit()\ndef mse(p, t):\n    return 0.0"}, total=FULL - 2 - 3),
    "rebinds_numpy": Case({"mse": "import builtins\nnp.allclose = lambda *a, **k: True\n"
                                  "np.isclose = lambda *a, **k: True\nbuiltins.abs = lambda x: 0\n"
                                  "def mse(p, t):\n    return 0.0"},
                          total=FULL - 2 - 3, flag="rebinds names of numpy"),
    "prints_100mb": Case({"mae": "print('x' * 100_000_000)\n" + MAE}),
    "not_json": Case(raw=b"{this is not json", status="invalid", total=0.0),
    "empty_file": Case(raw=b"", status="invalid", total=0.0),
    "nbformat_5": Case(raw=b'{"nbformat": 5, "nbformat_minor": 0, "cells": [], "metadata": {}}',
                       status="invalid", total=0.0),
    "tampered": Case({"mse": "def mse(p, t):\n    return 0.0"}, total=FULL - 2 - 3,
                     flag="test cell test_mae was edited", tamper=True),
}

# Attacks on the machine and the course: the sandbox stops them, grading records them.
# Only where the sandbox runs: unsandboxed, the fork bomb would not be stopped.
SANDBOX_CASES = {
    # Reads the solutions and the gradebook; its mae is right only if both reads worked.
    "reads_solutions": Case({"mae": "SECRET = open('../../../source/01_loss_functions/loss_functions.ipynb').read()"
                                    " + str(open('../../../gradebook.db', 'rb').read(16))\n"
                                    "def mae(p, t):\n    assert 'begin hidden tests' in SECRET.lower() and 'SQLite' in SECRET\n"
                                    "    return float(np.mean(np.abs(np.asarray(p, float) - np.asarray(t, float))))"},
                            total=FULL - 2, flag="review: mae reads or writes the course's files"),
    # Overwrites another student's graded notebook, their submission and the gradebook.
    "writes_elsewhere": Case({"mae": MAE + "for target in ('../../good/01_loss_functions/loss_functions.ipynb',\n"
                                           "               '../../../submitted/good/01_loss_functions/loss_functions.ipynb',\n"
                                           "               '../../../gradebook.db'):\n"
                                           "    open(target, 'w').write('{}')"},
                             flag="review: mae reads or writes the course's files"),
    "network": Case({"mae": MAE + "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=5)"},
                    flag="review: mae opens a network connection"),
    "allocates_50gb": Case({"mae": MAE + "hog = np.ones(50 * 2**30 // 8)"}, flag="blocked in mae: memory limit"),
    "fork_bomb": Case({"mae": MAE + "import os, time\nfor _ in range(10_000):\n    if os.fork() == 0:\n"
                                    "        time.sleep(2)\n        os._exit(0)"},
                      flag="blocked in mae: process limit"),
}
if SANDBOXED:
    CASES.update(SANDBOX_CASES)


def tamper(nb):
    """Delete test_sigmoid, edit test_mae to pass, rename test_log_loss, give test_mse 100 points."""
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_sigmoid"]
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") == "test_mae":
            cell.source = "pass"
        elif meta.get("grade_id") == "test_log_loss":
            meta["grade_id"] = "test_log_loss_renamed"
        elif meta.get("grade_id") == "test_mse":
            meta["points"] = 100
    return nb
