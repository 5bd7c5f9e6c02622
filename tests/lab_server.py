"""A real JupyterLab server on 127.0.0.1, in a scratch copy of the course, for browser tests."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

# Settings a fresh user would otherwise be asked about, or that hide cells from the DOM.
_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running ``jupyter lab``: its root folder, address and token."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        """``path`` under the server, with the token in the query."""
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def answers(self) -> bool:
        """True when the server's REST API replies."""
        try:
            with urllib.request.urlopen(self.url("api/status"), timeout=2) as reply:
                return reply.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self) -> None:
        """Stop the server (and the kernels it started)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _write_user_settings(folder: Path) -> None:
    for name, values in _USER_SETTINGS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def start_lab(course_root: Path, home: Path, timeout: float = 120.0, *, config: "Path | None" = None,
              cwd: "Path | None" = None, real_home: bool = False, data: "Path | None" = None) -> LabServer:
    """Start ``jupyter lab`` serving ``course_root`` and wait until it answers.

    ``config`` is a Jupyter config file to start with (``jupyter lab --config=...``, as a student
    starts ``release/student_lab_config.py``); ``cwd`` is the folder it is started from
    (default: ``course_root``).

    The page exposes the application as ``window.jupyterapp`` (as JupyterLab's own browser
    tests do), so a test can open documents with JupyterLab's commands.
    Everything the server writes (settings, workspaces, runtime files, the gradebook)
    lands in ``home`` or ``course_root``, both scratch folders of the caller.
    ``real_home`` keeps ``$HOME`` (Jupyter's folders still go to ``home``): grading kernels,
    sandboxed as root, only reach a Python installed under a private home when that
    home is ``$HOME`` (the sandbox re-exposes what it needs from the home it hides).
    ``data`` is a Jupyter data folder searched first (``JUPYTER_PATH``): its ``labextensions/``
    load as a wheel's installed ones do.
    """
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "lab-user-settings"
    _write_user_settings(settings)
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               MPLBACKEND="module://matplotlib_inline.backend_inline",
               # nbgrader's gradebook runs the `alembic` command found beside this Python.
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    env.pop("NBGRADER_EXECUTION", None)
    if data is not None:
        env["JUPYTER_PATH"] = str(data)
    if real_home:
        env.update(HOME=os.environ.get("HOME", str(home)), JUPYTER_DATA_DIR=str(home / "data"))
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.open_browser=False", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={course_root}",
               f"--LabApp.user_settings_dir={settings}",
               f"--LabApp.workspaces_dir={home / 'workspaces'}",
               "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True"]
    if config is not None:
        command.append(f"--config={config}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    log = home / "jupyter-lab.log"
    process = subprocess.Popen(command, cwd=cwd or course_root, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = LabServer(course_root, port, token, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{server.log_tail()}")
        if server.answers():
            return server
        time.sleep(0.25)
    server.stop()
    raise TimeoutError(f"jupyter lab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def scratch_course(repo: Path, dest: Path) -> Path:
    """Copy what a lab session needs (config, source/, release/) to ``dest``; return it."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(repo / "nbgrader_config.py", dest / "nbgrader_config.py")
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for folder in ("source", "release"):
        if (repo / folder).is_dir():
            shutil.copytree(repo / folder, dest / folder, ignore=ignore)
    return dest
