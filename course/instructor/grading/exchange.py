"""Submissions from nbgrader's exchange (a course hub): ``descent grade ASSIGNMENT --exchange``.

``nbgrader collect`` copies each student's latest submission from the exchange's inbound into
``submitted/<student>/<assignment>/``; the usual pipeline then grades ``submitted/``.
"""
from __future__ import annotations

import subprocess
import sys

from .coursedir import CourseError, CourseRoot


def collect(root: CourseRoot, assignment: str) -> str:
    """Run ``nbgrader collect`` in the course root (the exchange as its configuration names it); its log."""
    result = subprocess.run([sys.executable, "-m", "nbgrader", "collect", "--update", assignment],
                            cwd=root.path, capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"nbgrader collect {assignment} failed:\n{result.stdout}{result.stderr}")
    return result.stdout + result.stderr
