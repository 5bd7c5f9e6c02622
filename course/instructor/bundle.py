"""What a class is given: ``descent bundle --out DIR``.

The bundle holds exactly

- one wheel, ``descent_course_student-<version>-py3-none-any.whl``: the lessons' wing of
  ``course`` (everything but ``course/instructor/`` and ``course/__main__.py``, the CLI's
  entry), with the dependencies a student needs declared, and the JupyterLab notice that
  feedback is ready (:mod:`course.instructor.lab_notice`, installed as data files);
- ``notebooks/``: the release notebooks (``release/NN_topic/``) and the student's JupyterLab
  configuration (``release/student_lab_config.py``);
- ``STUDENT.md``: install, open, work, hand in.

The wheel is built by ``pip wheel --no-deps`` from a staged copy of the lessons' wing with a
generated ``pyproject.toml`` under its own distribution name, so the repository's own
``descent-course`` (everything, instructor's wing included) is untouched. Before anything is
written, :mod:`course.instructor.leak_scan` looks for solutions and hidden tests in what is
about to leave: a leak stops the bundle.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import tomllib

from .. import __version__
from .grading.core.coursedir import CourseError, CourseRoot
from .lab_notice import stage_extension
from .leak_scan import scan_bundle

#: The student's distribution: its own name, so it never replaces the instructor's ``descent-course``.
STUDENT_DISTRIBUTION = "descent-course-student"
#: Parts of ``course/`` that stay with the instructor (the grading pipeline, the CLI's entry point).
INSTRUCTOR_ONLY = ("instructor", "__main__.py")
#: A student needs a kernel; the repository's environment gets it from requirements.txt.
STUDENT_EXTRA_REQUIREMENTS = ("ipykernel>=6.29,<8",)
#: Zip timestamps of the wheel (1 January 2026): the same course gives the same bytes.
SOURCE_DATE_EPOCH = "1767225600"
NOTEBOOKS = "notebooks"
LAB_CONFIG = "student_lab_config.py"


@dataclass
class Bundle:
    """What :func:`build_bundle` wrote: the wheel, the notebooks folder, and notes for the instructor."""

    out: Path
    wheel: Path
    notebooks: Path
    assignments: list[str]
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        size = self.wheel.stat().st_size / 1024
        lines = [f"wrote {self.out}:",
                 f"  {self.wheel.name} ({size:.0f} KiB; `pip install` it into an empty environment)",
                 f"  {NOTEBOOKS}/: {', '.join(self.assignments)} and {LAB_CONFIG}",
                 "  STUDENT.md"]
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


def student_requirements(root: Path) -> list[str]:
    """The student wheel's dependencies: the repository's own (``pyproject.toml``) plus a kernel."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    return [*project["dependencies"], *STUDENT_EXTRA_REQUIREMENTS]


def stage_lessons_wing(root: Path, stage: Path) -> Path:
    """Copy the lessons' wing of ``course/``, the built Lab notice and a generated ``pyproject.toml``
    into ``stage``."""
    package = root / "course"

    def leave_out(folder: str, names: list[str]) -> set[str]:
        at_top = Path(folder) == package
        return {n for n in names if n == "__pycache__" or n.endswith(".pyc") or (at_top and n in INSTRUCTOR_ONLY)}

    shutil.copytree(package, stage / "course", ignore=leave_out)
    data_files = stage_extension(root, stage, STUDENT_DISTRIBUTION)
    deps = ",\n    ".join(f'"{d}"' for d in student_requirements(root))
    (stage / "pyproject.toml").write_text(f'''[build-system]
requires = ["setuptools>=70.1"]
build-backend = "setuptools.build_meta"

[project]
name = "{STUDENT_DISTRIBUTION}"
version = "{__version__}"
description = "Descent, the student's package: what the course's notebooks import (no solutions, no grading)."
requires-python = ">=3.10"
dependencies = [
    {deps},
]

[tool.setuptools.packages.find]
include = ["course*"]

[tool.setuptools.package-data]
"*" = ["*"]

{data_files}''')
    return stage


