"""The compiled metadata check gives nbgrader's verdicts (no kernels here)."""
from __future__ import annotations

import copy

import nbformat
import pytest
from grading_harness import REPO
from nbgrader.nbgraderformat import MetadataValidator, ValidationError

from course.instructor.grading.stage.metadata_check import CheckCellMetadata, CompiledMetadataValidator


def _notebook():
    return nbformat.read(REPO / "source" / "01_loss_functions" / "loss_functions.ipynb", as_version=4)


def _broken(change) -> nbformat.NotebookNode:
    nb = _notebook()
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    change(cell.metadata.nbgrader)
    return nb


BREAKS = {
    "points as text": lambda m: m.update(points="ten"),
    "no grade id": lambda m: m.pop("grade_id"),
    "unknown key": lambda m: m.update(sneaky=True),
    "grade as text": lambda m: m.update(grade="yes"),
    "schema too old": lambda m: m.update(schema_version=1),
    "schema too new": lambda m: m.update(schema_version=9),
}


def _verdict(validator, nb) -> str:
    try:
        validator.validate_nb(copy.deepcopy(nb))
    except Exception as exc:  # noqa: BLE001 (the class is the verdict)
        return type(exc).__name__
    return "valid"


@pytest.mark.parametrize("name", ["intact", *BREAKS])
def test_the_compiled_check_agrees_with_nbgrader(name):
    """Does the compiled schema accept and refuse exactly what nbgrader's own validator does?"""
    nb = _notebook() if name == "intact" else _broken(BREAKS[name])
    stock = _verdict(MetadataValidator(), nb)
    assert _verdict(CompiledMetadataValidator(), nb) == stock
    assert (stock == "valid") == (name == "intact")


def test_the_preprocessor_refuses_a_corrupted_notebook_as_nbgrader_does():
    with pytest.raises(ValidationError, match="nbgrader metadata may be corrupted"):
        CheckCellMetadata().preprocess(_broken(BREAKS["points as text"]), {})
    nb = _notebook()
    assert CheckCellMetadata().preprocess(nb, {})[0] is nb
