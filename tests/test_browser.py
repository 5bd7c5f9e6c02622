"""The course in a real browser: JupyterLab served on 127.0.0.1, driven in headless Chromium.

A student's JupyterLab (``release/student_lab_config.py``): Run > Run All Cells reaches the last
cell of every release notebook before any exercise is done, the checks say what is missing
without stopping the run, plots show, each with a text alternative, no picture is stretched, and
axe-core finds no WCAG 2.1 A/AA violation in the output areas. A student types a right and a
wrong answer and reads the check, then presses Validate. The learning-rate slider redraws its
figure quickly, and the student sees no instructor tools and no exchange errors, while the
instructor's JupyterLab at the course root keeps nbgrader's formgrader. The student's Lab loads the
feedback notice the student wheel installs (``labextension/built/``), which, with no Assignments panel
here, asks the server nothing.

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and the ``playwright`` package; skipped
without them. Screenshots go to ``tests/artifacts/``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import statistics
from pathlib import Path

import pytest
from lab_browser import browser_marks

pytestmark = browser_marks()

REPO = Path(__file__).resolve().parents[1]
# Which course to serve: the repository, or another course root (to try unreleased work).
COURSE = Path(os.environ.get("DESCENT_BROWSER_COURSE", REPO))
ARTIFACTS = REPO / "tests" / "artifacts"
RELEASE = COURSE / "release"
RELEASE_NOTEBOOKS = sorted(RELEASE.glob("*/*.ipynb"))
LEARNING_RATE = Path("03_learning_rate/learning_rate.ipynb")
PARABOLA = Path("02_parabola_descent/parabola_descent.ipynb")
NOT_WRITTEN = "is not written yet"
STDERR = "application/vnd.jupyter.stderr"
#: Slider to picture: the benchmark's target is 100 ms (tests/benchmarks/bench_slider_browser.py);
#: the tests fail past this median, a margin for a machine that other jobs load (medians of 100-260 ms
#: seen at load averages 5-11 on 2 cores). Redrawing a whole figure per move took 560-1220 ms there.
SLIDER_GUARD_MS = 400.0

try:
    from playwright.sync_api import Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine (browser_marks skips the module)
    Page = sync_playwright = None

import axe  # noqa: E402
from lab_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    close_everything,
    code_cells,
    open_notebook,
    run_all,
    run_cells,
    run_menu,
    slider_latencies,
)
from lab_server import scratch_course, start_lab  # noqa: E402

from course.figure_text import PLACEHOLDER  # noqa: E402

# --- fixtures: one browser; the student's and the instructor's JupyterLab --------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch copy of the course (nothing is written in the repository)."""
    return scratch_course(COURSE, tmp_path_factory.mktemp("lab") / "course")


@pytest.fixture(scope="module")
def student_lab(course, tmp_path_factory):
    """The student's JupyterLab, started as the README says, from the course root, with the Lab extension
    the student wheel installs (the committed build, in a data folder of its own)."""
    from course.instructor.lab_notice import BUILT, SOURCE, extension_name

    release = course / "release"
    data = tmp_path_factory.mktemp("student-data")
    shutil.copytree(REPO / SOURCE / BUILT, data / "labextensions" / extension_name(REPO))
    server = start_lab(release, tmp_path_factory.mktemp("student-home"),
                       config=release / "student_lab_config.py", cwd=course, data=data)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _lab_page(browser, lab):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(lab.url("lab?reset"))  # reset: no tabs restored from an earlier session
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
    page.evaluate("() => window.jupyterapp.started")
    return context, page


@pytest.fixture(scope="module")
def student_page(browser, student_lab):
    """One JupyterLab page for the module (loading JupyterLab's code costs seconds)."""
    context, page = _lab_page(browser, student_lab)
    yield page
    context.close()


@pytest.fixture
def page(student_page, student_lab, request):
    """The student's page with no tabs open; afterwards tabs are saved and closed, kernels stopped."""
    failed_before = request.session.testsfailed
    yield student_page
    if request.session.testsfailed > failed_before:
        _screenshot(student_page, f"failed-{request.node.name}")
    close_everything(student_page, student_lab)


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


def stretched_images(page: "Page") -> list[str]:
    """Every shown output image whose displayed aspect ratio differs from its picture's by over 2%."""
    return page.evaluate("""async () => {
        const images = [...document.querySelectorAll('.jp-OutputArea-output img')];
        await Promise.all(images.map(img => img.decode().catch(() => null)));
        return images.filter(img => img.naturalWidth > 0 && img.clientWidth > 0)
            .filter(img => Math.abs((img.clientWidth / img.clientHeight)
                                    / (img.naturalWidth / img.naturalHeight) - 1) > 0.02)
            .map(img => `${img.naturalWidth}x${img.naturalHeight} shown ${img.clientWidth}x${img.clientHeight}`);
    }""")


