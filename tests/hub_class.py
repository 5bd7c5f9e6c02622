"""A real course hub on 127.0.0.1 for the hub tests: system users, the grader's course root, ``descent hub``.

Everything here acts as root would to set up a class (``useradd``, ``chpasswd``, a course
root in the grader's home), then tries things as the students themselves (``runuser``, a
browser-like HTTP session with the student's own password).
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import requests

REPO = Path(__file__).resolve().parents[1]
#: What of the repository the grader's course root needs (the hub's proxy stays in the repository).
COURSE_FILES = ("source", "release", "nbgrader_config.py", "hub/jupyterhub_config.py", "hub/student")


#: ``python -c READ_PROBE PATH`` prints DENIED when the account running it may not list (or read) PATH.
READ_PROBE = ("import os, sys; p = sys.argv[1]\n"
              "try:\n    os.listdir(p) if os.path.isdir(p) else open(p, 'rb').read(1); print('READ')\n"
              "except PermissionError: print('DENIED')\n")


def let_everyone_through(*paths: Path) -> list[tuple[Path, int]]:
    """Add search (o+x, never read) to each folder above ``paths`` that lacks it; the folders and their old modes.

    A checkout in a ``mktemp -d`` folder (0700, as CI's may be) keeps the grader account from the
    instructor's environment; ``descent hub`` refuses such a machine, so the test opens the way and
    :func:`stop_hub` closes it again.
    """
    opened = []
    for path in paths:
        for folder in reversed(Path(path).resolve().parents):
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH and all(folder != done for done, _ in opened):
                folder.chmod(stat.S_IMODE(mode) | stat.S_IXOTH)
                opened.append((folder, stat.S_IMODE(mode)))
    return opened


def make_user(name: str) -> str:
    """A new system user with a private home (mode 700) and a random password; the password."""
    subprocess.run(["useradd", "-m", "-s", "/bin/bash", name], check=True)
    Path(f"/home/{name}").chmod(0o700)  # Debian's useradd leaves homes world-readable (HOME_MODE unset)
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    return password


def remove_user(name: str) -> None:
    """Stop what the test left running as ``name`` (found by its uid), then delete the user and home."""
    import pwd

    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if proc.stat().st_uid == uid:
                    os.kill(int(proc.name), signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError):
                pass
    subprocess.run(["userdel", "-r", name], capture_output=True)


def as_user(name: str, command: list[str], cwd: "str | None" = None,
            env: "dict | None" = None) -> subprocess.CompletedProcess:
    """Run ``command`` as system user ``name``, in a clean environment, as their own shell would."""
    base = {"HOME": f"/home/{name}", "USER": name, "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
    line = ["runuser", "-u", name, "--", "env", "-i", *[f"{k}={v}" for k, v in {**base, **(env or {})}.items()],
            *command]
    return subprocess.run(line, cwd=cwd or f"/home/{name}", capture_output=True, text=True, timeout=300)


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports on 127.0.0.1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count < 65000 and all(_free(first + i) for i in range(count)):
            return first
    raise RuntimeError("no consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def student_wheel(out: Path) -> Path:
    """The student wheel as ``descent bundle`` builds it (staged lessons' wing, ``pip wheel``)."""
    from course.instructor.bundle import build_wheel, stage_lessons_wing

    stage = out / "stage"
    stage.mkdir(parents=True)
    return build_wheel(stage_lessons_wing(REPO, stage), out / "dist")


def grader_course(grader: str, root: "Path | None" = None) -> Path:
    """A copy of the course at ``root`` (default: the grader's home), the grader's, readable by no one else."""
    root = root or Path(f"/home/{grader}/course")
    for name in COURSE_FILES:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if (REPO / name).is_dir() else shutil.copyfile)(REPO / name, target)
    subprocess.run(["chown", "-R", f"{grader}:{grader}", str(root)], check=True)
    root.chmod(0o700)
    return root


@dataclass
class Hub:
    """A running course hub and the accounts of its class."""

    url: str
    state: Path
    root: Path
    grader: str
    students: list[str]
    passwords: dict[str, str]
    process: subprocess.Popen
    log: Path
    opened: list = field(default_factory=list)
    started_seconds: float = 0.0
    sessions: dict = field(default_factory=dict)
    graders: list = field(default_factory=list)  # every grader, the first being ``grader``
    made: list = field(default_factory=list)  # folders and groups made for this hub only, removed with it

    def login(self, name: str) -> requests.Session:
        """A browser-like session logged in as ``name`` with their password (PAM)."""
        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf")
        reply = session.post(f"{self.url}/hub/login", timeout=60, allow_redirects=False,
                             data={"username": name, "password": self.passwords[name], "_xsrf": xsrf})
        assert reply.status_code == 302, f"login of {name} failed: {reply.status_code}"
        # The hub ties its XSRF token to the login session: take the one it sets after login.
        session.get(f"{self.url}/hub/home", timeout=30)
        session.headers["X-XSRFToken"] = session.cookies.get("_xsrf", path="/hub/")
        return session

    def as_grader(self, *nbgrader_args: str) -> subprocess.CompletedProcess:
        """``nbgrader ...`` as the grader, in the course root, with the hub's exchange."""
        python = str(self.state / "grader-env" / "bin" / "python")
        return as_user(self.grader, [python, "-m", "nbgrader", *nbgrader_args], cwd=str(self.root),
                       env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config")})

    def descent_as_grader(self, *descent_args: str) -> subprocess.CompletedProcess:
        """``descent ...`` as the grader, in the course root, with the hub's exchange."""
        python = str(self.state / "grader-env" / "bin" / "python")
        return as_user(self.grader, [python, "-m", "course", *descent_args], cwd=str(self.root),
                       env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config"),
                            "PATH": f"{Path(python).parent}:/usr/bin:/bin"})

    def as_student(self, name: str, *command: str) -> subprocess.CompletedProcess:
        """``command`` as student ``name``, with the student environment first on PATH, as in their terminal."""
        env = self.state / "student-env"
        return as_user(name, list(command), env={
            "PATH": f"{env / 'bin'}:/usr/bin:/bin",
            "JUPYTER_CONFIG_PATH": f"{self.state / 'student-config'}:{self.state / 'exchange-config'}"})


def start_hub(prefix: str, n_students: int = 2, instant_feedback: "str | None" = None, n_graders: int = 1,
              db_url: "str | None" = None) -> Hub:
    """Users, course root, student wheel, then ``descent hub`` until the hub answers (or its log is shown).

    ``instant_feedback``: lines of policy added to the course's ``nbgrader_config.py``, and the hub
    started with ``--instant-feedback``. With ``n_graders`` above one, the course root is the first
    grader's in a folder of /tmp every grader may pass, and the hub gets the gradebook ``db_url``.
    """
    students = [f"{prefix}s{i}" for i in range(1, n_students + 1)]
    graders = [f"{prefix}gr", *(f"{prefix}g{i}" for i in range(2, n_graders + 1))]
    grader = graders[0]
    passwords = {name: make_user(name) for name in [*students, *graders]}
    opened = let_everyone_through(Path(sysconfig.get_paths()["purelib"]), REPO / "course")
    made = []
    if n_graders > 1:
        base = Path(tempfile.mkdtemp(prefix="descent-course-", dir="/tmp"))
        base.chmod(0o711)  # as /srv would be: every grader passes, no one lists it
        group = "descent-graders"
        made = [base] + ([] if subprocess.run(["getent", "group", group], capture_output=True).returncode == 0
                         else [group])
        root = grader_course(grader, base / "course")
    else:
        root = grader_course(grader)
    if instant_feedback is not None:
        with open(root / "nbgrader_config.py", "a") as f:
            f.write(f"\n{instant_feedback}\n")
    # Not under pytest's 0700 temporary folder: students must reach the student environment.
    state = Path(tempfile.mkdtemp(prefix="descent-hub-", dir="/tmp"))
    wheel = student_wheel(state / "build")
    users = state / "build" / "users.txt"
    users.write_text("\n".join(students) + "\n")
    port = free_ports(4)
    log = state / "build" / "hub.log"
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "course", "--root", str(root), "hub", "--state", str(state),
                                "--bundle", str(wheel), "--users", str(users),
                                *(part for name in graders for part in ("--grader", name)),
                                "--port", str(port), *(["--instant-feedback"] if instant_feedback is not None else [])],
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, **({"DESCENT_DB_URL": db_url} if db_url else {})})
    hub = Hub(f"http://127.0.0.1:{port}", state, root, grader, students, passwords, process, log, opened,
              graders=graders, made=made)
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline and process.poll() is None:
        if "JupyterHub is now running" in log.read_text(errors="replace"):
            hub.started_seconds = time.monotonic() - began
            return hub
        time.sleep(1)
    said = log.read_text(errors="replace")[-4000:]  # before stop_hub removes the state folder, log included
    stop_hub(hub)
    raise RuntimeError(f"the hub did not start:\n{said}")


@contextlib.contextmanager
def running_hub(prefix: str, instant_feedback: "str | None" = None) -> Iterator[Hub]:
    """:func:`start_hub`, then :func:`stop_hub` whatever happens."""
    hub = start_hub(prefix, instant_feedback=instant_feedback)
    try:
        yield hub
    finally:
        stop_hub(hub)


def stop_hub(hub: Hub) -> None:
    """Stop JupyterHub (it stops the proxy, the service and the students' servers), then remove the class."""
    if hub.process.poll() is None:
        # The hub alone: it stops the servers and the service, then its proxy (killed first, it would
        # leave the hub retrying route deletions).
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.process.pid, signal.SIGKILL)
    for name in [*hub.students, *(hub.graders or [hub.grader])]:
        remove_user(name)
    shutil.rmtree(hub.state, ignore_errors=True)
    for made in hub.made:
        if isinstance(made, Path):
            shutil.rmtree(made, ignore_errors=True)
        else:
            subprocess.run(["groupdel", made], capture_output=True)
    for folder, mode in reversed(hub.opened):
        folder.chmod(mode)
