"""Each notebook's "Before you start" says what Run All does, truly for that notebook."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from course import check

SOURCES = sorted((Path(__file__).resolve().parents[1] / "source").glob("*/*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_before_you_start_explains_run_all_and_hints(path):
    """Does the second cell say what Run All shows (✗ checks, red stubs only where there are value stubs) and
    name a hint that exists, for an exercise of this notebook?"""
    cells = _cells(path)
    intro = "".join(cells[1]["source"])
    assert intro.startswith("## Before you start") and "Run All" in intro and "\u2717" in intro
    value_stubs = [c for c in cells if "raises-exception" in c["metadata"].get("tags", [])]
    assert ("red error" in intro) == bool(value_stubs), "the red-stub sentence must match the notebook's value stubs"
    graded = [c["metadata"].get("nbgrader", {}) for c in cells]
    exercises = {meta["grade_id"] for meta in graded if meta.get("solution")}
    hinted = re.findall(r'check\.hint\("(\w+)"\)', intro)
    assert hinted and hinted[-1] in exercises and hinted[-1] in check.names()
