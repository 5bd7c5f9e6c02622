"""Build student submissions from the source (solutions) and release (stubs) notebooks."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Mapping

import nbformat

from .coursedir import CourseRoot


def solution_ids(nb) -> list[str]:
    """grade_ids of the solution cells, in notebook order."""
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")]


def cell_role(cell) -> str:
    """``"solution"``, ``"test"``, ``"locked"`` or ``"plain"``, from nbgrader's metadata."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    if meta.get("locked"):
        return "locked"
    return "plain"


def points_of(cell) -> bool:
    """True for a cell that carries points: a test, a manually graded answer or a task."""
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade") or meta.get("task"))


def replace_solutions(nb, replacements: Mapping[str, str]):
    """Return a copy of ``nb`` whose solution cells named in ``replacements`` get new source."""
    nb = nbformat.from_dict(nb)
    unknown = set(replacements) - set(solution_ids(nb))
    if unknown:
        raise KeyError(f"no solution cells named {sorted(unknown)}")
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell_role(cell) == "solution" and gid in replacements:
            cell.source = replacements[gid]
    return nb


def mix(source_nb, release_nb, take_from_source: "set[str]"):
    """The release notebook with the solution cells in ``take_from_source`` filled from the source."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_nb.cells
               if cell_role(c) == "solution"}
    return replace_solutions(release_nb, {k: answers[k] for k in take_from_source})


def submit(root: CourseRoot, student: str, assignment: str, notebooks: Mapping[str, object]) -> Path:
    """Write ``submitted/STUDENT/ASSIGNMENT/<name>.ipynb`` for each ``name -> notebook``."""
    folder = root.submitted / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def read(path: "str | Path"):
    """Read a notebook as nbformat v4."""
    return nbformat.read(str(path), as_version=4)
