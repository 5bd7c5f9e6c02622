"""``descent demo``: the whole nbgrader round trip on sample students, in a scratch copy.

Three students hand in every assignment: ``solutions`` (the instructor's source
notebooks), ``blank`` (the release, untouched) and ``half_done`` (the release
with the first half of the exercises answered). Each assignment is generated,
autograded and given feedback with real nbgrader (by ``descent grade``'s parallel
workers); the scores are printed.
"""
from __future__ import annotations

import math
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from .batch import grade_class
from .core.cells import grade_ids
from .core.coursedir import CourseRoot
from .publish import sample_submissions
from .publish.release import release
from .record.scores import read_scores
from .record.table import score_table

STUDENTS = ("solutions", "blank", "half_done")


def build_sample_submissions(root: CourseRoot, assignment: str) -> None:
    """Write the three sample students' submissions of ``assignment`` into ``submitted/``."""
    by_student: dict[str, dict] = {s: {} for s in STUDENTS}
    for path in root.notebooks(assignment):
        source = sample_submissions.read(path)
        blank = sample_submissions.read(root.release / assignment / path.name)
        ids = grade_ids(source, "solution")
        by_student["solutions"][path.stem] = source
        by_student["blank"][path.stem] = blank
        by_student["half_done"][path.stem] = sample_submissions.mix(source, blank, set(ids[: math.ceil(len(ids) / 2)]))
    for student, nbs in by_student.items():
        sample_submissions.submit(root, student, assignment, nbs)


def run_demo(source_root: CourseRoot, workdir: "Path | None" = None,
             assignments: "list[str] | None" = None, say: Callable[[str], None] = print) -> dict[str, list]:
    """Run the demo; return ``{assignment: [CellScore, ...]}``. Uses a temporary folder unless ``workdir``."""
    names = [source_root.check_assignment(a) for a in assignments] if assignments else source_root.assignments()
    with tempfile.TemporaryDirectory(prefix="descent-demo-") as scratch:
        # always a scratch gradebook, whatever DESCENT_DB_URL says
        root = source_root.copy_to(Path(workdir) if workdir else Path(scratch) / "course").with_own_gradebook()
        say(f"Scratch course: {root.path}")
        start = time.perf_counter()
        release(root, names)
        for name in names:
            build_sample_submissions(root, name)
        say(f"  released {len(names)} assignments and built {len(STUDENTS)} students' submissions "
            f"({time.perf_counter() - start:.1f} s)")

        def grade(name: str) -> str:
            began = time.perf_counter()
            grade_class(root, name, None, workers=1, say=lambda _: None, progress=False)
            seconds = time.perf_counter() - began
            return f"  {name}: {len(STUDENTS)} students autograded, feedback written ({seconds:.1f} s)"

        # Two assignments at a time, one grading worker each: both cores busy, one shared gradebook.
        with ThreadPoolExecutor(max_workers=2) as pool:
            for line in pool.map(grade, names):
                say(line)
        results = {name: read_scores(root, name) for name in names}
        say("")
        for name, rows in results.items():
            order = []
            for path in root.notebooks(name):
                order += grade_ids(sample_submissions.read(path), "test")
            say(score_table(name, rows, order))
            say("")
        feedback = sorted(root.feedback.rglob("*.html"))
        say(f"Feedback: {len(feedback)} HTML files under {root.feedback}"
            + ("" if workdir else " (removed with the scratch folder; use --keep DIR to keep them)"))
        return results
