"""Build student submissions from the source (solutions) and release (stubs) notebooks."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Mapping

import nbformat

from ..core.cells import cell_role, grade_id, grade_ids
from ..core.coursedir import CourseRoot


def replace_solutions(nb, replacements: Mapping[str, str]):
    """Return a copy of ``nb`` whose solution cells named in ``replacements`` get new source."""
    nb = nbformat.from_dict(nb)
    unknown = set(replacements) - set(grade_ids(nb, "solution"))
    if unknown:
        raise KeyError(f"no solution cells named {sorted(unknown)}")
    for cell in nb.cells:
        if cell_role(cell) == "solution" and grade_id(cell) in replacements:
            cell.source = replacements[grade_id(cell)]
    return nb


def mix(source_nb, release_nb, take_from_source: "set[str]"):
    """The release notebook with the solution cells in ``take_from_source`` filled from the source."""
    answers = {grade_id(c): c.source for c in source_nb.cells if cell_role(c) == "solution"}
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