def build_wheel(stage: Path, dist: Path) -> Path:
    """``pip wheel --no-deps`` of a staged project; the one wheel it made."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # An absolute path: pip would take a bare folder name for a project to download from PyPI.
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist.resolve()),
                             str(stage.resolve())], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"building the student wheel failed:\n{result.stdout}{result.stderr}")
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        raise CourseError(f"expected one wheel in {dist}, found {[w.name for w in wheels]}")
    return wheels[0]


def instructor_files(wheel: Path) -> list[str]:
    """Members of ``wheel`` that belong to the instructor's wing (there must be none)."""
    with zipfile.ZipFile(wheel) as zf:
        return [n for n in zf.namelist() if n.startswith(("course/instructor/", "course/__main__"))]


STUDENT_MD = """# Descent: your course files

## Install (once)

You need Python 3.10 or later. In a terminal, in this folder:

    python3 -m venv descent-env
    . descent-env/bin/activate          # Windows: descent-env\\Scripts\\activate
    pip install {wheel}

That installs the course's helper package (`import course`), JupyterLab and everything the
notebooks use.

## Open

    jupyter lab --config={notebooks}/{config}

JupyterLab opens on the `{notebooks}/` folder, one folder per assignment.

## Work

Open an assignment's notebook and run its cells from the top (Run > Run All Cells works).
Write each exercise where it says `raise NotImplementedError(...)`. The check cell after it
prints `✓ ... public checks passed` or `✗` and what looks wrong; `check.hint("name")` gives a
nudge. More tests run at grading, on inputs you have not seen. The **Validate** button
(toolbar) runs the notebook the way the grader does.

## Hand in

Save the notebook (keep its file name) and upload the `.ipynb` file where your instructor
asks (your course's LMS assignment). Do not rename or delete cells you did not write.
"""


def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CourseError(f"{out} is not an empty folder: choose a new --out DIR (the bundle must hold "
                          "nothing but what it writes)")


def build_bundle(course: CourseRoot, out: Path, assignments: "list[str] | None" = None) -> Bundle:
    """Write the class's bundle into the empty (or new) folder ``out``.

    Raises
    ------
    CourseError
        If ``out`` is not empty, an assignment has no release, or the scan finds a solution
        or a hidden test in what would leave (nothing is written then).
    """
    out = Path(out).resolve()
    _check_out(out)
    names = assignments or sorted(p.name for p in course.release.iterdir() if p.is_dir() and p.name[:2].isdigit())
    for name in names:
        if not (course.release / name).is_dir():
            raise CourseError(f"release/{name} does not exist: run `descent release {name}` first")
    with tempfile.TemporaryDirectory(prefix="descent-bundle-") as tmp:
        draft = Path(tmp) / "bundle"
        wheel = build_wheel(stage_lessons_wing(course.path, Path(tmp) / "stage"), draft)
        notebooks = draft / NOTEBOOKS
        for name in names:
            shutil.copytree(course.release / name, notebooks / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        shutil.copy2(course.release / LAB_CONFIG, notebooks / LAB_CONFIG)
        (draft / "STUDENT.md").write_text(STUDENT_MD.format(wheel=wheel.name, notebooks=NOTEBOOKS, config=LAB_CONFIG))
        leftovers = instructor_files(wheel)
        if leftovers:
            raise CourseError(f"the student wheel holds instructor files: {leftovers[:5]}")
        report = scan_bundle(course.path, draft)
        if report.leaks:
            raise CourseError("the bundle would give away answers; nothing was written:\n  "
                              + "\n  ".join(report.leaks[:20]))
        out.mkdir(parents=True, exist_ok=True)
        for item in sorted(draft.iterdir()):
            shutil.move(str(item), str(out / item.name))
    return Bundle(out=out, wheel=out / wheel.name, notebooks=out / NOTEBOOKS, assignments=names,
                  notes=report.notes)
