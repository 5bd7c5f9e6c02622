"""Driving JupyterLab in a real browser (Playwright): shared by the browser tests and benchmarks."""
from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def browser_marks() -> list:
    """A browser test module's pytest marks: slow and browser, and a skip without Playwright or Chromium."""
    import pytest

    marks = [pytest.mark.slow, pytest.mark.browser]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the machine
        marks.append(pytest.mark.skip(reason="playwright is not installed (pip install playwright)"))
    else:
        if not CHROMIUM.exists():
            marks.append(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"))
    return marks


def in_chromium(test):
    """Mark the test ``test`` with :func:`browser_marks`."""
    for mark in browser_marks():
        test = mark(test)
    return test


# --- driving a notebook in JupyterLab ---------------------------------------------------------

def open_notebook(page: "Page", relpath: Path) -> None:
    """Open ``relpath`` in JupyterLab (File > Open, by its command) and wait until its kernel is idle."""
    page.evaluate("path => window.jupyterapp.commands.execute('docmanager:open', {path})",
                  relpath.as_posix())
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    wait_until_settled(page, timeout=90)


def wait_until_settled(page: "Page", timeout: float = 120) -> None:
    """Wait until the kernel reports Idle and no cell is queued or running, twice in a row."""
    script = """() => {
        const status = document.querySelector('.jp-StatusBar-Widget')?.textContent || '';
        const prompts = [...document.querySelectorAll('.jp-Notebook .jp-InputArea-prompt')];
        return status.includes('| Idle') && !prompts.some(p => p.textContent.includes('*'));
    }"""
    deadline = time.monotonic() + timeout
    calm = 0
    while calm < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the notebook did not finish within {timeout:.0f} s")
        calm = calm + 1 if page.evaluate(script) else 0
        page.wait_for_timeout(300)


def run_menu(page: "Page", menu: str, command: str) -> None:
    """Click ``menu`` in the menu bar, then its entry for the JupyterLab ``command``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def code_cells(page: "Page"):
    return page.locator(".jp-Notebook .jp-Cell.jp-CodeCell")


def run_all(page: "Page", notebook: dict, timeout: float = 180) -> list[bool]:
    """Run > Run All Cells once and wait until the kernel is done; for each code cell, did it run?

    A cell ran when its prompt shows an execution count; an empty cell counts as run.
    """
    sources = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    run_menu(page, "Run", "runmenu:run-all")
    wait_until_settled(page, timeout=timeout)
    prompts = code_cells(page).locator(".jp-InputArea-prompt").all_inner_texts()
    assert len(prompts) == len(sources), "the page shows a different number of code cells"
    return [bool(re.search(r"\[\d+\]", p)) or not "".join(s).strip() for p, s in zip(prompts, sources)]


def run_cells(page: "Page", indices: list[int]) -> None:
    """Run the code cells at ``indices``, one at a time (Run > Run Selected Cell and Do not Advance)."""
    for index in indices:
        code_cells(page).nth(index).locator(".jp-InputArea-prompt").click()
        run_menu(page, "Run", "notebook:run-cell")
        wait_until_settled(page)


def close_everything(page: "Page", lab) -> None:
    """Save and close every tab, then shut down every kernel of ``lab`` (no dialog asks)."""
    page.evaluate("""async () => {
        const app = window.jupyterapp;
        for (const widget of [...app.shell.widgets('main')]) {
            if (widget.context) { await widget.context.save(); }
            widget.close();
        }
    }""")
    with urllib.request.urlopen(lab.url("api/sessions"), timeout=10) as reply:
        sessions = json.load(reply)
    for session in sessions:
        request = urllib.request.Request(lab.url(f"api/sessions/{session['id']}"), method="DELETE")
        urllib.request.urlopen(request, timeout=10).close()


#: Arms a promise in the page: it resolves to the milliseconds from the next key press to the
#: moment the next changed image inside ``area`` is decoded.
ARM = """area => {
    const images = () => [...area.querySelectorAll('img')];
    const before = new Map(images().map(img => [img, img.src]));
    window.__sliderLatency = new Promise(resolve => {
        let pressed = null;
        setTimeout(() => resolve(null), 15000);  // no new picture: reported as a failed move
        document.addEventListener('keydown', () => { pressed = performance.now(); },
                                  {capture: true, once: true});
        const observer = new MutationObserver(() => {
            const changed = images().find(img => before.get(img) !== img.src && img.src);
            if (!changed || pressed === null) { return; }
            observer.disconnect();
            const done = () => resolve(performance.now() - pressed);
            changed.decode().then(done, done);
        });
        observer.observe(area, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    });
}"""
IDLE = "() => (document.querySelector('.jp-StatusBar-Widget')?.textContent || '').includes('| Idle')"


def slider_latencies(page: "Page", area, label: str, moves: int) -> list[float]:
    """Milliseconds from key press to decoded picture, for ``moves`` arrow-key moves of a slider.

    ``area`` holds the widget; the slider is the one labelled exactly ``label``. The moves go
    away from the nearer end of the slider, then back, so that every one changes the value.
    """
    slider = area.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$"))).first
    handle = slider.locator(".noUi-handle")
    handle.focus()
    low, now, high = (float(handle.get_attribute(f"aria-value{end}")) for end in ("min", "now", "max"))
    first, back = ("ArrowLeft", "ArrowRight") if now - low > high - now else ("ArrowRight", "ArrowLeft")
    times = []
    for move in range(moves):
        page.wait_for_function(IDLE)
        area.evaluate(ARM)
        page.keyboard.press(first if move < moves // 2 else back)
        latency = page.evaluate("() => window.__sliderLatency")
        if latency is None:
            raise RuntimeError(f"moving the slider {label!r} showed no new picture within 15 s")
        times.append(latency)
    return times
