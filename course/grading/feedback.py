"""Feedback that says which hidden test failed and why, without showing the hidden tests.

nbgrader's ``generate_feedback`` renders the autograded notebook, whose test cells hold
the hidden tests again (they are restored from the gradebook) and whose tracebacks quote
the failing line. :class:`HideHiddenTests` replaces each hidden block with one comment
line and cuts every traceback in a test cell down to its last line: the exception and the
test's own message (``AssertionError: mse is wrong on Python lists of length 7``).
"""
from __future__ import annotations

import re

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_HIDDEN = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
PLACEHOLDER = "# Hidden tests ran here. If one failed, its message is shown below."


def hide_hidden_tests(source: str) -> str:
    """The cell source with every hidden-test block replaced by :data:`PLACEHOLDER`."""
    source = _HIDDEN.sub(PLACEHOLDER, source)
    if BEGIN in source:  # an unterminated block: hide everything after its start
        source = source.split(BEGIN, 1)[0] + PLACEHOLDER
    return source


def short_error(output) -> list[str]:
    """The one line of an error worth showing a student: ``Name: message``."""
    name, value = output.get("ename", "Error"), _ANSI.sub("", str(output.get("evalue", "")))
    if name == "AssertionError" and not value:
        value = "a hidden test failed (it has no message)"
    return [f"{name}: {value}" if value else name]


class HideHiddenTests(Preprocessor):
    """Strip hidden tests and their tracebacks from graded cells before feedback is rendered."""

    enabled = Bool(True, help="On by default: feedback never shows hidden tests.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade"):
            cell.source = hide_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = short_error(output)
        return cell, resources
