"""A real course hub on 127.0.0.1 for the hub tests: system users, the grader's course root, ``descent hub``.

Everything here acts as root would to set up a class (``useradd``, ``chpasswd``, a course
root in the grader's home), then tries things as the students themselves (``runuser``, a
browser-like HTTP session with the student's own password).
"""
from __future__ import annotations

import atexit
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


def processes_of(name: str, zombies: bool = True) -> dict[int, str]:
    """``{pid: command line}`` of every process running as system user ``name`` (none if no such user);
    ``zombies=False`` leaves out those that have exited and wait to be reaped."""
    import pwd

    try:
        uid = pwd.getpwnam(name).pw_uid
    except KeyError:
        return {}
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and proc.stat().st_uid == uid and (
                    zombies or (proc / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"):
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError):
            pass
    return found


def remove_user(name: str) -> None:
    """Stop what the test left running as ``name`` (found by its uid), then delete the user and home."""
    for pid in processes_of(name):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
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


#: The student wheel and environment every hub of this test process shares (see :func:`shared_student_env`).
_SHARED_STUDENT_ENV: dict[str, Path] = {}


def shared_student_env() -> tuple[Path, Path]:
    """The student wheel and an environment built from it by ``descent hub``'s own builder, once per process.

    Building it (``pip install`` of the wheel, JupyterLab, nbgrader, JupyterHub) took 40-110 s per hub
    and removing its 31,000 files (580 MB) up to 80 s more under load; each hub's state folder links to this one
    (``descent hub`` finds it up to date by its wheel stamp), removed when the process exits. Students
    only read it (root's, mode 755), so sharing it between the session's hubs shares nothing of theirs.
    """
    if not _SHARED_STUDENT_ENV:
        from course.instructor.hub import student_env

        base = Path(tempfile.mkdtemp(prefix="descent-student-env-", dir="/tmp"))
        atexit.register(shutil.rmtree, base, ignore_errors=True)
        base.chmod(0o755)
        wheel = student_wheel(base / "build")
        student_env.build(base / "student-env", wheel)
        _SHARED_STUDENT_ENV.update(wheel=wheel, env=base / "student-env")
    return _SHARED_STUDENT_ENV["wheel"], _SHARED_STUDENT_ENV["env"]


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
    phases: dict = field(default_factory=dict)  # seconds each step of start and stop took (see phase_report)
    seen: list = field(default_factory=list)  # (seconds since launch, log line) as each line appeared
    db_url: str = ""  # the gradebook the hub was started with (DESCENT_DB_URL), "" for the course's SQLite file
    left_running: dict = field(default_factory=dict)  # what of the class's accounts outlived the hub's stop

    def watch_log(self, began: float) -> str:
        """The hub's log so far; each line not seen before is stamped with the seconds since ``began``."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        lines = text.splitlines()
        now = time.monotonic() - began
        self.seen.extend((now, line) for line in lines[len(self.seen):])
        return text

    def phase_report(self) -> str:
        """One line per measured step, for the tests' output and the benchmark."""
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())

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
                       env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config"), **self._gradebook()})

    def _gradebook(self) -> dict[str, str]:
        """The grader's shell's DESCENT_DB_URL, as it was when the hub was started."""
        return {"DESCENT_DB_URL": self.db_url} if self.db_url else {}

    def descent_as_grader(self, *descent_args: str) -> subprocess.CompletedProcess:
        """``descent ...`` as the grader, in the course root, with the hub's exchange."""
        python = str(self.state / "grader-env" / "bin" / "python")
        return as_user(self.grader, [python, "-m", "course", *descent_args], cwd=str(self.root),
                       env={"JUPYTER_CONFIG_PATH": str(self.state / "exchange-config"),
                            "PATH": f"{Path(python).parent}:/usr/bin:/bin", **self._gradebook()})

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
    clock = time.monotonic()
    passwords = {name: make_user(name) for name in [*students, *graders]}
    phases = {"start: users": time.monotonic() - clock}
    opened, made, state = [], [], None
    try:  # until the Hub exists to be stopped: a failure here removes what it made (users, folders)
        opened[:] = let_everyone_through(Path(sysconfig.get_paths()["purelib"]), REPO / "course")
        if n_graders > 1:
            base = Path(tempfile.mkdtemp(prefix="descent-course-", dir="/tmp"))
            base.chmod(0o711)  # as /srv would be: every grader passes, no one lists it
            group = "descent-graders"
            made[:] = [base] + ([] if subprocess.run(["getent", "group", group], capture_output=True).returncode == 0
                             else [group])
            root = grader_course(grader, base / "course")
        else:
            root = grader_course(grader)
        if instant_feedback is not None:
            with open(root / "nbgrader_config.py", "a") as f:
                f.write(f"\n{instant_feedback}\n")
        # Not under pytest's 0700 temporary folder: students must reach the student environment.
        state = Path(tempfile.mkdtemp(prefix="descent-hub-", dir="/tmp"))
        clock = time.monotonic()
        wheel, env = shared_student_env()
        (state / "student-env").symlink_to(env)
        phases["start: student environment"] = time.monotonic() - clock
        (state / "build").mkdir()
        users = state / "build" / "users.txt"
        users.write_text("\n".join(students) + "\n")
        port = free_ports(4)
        log = state / "build" / "hub.log"
        began = time.monotonic()
        command = [sys.executable, "-m", "course", "--root", str(root), "hub", "--state", str(state),
                   "--bundle", str(wheel), "--users", str(users),
                   *(part for name in graders for part in ("--grader", name)),
                   "--port", str(port), *(["--instant-feedback"] if instant_feedback is not None else [])]
        process = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, **({"DESCENT_DB_URL": db_url} if db_url else {})})
    except BaseException:
        for name in passwords:
            remove_user(name)
        for folder in [state, *(m for m in made if isinstance(m, Path))]:
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        for folder, mode in reversed(opened):
            folder.chmod(mode)
        raise
    hub = Hub(f"http://127.0.0.1:{port}", state, root, grader, students, passwords, process, log, opened,
              graders=graders, made=made, phases=phases, db_url=db_url or "")
    deadline = time.monotonic() + 400
    while time.monotonic() < deadline and process.poll() is None:
        if "JupyterHub is now running" in hub.watch_log(began):
            hub.started_seconds = time.monotonic() - began
            phases["start: descent hub"] = hub.started_seconds
            return hub
        time.sleep(0.25)
    said = log.read_text(errors="replace")[-4000:]  # before stop_hub removes the state folder, log included
    stop_hub(hub)
    raise RuntimeError(f"the hub did not start:\n{said}")


