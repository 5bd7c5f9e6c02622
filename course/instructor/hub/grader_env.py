"""The grader service's Python: a thin environment on a shared interpreter that sees the instructor's packages.

The formgrader runs as the grader account, which may not be able to run the instructor's own
interpreter (pyenv under ``/root``). This environment is a ``venv`` of :func:`.access.shared_python`
whose one ``.pth`` line adds the instructor environment's ``site-packages`` (and, through its
own ``.pth`` files, the editable ``course``): the same packages, an interpreter the grader may run.
"""
from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path

from ..grading.coursedir import CourseError
from .access import shared_python

PTH = "descent-instructor.pth"


def build(env: Path) -> Path:
    """(Re)make ``env``; its ``bin/python``."""
    if env.exists():
        shutil.rmtree(env)
    result = subprocess.run([str(shared_python()), "-m", "venv", "--without-pip", str(env)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"building the grader's environment failed:\n{result.stderr}")
    instructor_site = sysconfig.get_paths()["purelib"]
    (site,) = env.glob("lib/python*/site-packages")
    (site / PTH).write_text(f"import site; site.addsitedir({instructor_site!r})\n")
    return env / "bin" / "python"
