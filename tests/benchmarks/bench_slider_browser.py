"""Slider to picture, end to end, in a real browser (a script, not a test).

    python tests/benchmarks/bench_slider_browser.py [--moves 20] [--only race]

Starts the student's JupyterLab (``release/student_lab_config.py``) on a scratch copy of the
course, opens the release notebooks in headless Chromium (Playwright, ``/usr/bin/chromium``),
runs all their cells (Run All, as a student who has not done the exercises), then moves every slider
of each widget with the
arrow keys, ``--moves`` times, one move at a time. A move is timed in the page, from the key
press (a ``keydown`` listener) until the new picture is decoded (``img.decode()`` of the image
whose ``src`` changed): the kernel's work, the messages both ways and the browser's decoding.

Prints, per slider and per widget, the median and the worst move in milliseconds, against a
100 ms target, and the machine's load average before and after (the figures move with it).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))

from lab_browser import CHROMIUM, CHROMIUM_ARGS, close_everything, code_cells, open_notebook, run_all, slider_latencies  # noqa: E402
from lab_server import scratch_course, start_lab  # noqa: E402

REPO = TESTS.parent
TARGET_MS = 100.0
LR = Path("03_learning_rate/learning_rate.ipynb")
OPT = Path("08_optimizers/optimizers.ipynb")
#: widget name, notebook (in release/), a piece of the code of the cell that shows the widget,
#: and the labels of its sliders.
WIDGETS = [
    ("learning-rate explorer (03)", LR, "LearningRateDemo(", ["learning rate", "start x0", "iterations"]),
    ("basin explorer (08)", OPT, "BasinExplorer(", ["start x0", "learning rate"]),
    # its third slider, "Adam rate", moves the student's own Adam only, absent before the exercises
    ("race explorer (08)", OPT, "RaceExplorer(", ["rate", "momentum beta"]),
    ("stretch explorer (03)", LR, "StretchExplorer(", ["condition κ"]),
    ("momentum-per-direction explorer (08)", OPT, "MomentumExplorer(", ["rate", "momentum β"]),
]



def _index(notebook: dict, piece: str) -> int:
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return next(i for i, src in enumerate(code) if piece in src)


def measure_widget(page, lab, release: Path, notebook: Path, holder: str, labels: list[str],
                   moves: int) -> dict[str, list[float]]:
    """Open ``notebook``, Run All, move each slider of the widget ``moves`` times: {label: [ms, ...]}."""
    content = json.loads((release / notebook).read_text())
    open_notebook(page, notebook)
    run_all(page, content)
    area = code_cells(page).nth(_index(content, holder)).locator(".jp-OutputArea").first
    area.scroll_into_view_if_needed()
    times = {label: slider_latencies(page, area, label, moves) for label in labels}
    close_everything(page, lab)
    return times


def _line(name: str, values: list[float]) -> str:
    median, worst = statistics.median(values), max(values)
    verdict = "under" if worst < TARGET_MS else "OVER"
    return f"  {name:<32} median {median:6.1f} ms   worst {worst:6.1f} ms   ({verdict} {TARGET_MS:.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="moves per slider (default 20)")
    parser.add_argument("--only", default="", help="only the widgets whose name contains this")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"load average before: {os.getloadavg()[0]:.2f} (on {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        course = scratch_course(REPO, Path(tmp) / "course")
        release = course / "release"
        lab = start_lab(release, Path(tmp) / "home", config=release / "student_lab_config.py", cwd=course)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(60_000)
                page.goto(lab.url("lab?reset"))
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=90_000)
                print(f"slider to picture in Chromium, {args.moves} moves per slider (target {TARGET_MS:.0f} ms):")
                for name, notebook, holder, labels in WIDGETS:
                    if args.only and args.only not in name:
                        continue
                    times = measure_widget(page, lab, release, notebook, holder, labels, args.moves)
                    print(_line(name, [t for ts in times.values() for t in ts]))
                    for label, values in times.items():
                        print(_line(f"  slider '{label}'", values))
                browser.close()
        finally:
            lab.stop()
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