@contextlib.contextmanager
def running_hub(prefix: str, **options) -> Iterator[Hub]:
    """:func:`start_hub` (with ``options``), then :func:`stop_hub` whatever happens; the hub must stop promptly.

    After the body, the hub is stopped as an instructor's Ctrl-C would (SIGINT): it must be gone within a
    minute (:func:`stop_hub` kills it otherwise) leaving no process of the class's accounts (servers,
    services, kernels) behind. What each step took is printed.
    """
    hub = start_hub(prefix, **options)
    print(f"\nhub started in {hub.started_seconds:.1f} s")
    try:
        yield hub
    finally:
        stop_hub(hub)
        print(f"\nhub: {hub.phase_report()}")
    assert hub.process.returncode is not None and hub.phases["stop: hub"] < 60, hub.phase_report()
    assert not hub.left_running, f"still running after the hub stopped: {hub.left_running}"


def stop_hub(hub: Hub, whole_group: bool = False) -> None:
    """Stop JupyterHub with SIGINT (it stops the services, the students' servers and the proxy), then
    remove the class. ``whole_group``: SIGINT to the hub's process group, proxy included, as a terminal's
    Ctrl-C sends it; else to the hub alone."""
    clock = time.monotonic()
    if hub.process.poll() is None:
        if whole_group:
            os.killpg(hub.process.pid, signal.SIGINT)
        else:
            hub.process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 60
        while hub.process.poll() is None and time.monotonic() < deadline:
            hub.watch_log(clock)
            time.sleep(0.25)
        if hub.process.poll() is None:
            os.killpg(hub.process.pid, signal.SIGKILL)
            hub.process.wait()
    hub.watch_log(clock)
    hub.phases["stop: hub"] = time.monotonic() - clock
    accounts = [*hub.students, *(hub.graders or [hub.grader])]
    for _ in range(20):  # a service's last child may take a moment to exit after the service itself
        hub.left_running = {name: running for name in accounts if (running := processes_of(name, zombies=False))}
        if not hub.left_running:
            break
        time.sleep(0.25)
    try:
        os.killpg(hub.process.pid, 0)  # the proxy, and whatever else the hub started as root
        hub.left_running["the hub's process group"] = {hub.process.pid: "alive"}
        os.killpg(hub.process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    clock = time.monotonic()
    for name in [*hub.students, *(hub.graders or [hub.grader])]:
        remove_user(name)
    hub.phases["stop: users"] = time.monotonic() - clock
    clock = time.monotonic()
    shutil.rmtree(hub.state, ignore_errors=True)
    for made in hub.made:
        if isinstance(made, Path):
            shutil.rmtree(made, ignore_errors=True)
        else:
            subprocess.run(["groupdel", made], capture_output=True)
    for folder, mode in reversed(hub.opened):
        folder.chmod(mode)
    hub.phases["stop: files"] = time.monotonic() - clock