def unnamed_images(page: "Page") -> list[str]:
    """Every shown output image whose text alternative (alt, else title) is missing, short or a placeholder."""
    return page.evaluate("""placeholder => [...document.querySelectorAll('.jp-OutputArea-output img')]
        .filter(img => img.getClientRects().length > 0)
        .map(img => img.getAttribute('alt') || img.getAttribute('title') || '')
        .filter(text => text.split(/\\s+/).filter(Boolean).length < 5 || text.includes(placeholder))""",
                         PLACEHOLDER)


def _cell_roles(notebook: dict) -> list[tuple[str, str]]:
    """For each code cell: ("solution" | "test" | "other", its nbgrader grade_id or "")."""
    roles = []
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            meta = cell.get("metadata", {}).get("nbgrader", {})
            role = "solution" if meta.get("solution") else "test" if meta.get("grade") else "other"
            roles.append((role, meta.get("grade_id", "")))
    return roles


def _has_plots(notebook: dict) -> bool:
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return bool(re.search(r"\bplots?\.|\bplt\.|Demo\(|Explorer\(|\.plot\(", code))


# --- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", RELEASE_NOTEBOOKS, ids=lambda p: p.parent.name)
def test_run_all_reaches_the_last_cell(page, path):
    """Before any exercise is done, does one Run All run every code cell, with plots, unstretched?"""
    relpath = path.relative_to(RELEASE)
    notebook = json.loads(path.read_text())
    open_notebook(page, relpath)
    ran = run_all(page, notebook)
    _screenshot(page, f"release-{path.parent.name}")
    assert all(ran), f"Run All stopped: code cells {[i for i, done in enumerate(ran) if not done]} never ran"

    # The only errors: a value exercise's stub (tagged raises-exception, so the run goes on).
    tagged = [i for i, cell in enumerate(c for c in notebook["cells"] if c["cell_type"] == "code")
              if "raises-exception" in cell.get("metadata", {}).get("tags", [])]
    errors = error_outputs(page)
    assert [i for i, _ in errors if i not in tagged] == [], f"cells failed: {errors}"
    if any(role == "test" for role, _ in _cell_roles(notebook)):
        shown = page.locator(".jp-OutputArea-output").all_inner_texts()
        assert any(text.startswith("\u2717") and NOT_WRITTEN in text for text in shown), \
            "no check said (with \u2717) that its exercise is not written yet"
    if _has_plots(notebook):
        assert png_images(page) >= 1, "the notebook draws plots but no PNG image is shown"
    assert stretched_images(page) == []
    assert unnamed_images(page) == [], "pictures without a text alternative that says what they show"
    problems = axe.violations(page, ".jp-OutputArea")
    assert problems == [], "axe-core, WCAG 2.1 A/AA, in the output areas:\n" + axe.summary(problems)
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    for i in [i for i, src in enumerate(code) if "Explorer(" in src]:  # the slider widgets of 07 and 08
        area = code_cells(page).nth(i).locator(".jp-OutputArea").first
        area.scroll_into_view_if_needed()
        if "check.ready" in code[i] and area.locator(".widget-slider").count() == 0:
            continue  # an explorer that waits for the student's functions (07's): nothing to move yet
        label = area.locator(".widget-slider .widget-label").first.inner_text()
        times = slider_latencies(page, area, label, 6)
        print(f"{path.parent.name} cell {i}, slider {label!r}: median {statistics.median(times):.0f} ms")
        assert statistics.median(times) < SLIDER_GUARD_MS, f"slider {label!r}: {times} ms"


def _type_into_cell(page: "Page", index: int, code: str) -> None:
    """Click into code cell ``index``, select all its text and type ``code`` over it, as a student does."""
    editor = code_cells(page).nth(index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    page.keyboard.press("Escape")


def test_student_sees_tick_named_mistake_and_validates(page):
    """Right answer: a tick. Wrong slope 2x: that mistake by name. Validate: the failing checks listed."""
    notebook = json.loads((RELEASE / PARABOLA).read_text())
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
           for c in notebook["cells"] if c["cell_type"] == "code"]
    open_notebook(page, PARABOLA)
    # outputs saved by an earlier run (the Run All test) are not this student's
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    run_cells(page, [ids.index("setup")])
    _type_into_cell(page, ids.index("parabola"), "def parabola(x): return (x - 3) ** 2")
    _type_into_cell(page, ids.index("parabola_grad"), "def parabola_grad(x): return 2 * x")
    run_cells(page, [ids.index(name) for name in ("parabola", "test_parabola", "parabola_grad", "test_parabola_grad")])
    right = code_cells(page).nth(ids.index("test_parabola")).locator(".jp-OutputArea").inner_text()
    wrong = code_cells(page).nth(ids.index("test_parabola_grad")).locator(".jp-OutputArea").inner_text()
    _screenshot(page, "student-check-results")
    assert right.strip().startswith("\u2713 parabola") and "more tests run at grading" in right
    assert wrong.strip().startswith("\u2717 parabola_grad") and "2x, the slope of x^2" in wrong
    assert error_outputs(page) == [], "a failing check stopped the notebook"

    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.locator(".jp-Toolbar-item", has_text="Validate").first.click()
    dialog = page.locator(".jp-Dialog-content")
    dialog.wait_for(timeout=300_000)  # Validate runs the whole notebook in a new kernel
    report = dialog.inner_text()
    _screenshot(page, "student-validate")
    assert "2x, the slope of x^2" in report, report[:2000]
    assert NOT_WRITTEN in report and "parabola_grad" in report
    page.keyboard.press("Escape")


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


