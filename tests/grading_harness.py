"""Grade notebooks with real nbgrader for the tests: source, release and variant students.

For each assignment, a fresh course copy in a temporary folder gets the
assignment generated (as ``descent release`` does), then these submissions:

- ``source``: the instructor's notebooks, solutions in place (must get full marks);
- ``release``: the student version, untouched (must get zero on every test cell);
- ``ok-<name>`` / ``bad-<name>``: the source with solution cells replaced by the
  correct variants and common mistakes of ``tests/variants/aNN_<topic>.py``.

All of them are autograded by one real ``nbgrader autograde`` run, whose kernels a root grader
forks from the kernel template. Then ``source-plain`` (the source again) is autograded with kernels
started afresh (``template = False``). The written answers the autograder leaves pending (the model
answers of the source and of the correct variants) get their full points, as a grader would give them
in the formgrader; feedback is generated for both sources, and each source notebook runs once in a plain,
unsandboxed kernel, to count the figures it draws.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from course.instructor.grading import CourseRoot
from course.instructor.grading.core import nbgrader_run
from course.instructor.grading.publish import sample_submissions
from course.instructor.grading.record.scores import CellScore, read_scores

REPO = Path(__file__).resolve().parents[1]
VARIANTS = REPO / "tests" / "variants"
#: The source again, graded by kernels started afresh rather than forked from the template.
PLAIN = "source-plain"


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
    #: ``{notebook: images}``: the image outputs of each source notebook run in a plain kernel.
    figures: dict[str, int] = field(default_factory=dict)
    #: ``{student: grade_ids}``: the written answers that waited for the grader and were given full points.
    by_hand: dict[str, set] = field(default_factory=dict)

    def autograded(self, student: str, notebook: str):
        return sample_submissions.read(self.root.autograded / student / self.assignment / f"{notebook}.ipynb")

    def feedback(self, student: str, notebook: str) -> str:
        return (self.root.feedback / student / self.assignment / f"{notebook}.html").read_text()

    def released(self, notebook: str):
        return sample_submissions.read(self.root.release / self.assignment / f"{notebook}.ipynb")


def grade(assignment: str, workdir: Path, variants: "ModuleType | None") -> GradedAssignment:
    """Generate ``assignment`` in a course copy at ``workdir``, submit and autograde every student."""
    root = course().copy_to(workdir).with_own_gradebook()
    nbgrader_run.generate_assignment(root, assignment)
    names = [p.stem for p in root.notebooks(assignment)]
    source = {n: sample_submissions.read(root.source / assignment / f"{n}.ipynb") for n in names}
    release = {n: sample_submissions.read(root.release / assignment / f"{n}.ipynb") for n in names}
    sample_submissions.submit(root, "source", assignment, source)
    sample_submissions.submit(root, "release", assignment, release)
    if variants is not None:
        target = variants.NOTEBOOK.removesuffix(".ipynb")
        for prefix, table in (("ok", variants.CORRECT), ("bad", variants.MISTAKES)):
            for name, cells in table.items():
                nbs = dict(source)
                nbs[target] = sample_submissions.replace_solutions(source[target], cells)
                sample_submissions.submit(root, f"{prefix}-{name}", assignment, nbs)
    nbgrader_run.autograde(root, assignment)
    sample_submissions.submit(root, PLAIN, assignment, source)
    nbgrader_run.run_nbgrader(root, "autograde", assignment, "--create", "--force", "--student", PLAIN,
                              "--SandboxedKernelManager.template=False")
    graded = GradedAssignment(assignment, root)
    right = ["source", PLAIN, *(f"ok-{name}" for name in (variants.CORRECT if variants else {}))]
    graded.by_hand = grade_written_answers_full(root, assignment, right)
    nbgrader_run.run_nbgrader(root, "generate_feedback", assignment, "--force", "--student", "source*")
    graded.figures = {n: images(run_plainly(root.source / assignment / f"{n}.ipynb")) for n in names}
    for row in read_scores(root, assignment):
        graded.scores.setdefault(row.student, {})[row.grade_id] = row
    return graded


def grade_written_answers_full(course: CourseRoot, assignment: str, students: list[str]) -> dict[str, set]:
    """Give each of ``students`` full points on every written answer still waiting for the grader, as the
    formgrader's grade handler records a score; return ``{student: the grade_ids given}``."""
    from course.instructor.grading.record.scores import graded_by_hand

    given: dict[str, set] = {}
    with course.open_gradebook() as gb:
        for student in students:
            for nb in gb.find_submission(assignment, student).notebooks:
                for grade in nb.grades:
                    if graded_by_hand(grade) and grade.auto_score is None and grade.manual_score is None:
                        grade.manual_score, grade.needs_manual_grade = grade.max_score, False
                        given.setdefault(student, set()).add(grade.name)
        gb.db.commit()
    return given


def run_plainly(notebook: Path, timeout: int = 600, **env: str):
    """``notebook`` executed once in a plain kernel (no sandbox, no template), in grading mode.

    Its test cells are left out: their hidden tests are judged in the grader, not run in the kernel.
    Its kernel runs with ``NBGRADER_EXECUTION=autograde``, so figures are drawn as a graded kernel draws
    them, and with ``env`` added to its environment.
    """
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    client = NotebookClient(nb, timeout=timeout, record_timing=True,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute(env={**os.environ, "NBGRADER_EXECUTION": "autograde", **env})  # this kernel only (tests use threads)
    return nb


def images(nb) -> int:
    """How many image outputs (PNG) the code cells of ``nb`` hold."""
    return sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def feedback_images(html: str) -> int:
    """How many images a feedback page shows (``<img>`` of an inline PNG)."""
    return len(re.findall(r"<img\b[^>]*\bsrc=\"data:image/png;base64,", html))
