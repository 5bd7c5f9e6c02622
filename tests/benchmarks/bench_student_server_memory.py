"""How much memory one student's server holds: the student's JupyterLab, then with a kernel that has run notebook 01.

    python tests/benchmarks/bench_student_server_memory.py [--notebook 01_loss_functions] [--solved] [--node-gib 16]

Starts ``jupyter lab`` with the student's configuration (``release/student_lab_config.py``) in a
scratch copy of the release notebook, on loopback, with a private ``HOME`` and runtime folder;
asks it for a kernel as the Lab does (``POST /api/kernels``), runs every code cell of the
notebook in that kernel (a cell that raises, such as an unwritten exercise, is counted and the
run goes on), then reads the resident memory of the server and the kernel from ``/proc``:
RSS (each process's own count, shared libraries counted in each: an upper bound) and PSS
(shared pages split among the processes that share them). Prints both, and how many such
students fit on a node of ``--node-gib`` GiB at the guarantee in ``hub/z2jh/values.yaml``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

REPO = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _memory(pid: int) -> "tuple[int, int]":
    """RSS and PSS of one process, in bytes (kB in /proc)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            values[key] = int(rest.split()[0]) * 1024
    return values["Rss"], values["Pss"]


def run_notebook(connection_file: str, notebook: Path) -> "tuple[int, int]":
    """Run each code cell in the kernel; (cells run, cells that raised)."""
    from jupyter_client import BlockingKernelClient

    client = BlockingKernelClient(connection_file=connection_file)
    client.load_connection_file()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
    raised = 0
    for cell in cells:
        reply = client.execute_interactive("".join(cell["source"]), timeout=300, output_hook=lambda msg: None)
        raised += reply["content"]["status"] != "ok"
    client.stop_channels()
    return len(cells), raised


def guarantee_mib() -> float:
    """The per-student memory guarantee of the Zero to JupyterHub values file, in MiB."""
    values = yaml.safe_load((REPO / "hub" / "z2jh" / "values.yaml").read_text())
    text = str(values["singleuser"]["memory"]["guarantee"])
    return float(text[:-1]) * 1024 if text.endswith("G") else float(text[:-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default="01_loss_functions")
    parser.add_argument("--node-gib", type=float, default=16.0)
    parser.add_argument("--solved", action="store_true",
                        help="run source/ (the solutions: every demo draws, as for a student who finished; the hidden "
                             "tests' cells raise, as they need the grader's names) instead of release/")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="descent-mem-"))
    try:
        lab = scratch / "lab"
        shutil.copytree(REPO / ("source" if args.solved else "release") / args.notebook, lab / args.notebook)
        shutil.copy(REPO / "release" / "student_lab_config.py", lab)
        port, token = _free_port(), "bench"
        env = {**os.environ, "HOME": str(scratch), "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
               "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", f"--config={lab / 'student_lab_config.py'}", "--no-browser",
             "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}", "--allow-root"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"token {token}"}
        try:
            for _ in range(120):
                try:
                    if requests.get(f"{base}/api/status", headers=headers, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                time.sleep(0.5)
            time.sleep(3)  # let the Lab settle after its first answer
            idle_rss, idle_pss = map(sum, zip(*(_memory(p) for p in _tree(server.pid))))
            kernel = requests.post(f"{base}/api/kernels", headers=headers, timeout=60,
                                   json={"name": "python3", "path": args.notebook}).json()
            ran, raised = run_notebook(str(scratch / "runtime" / f"kernel-{kernel['id']}.json"),
                                       next((lab / args.notebook).glob("*.ipynb")))
            time.sleep(2)
            pids = _tree(server.pid)
            rss, pss = map(sum, zip(*(_memory(p) for p in pids)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"student's server alone:                 RSS {idle_rss / MIB:6.0f} MiB   PSS {idle_pss / MIB:6.0f} MiB")
    print(f"with a kernel that ran {args.notebook} ({ran} cells, {raised} raised):")
    print(f"  server + kernel ({len(pids)} processes):     RSS {rss / MIB:6.0f} MiB   PSS {pss / MIB:6.0f} MiB")
    guarantee = guarantee_mib()
    students = int((args.node_gib * 1024 - 1024) // guarantee)
    print(f"hub/z2jh/values.yaml guarantees {guarantee:.0f} MiB a student ({guarantee / (rss / MIB):.1f}x the RSS "
          f"measured): {students} students on a {args.node_gib:g} GiB node (1 GiB kept for the system)")


if __name__ == "__main__":
    main()
