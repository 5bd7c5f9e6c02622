"""A kernel manager that runs the grading kernel sandboxed and resource-limited.

Autograding runs student code. Stock nbgrader runs it with the grader's rights: it
can read ``source/`` (solutions, hidden tests), write ``gradebook.db``, read other
students' work, open network connections and exhaust the machine. Here the kernel
runs under `bubblewrap <https://github.com/containers/bubblewrap>`_ (see
:mod:`.sandbox_launch` for exactly what it sees) with rlimits on memory, CPU time,
processes and file size, and talks to the grader over unix sockets, so it needs no
network at all.

Use it from ``nbgrader_config.py``::

    c.Execute.kernel_manager_class = "course.instructor.grading.run.sandbox.SandboxedKernelManager"
    c.SandboxedKernelManager.memory_mb = 4096   # to change a limit's default (the traits below)

``sandbox_status()`` says whether the sandbox works on this machine; ``sandbox_decision()`` what
grading does about it.
"""
from __future__ import annotations

import atexit
import functools
import os
import selectors
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import Bool, Enum, Integer, List, Unicode, default

from ...hub.grader_env import added_site
from ..core.config import SANDBOX_ENV, from_environment
from ..core.safe_io import read_capped
from . import sandbox_launch

LAUNCHER = str(Path(sandbox_launch.__file__).resolve())
TEMPLATE = str(Path(LAUNCHER).with_name("kernel_template.py"))  # run as a script, never imported here


