"""House rules for what is committed: clean notebooks, valid nbgrader metadata, no solutions in course/."""
import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tracked_notebooks():
    try:
        out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True, check=True)
        files = [REPO / line for line in out.stdout.split()]
    except (OSError, subprocess.CalledProcessError):
        files = []
    return files or sorted(REPO.glob("source/*/*.ipynb")) + sorted(REPO.glob("release/*/*.ipynb"))


@pytest.mark.parametrize("path", _tracked_notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebooks_carry_no_outputs(path):
    """Is every committed notebook free of outputs and execution counts?"""
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"cells {dirty} carry outputs"


@pytest.mark.parametrize("path", sorted(REPO.glob("source/*/*.ipynb")), ids=lambda p: p.parent.name)
def test_source_notebooks_have_sound_nbgrader_metadata(path):
    """Are grade_ids unique, test cells locked with points, and solutions delimited?"""
    nb = json.loads(path.read_text())
    ids = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader")
        if not meta:
            continue
        ids.append(meta["grade_id"])
        if meta.get("grade"):
            assert meta["locked"] and meta["points"] > 0, meta
        if meta.get("solution") and cell["cell_type"] == "code":
            src = "".join(cell["source"])
            assert "### BEGIN SOLUTION" in src and "### END SOLUTION" in src, meta["grade_id"]
    assert len(ids) == len(set(ids)), "duplicate grade_ids"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert first_code["metadata"]["nbgrader"]["locked"], "the first code cell (setup) must be locked"


def _graded_names():
    names = set()
    for path in REPO.glob("source/*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and cell["cell_type"] == "code":
                tree = ast.parse(re.sub(r"^\s*%.*$", "", "".join(cell["source"]), flags=re.M))
                names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return names


def test_course_package_does_not_ship_the_solutions():
    """Does course/ avoid defining any function an exercise asks the student to write?"""
    graded = _graded_names()
    assert graded
    for path in (REPO / "course").rglob("*.py"):
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.col_offset == 0}
        assert not (defined & graded), f"{path.relative_to(REPO)} defines {sorted(defined & graded)}"
