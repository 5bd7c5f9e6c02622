"""The environment every student server runs from: the student wheel, JupyterLab, nbgrader.

Built once per wheel by ``descent hub`` with ``python -m venv`` and ``pip install``: the
student wheel (``descent bundle``: the lessons' wing, no ``course/instructor/``) and
``jupyterhub`` at the hub's own version (for ``jupyterhub-singleuser``). Nothing of the
instructor's environment is in it; :func:`build` refuses an environment where
``course.instructor`` imports.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..grading.core.coursedir import CourseError
from .access import shared_python

#: The file recording which wheel an environment was built from (its SHA-256).
STAMP = ".descent-wheel"


def find_wheel(bundle: Path) -> Path:
    """The student wheel: ``bundle`` itself, or the one ``*.whl`` in a ``descent bundle`` folder."""
    if bundle.is_file() and bundle.suffix == ".whl":
        return bundle.resolve()
    wheels = sorted(bundle.glob("*.whl")) if bundle.is_dir() else []
    if len(wheels) != 1:
        raise CourseError(f"{bundle}: expected a student wheel or a `descent bundle` folder holding one "
                          f"(found {[w.name for w in wheels]}); run `descent bundle --out DIR` first")
    return wheels[0].resolve()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(command: list[str]) -> subprocess.CompletedProcess:
    # Readable by every student whatever the umask of the root shell that runs the hub.
    return subprocess.run(command, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022))


def instructor_importable(env: Path) -> bool:
    """Whether ``import course.instructor`` succeeds in ``env`` (it must not)."""
    probe = _run([str(env / "bin" / "python"), "-I", "-c", "import course.instructor"])
    return probe.returncode == 0


def build(env: Path, wheel: Path) -> bool:
    """Make ``env`` hold ``wheel``; ``False`` if it already did (nothing rebuilt)."""
    digest = _digest(wheel)
    if (env / STAMP).exists() and (env / STAMP).read_text().strip() == digest:
        return False
    if env.exists():
        shutil.rmtree(env)
    from jupyterhub import __version__ as hub_version  # lazy: only the hub needs JupyterHub installed

    for command in ([str(shared_python()), "-m", "venv", "--without-pip", str(env)],
                    [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "--quiet",
                     "--disable-pip-version-check", str(wheel), f"jupyterhub=={hub_version}"]):
        result = _run(command)
        if result.returncode != 0:
            raise CourseError(f"building the student environment failed: {' '.join(command)}\n"
                              f"{result.stdout}{result.stderr}")
    if instructor_importable(env):
        raise CourseError(f"{wheel.name} holds the instructor's wing (course.instructor imports): "
                          "build the student wheel with `descent bundle`")
    (env / STAMP).write_text(digest + "\n")
    return True
