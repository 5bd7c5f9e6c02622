"""Generate a class of submissions of 01_loss_functions whose scores are known in advance.

Kinds of student, in turn: ``correct`` (the source solutions), ``variant`` (correct answers
written differently), ``partial`` (some exercises with a common mistake), ``blank`` (the
release, untouched) and ``broken`` (a cell that does not even parse).
"""
from __future__ import annotations

from pathlib import Path

import grading_harness as harness
import numpy as np

from course.instructor.grading.core.cells import exercise_graded_by
from course.instructor.grading.publish import sample_submissions
from course.mistakes import UNRECOGNISED

ASSIGNMENT = "01_loss_functions"
NOTEBOOK = "loss_functions"
POINTS = {"test_mse": 2.0, "test_mae": 2.0, "test_sigmoid": 2.0, "test_log_loss": 3.0, "test_neuron_mse": 3.0}
#: the points a grader gives by hand (the written answer), on top of the autograded POINTS
WRITTEN = {"explain_clipping": 2.0}
# neuron_mse from this variant uses only sigmoid, so a wrong mse cannot spill into it
_SAFE_NEURON = harness.load_variants()[ASSIGNMENT].CORRECT["numpy_alternatives_float32"]["neuron_mse"]


def make_class(dest: Path, n: int = 30, seed: int = 0, release_dir: "Path | None" = None,
               planted: "dict | None" = None) -> dict[str, dict]:
    """Write ``n`` students as ``dest/<student>/01_loss_functions/loss_functions.ipynb``.

    Returns ``{student: {grade_id: expected points}}``. ``planted``, if given, is filled with
    ``{student: {grade_id: mistake id}}``: what the grader must name for each cell that loses marks.
    """
    variants = harness.load_variants()[ASSIGNMENT]
    source = sample_submissions.read(harness.REPO / "source" / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    release = sample_submissions.read((release_dir or harness.REPO / "release") / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
    rng = np.random.default_rng(seed)
    correct_variants = sorted(variants.CORRECT)
    mistakes = sorted(variants.MISTAKES)
    expected = {}
    named = getattr(variants, "NAMED", {})
    for i in range(n):
        kind = ("correct", "variant", "partial", "blank", "broken")[i % 5]
        student = f"s{i:03d}-{kind}"
        full = dict(POINTS)
        lost_to = {}
        if kind == "correct":
            nb = source
        elif kind == "variant":
            correct = variants.CORRECT[correct_variants[i % len(correct_variants)]]
            nb = sample_submissions.replace_solutions(source, correct)
        elif kind == "partial":
            wrong = [g for g in ("mse", "mae", "log_loss") if rng.random() < 0.6] or ["mae"]
            cells = {"neuron_mse": _SAFE_NEURON}
            for gid in wrong:
                options = [m for m in mistakes if gid in variants.MISTAKES[m]]
                variant = options[int(rng.integers(len(options)))]
                cells[gid] = variants.MISTAKES[variant][gid]
                full[f"test_{gid}"] = 0.0
                lost_to[f"test_{gid}"] = named.get(variant, {}).get(gid, UNRECOGNISED)
            nb = sample_submissions.replace_solutions(source, cells)
        elif kind == "blank":
            nb = release
            full = {k: 0.0 for k in POINTS}
            lost_to = {k: f"{exercise_graded_by(k)}/not-written" for k in POINTS}
        else:
            nb = sample_submissions.replace_solutions(
                source, {"log_loss": "def log_loss(p, y, eps=1e-12)\n    return 0"})
            full["test_log_loss"] = 0.0
            lost_to["test_log_loss"] = UNRECOGNISED  # the cell does not parse: there is no log_loss to call
        folder = dest / student / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        sample_submissions.nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
        expected[student] = full
        if planted is not None:
            planted[student] = lost_to
    return expected


def read_csv(path: Path) -> dict[str, dict]:
    """``{student: row}`` from a grades.csv."""
    import csv

    with open(path, newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}
