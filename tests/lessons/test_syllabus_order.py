"""The order of the syllabus: d2l's and the Deep Learning Specialization's, and no lesson needs a later one."""
from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in REPO.glob("release/[0-9][0-9]_*"))


def _cells(assignment: str) -> list[str]:
    (path,) = (REPO / "release" / assignment).glob("*.ipynb")
    return ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]


def test_backprop_then_mini_batches_then_the_optimisers_they_motivate():
    """Does backpropagation come before stochastic descent, and stochastic descent before momentum and Adam?"""
    topics = [name.split("_", 1)[1] for name in ASSIGNMENTS]
    assert topics.index("backprop") < topics.index("stochastic_descent") < topics.index("optimizers")


def test_every_lesson_needs_only_earlier_lessons():
    """Does each notebook's 'Before you start' name as prerequisites only lessons that come before it?"""
    naming = 0
    for assignment in ASSIGNMENTS:
        before = next(text for text in _cells(assignment) if text.startswith("## Before you start"))
        needs = {int(number) for number in re.findall(r"(?<![\d.])0([1-8])(?!\d)", before)}
        assert all(need < int(assignment[:2]) for need in needs), (assignment, sorted(needs))
        naming += bool(needs)
    assert naming >= len(ASSIGNMENTS) - 2  # 01 has nothing before it; the rest say what they build on


def test_each_title_carries_its_own_number():
    """Does every notebook's title start with its folder's number, so the renumbered order is what students read?"""
    for assignment in ASSIGNMENTS:
        assert _cells(assignment)[0].startswith(f"# {assignment[:2]} · "), assignment
