"""Run inside a student's environment (the wheel alone): nothing here imports the repository.

    python student_env_runner.py run NOTEBOOK       Run All in a real kernel; print a JSON summary
    python student_env_runner.py checks JOB.json    the visible checks on variants; print JSON results

``run``: every code cell is executed in order (errors recorded with the cell's nbgrader role, not fatal),
then one more cell reports
the kernel's ``sys.prefix`` and where ``course`` came from. ``checks``: for each variant, every code cell
of the release notebook runs in one namespace, in order, as a student's Run All would, with some
solution cells replaced by the variant's code; each test cell (in the release: the visible
``check.run`` line) has its printed output recorded.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path


def _role(cell) -> str:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("solution"):
        return "solution"
    if meta.get("grade"):
        return "test"
    return "locked" if meta.get("locked") else "plain"


def run_notebook(path: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys, course\nprint(sys.prefix, course.__file__)"))
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [(i, _role(c), o.get("ename"), str(o.get("evalue"))[:200]) for i, c in enumerate(nb.cells)
              if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    unrun = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count") is None]
    last = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o.get("output_type") == "stream")
    return {"errors": errors, "unrun": unrun, "last": last.strip()}


def _python(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def run_checks(job: dict) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    nb = nbformat.read(job["notebook"], as_version=4)
    results = {}
    for label, replacements in job["variants"].items():
        ns: dict = {"__name__": "__main__"}
        outputs = {}
        for cell in nb.cells:
            role = _role(cell)
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            code = replacements.get(gid, cell.source) if role == "solution" else cell.source
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                try:
                    exec(compile(_python(code), f"<{gid}>", "exec"), ns)
                except Exception as exc:  # a broken answer breaks its own cell only, as in a kernel
                    print(f"ERROR {type(exc).__name__}: {exc}")
            if role == "test":
                outputs[gid] = out.getvalue()
        plt.close("all")
        results[label] = outputs
    return results


if __name__ == "__main__":
    mode, arg = sys.argv[1], Path(sys.argv[2])
    result = run_notebook(arg) if mode == "run" else run_checks(json.loads(arg.read_text()))
    print(json.dumps(result))
