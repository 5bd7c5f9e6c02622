"""grading/feedback/py: feedback pages show why a hidden test failed, never its code,
and run nothing a student wrote."""
from __future__ import annotations

import base64
import copy

import nbformat
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from course.figure_text import figure_bundle
from course.instructor.grading.feedback.feedback import (
    BEGIN,
    END,
    PLACEHOLDER,
    HideHiddenTests,
    SafeFeedback,
    clean_html,
    hide_hidden_tests,
    short_error,
)

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(40)).decode("ascii")
SECRET = "assert mse([1, 2], [1, 2]) == 0  # the hidden input"


def _graded(source: str, outputs=(), grade: bool = True) -> "nbformat.NotebookNode":
    cell = new_code_cell(source, outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": grade, "grade_id": "test_mse", "points": 2, "solution": False,
                                 "locked": True, "schema_version": 3}
    return cell


# --- hidden tests --------------------------------------------------------------------

def test_every_hidden_block_becomes_one_placeholder_line():
    """Are all hidden blocks of a cell replaced, and the visible lines around them kept?"""
    source = f"check('mse')\n{BEGIN}\n{SECRET}\n{END}\nprint('between')\n{BEGIN}\nassert 1 == 1\n{END}"
    assert hide_hidden_tests(source) == f"check('mse')\n{PLACEHOLDER}\nprint('between')\n{PLACEHOLDER}"


def test_an_unterminated_hidden_block_hides_the_rest_of_the_cell():
    """Without its END line, is everything from BEGIN on hidden?"""
    assert hide_hidden_tests(f"visible = 1\n{BEGIN}\n{SECRET}\nmore = 2") == f"visible = 1\n{PLACEHOLDER}"


def test_an_error_shrinks_to_its_name_and_message_without_colour_codes():
    """Is an error shown as 'Name: message', ANSI colours removed, and a bare assert explained?"""
    coloured = {"ename": "AssertionError", "evalue": "\x1b[0;31mmse is wrong on lists of length 7\x1b[0m"}
    assert short_error(coloured) == ["AssertionError: mse is wrong on lists of length 7"]
    assert short_error({"ename": "AssertionError", "evalue": ""}) == [
        "AssertionError: a hidden test failed (it has no message)"]
    assert short_error({"ename": "KeyboardInterrupt", "evalue": ""}) == ["KeyboardInterrupt"]


def test_graded_cells_lose_hidden_code_and_tracebacks_other_cells_are_untouched():
    """In a notebook, are graded cells' hidden tests and traceback lines removed, and only theirs?"""
    error = new_output("error", ename="AssertionError", evalue="mse is wrong",
                       traceback=["Traceback (most recent call last):", f"----> 3 {SECRET}",
                                  "AssertionError: mse is wrong"])
    graded = _graded(f"{BEGIN}\n{SECRET}\n{END}", [error])
    ungraded = _graded(f"{BEGIN}\nx = 1\n{END}", [copy.deepcopy(error)], grade=False)
    student = new_code_cell(f"# I copied: {BEGIN}", outputs=[copy.deepcopy(error)])
    nb = new_notebook(cells=[graded, ungraded, student])
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert nb.cells[0].source == PLACEHOLDER and SECRET not in str(nb.cells[0])
    assert nb.cells[0].outputs[0].traceback == ["AssertionError: mse is wrong"]
    assert nb.cells[1] == ungraded and nb.cells[2] == student


# --- nothing runs in the browser -----------------------------------------------------

def test_clean_html_removes_scripts_handlers_and_unsafe_urls_keeps_formatting():
    """Are script tags, event handlers and javascript:/data:text URLs gone, and tables, code and safe links kept?"""
    dirty = ("<script>alert('pwned')</script><b onclick=\"steal()\">bold</b>"
             "<a href=\"javascript:steal()\">x</a><a href=\"https://example.org/page\">ok</a>"
             f"<img src=\"data:text/html;base64,PHNjcmlwdD4=\"><img src=\"data:image/png;base64,{PNG}\" width=\"40\">"
             "<img src=\"https://example.org/a.png\" width=\"100%\" onerror=\"steal()\">"
             "<table><tr><td><code>x</code></td></tr></table><iframe src=\"https://evil.example\"></iframe>")
    clean = clean_html(dirty)
    for gone in ("<script", "onclick", "javascript:", "data:text/html", "onerror", "<iframe", 'width="100%"'):
        assert gone not in clean, gone
    for kept in ("<b>bold</b>", 'href="https://example.org/page"', f'src="data:image/png;base64,{PNG}" width="40"',
                 'src="https://example.org/a.png"', "<table>", "<code>x</code>"):
        assert kept in clean, kept


