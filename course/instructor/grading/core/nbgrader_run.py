"""Run nbgrader's own commands on a course root, in a child process.

A child process keeps nbgrader's global state (traitlets config, logging, the
database engine) out of the caller, and it is exactly what an instructor runs.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .coursedir import CourseError, CourseRoot


def run_nbgrader(root: CourseRoot, *args: str, timeout: "float | None" = None) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` with ``root`` as the working folder, on ``root``'s gradebook; raise on failure.

    The gradebook (:attr:`.CourseRoot.db_url`) is given on the command line, which beats
    ``nbgrader_config.py``, and as ``DESCENT_DB_URL``, so nbgrader and every ``descent``
    step use the same one.
    """
    env = dict(os.environ, DESCENT_DB_URL=root.db_url)
    args = (*args, f"--CourseDirectory.db_url={root.db_url}")
    # nbgrader runs `alembic` from PATH when it creates a gradebook: find this environment's.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    cmd = [sys.executable, "-m", "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=root.path, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode}):\n{tail}")
    return proc


def generate_assignment(root: CourseRoot, assignment: str):
    """``nbgrader generate_assignment ASSIGNMENT --force``: write ``release/ASSIGNMENT``."""
    root.check_assignment(assignment)
    return run_nbgrader(root, "generate_assignment", assignment, "--force")


def autograde(root: CourseRoot, assignment: str, student: "str | None" = None):
    """``nbgrader autograde ASSIGNMENT --create --force`` (optionally for one student)."""
    root.check_assignment(assignment)
    args = ["autograde", assignment, "--create", "--force"]
    if student is not None:
        args += ["--student", root.check_student(student)]
    return run_nbgrader(root, *args)
