"""The course in a real browser: JupyterLab served on 127.0.0.1, driven in headless Chromium.

Students run every release notebook with Run > Run All Cells; only the checks of exercises
they have not written yet may fail, and the plots show. The learning-rate slider redraws its
figure, and nbgrader's formgrader lists the assignments for the instructor.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright`` package; skipped
without them. Screenshots go to ``tests/artifacts/``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[1]
# Which course to serve: the repository, or another course root (to try unreleased work).
COURSE = Path(os.environ.get("DESCENT_BROWSER_COURSE", REPO))
ARTIFACTS = REPO / "tests" / "artifacts"
RELEASE_NOTEBOOKS = sorted(COURSE.glob("release/*/*.ipynb"))
LEARNING_RATE = Path("release/03_learning_rate/learning_rate.ipynb")
NOT_WRITTEN = "is not written yet"
STDERR = "application/vnd.jupyter.stderr"

from lab_browser import CHROMIUM  # noqa: E402

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

if sync_playwright is None:
    pytestmark.append(pytest.mark.skip(reason="playwright is not installed (pip install playwright)"))
elif not CHROMIUM.exists():
    pytestmark.append(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))

from lab_browser import (CHROMIUM_ARGS, close_everything, code_cells, open_notebook, run_cells,  # noqa: E402
                         run_menu, wait_until_settled)
from lab_server import LabServer, scratch_course, start_lab  # noqa: E402


# --- fixtures: one server and one browser for the whole file ----------------------------------

@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a scratch copy of the course (nothing is written in the repo)."""
    scratch = tmp_path_factory.mktemp("lab")
    server = start_lab(scratch_course(COURSE, scratch / "course"), scratch / "home")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One JupyterLab page for the whole file (loading JupyterLab's code costs seconds)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(lab.url("lab?reset"))  # reset: no tabs restored from an earlier session
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
    page.evaluate("() => window.jupyterapp.started")
    yield page
    context.close()


@pytest.fixture
def page(lab_page, lab, request):
    """The JupyterLab page with no tabs open; afterwards tabs are saved and closed, kernels stopped."""
    failed_before = request.session.testsfailed
    yield lab_page
    if request.session.testsfailed > failed_before:
        _screenshot(lab_page, f"failed-{request.node.name}")
    close_everything(lab_page, lab)


def _screenshot(page: "Page", name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def error_outputs(page: "Page") -> list[tuple[int, str]]:
    """(code cell index, text shown) of every code cell whose outputs hold an error.

    Which outputs are errors (not warnings on stderr) is read from the notebook's model;
    the text is what the page shows in that cell's error and stderr outputs.
    """
    failed = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
        .filter(cell => cell.model.type === 'code')
        .map(cell => cell.model.outputs.toJSON().some(out => out.output_type === 'error'))""")
    cells = code_cells(page)
    return [(i, "\n".join(cells.nth(i).locator(f".jp-OutputArea-output[data-mime-type='{STDERR}']")
                           .all_inner_texts()))
            for i, bad in enumerate(failed) if bad]


def png_images(page: "Page") -> int:
    """How many output images on the page are data: PNGs that the browser decoded."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output img')]
        .filter(img => img.src.startsWith('data:image/png') && img.complete && img.naturalWidth > 0)
        .length""")


def _cell_roles(notebook: dict) -> list[tuple[str, str]]:
    """For each code cell: ("solution" | "test" | "other", its nbgrader grade_id or "")."""
    roles = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            meta = cell.get("metadata", {}).get("nbgrader", {})
            role = "solution" if meta.get("solution") else "test" if meta.get("grade") else "other"
            roles.append((role, meta.get("grade_id", "")))
    return roles


def unexpected_errors(notebook: dict, errors: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The errors that are not those of an exercise the student has not done yet.

    Expected: a solution stub's NotImplementedError (a value exercise's stub raises when its
    cell runs); a check cell that says its function "is not written yet"; and the check cell
    of an exercise whose stub raised (a value exercise's check finds no value to check).
    """
    roles = _cell_roles(notebook)
    stubs = {roles[i][1] for i, text in errors
             if roles[i][0] == "solution" and "NotImplementedError" in text}
    unexpected = []
    for i, text in errors:
        role, grade_id = roles[i]
        if role == "solution" and grade_id in stubs:
            continue
        if role == "test" and (NOT_WRITTEN in text or grade_id.removeprefix("test_") in stubs):
            continue
        unexpected.append((i, text[:300]))
    return unexpected


def _has_plots(notebook: dict) -> bool:
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return bool(re.search(r"\bplots?\.|\bplt\.|Demo\(|Explorer\(|\.plot\(", code))


# --- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", RELEASE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_release_notebook_runs_in_jupyterlab(page, path):
    """Does Run All in JupyterLab give errors only in unwritten exercises' checks, and show the plots?"""
    relpath = path.relative_to(COURSE)
    notebook = json.loads(path.read_text())
    open_notebook(page, relpath)
    run_every_cell(page, notebook)
    _screenshot(page, f"release-{path.parent.name}")

    errors = error_outputs(page)
    unexpected = unexpected_errors(notebook, errors)
    assert not unexpected, f"cells failed other than unfinished exercises: {unexpected}"
    if any(role == "test" for role, _ in _cell_roles(notebook)):
        assert any(NOT_WRITTEN in text for _, text in errors), "no check cell said 'not written yet'"
    if _has_plots(notebook):
        assert png_images(page) >= 1, "the notebook draws plots but no PNG image is shown"


def _learning_rate_widget(page: "Page"):
    """The output area of the learning-rate demo: the one with a 'learning rate' slider and an image."""
    widget = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".widget-slider", has=page.locator(".widget-label", has_text="learning rate"))
    ).filter(has=page.locator(".widget-image")).first
    widget.scroll_into_view_if_needed()
    return widget


