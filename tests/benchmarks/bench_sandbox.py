"""What does the sandbox cost per grading kernel? (a script, not a test)

    python tests/benchmarks/bench_sandbox.py

Starts kernels with jupyter_client's plain ``AsyncKernelManager`` and with
``SandboxedKernelManager`` (bubblewrap and rlimits) and prints, best of five, the time to
start a kernel, run one cell and stop it, with an empty cell and with the imports every
notebook of the course makes; then the ratios.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from course.instructor.grading.run.sandbox import SandboxedKernelManager, sandbox_status  # noqa: E402

CELLS = {"empty cell": "pass", "imports": "import numpy, matplotlib.pyplot, course\ncourse.setup()"}
REPEATS = 5


def _seconds(code: str, manager: type, folder: Path) -> float:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    start = time.perf_counter()
    NotebookClient(nb, kernel_manager_class=manager, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def main() -> None:
    print(f"sandbox here: {sandbox_status()}")
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        folder = Path(tmp) / "autograded" / "student" / "assignment"
        folder.mkdir(parents=True)
        best = {}
        for manager in (AsyncKernelManager, SandboxedKernelManager):
            _seconds("pass", manager, folder)  # warm caches (font lists, the course-package lookup)
            for label, code in CELLS.items():
                best[manager, label] = min(_seconds(code, manager, folder) for _ in range(REPEATS))
    for label in CELLS:
        plain, boxed = best[AsyncKernelManager, label], best[SandboxedKernelManager, label]
        print(f"start, {label:10s}, stop: plain {plain:5.2f} s | sandboxed {boxed:5.2f} s | "
              f"{boxed - plain:+5.2f} s, ratio {boxed / plain:4.2f}")


if __name__ == "__main__":
    main()
