"""Start a grading kernel with resource limits, inside a bubblewrap sandbox.

This file uses the standard library only, so that it runs as ``python -I -S
sandbox_launch.py ...`` in a few milliseconds (importing ``course.instructor.grading`` costs
seconds, because its ``__init__`` imports nbgrader). It is run twice per kernel:

1. **outside** (``--sandbox bwrap|off``): set the rlimits, then exec ``bwrap`` (or,
   with ``off``, the kernel itself);
2. **inside** (``--inner``), as the first process in the sandbox: set the process
   limit, drop to the sandbox uid (when the grader is root), exec the kernel. With
   ``--template-fd`` (a root grader with a running :mod:`.kernel_template`), it first asks the
   template to fork the kernel into this sandbox's namespaces, and then only waits for it; it
   falls back to the exec if the template cannot.

The process limit is set inside because ``RLIMIT_NPROC`` does not bind root, and
because set outside it would count every process of the grader's user.

What the sandbox sees: ``/`` read-only; a private ``/tmp`` and ``/run``; no network;
its own pid namespace; the course root(s) and the grader's home hidden, except the
Python installation and the ``course`` package (read-only, less its ``grading`` folder:
the kernel has no use for the pipeline that grades it), the kernel's working
folder and the folder of the kernel's IPC sockets and connection file (read-write).
The grader names the ``course`` package folders with ``--expose`` (this launcher runs
without ``site``, so it cannot see where an editable install points).
"""
from __future__ import annotations

import argparse
import json
import os
import pwd
import resource
import shutil
import socket
import sys
from pathlib import Path

#: Environment variables the kernel keeps; every other one (tokens, database URLs) is dropped.
KEEP_ENV = ("PATH", "LANG", "LANGUAGE", "TZ", "TERM", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING",
            "DESCENT_CELL_TIMEOUT", "PYTHONHASHSEED", "PYTHONIOENCODING", "MPLBACKEND",
            "PYDEVD_DISABLE_FILE_VALIDATION", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
KEEP_PREFIXES = ("LC_", "JPY_")

#: What every grading kernel imports before it is handed a notebook: the kernel template imports
#: them once for all its kernels (``kernel_template.py``, which says why the inline backend is not
#: among them); a kernel started on its own imports them as its warm-up (``execute.py``).
PRELOAD = ("numpy", "matplotlib", "matplotlib.pyplot", "matplotlib.backends.backend_agg", "course",
           "course.check", "course.answering", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger")

#: When the grader is root, each kernel runs as its own unprivileged uid, ``UID_BASE + pid % 2**16``,
#: so that kernels graded in parallel do not share one process count. No real user has such a uid.
UID_BASE = 0x7F000000


def set_limits(memory_mb: int, cpu_seconds: int, file_size_mb: int, core: int) -> None:
    """Set address-space, CPU-time, file-size and core-file limits of this process (0 = leave as is)."""
    mb = 2**20
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * mb, memory_mb * mb))
    if cpu_seconds > 0:  # SIGXCPU at the soft limit; SIGKILL 5 s later if it is caught
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    if file_size_mb > 0:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_mb * mb, file_size_mb * mb))
    resource.setrlimit(resource.RLIMIT_CORE, (core, core))


def course_roots(*starts: Path) -> list[Path]:
    """Folders at or above ``starts`` that hold an ``nbgrader_config.py`` (course roots)."""
    found = []
    for start in starts:
        for folder in (start, *start.parents):
            if (folder / "nbgrader_config.py").is_file() and folder not in found:
                found.append(folder)
    return found


def kernel_env(environ: "dict[str, str]") -> dict[str, str]:
    """The kernel's environment: a short allow-list, a private HOME, one BLAS thread."""
    env = {k: v for k, v in environ.items() if k in KEEP_ENV or k.startswith(KEEP_PREFIXES)}
    # The grader's pid means nothing in the sandbox's pid namespace; "1" turns ipykernel's
    # parent poll off (--die-with-parent does that job).
    env["JPY_PARENT_PID"] = "1"
    env.update(HOME="/tmp", TMPDIR="/tmp", MPLCONFIGDIR="/tmp/matplotlib", PYTHONDONTWRITEBYTECODE="1")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(name, "1")  # BLAS threads count as processes, and workers already use every core
    return env