def test_learning_rate_slider_redraws_fast_unstretched_and_names_divergence(page):
    """Does the slider redraw quickly, the figure keep its shape, and past 2/f'' the demo say 'diverging',
    in its numbers and in its picture's text alternative? Is the slider's handle named after its label?"""
    notebook = json.loads((RELEASE / LEARNING_RATE).read_text())
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
    assert stretched_images(page) == [], "the explorer's figure is stretched"
    before = _image_digest(image)
    assert "diverging" not in text.inner_text()
    _screenshot(page, "learning-rate-before")

    times = slider_latencies(page, widget, "learning rate", 10)
    median = statistics.median(times)
    print(f"learning-rate slider to picture: median {median:.0f} ms, worst {max(times):.0f} ms")
    assert median < SLIDER_GUARD_MS, f"slider to picture takes {median:.0f} ms (median of 10 moves)"

    # The default function is (x - 3)^2, f'' = 2, so 2/f'' = 1; End moves the slider to its max, 1.2.
    slider = widget.locator(".widget-slider", has=page.locator(".widget-label", has_text="learning rate"))
    # a screen reader names the handle as its label says: "learning rate, 0.05", not "slider, 0.05"
    assert slider.locator(".noUi-handle").get_attribute("aria-label") == "learning rate"
    assert "learning rate 0.05" in widget.locator(".widget-image").first.get_attribute("title")
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
    page.wait_for_function("img => img.title.includes('diverging')", arg=image.element_handle())
    assert stretched_images(page) == []


NBGRADER_INSTRUCTOR = ["nbgrader:open-formgrader", "nbgrader:open-create-assignment",
                       "nbgrader:open-assignment-list", "nbgrader:open-course-list"]
HAS_COMMANDS = "ids => ids.map(id => window.jupyterapp.commands.hasCommand(id))"


def test_student_lab_shows_student_tools_only_and_no_errors(page):
    """No Formgrader, Create Assignment or exchange panels, no 'exchange' or 'Error' text; Validate stays. The
    feedback notice is loaded, and without the Assignments panel has asked nbgrader for no assignment list."""
    page.locator(".jp-DirListing-item").first.wait_for()
    assert page.evaluate(HAS_COMMANDS, NBGRADER_INSTRUCTOR) == [False] * 4
    assert page.evaluate("() => window.jupyterapp.isPluginActivated('descent-feedback-notice:plugin')")
    assert page.evaluate(ASKED_FOR_ASSIGNMENTS) == []
    assert page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").count() == 0
    assert _lab_text_problems(page) == []
    open_notebook(page, LEARNING_RATE)
    assert page.locator(".jp-Toolbar-item", has_text="Validate").count() == 1
    assert _lab_text_problems(page) == []
    _screenshot(page, "student-lab")


#: The page's requests for nbgrader's assignment list (the feedback notice's, the Assignments panel's).
ASKED_FOR_ASSIGNMENTS = """() => performance.getEntriesByType('resource').map(e => e.name)
    .filter(name => new URL(name).pathname.endsWith('/assignments'))"""


def _lab_text_problems(page: "Page") -> list[str]:
    """Lines of JupyterLab's own text (notebook content left out: a stub's code says NotImplementedError)
    that mention "exchange" or "Error"."""
    text = page.evaluate("""() => {
        const copy = document.body.cloneNode(true);
        copy.querySelectorAll('.jp-Notebook, script, style').forEach(node => node.remove());
        return copy.innerText || copy.textContent;
    }""")
    return [line for line in text.splitlines() if "exchange" in line.lower() or "Error" in line]


def test_instructor_lab_keeps_formgrader(browser, course, tmp_path_factory):
    """At the course root, does nbgrader's formgrader open from its menu and list every assignment?"""
    lab = start_lab(course, tmp_path_factory.mktemp("instructor-home"))
    context, page = _lab_page(browser, lab)
    try:
        assert page.evaluate(HAS_COMMANDS, NBGRADER_INSTRUCTOR) == [True] * 4
        assignments = sorted(p.name for p in (course / "source").iterdir() if any(p.glob("*.ipynb")))
        run_menu(page, "Nbgrader", "nbgrader:open-formgrader")
        frame = page.frame_locator("iframe[src*='formgrader']").first
        for name in assignments:
            frame.get_by_text(name, exact=True).first.wait_for(timeout=30_000)
        _screenshot(page, "formgrader")
    finally:
        context.close()
        lab.stop()