@functools.lru_cache(maxsize=None)
def sandbox_status() -> str:
    """``"bwrap"`` if a bubblewrap sandbox starts here, else ``"off: <reason>"``."""
    if not sys.platform.startswith("linux"):
        return f"off: bubblewrap needs Linux, this is {sys.platform}"
    bwrap = shutil.which("bwrap")
    if not bwrap:
        return "off: bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    mode = [] if os.geteuid() == 0 else ["--unshare-user"]
    probe = [bwrap, *mode, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net",
             "--unshare-pid", "--die-with-parent", "--new-session", "true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"off: bwrap did not run ({exc})"
    if result.returncode != 0:
        reason = result.stderr.strip().splitlines()[-1:] or [f"exit code {result.returncode}"]
        return f"off: bwrap fails here ({reason[0]}); unprivileged user namespaces may be disabled"
    return "bwrap"


def sandbox_decision(setting: str) -> tuple[str, str]:
    """What grading does with the sandbox ``setting`` (``"auto"``, ``"bwrap"`` or ``"off"``) here.

    Returns ``(mode, problem)``. ``mode`` is ``"bwrap"``; ``"off"`` (chosen, or ``"auto"`` where
    bubblewrap does not work), with a warning as ``problem``; or ``"refuse"`` (``"bwrap"`` required
    where it does not work: no kernel starts, and ``problem`` says why).
    """
    status = "off: DESCENT_SANDBOX=off" if setting == "off" else sandbox_status()
    if status == "bwrap":
        return "bwrap", ""
    if setting == "bwrap":
        return "refuse", (f"DESCENT_SANDBOX=bwrap, but the sandbox is {status}: no kernel will start; "
                          "see README, Security")
    return "off", (f"grading runs UNSANDBOXED ({status}): student code runs with the grader's rights; "
                   "see README, Security")


@functools.lru_cache(maxsize=None)
def kernel_course_package(python: str) -> str:
    """The folder ``python`` imports ``course`` from, run as a kernel runs it ('' if none).

    The kernel may import another copy than this process does (``python -m course`` in a
    clone imports the clone's; the kernel follows the editable install): both stay visible.
    """
    code = ("import importlib.util as u; s = u.find_spec('course'); "
            "print((list(s.submodule_search_locations or []) or [''])[0] if s else '')")
    try:
        result = subprocess.run([python, "-c", code], cwd="/", capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip()


def launch_error(ipc_dir: "str | None") -> str:
    """The reason a sandboxed kernel failed to start, as its launcher left it ('' if none).

    The file is in a folder the kernel could write: read as a regular file only (never a
    link or a fifo), and at most 1000 bytes.
    """
    if not ipc_dir:
        return ""
    try:
        return read_capped(os.path.join(ipc_dir, sandbox_launch.LAUNCH_ERROR), 1000)[:1000].decode(
            "utf-8", "replace").strip()
    except OSError:
        return ""


_TEMPLATE_PREFIX = "descent-template-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process
        return True
    return True


def remove_abandoned_template_folders(tmp: str | None = None) -> list[str]:
    """Remove the socket folders of kernel templates whose grader died without cleaning up (kill -9).

    A folder counts only if its name carries the pid of a process that no longer runs and it is
    a real folder (not a link) owned by this account, which alone could write in it (mode 0700):
    nothing another account made is touched. Returns the folders removed.
    """
    tmp = tmp or tempfile.gettempdir()
    removed = []
    with os.scandir(tmp) as entries:
        for entry in entries:
            pid = entry.name.removeprefix(_TEMPLATE_PREFIX).split("-", 1)[0]
            if not (entry.name.startswith(_TEMPLATE_PREFIX) and pid.isdigit()) or _pid_alive(int(pid)):
                continue
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and info.st_mode & 0o077 == 0:
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(entry.path)
    return removed


class KernelTemplate:
    """This process's :mod:`.kernel_template` for one Python: started once, forked once per kernel.

    It runs in a bubblewrap sandbox that shows it the files a kernel sees (so what it imports is
    what a kernel would import), in the grader's pid namespace and with the root grader's
    capabilities, which it needs to place each forked kernel into that kernel's sandbox. Its
    socket lies in a folder the grader makes (mode 0700) under the host's ``/tmp``, which no
    kernel's sandbox shows.
    """

    _running: "dict[str, KernelTemplate]" = {}

    def __init__(self, python: str, hide: "list[str]", timeout: float = 120.0):
        remove_abandoned_template_folders()
        self.folder = tempfile.mkdtemp(prefix=f"{_TEMPLATE_PREFIX}{os.getpid()}-")
        self.socket = os.path.join(self.folder, "template.sock")
        package = kernel_course_package(python)
        args, fds = sandbox_launch.bwrap_command(
            [python, TEMPLATE, self.socket], Path(self.folder), Path(self.folder), hide=[Path(p) for p in hide],
            tmp_mb=SandboxedKernelManager.tmp_mb.default_value, inner=[], root=True,
            expose=[Path(package)] if package else [], template=True)
        try:
            self.process = subprocess.Popen(
                [shutil.which("bwrap") or "/usr/bin/bwrap", *args[1:]], cwd="/", pass_fds=fds,
                env=sandbox_launch.kernel_env(dict(os.environ)), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            for fd in fds:
                os.close(fd)
        ready = self._first_line(timeout)
        if ready != b"ready\n":
            self.stop()
            raise RuntimeError(f"the kernel template did not start ({ready!r})")

    def _first_line(self, timeout: float) -> bytes:
        with selectors.DefaultSelector() as sel:
            sel.register(self.process.stdout, selectors.EVENT_READ)
            return self.process.stdout.readline() if sel.select(timeout) else b""

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @classmethod
    def socket_for(cls, python: str, hide: "list[str]") -> str:
        """The socket of a running template for ``python`` ('' if none could start: kernels start plainly)."""
        key = "\0".join([python, *hide])
        template = cls._running.get(key)
        if template is None or not template.alive():
            if template is not None:
                template.stop()
            try:
                cls._running[key] = template = cls(python, hide)
            except (OSError, RuntimeError) as exc:
                warnings.warn(f"grading kernels start without a template: {exc}", RuntimeWarning, stacklevel=2)
                cls._running.pop(key, None)
                return ""
        return template.socket

    @classmethod
    def stop_all(cls) -> None:
        while cls._running:
            cls._running.popitem()[1].stop()


atexit.register(KernelTemplate.stop_all)


class SandboxedKernelClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel is, and says why a sandboxed kernel died before it answered.

    jupyter_client's own wait ends with 0.2 s of listening for late messages; a grader that
    starts a kernel per notebook pays it every time. Here the kernel is ready when it has
    answered ``kernel_info`` on the shell channel *and* the matching ``idle`` has come on IOPub
    (so no output can be missed); what came before it is dropped.
    """

    async def _async_wait_for_ready(self, timeout: "float | None" = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        try:
            while not await self._answered(self.kernel_info(), min(1.0, max(deadline - time.monotonic(), 0.05))):
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        except RuntimeError as exc:
            reason = launch_error(getattr(self.parent, "_ipc_dir", None))
            if not reason:
                raise
            raise RuntimeError(f"{exc}: the grading sandbox could not start the kernel ({reason}); "
                               "see README, Security") from None

    async def _answered(self, msg_id: str, seconds: float) -> bool:
        """Whether the kernel replied to ``msg_id`` and went idle after it within ``seconds``."""
        end = time.monotonic() + seconds
        for channel, done in ((self.shell_channel, lambda m: m["msg_type"] == "kernel_info_reply"),
                              (self.iopub_channel, lambda m: m["msg_type"] == "status"
                               and m["content"].get("execution_state") == "idle")):
            while True:
                try:
                    msg = await channel.get_msg(timeout=max(end - time.monotonic(), 0.0))
                except Empty:
                    return False
                if msg.get("parent_header", {}).get("msg_id") == msg_id and done(msg):
                    if channel is self.shell_channel:
                        self._handle_kernel_info_reply(msg)
                    break
        return True

    wait_for_ready = _async_wait_for_ready


class SandboxedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernel starts inside the sandbox, with rlimits.

    The kernel command becomes ``python -I -S sandbox_launch.py <options> -- <kernel command>``;
    the transport is ``ipc`` with the sockets and connection file in a private folder.
    """

    sandbox = Enum(["auto", "bwrap", "off"], "auto", help=(
        "auto: bubblewrap when it works here, else no sandbox (with a loud warning); "
        "bwrap: refuse to start without it; off: rlimits only. $DESCENT_SANDBOX sets it too.")).tag(config=True)
    _sandbox_default = from_environment("sandbox", SANDBOX_ENV)
    # What one grading kernel may use; 0 means no limit.
    memory_mb = Integer(2048, help="Address space of the kernel process, MiB (RLIMIT_AS; NumPy and Matplotlib "
                                   "need about 1 GB); 0: no limit.").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds of one kernel process (RLIMIT_CPU; a cell's wall time is "
                                    "ResilientExecute.timeout); 0: no limit.").tag(config=True)
    max_processes = Integer(64, help="Processes and threads in the sandbox (RLIMIT_NPROC, set inside "
                                     "a user namespace or under a per-kernel uid); 0: no limit.").tag(config=True)
    file_size_mb = Integer(64, help="Largest file the kernel may write, MiB (RLIMIT_FSIZE); 0: no limit."
                           ).tag(config=True)
    tmp_mb = Integer(256, help="Size of the kernel's private /tmp and /dev/shm, MiB.").tag(config=True)
    core = Integer(0, help="Largest core file, bytes (RLIMIT_CORE).").tag(config=True)
    template = Bool(True, help="Fork each kernel from a pre-imported template (see kernel_template) when the "
                               "grader is root and the sandbox is bubblewrap; else start each kernel afresh."
                    ).tag(config=True)
    hidden_paths = List(Unicode(), help="More folders the kernel must not see (course roots and the "
                                        "grader's home are always hidden).").tag(config=True)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return SandboxedKernelClient

    @default("context")
    def _default_context(self):
        """The manager's ZeroMQ context: its sockets reconnect every 10 ms, not ZeroMQ's 100 ms.

        A kernel forked from the template listens within a fraction of a second of its start.
        """
        self._created_context = True
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, 10)
        return context

    def client(self, **kwargs):
        """A client that reconnects every 10 ms (jupyter_client gives it a context of its own)."""
        kc = super().client(**kwargs)
        kc.context.setsockopt(zmq.RECONNECT_IVL, 10)
        return kc

    def mode(self) -> str:
        """``"bwrap"`` or ``"off"``: what this manager does on this machine (see :func:`sandbox_decision`)."""
        mode, problem = sandbox_decision(self.sandbox)
        if mode == "refuse":
            raise RuntimeError(problem)
        if problem:
            self.log.warning(problem)
            warnings.warn(problem, RuntimeWarning, stacklevel=2)
        return mode

    async def _async_pre_start_kernel(self, **kw):
        """A fresh private folder for every (re)start: connection file, sockets and the answer socket.

        Never reused: a kernel could have left links in its old folder, and nothing the grader
        does may go through a path the kernel could have made.
        """
        self._fresh_ipc_dir()
        self._kernel_cwd = str(kw.get("cwd") or os.getcwd())
        self._mode = self.mode()
        if self._mode == "bwrap" and self.kernel_spec is not None:
            # bwrap starts the kernel in a new session, out of reach of the SIGINT that
            # jupyter_client sends to the process group: ask ipykernel to interrupt itself.
            self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    def _fresh_ipc_dir(self) -> None:
        self._drop_ipc_dir()
        self._ipc_dir = tempfile.mkdtemp(prefix="descent-kernel-")
        if self.transport == "ipc":
            self.ip = os.path.join(self._ipc_dir, "kernel")
        self.connection_file = os.path.join(self._ipc_dir, "kernel.json")
        self._connection_file_written = False
        self.answer_address = os.path.join(self._ipc_dir, "answers")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.answer_address)
        os.chmod(self.answer_address, 0o666)  # the kernel's uid connects; the folder is still ours alone
        listener.listen(4)
        self.answer_listener = listener

    def _drop_ipc_dir(self) -> None:
        listener = getattr(self, "answer_listener", None)
        if listener is not None:
            listener.close()
            self.answer_listener = None
        if getattr(self, "_ipc_dir", None):
            shutil.rmtree(self._ipc_dir, ignore_errors=True)  # rmtree never follows links
            self._ipc_dir = None

    def format_kernel_cmd(self, extra_arguments: "list[str] | None" = None) -> list[str]:
        """The kernel command, wrapped in the launcher."""
        cmd = super().format_kernel_cmd(extra_arguments)
        options = ["--sandbox", getattr(self, "_mode", "off"), "--memory-mb", str(self.memory_mb),
                   "--cpu-seconds", str(self.cpu_seconds), "--max-processes", str(self.max_processes),
                   "--file-size-mb", str(self.file_size_mb), "--tmp-mb", str(self.tmp_mb),
                   "--core", str(self.core), "--cwd", getattr(self, "_kernel_cwd", os.getcwd()),
                   "--ipc-dir", getattr(self, "_ipc_dir", ""), "--connection-file", self.connection_file]
        for path in self.hidden_paths:
            options += ["--hide", path]
        if self.template and getattr(self, "_mode", "off") == "bwrap" and os.geteuid() == 0:
            socket_path = KernelTemplate.socket_for(cmd[0], list(self.hidden_paths))
            if socket_path:
                options += ["--template", socket_path]
        package = kernel_course_package(cmd[0])  # the launcher adds its own package (this process's)
        if package:
            options += ["--expose", package]

        site = added_site(cmd[0])  # a hub grader's thin environment: the instructor's packages it reads
        if site:
            options += ["--expose", site]
        return [sys.executable, "-I", "-S", LAUNCHER, *options, "--", *cmd]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._drop_ipc_dir()

    cleanup_resources = _async_cleanup_resources