def _font_caches() -> list[Path]:
    """Matplotlib's font lists of the grader, copied in so the kernel need not rebuild them."""
    cache = Path(os.environ.get("MPLCONFIGDIR") or
                 Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib")
    try:
        return sorted(cache.glob("fontlist-*.json"))
    except OSError:
        return []


#: The sandbox's namespaces a kernel forked from the template joins, in the order it joins them
#: (pid first: it binds only the children forked after it).
NAMESPACES = ("pid", "mnt", "net", "ipc", "uts", "cgroup")

TMP = Path("/tmp")
#: The part of the ``course`` package a student's kernel never sees: the instructor's wing
#: (CLI, release, grading pipeline, site), including how grading flags code.
INSTRUCTOR_ONLY = "instructor"


def _virtualenvs(*executables: str) -> list[Path]:
    """The virtual environments these interpreters belong to.

    This launcher runs with ``-S``, so ``sys.prefix`` is the base Python's, not the venv's;
    a venv inside a hidden folder (``.venv`` in the course root) must be found from its path.
    """
    found = []
    for exe in executables:
        folder = Path(os.path.abspath(exe)).parent.parent
        if (folder / "pyvenv.cfg").is_file():
            found.append(folder)
    return found


def _homes() -> set[Path]:
    """The grader's home folders: ``$HOME`` and the account's own (they differ under ``sudo``, in CI).

    Both are hidden; a Python installed inside one (pyenv, conda) is mounted back read-only.
    A service account's home may not exist (``/nonexistent``): nothing to hide then.
    """
    found = {Path(os.path.expanduser("~")).resolve()}
    try:
        found.add(Path(pwd.getpwuid(os.geteuid()).pw_dir).resolve())
    except KeyError:
        pass
    return {home for home in found if home != Path("/") and home.is_dir()}


def _mount_point(path: Path, tmpfs: set[Path]) -> list[str]:
    """``--dir`` arguments that create the folders above ``path`` on a tmpfs, searchable by anyone.

    (bwrap would create them with mode 0700, which the sandbox uid could not enter.)
    """
    args = []
    for folder in reversed(path.parents):
        if any(t in folder.parents for t in tmpfs):
            args += ["--perms", "0755", "--dir", str(folder)]
    return args


def bwrap_command(cmd: list[str], cwd: Path, ipc_dir: Path, *, hide: list[Path], tmp_mb: int,
                  inner: list[str], root: bool, expose: "list[Path] | None" = None,
                  template: bool = False) -> tuple[list[str], list[int]]:
    """The ``bwrap`` argument list that runs ``inner + cmd``, and the file descriptors it reads.

    ``expose``: more folders the kernel reads even inside a hidden folder (the ``course``
    package the kernel imports, when it is not the one this launcher belongs to).
    ``template``: the command is the kernel template (:mod:`.kernel_template`, root only). It sees
    the files a kernel sees, but stays in the grader's pid namespace and keeps its capabilities:
    it joins each kernel to that kernel's own sandbox.
    """
    needed = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    needed |= {Path(cmd[0]).resolve().parent, Path(sys.executable).resolve().parent}
    needed |= {v.resolve() for v in _virtualenvs(cmd[0], sys.executable)}
    packages = {Path(p).resolve() for p in expose or [] if Path(p).is_dir()}
    packages.add(Path(__file__).resolve().parents[3])  # the course package this launcher is part of
    needed |= packages
    hidden = set(course_roots(cwd, *(p.parent for p in packages)))  # every course the packages live in
    hidden |= {p.resolve() for p in hide if p.exists()}
    for home in _homes():
        hidden.add(home)
    for path in (cwd, ipc_dir):
        clash = [h for h in hidden if path == h or path in h.parents]
        if clash:
            raise SystemExit(f"sandbox_launch: the kernel may not write {path}: it holds {clash[0]}")
    depth = lambda p: len(p.parts)  # noqa: E731 (parents are mounted before children)
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid",
            "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if template:
        args.remove("--unshare-pid")
        args += ["--cap-add", "ALL"]
    else:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"] if root else ["--unshare-user"]
    args += ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    size = ["--size", str(tmp_mb * 2**20)] if tmp_mb > 0 else []
    args += ["--perms", "1777", *size, "--tmpfs", "/tmp"]
    args += ["--perms", "1777", *size, "--tmpfs", "/dev/shm"]
    args += ["--tmpfs", "/run"]  # local service sockets (PostgreSQL, Docker) live there
    for path in sorted(hidden, key=depth):
        args += ["--tmpfs", str(path)]
    covered = lambda p: any(p == h or h in p.parents for h in hidden | {TMP})  # noqa: E731
    for path in sorted(needed, key=depth):
        if covered(path):
            args += [*_mount_point(path, hidden | {TMP}), "--ro-bind", str(path), str(path)]
    for package in sorted(packages, key=depth):  # the instructor's tools (how grading flags code) stay unseen
        if (package / INSTRUCTOR_ONLY).is_dir():
            args += ["--tmpfs", str(package / INSTRUCTOR_ONLY)]
    launchers = [Path(__file__).resolve()]  # ... but for this launcher, whose inner half runs in there
    if template:
        launchers.append(launchers[0].with_name("kernel_template.py"))
    for launcher in launchers:
        args += [*_mount_point(launcher, {launcher.parents[2]}), "--ro-bind", str(launcher), str(launcher)]
    for path in (cwd, ipc_dir):
        args += [*_mount_point(path, hidden | {TMP}), "--bind", str(path), str(path)]
    fds = []
    args += ["--perms", "0777", "--dir", "/tmp/matplotlib"]
    for font_list in _font_caches():
        fd = os.open(font_list, os.O_RDONLY)
        os.set_inheritable(fd, True)
        fds.append(fd)
        args += ["--perms", "0666", "--file", str(fd), f"/tmp/matplotlib/{font_list.name}"]
    args += ["--chdir", str(cwd), "--", *inner, *cmd]
    return args, fds


def _outer(opts: argparse.Namespace, cmd: list[str]) -> None:
    cwd = Path(opts.cwd or os.getcwd()).resolve()
    set_limits(opts.memory_mb, opts.cpu_seconds, opts.file_size_mb, opts.core)
    env = kernel_env(dict(os.environ))
    if opts.sandbox == "off":
        os.execve(cmd[0], cmd, {**os.environ, **{k: v for k, v in env.items() if k.endswith("_THREADS")}})
    root = os.geteuid() == 0
    uid = UID_BASE + os.getpid() % 2**16 if root else -1
    ipc_dir = Path(opts.ipc_dir).resolve()
    inner = [sys.executable, "-I", "-S", str(Path(__file__).resolve()), "--inner", "--ipc-dir", str(ipc_dir),
             "--uid", str(uid), "--max-processes", str(opts.max_processes)]
    template = _connect_template(opts.template) if root and opts.template else None
    if template is not None:  # the limits travel to the template, which sets them in the forked kernel
        inner += ["--template-fd", str(template), "--memory-mb", str(opts.memory_mb), "--cpu-seconds",
                  str(opts.cpu_seconds), "--file-size-mb", str(opts.file_size_mb), "--core", str(opts.core)]
    inner.append("--")
    args, _ = bwrap_command(cmd, cwd, ipc_dir, hide=[Path(p) for p in opts.hide], tmp_mb=opts.tmp_mb,
                            inner=inner, root=root, expose=[Path(p) for p in opts.expose])
    if root:  # the kernel's own uid must create its sockets, read its connection file, write its folder
        give_to(uid, ipc_dir, Path(opts.connection_file) if opts.connection_file else None, cwd)
    os.execve(shutil.which("bwrap") or "/usr/bin/bwrap", args, env)


def _connect_template(path: str) -> "int | None":
    """A descriptor connected to the kernel template (:mod:`.kernel_template`), or None if it is not there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    fd = sock.detach()
    os.set_inheritable(fd, True)
    return fd


def give_to(uid: int, *paths: "Path | None") -> None:
    """Make ``paths`` the kernel uid's, never through a link (the folders are fresh, made by the grader)."""
    for path in paths:
        if path is not None:
            os.chown(path, uid, uid, follow_symlinks=False)


def _from_template(opts: argparse.Namespace, cmd: list[str]) -> None:
    """Have the template fork this sandbox's kernel, then live as long as it does; return if it cannot.

    Runs before any student code exists in the sandbox. The template gets the sandbox's
    namespaces as descriptors and the kernel's command, folder, uid and limits; it answers
    ``ok`` once the kernel is set up, then ``exit N`` when it ends.
    """
    sock = socket.socket(fileno=opts.template_fd)
    try:
        names = [n for n in NAMESPACES if os.path.exists(f"/proc/self/ns/{n}")]
        fds = [os.open(f"/proc/self/ns/{n}", os.O_RDONLY | os.O_CLOEXEC) for n in names]
        limits = {"memory_mb": opts.memory_mb, "cpu_seconds": opts.cpu_seconds, "file_size_mb": opts.file_size_mb,
                  "core": opts.core, "max_processes": opts.max_processes}
        request = {"argv": cmd, "cwd": os.getcwd(), "uid": opts.uid, "limits": limits, "env": dict(os.environ),
                   "namespaces": names}
        socket.send_fds(sock, [json.dumps(request).encode()], fds)
        for fd in fds:
            os.close(fd)
        replies = sock.makefile("rb")
        if replies.readline().strip() != b"ok":
            sock.close()
            return
    except OSError:
        sock.close()
        return
    if opts.uid >= 0:  # nothing left to do as root: wait as the kernel's uid
        os.setgroups([])
        os.setgid(opts.uid)
        os.setuid(opts.uid)
    code = 1
    for line in replies:
        if line.startswith(b"exit "):
            code = int(line.split()[1])
    os._exit(128 - code if code < 0 else min(code, 255))  # as a shell reports a signal


def _inner(opts: argparse.Namespace, cmd: list[str]) -> None:
    if opts.template_fd >= 0:
        _from_template(opts, cmd)  # returns only if the template could not fork this kernel
    if opts.max_processes > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (opts.max_processes, opts.max_processes))
    if opts.uid >= 0:  # leaves no capability behind: every uid is non-zero after this
        os.setgroups([])
        os.setgid(opts.uid)
        os.setuid(opts.uid)
    os.execv(cmd[0], cmd)


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Split ``argv`` at ``--`` into the launcher's options and the kernel command."""
    if "--" not in argv:
        raise SystemExit("usage: sandbox_launch.py [options] -- KERNEL COMMAND...")
    cut = argv.index("--")
    # The limits default to none: SandboxedKernelManager always passes the course's (its traits).
    parser = argparse.ArgumentParser(prog="sandbox_launch.py")
    parser.add_argument("--sandbox", choices=["bwrap", "off"], default="bwrap")
    parser.add_argument("--inner", action="store_true", help="(inside the sandbox) last step before the kernel")
    parser.add_argument("--uid", type=int, default=-1)
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    parser.add_argument("--max-processes", type=int, default=0)
    parser.add_argument("--file-size-mb", type=int, default=0)
    parser.add_argument("--tmp-mb", type=int, default=0)
    parser.add_argument("--core", type=int, default=0)
    parser.add_argument("--cwd", default="")
    parser.add_argument("--ipc-dir", default="")
    parser.add_argument("--connection-file", default="")
    parser.add_argument("--hide", action="append", default=[])
    parser.add_argument("--template", default="", help="socket of a kernel template to fork the kernel from")
    parser.add_argument("--template-fd", type=int, default=-1, help="(inner) descriptor connected to the template")
    parser.add_argument("--expose", action="append", default=[], help="a folder to keep readable (course package)")
    return parser.parse_args(argv[:cut]), argv[cut + 1:]


#: Where a launch that fails leaves its reason, in the kernel's private folder, for the grader to show.
LAUNCH_ERROR = "launch-error.txt"


def _report(ipc_dir: str, exc: BaseException) -> None:
    try:
        fd = os.open(os.path.join(ipc_dir, LAUNCH_ERROR), os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w") as out:
            out.write(f"{type(exc).__name__}: {exc}"[:1000])
    except OSError:
        pass


def main(argv: "list[str] | None" = None) -> None:
    """Entry point: ``sandbox_launch.py [options] -- KERNEL COMMAND...``; never returns."""
    opts, cmd = parse(sys.argv[1:] if argv is None else argv)
    try:
        (_inner if opts.inner else _outer)(opts, cmd)
    except BaseException as exc:  # the kernel never started: say why where the grader looks
        if opts.ipc_dir:
            _report(opts.ipc_dir, exc)
        raise


if __name__ == "__main__":
    main()
