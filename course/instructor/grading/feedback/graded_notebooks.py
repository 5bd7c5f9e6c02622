"""What grading wrote into a student's graded notebooks: the incidents and the mistakes found."""
from __future__ import annotations

import nbformat

from ..core.coursedir import CourseRoot
from ..run.incidents import incidents_of, mistakes_of
from ..core.safe_io import read_capped


def _graded_notebooks(course: CourseRoot, assignment: str, student: str):
    """``(path, notebook or the exception that kept it from being read)`` for each graded notebook."""
    folder = course.autograded / student / assignment
    for path in sorted(folder.glob("*.ipynb")) if folder.is_dir() else []:
        try:
            yield path, nbformat.reads(read_capped(path, 256 * 2**20).decode("utf-8"), as_version=4)
        except Exception as exc:  # noqa: BLE001 (reported by the caller, never a crash)
            yield path, exc


def graded_flags(course: CourseRoot, assignment: str, student: str) -> list[str]:
    """The incidents that grading wrote into each graded notebook (see :func:`..run.incidents.incidents_of`)."""
    flags = []
    for path, nb in _graded_notebooks(course, assignment, student):
        if isinstance(nb, Exception):
            flags.append(f"{path.stem}: graded notebook unreadable ({type(nb).__name__})")
        else:
            flags += [f"{i.get('kind')} in {i.get('cell')}: {i.get('detail')}" for i in incidents_of(nb)]
    return flags


def graded_mistakes(course: CourseRoot, assignment: str, student: str) -> dict[str, str]:
    """``{grade_id: mistake id}`` the judge recorded in the student's graded notebooks (see
    :func:`..run.incidents.mistakes_of`)."""
    found: dict[str, str] = {}
    for _, nb in _graded_notebooks(course, assignment, student):
        if not isinstance(nb, Exception):
            found.update(mistakes_of(nb))
    return found
