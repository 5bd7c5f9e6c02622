"""Submissions of 01_loss_functions that attack or break the grader, with what grading must give.

Each case: the solution cells it replaces (the rest are the instructor's solutions), or raw
bytes for the notebook file, the expected status and total, and words its flags must contain.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FULL = 12.0


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
                          total=FULL - 2 - 3, flag="numpy.allclose"),
    "prints_100mb": Case({"mae": "print('x' * 100_000_000)\ndef mae(p, t):\n"
                                 "    return float(np.mean(np.abs(np.asarray(p, float) - np.asarray(t, float))))"}),
    "not_json": Case(raw=b"{this is not json", status="invalid", total=0.0),
    "empty_file": Case(raw=b"", status="invalid", total=0.0),
    "nbformat_5": Case(raw=b'{"nbformat": 5, "nbformat_minor": 0, "cells": [], "metadata": {}}',
                       status="invalid", total=0.0),
    "tampered": Case({"mse": "def mse(p, t):\n    return 0.0"}, total=FULL - 2 - 3,
                     flag="test cell test_mae was edited", tamper=True),
}


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