def test_outputs_keep_only_what_a_page_can_show_safely():
    """Are JavaScript, SVG, widget and non-base64 image outputs dropped, with a note where nothing is left?"""
    outputs = [
        new_output("display_data", data={"application/javascript": "steal()", "text/plain": "<Widget>",
                                         "application/vnd.jupyter.widget-view+json": {"model_id": "abc"}}),
        new_output("display_data", data={"image/svg+xml": "<svg onload='steal()'/>"}),
        new_output("display_data", data={"image/png": PNG, "text/html": "<p>plot</p>"},
                   metadata={"image/png": {"width": 400, "height": "100\" onload=\"steal()"}, "scripts": {"x": 1}}),
        new_output("display_data", data={"image/png": "<img src=x onerror=steal()>"}),
        new_output("stream", name="stdout", text="printed\n"),
        new_output("display_data", data=figure_bundle(PNG, 'Loss falls "fast"')[0],
                   metadata={"image/png": {"alt": 'Loss falls "fast"', "onload": "steal()"}}),
    ]
    nb = new_notebook(cells=[new_code_cell("show()", outputs=outputs)])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["descent"] = {"answer_socket": "/tmp/x"}
    nb, _ = SafeFeedback().preprocess(nb, {})
    shown = nb.cells[0].outputs
    assert shown[0].data == {"text/plain": "<Widget>"}
    assert shown[1].data == {"text/plain": "[an output that feedback does not show]"}
    assert shown[2].data == {"image/png": PNG, "text/html": "<p>plot</p>"}
    assert shown[2].metadata == {"image/png": {"width": 400}}
    # a course figure: its PNG with the words as alt (the <img> copy would be escaped into text)
    assert shown[5].data == {"image/png": PNG, "text/plain": 'Loss falls "fast"'}
    assert shown[5].metadata == {"image/png": {"alt": 'Loss falls "fast"'}}
    assert shown[3].data == {"text/plain": "[an output that feedback does not show]"}
    assert shown[4].text == "printed\n"
    assert "widgets" not in nb.metadata and "descent" not in nb.metadata


def test_markdown_is_rendered_clean_and_raw_cells_become_plain_text():
    """Is a markdown cell's script removed (its text kept), a raw cell shown as text, attachments dropped?"""
    markdown = new_markdown_cell("**Answer**: see <script>steal()</script> below")
    markdown["attachments"] = {"a.png": {"image/png": PNG}}
    raw = new_raw_cell("<script>steal()</script>\n```\nfenced```")
    raw.metadata["raw_mimetype"] = "text/html"
    nb, _ = SafeFeedback().preprocess(new_notebook(cells=[markdown, raw]), {})
    md, text = nb.cells
    assert "<strong>Answer</strong>" in md.source and "<script>" not in md.source and "attachments" not in md
    assert text.cell_type == "markdown" and "raw_mimetype" not in text.metadata
    # one code block holding the raw text, escaped; a fence inside it cannot close the block early
    assert text.source == "<pre><code>&lt;script&gt;steal()&lt;/script&gt;\n'''\nfenced'''\n</code></pre>\n"


def test_a_rendered_feedback_page_shows_a_figure_with_its_words():
    """Does a course figure reach the feedback page as its PNG with its text alternative as alt, not as escaped HTML?"""
    from nbconvert import HTMLExporter

    data, metadata = figure_bundle(PNG, "Loss against step: rate 0.5 falls, 1.05 grows")
    figure = new_output("display_data", data=data, metadata=metadata)
    nb, resources = SafeFeedback().preprocess(new_notebook(cells=[new_code_cell("plot()", outputs=[figure])]), {})
    page, _ = HTMLExporter(template_name="classic", sanitize_html=True).from_notebook_node(nb, resources)
    images = [img.attrs for img in BeautifulSoup(page, features="html.parser").find_all("img")]
    assert images == [{"src": f"data:image/png;base64,{PNG}", "alt": "Loss against step: rate 0.5 falls, 1.05 grows"}]
    assert "&lt;img" not in page


def test_a_rendered_feedback_page_holds_no_student_script_and_no_hidden_test():
    """Rendered to HTML as feedback is (both steps, sanitising exporter), is every planted payload gone?"""
    from nbconvert import HTMLExporter

    error = new_output("error", ename="AssertionError", evalue="<script>steal('e')</script>",
                       traceback=[f"----> 1 {SECRET}"])
    nb = new_notebook(cells=[
        new_markdown_cell("<img src=x onerror=\"steal('md')\"> text"),
        _graded(f"{BEGIN}\n{SECRET}\n{END}", [error]),
        new_code_cell("x", outputs=[new_output("display_data", data={"text/html": "<script>steal('html')</script>",
                                                                     "application/javascript": "steal('js')"})]),
        new_raw_cell("<script>steal('raw')</script>"),
    ])
    nb, resources = HideHiddenTests().preprocess(nb, {})
    nb, resources = SafeFeedback().preprocess(nb, resources)
    exporter = HTMLExporter(template_name="classic", sanitize_html=True)
    page, _ = exporter.from_notebook_node(nb, resources)
    assert "mse([1, 2]" not in page and PLACEHOLDER in page
    # what would run: a script element, a handler attribute, the JavaScript output itself
    for payload in ("<script>steal", "onerror=", "steal('js')"):
        assert payload not in page, payload
    # what a student wrote stays readable, as text
    for text in ("&lt;script&gt;steal('html')", "&lt;script&gt;steal('raw')", "&lt;script&gt;steal('e')"):
        assert text in page, text
