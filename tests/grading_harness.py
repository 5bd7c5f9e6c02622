"""Grade notebooks with real nbgrader for the tests: source, release and variant students.

For each assignment, a fresh course copy in a temporary folder gets the
assignment generated (as ``descent release`` does), then these submissions:

- ``source``: the instructor's notebooks, solutions in place (must get full marks);
- ``release``: the student version, untouched (must get zero on every test cell);
- ``ok-<name>`` / ``bad-<name>``: the source with solution cells replaced by the
  correct variants and common mistakes of ``tests/variants/aNN_<topic>.py``.

All of them are autograded by one real ``nbgrader autograde`` run.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from course.instructor.grading import CourseRoot, nbgrader_run, submissions
from course.instructor.grading.scores import CellScore, read_scores

REPO = Path(__file__).resolve().parents[1]
VARIANTS = REPO / "tests" / "variants"
#: Issue 23 part 3 (visible checks without reference code) has landed once course.check reads course.shortcuts;
#: until then course/checks/ holds reference code and `descent bundle` rightly refuses.
CHECKS_REWRITTEN = "from .shortcuts import" in (REPO / "course" / "check.py").read_text()


def course() -> CourseRoot:
    return CourseRoot.at(REPO)


def load_variants() -> dict[str, ModuleType]:
    """Variant modules keyed by the assignment they name."""
    found = {}
    for path in sorted(VARIANTS.glob("a[0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(f"variants_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        found[module.ASSIGNMENT] = module
    return found


@dataclass
class GradedAssignment:
    """What one autograde run of one assignment produced."""

    assignment: str
    root: CourseRoot
    scores: dict[str, dict[str, CellScore]] = field(default_factory=dict)

    def autograded(self, student: str, notebook: str):
        return submissions.read(self.root.autograded / student / self.assignment / f"{notebook}.ipynb")

    def released(self, notebook: str):
        return submissions.read(self.root.release / self.assignment / f"{notebook}.ipynb")


def grade(assignment: str, workdir: Path, variants: "ModuleType | None") -> GradedAssignment:
    """Generate ``assignment`` in a course copy at ``workdir``, submit and autograde every student."""
    root = course().copy_to(workdir)
    db = root.gradebook_url
    nbgrader_run.generate_assignment(root, assignment, db_url=db)
    names = [p.stem for p in root.notebooks(assignment)]
    source = {n: submissions.read(root.source / assignment / f"{n}.ipynb") for n in names}
    release = {n: submissions.read(root.release / assignment / f"{n}.ipynb") for n in names}
    submissions.submit(root, "source", assignment, source)
    submissions.submit(root, "release", assignment, release)
    if variants is not None:
        target = variants.NOTEBOOK.removesuffix(".ipynb")
        for prefix, table in (("ok", variants.CORRECT), ("bad", variants.MISTAKES)):
            for name, cells in table.items():
                nbs = dict(source)
                nbs[target] = submissions.replace_solutions(source[target], cells)
                submissions.submit(root, f"{prefix}-{name}", assignment, nbs)
    nbgrader_run.autograde(root, assignment, db_url=db)
    graded = GradedAssignment(assignment, root)
    for row in read_scores(db, assignment):
        graded.scores.setdefault(row.student, {})[row.grade_id] = row
    return graded
