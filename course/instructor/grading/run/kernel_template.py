"""A pre-imported template that grading kernels are forked from, each into its own sandbox.

Starting a kernel costs a Python start, ipykernel's imports and the course's imports (NumPy,
Matplotlib): about 1.4 CPU seconds, more than many notebooks' own cells. This process pays them
once per grading worker and then forks one kernel per notebook.

It is started by the grader (:mod:`.sandbox`), runs as the grader (root) with the kernel's
environment, outside any sandbox, and never runs student code: it imports, then answers
requests on a unix socket in a folder only the grader can enter. A request comes from
:mod:`.sandbox_launch`'s inner half, already inside a fresh bubblewrap sandbox and before any
student code exists there: the kernel's command, working folder, uid and limits, and the
sandbox's namespaces as file descriptors. For each request the template forks a child that
stays outside (it only waits), and the child forks the kernel, which:

1. joins the sandbox's pid, mount, network, IPC, UTS and cgroup namespaces, so it sees exactly
   what a kernel started there by bubblewrap sees, and dies with the sandbox;
2. starts a new session, sets the rlimits, drops to the sandbox's kernel uid (which clears every
   capability), sets ``no_new_privs`` as bubblewrap does, closes every inherited descriptor;
3. reseeds the random generators it inherited, takes Matplotlib's backend from its own
   environment (pyplot has not chosen one yet; the inline backend hooks itself into the kernel's
   shell when pyplot first imports it, as in a plain kernel), then runs ipykernel's own entry point.

So a kernel shares nothing with another kernel but the template's read-only past (imports
made before any student existed); copy-on-write memory keeps a kernel's changes its own. The
child reports ``ok`` once the kernel is set up (or ``no: <reason>``, and the launcher then
starts an ordinary kernel), and the kernel's exit status when it ends.

Run as ``python kernel_template.py SOCKET`` with the kernel's Python (a script, never imported:
it takes its limits and namespace names from :mod:`.sandbox_launch`, beside it). Standard library
at the top: the heavy imports happen in :func:`main`, and the rest of the instructor's wing is
never imported, so a kernel forked from here has nothing of it in memory.
"""
from __future__ import annotations

import ctypes
import importlib
import json
import os
import random
import resource
import select
import signal
import socket
import sys

from sandbox_launch import NAMESPACES, PRELOAD, set_limits  # the launcher beside this file (run as a script)

#: ``PRELOAD`` (in ``sandbox_launch``) is what every grading kernel imports; the template imports it once.
#: Not ``matplotlib_inline.backend_inline``: importing it is what hooks the inline backend into the
#: kernel's IPython shell (the figure formatters, the end-of-cell figure flush), and in the template
#: there is no shell yet, so a forked kernel would display no figure. Its Agg canvas is preloaded;
#: the module itself (about 0.05 s) is imported in the kernel, when pyplot first picks its backend,
#: as in a plain kernel. ``check_no_backend`` makes sure nothing else imports it.
#: Modules a forked kernel must import itself, because importing them acts on the kernel's shell.
KERNEL_ONLY = ("matplotlib_inline.backend_inline",)

_CLONE_NEWPID = 0x20000000
_PR_SET_DUMPABLE = 4
_PR_SET_NO_NEW_PRIVS = 38
_MAX_REQUEST = 1 << 20

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def setns(fd: int, nstype: int = 0) -> None:
    """Join the namespace that ``fd`` refers to (``setns(2)``)."""
    _check(_libc.setns(fd, nstype), "setns")


def prctl(option: int, value: int) -> None:
    """``prctl(2)`` with one argument."""
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


def _set_limits(limits: dict) -> None:
    """The launcher's limits, and the process limit (set here, as the launcher's inner half sets it)."""
    set_limits(limits.get("memory_mb", 0), limits.get("cpu_seconds", 0), limits.get("file_size_mb", 0),
               limits.get("core", 0))
    processes = limits.get("max_processes", 0)
    if processes > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def _reseed() -> None:
    """Fresh random state: a forked kernel must not replay the template's (or a classmate's) draws."""
    random.seed()
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(int.from_bytes(os.urandom(4), "little"))


#: The backend ipykernel chooses for a kernel whose environment names none.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _backend_from_environment() -> None:
    """The backend this kernel's environment asks for, not the template's: as a plain kernel picks it.

    ipykernel sets ``MPLBACKEND`` when it is empty, before any import; a plain kernel's Matplotlib
    then reads it as it is imported. The template imported Matplotlib earlier, perhaps with
    another environment, so the kernel's choice is set again here (pyplot chooses lazily).
    """
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].rcParams["backend"] = _backend_as_ipykernel_sets_it()


def _backend_as_ipykernel_sets_it() -> str:
    """``MPLBACKEND`` as ipykernel leaves it before any import: the inline backend unless one is named."""
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    return os.environ["MPLBACKEND"]


