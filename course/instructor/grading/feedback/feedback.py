"""Feedback that says which hidden test failed and why, safe to open in a browser.

nbgrader's ``generate_feedback`` renders the autograded notebook, whose test cells hold
the hidden tests again (they are restored from the gradebook) and whose tracebacks quote
the failing line. :class:`HideHiddenTests` replaces each hidden block with one comment
line and cuts every traceback in a test cell down to its last line: the exception and the
test's own message (``AssertionError: mse is wrong on Python lists of length 7``). :class:`SafeFeedback`
removes whatever in a student's notebook could run in the browser of whoever opens the page.
"""
from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import bleach
import nbgrader
from nbconvert.filters.markdown import markdown2html
from nbconvert.preprocessors import Preprocessor
from nbgrader.utils import is_grade
from traitlets import Bool

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_HIDDEN = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
PLACEHOLDER = "# Hidden tests ran here. If one failed, its message is shown below."
#: The feedback page's template: nbgrader's ``feedback``, saying the page's language (``<html lang="en">``).
TEMPLATE = "descent_feedback.html.j2"


def template_paths() -> list[str]:
    """Where nbconvert finds :data:`TEMPLATE`, then the stylesheet nbgrader's feedback page inlines."""
    bootstrap = Path(nbgrader.__file__).parent / "server_extensions/formgrader/static/node_modules/bootstrap/dist/css"
    return [str(files("course.instructor") / "templates"), str(bootstrap)]


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
        if cell.cell_type == "code" and is_grade(cell):
            cell.source = hide_hidden_tests(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = short_error(output)
        return cell, resources


_TAGS = set(bleach.ALLOWED_TAGS) | {"p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "img", "table", "thead",
                                     "tbody", "tr", "th", "td", "div", "span", "pre", "code", "sup", "sub", "del",
                                     "dl", "dt", "dd", "kbd", "details", "summary"}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "title", "alt", "align"):
        return True
    if tag == "a" and name == "href":
        return value.startswith(("http://", "https://", "mailto:", "#"))
    if tag == "img" and name == "src":
        return value.startswith(("https://", "data:image/png;base64,", "data:image/jpeg;base64,"))
    return tag == "img" and name in ("width", "height") and value.isdigit()


def clean_html(html: str) -> str:
    """``html`` with every tag, attribute and URL that could run code removed (bleach, an allow-list)."""
    return bleach.clean(html, tags=_TAGS, attributes=_allowed_attribute, protocols=["http", "https", "mailto", "data"],
                        strip=False)


#: Output types a feedback page may show. HTML and markdown are cleaned by the exporter
#: (``HTMLExporter.sanitize_html``); everything else (JavaScript, SVG, widgets) is dropped.
SAFE_OUTPUT_TYPES = ("text/plain", "text/html", "text/markdown", "image/png", "image/jpeg")
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def _safe_output(output) -> None:
    """Keep only what a feedback page can show safely; images only as base64, sizes only as numbers,
    text alternatives as text (the template escapes them)."""
    if "data" in output:
        data = output["data"]
        for key in list(data):
            value = data[key]
            keep = key in SAFE_OUTPUT_TYPES and isinstance(value, str)
            if keep and key.startswith("image/"):
                keep = bool(_BASE64.match(value))
            if not keep:
                del data[key]
        if not data:
            data["text/plain"] = "[an output that feedback does not show]"
        # A course figure's <img alt> copy of its PNG (course.figure_text) would be escaped by the
        # sanitizer; the page shows the PNG itself, with the same words from its alt metadata.
        png = data.get("image/png")
        if png and data.get("text/html", "").startswith(f'<img src="data:image/png;base64,{png}"'):
            del data["text/html"]
    metadata = output.get("metadata", {})
    if metadata:
        output["metadata"] = {key: {k: v for k, v in value.items()
                                    if (k in ("width", "height") and isinstance(v, (int, float)))
                                    or (k == "alt" and isinstance(v, str))}
                              for key, value in metadata.items()
                              if key.startswith("image/") and isinstance(value, dict)}


class SafeFeedback(Preprocessor):
    """Make a graded notebook safe to open as HTML: no student script runs in anyone's browser.

    Drops outputs the page would run or embed raw (JavaScript, SVG, widgets), keeps images
    only as base64, keeps numeric image sizes only, turns raw cells into plain text, and
    removes widget state. Markdown and HTML are cleaned by the exporter, which this course
    configures with ``HTMLExporter.sanitize_html = True``.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        nb.metadata.pop("descent", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "raw":
            cell.cell_type, cell.source = "markdown", "```\n" + cell.source.replace("```", "'''") + "\n```"
            cell.metadata.pop("raw_mimetype", None)
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
        cell.pop("attachments", None)
        if cell.cell_type == "markdown":  # nbgrader's feedback template renders markdown uncleaned
            cell.source = clean_html(markdown2html(cell.source))
        for output in cell.get("outputs", []):
            _safe_output(output)
        return cell, resources