def _image_digest(image) -> str:
    data = image.evaluate("""async img => {
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        return Array.from(bytes, b => String.fromCharCode(b)).join('');
    }""")
    return hashlib.sha256(data.encode("latin-1")).hexdigest()


def test_learning_rate_slider_redraws_and_names_divergence(page):
    """Past 2/f'' on the slider, does the figure change and the demo say 'diverging'?"""
    if not (COURSE / LEARNING_RATE).exists():
        pytest.skip(f"{LEARNING_RATE} is not released yet")
    notebook = json.loads((COURSE / LEARNING_RATE).read_text())
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    setup = [i for i, src in enumerate(code) if "course.setup()" in src][:1]
    demo = [i for i, src in enumerate(code) if "LearningRateDemo(" in src][:1]
    assert setup and demo, "the notebook has no setup cell or no LearningRateDemo(...) cell"
    open_notebook(page, LEARNING_RATE)
    run_cells(page, setup + demo)
    widget = _learning_rate_widget(page)
    image = widget.locator(".widget-image").first
    text = widget.locator(".widget-html").first
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    before = _image_digest(image)
    assert "diverging" not in text.inner_text()
    _screenshot(page, "learning-rate-before")

    # The default function is (x - 3)^2, f'' = 2, so 2/f'' = 1; End moves the slider to its max, 1.2.
    slider = widget.locator(".widget-slider", has=page.locator(".widget-label", has_text="learning rate"))
    slider.locator(".noUi-handle").focus()
    page.keyboard.press("End")
    readout = slider.locator(".widget-readout")
    page.wait_for_function("el => parseFloat(el.textContent) > 1.0", arg=readout.element_handle())
    page.wait_for_function("el => el.textContent.includes('diverging')", arg=text.element_handle(),
                           timeout=15_000)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    _screenshot(page, "learning-rate-diverging")
    assert _image_digest(image) != before, "the figure did not change when the learning rate did"
    assert "diverging" in text.inner_text()


def test_formgrader_lists_the_assignments(page, lab):
    """Does nbgrader's formgrader open from JupyterLab's Nbgrader menu and list every assignment?"""
    assignments = sorted(p.name for p in (COURSE / "source").iterdir() if any(p.glob("*.ipynb")))
    run_menu(page, "Nbgrader", "nbgrader:open-formgrader")
    frame = page.frame_locator("iframe[src*='formgrader']").first
    for name in assignments:
        frame.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
    _screenshot(page, "formgrader")