def become_kernel(request: dict, namespaces: dict[str, int], ready: int) -> None:
    """(In the kernel's process) enter the sandbox, shed every privilege, then run the kernel. Never returns."""
    for name in NAMESPACES[1:]:
        if name in namespaces:
            setns(namespaces[name])
    os.chdir(request["cwd"])
    os.setsid()  # no controlling terminal to push input into (bwrap --new-session)
    devnull = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, ready)
    os.closerange(ready + 1, 2**16)
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    _set_limits(request["limits"])
    uid = int(request["uid"])
    if uid <= 0:
        raise PermissionError("a forked kernel needs its own non-root uid")
    os.setgroups([])  # from root to a uid no account has: every capability is cleared
    os.setgid(uid)
    os.setuid(uid)
    prctl(_PR_SET_NO_NEW_PRIVS, 1)
    prctl(_PR_SET_DUMPABLE, 1)  # as after an exec: /proc/self is the kernel's own
    if os.geteuid() == 0 or os.getuid() == 0:
        raise PermissionError("the kernel would still run as root")
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _reseed()
    _backend_from_environment()
    os.write(ready, b"ok")
    os.close(ready)
    argv = list(request["argv"])
    if "ipykernel_launcher" in argv:
        argv = argv[argv.index("ipykernel_launcher") + 1:]
    sys.argv = [sys.executable, *argv]
    from ipykernel import kernelapp  # preloaded by main() only after the backend was set as ipykernel sets it

    try:
        kernelapp.launch_new_instance(argv=argv)
    finally:
        os._exit(0)


def _serve_one(conn: socket.socket, request: dict, namespaces: dict[str, int]) -> None:
    """(In the child) fork the kernel into the sandbox's pid namespace, report, wait for it. Never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    code = 1
    try:
        setns(namespaces["pid"], _CLONE_NEWPID)
        readable, ready = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(readable)
            try:
                conn.close()
                become_kernel(request, namespaces, ready)
            except BaseException as exc:  # noqa: BLE001 (the launcher falls back to a plain kernel)
                try:
                    os.write(ready, f"no: {type(exc).__name__}: {exc}"[:500].encode())
                finally:
                    os._exit(70)
        os.close(ready)
        for fd in namespaces.values():
            os.close(fd)
        answer = os.read(readable, 600)
        os.close(readable)
        conn.sendall((answer or b"no: the kernel died while it was set up") + b"\n")
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        conn.sendall(f"exit {code}\n".encode())
    except BaseException as exc:  # noqa: BLE001
        try:
            conn.sendall(f"no: {type(exc).__name__}: {exc}\n".encode()[:500])
        except OSError:
            pass
    finally:
        os._exit(0 if code >= 0 else 1)


def _receive(conn: socket.socket) -> "tuple[dict, dict[str, int]]":
    message, fds, _, _ = socket.recv_fds(conn, _MAX_REQUEST, len(NAMESPACES))
    request = json.loads(message)
    names = request.pop("namespaces")
    if len(names) != len(fds) or "pid" not in names or set(names) - set(NAMESPACES):
        for fd in fds:
            os.close(fd)
        raise ValueError("the request does not name its namespaces")
    return request, dict(zip(names, fds))


def check_no_backend() -> None:
    """Refuse to serve kernels if the preloading chose pyplot's backend or imported a ``KERNEL_ONLY`` module.

    Either would be done once here, without a shell, instead of in each kernel: figures would not
    be displayed. The grader then starts kernels plainly (it warns that there is no template).
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    early = [name for name in KERNEL_ONLY if name in sys.modules]
    if early or (pyplot is not None and getattr(pyplot, "_backend_mod", None) is not None):
        raise RuntimeError(f"the template's imports chose matplotlib's backend ({early or 'pyplot'}): "
                           "forked kernels would show no figures")


def main(argv: "list[str] | None" = None) -> None:
    """Import what kernels need, then fork a kernel for each request on the socket ``argv[0]``.

    Ends when its standard input closes: the grader that started it is gone.
    """
    args = sys.argv[1:] if argv is None else argv
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if p and os.path.abspath(p) != here]
    _backend_as_ipykernel_sets_it()

    for name in PRELOAD:
        importlib.import_module(name)
    check_no_backend()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(args[0])
    listener.listen(8)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        ready, _, _ = select.select([listener, 0], [], [])
        if 0 in ready and not os.read(0, 4096):
            return  # the grader closed our standard input
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        try:
            request, namespaces = _receive(conn)
        except (OSError, ValueError) as exc:
            try:
                conn.sendall(f"no: {exc}\n".encode()[:500])
            except OSError:
                pass
            conn.close()
            continue
        if os.fork() == 0:
            listener.close()
            _serve_one(conn, request, namespaces)
        conn.close()
        for fd in namespaces.values():
            os.close(fd)


if __name__ == "__main__":
    main()
