"""The sandboxed grading kernel: real kernels under real bubblewrap, on a scratch course layout.

Each test runs a small notebook with nbclient and ``SandboxedKernelManager``, in
``autograded/alice/a`` of a course root built outside ``/tmp`` (the sandbox's ``/tmp`` is
private anyway, so a course under ``/tmp`` would hide itself and prove nothing).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from traitlets.config import Config

from course.instructor.grading.batch import sandbox_note
from course.instructor.grading.run import sandbox, sandbox_launch
from course.instructor.grading.run.sandbox import SandboxedKernelManager, sandbox_status

pytestmark = pytest.mark.slow
needs_bwrap = pytest.mark.skipif(sandbox_status() != "bwrap", reason=f"no sandbox here: {sandbox_status()}")


def _is_root() -> bool:
    return os.geteuid() == 0


@pytest.fixture
def course():
    """A course root with solutions, a gradebook and two students' folders."""
    root = Path(tempfile.mkdtemp(prefix="descent-sandbox-test-", dir="/var/tmp"))
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    (root / "source" / "a").mkdir(parents=True)
    (root / "source" / "a" / "hidden_tests.py").write_text("SOLUTION = 42\n")
    (root / "gradebook.db").write_text("grades")
    for student in ("alice", "bob"):
        (root / "autograded" / student / "a").mkdir(parents=True)
        (root / "submitted" / student / "a").mkdir(parents=True)
        (root / "submitted" / student / "a" / "answers.txt").write_text(f"{student}'s work")
    outside = root.parent / (root.name + "-outside.txt")  # not in the course: readable, as a control
    outside.write_text("public")
    yield root
    shutil.rmtree(root, ignore_errors=True)
    outside.unlink()


def run_cells(root: Path, cells: list[str], timeout: int = 60, **traits) -> list:
    """Run ``cells`` in a sandboxed kernel in ``autograded/alice/a``; the executed cells."""
    config = Config()
    for name, value in traits.items():
        setattr(config.SandboxedKernelManager, name, value)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, kernel_manager_class=SandboxedKernelManager, kernel_name="python3",
                            timeout=timeout, interrupt_on_timeout=True, allow_errors=True, config=config,
                            resources={"metadata": {"path": str(root / "autograded" / "alice" / "a")}})
    client.execute()
    return nb.cells


def run(root: Path, cells: list[str], timeout: int = 60, **traits) -> list[str]:
    """Run ``cells`` as :func:`run_cells` does; one line of text per cell.

    A cell's text is its printed output, or ``"ERROR Name: message"`` for an exception.
    """
    return [_text(cell) for cell in run_cells(root, cells, timeout, **traits)]


def _text(cell) -> str:
    parts = []
    for out in cell.outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"ERROR {out.ename}: {out.evalue}")
    return "".join(parts).strip()


def _try(code: str) -> str:
    """A cell that prints ``OK`` if ``code`` runs and ``FAILED <exception>`` if it raises."""
    body = "\n".join("    " + line for line in code.splitlines())
    return f"try:\n{body}\n    print('OK')\nexcept BaseException as exc:\n    print('FAILED', type(exc).__name__, exc)"


@needs_bwrap
def test_student_code_cannot_read_solutions_gradebook_or_other_students(course):
    """Are source/, gradebook.db and other students' submissions invisible, while files outside the course are not?"""
    outside = course.parent / (course.name + "-outside.txt")
    got = run(course, [_try(f"open({str(p)!r}).read()") for p in (
        course / "source" / "a" / "hidden_tests.py", course / "gradebook.db",
        course / "submitted" / "bob" / "a" / "answers.txt", outside)])
    assert got[0].startswith("FAILED FileNotFoundError"), got[0]
    assert got[1].startswith("FAILED FileNotFoundError"), got[1]
    assert got[2].startswith("FAILED FileNotFoundError"), got[2]
    assert got[3] == "OK", "the control file outside the course should be readable"


@needs_bwrap
def test_student_code_writes_only_its_own_folder(course):
    """Does writing the kernel's own folder work, and writing another student's folder or the venv fail?"""
    bob = course / "autograded" / "bob" / "a" / "stolen.txt"
    got = run(course, [_try("open('mine.txt', 'w').write('ok')"), _try(f"open({str(bob)!r}, 'w').write('x')"),
                       _try("import sys, os; open(os.path.join(sys.prefix, 'evil.txt'), 'w')")])
    assert got[0] == "OK", got[0]
    assert got[1].startswith("FAILED FileNotFoundError"), got[1]  # bob's folder is not even visible
    assert got[2].startswith("FAILED OSError") and "Read-only file system" in got[2], got[2]
    assert (course / "autograded" / "alice" / "a" / "mine.txt").read_text() == "ok"
    assert not bob.exists()


@needs_bwrap
def test_student_code_has_no_network(course):
    """Does a connection to a server the test runs on 127.0.0.1 fail from the kernel (and work from here)?"""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    socket.create_connection(("127.0.0.1", port), timeout=5).close()  # the server is reachable from here
    got = run(course, [_try(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)")])
    server.close()
    assert got[0].startswith("FAILED"), got[0]


@needs_bwrap
def test_course_package_and_numpy_import(course):
    """Can a notebook import course and numpy (and run course.setup()) in the sandbox?"""
    got = run(course, ["import numpy, course\ncourse.setup()\nprint(numpy.ones(3).sum(), course.__name__)"])
    assert got == ["3.0 course"]


@needs_bwrap
def test_huge_allocation_raises_memory_error_and_the_kernel_goes_on(course):
    """Does allocating 50 GB raise MemoryError (the address-space limit), leaving the kernel usable?"""
    got = run(course, [_try("b = bytearray(50 * 2**30)"), _try("import numpy\na = numpy.ones(50 * 2**30 // 8)"),
                       "print('alive')"])
    assert got[0].startswith("FAILED MemoryError") and got[1].startswith("FAILED MemoryError"), got
    assert got[2] == "alive"


@needs_bwrap
def test_fork_bomb_is_stopped_by_the_process_limit(course):
    """Does forking in a loop hit the process limit (EAGAIN) well before 500 children?"""
    bomb = """import os, time
children, error = [], None
for _ in range(500):
    try:
        pid = os.fork()
    except OSError as exc:
        error = exc
        break
    if pid == 0:
        time.sleep(1)
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
print(len(children), type(error).__name__, getattr(error, 'errno', None))"""
    got = run(course, [bomb, "print('alive')"], max_processes=32)
    count, error, errno = got[0].split()
    assert int(count) < 32 and error == "BlockingIOError" and errno == "11", got
    assert got[1] == "alive"


@needs_bwrap
def test_cpu_bound_loop_is_killed_by_the_cpu_limit(course):
    """Is an infinite loop killed by RLIMIT_CPU when no cell timeout interrupts it?"""
    start = time.perf_counter()
    with pytest.raises(DeadKernelError):
        run(course, ["print('start')", "while True:\n    pass"], timeout=300, cpu_seconds=3)
    assert time.perf_counter() - start < 60


@needs_bwrap
def test_timeout_interrupts_a_loop_in_the_sandbox(course):
    """Does the grader's timeout still interrupt a cell (interrupts go by message, not signal)?"""
    got = run(course, ["while True:\n    pass", "print('after')"], timeout=3)
    assert got[0].startswith("ERROR KeyboardInterrupt") and got[1] == "after", got


@needs_bwrap
def test_large_file_is_refused(course):
    """Does writing a file larger than file_size_mb fail (EFBIG) without killing the kernel?"""
    got = run(course, [_try("open('big.bin', 'wb').write(bytes(3 * 2**20))"), "print('alive')"], file_size_mb=2)
    assert got[0].startswith("FAILED OSError") and "too large" in got[0], got
    assert got[1] == "alive"


@needs_bwrap
def test_secrets_in_the_environment_do_not_reach_the_kernel(course, monkeypatch):
    """Is the grader's environment (a database URL with a password) kept from the kernel?"""
    monkeypatch.setenv("DESCENT_DB_URL", "postgresql://grader:hunter2@db/descent")
    got = run(course, ["import os\nprint(os.environ.get('DESCENT_DB_URL'), os.environ['HOME'])"])
    assert got == ["None /tmp"]


def test_without_bwrap_grading_still_runs_and_status_says_off(course, monkeypatch):
    """With no bwrap on PATH, does sandbox_status say 'off: ...' and does sandbox='auto' or 'off' still grade?"""
    empty = course / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    sandbox.sandbox_status.cache_clear()
    try:
        assert sandbox_status().startswith("off: bwrap is not installed")
        with pytest.warns(RuntimeWarning, match="grading runs UNSANDBOXED"):
            got = run(course, ["print(6 * 7)"], sandbox="auto")
        assert got == ["42"]
        got = run(course, [_try("open('../../../gradebook.db').read()")], sandbox="off")
        assert got == ["OK"], "unsandboxed, the kernel has the grader's rights (this is what the sandbox prevents)"
    finally:
        monkeypatch.undo()
        sandbox.sandbox_status.cache_clear()


@needs_bwrap
def test_a_virtualenv_inside_the_course_root_stays_usable(course):
    """With the grader's venv in the (hidden) course root, as CI's ``.venv`` is, does its Python still run?"""
    venv = course / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    ipc = Path(tempfile.mkdtemp(prefix="descent-kernel-"))
    try:
        args, fds = sandbox_launch.bwrap_command(
            [python, "-c", "import sys; print(sys.prefix)"], course / "autograded" / "alice" / "a", ipc,
            hide=[], tmp_mb=16, inner=[], root=False)
        got = subprocess.run(args, capture_output=True, text=True,
                             pass_fds=fds, timeout=60)
    finally:
        shutil.rmtree(ipc, ignore_errors=True)
    assert got.returncode == 0 and got.stdout.strip() == str(venv), got.stderr


def test_grading_says_loudly_when_it_is_not_sandboxed(tmp_path, monkeypatch):
    """Does the batch's note warn when unsandboxed, and name the failure when the sandbox is required?"""
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap here
    sandbox.sandbox_status.cache_clear()
    try:
        assert sandbox_note("auto").startswith("WARNING: grading runs UNSANDBOXED (off: bwrap is not installed")
        assert sandbox_note("bwrap").startswith("ERROR: DESCENT_SANDBOX=bwrap, but the sandbox is off")
    finally:
        monkeypatch.undo()
        sandbox.sandbox_status.cache_clear()
    assert "DESCENT_SANDBOX=off" in sandbox_note("off")


@needs_bwrap
def test_the_course_package_is_importable_but_the_repository_around_it_is_hidden(course):
    """Does the kernel import ``course`` from the editable install while that repository's solutions stay hidden?"""
    package = Path(sandbox.kernel_course_package(sys.executable))
    repo = package.parent
    assert (repo / "source").is_dir() and (repo / "nbgrader_config.py").is_file()
    got = run(course, [f"import course, os\nprint(course.__file__.startswith({str(package)!r}), "
                       f"os.path.exists({str(repo / 'source')!r}), "
                       f"os.path.exists({str(repo / 'nbgrader_config.py')!r}))"])
    assert got == ["True False False"], got


@needs_bwrap
def test_the_instructors_wing_is_not_visible_to_the_kernel(course):
    """Can the kernel import the lessons' helpers and the answer loop, but see nothing of the
    instructor's wing (CLI, grading pipeline, site) except the launcher that started it?"""
    package = Path(sandbox.kernel_course_package(sys.executable))
    wing = package / "instructor"
    got = run(course, [f"import os, course.answering, course.check\n"
                       f"print(os.listdir({str(wing)!r}), os.listdir({str(wing / 'grading')!r}), "
                       f"os.listdir({str(wing / 'grading' / 'run')!r}), "
                       f"os.path.exists({str(package / 'check.py')!r}))"])
    assert got == ["['grading'] ['run'] ['sandbox_launch.py'] True"], got


@needs_bwrap
def test_a_sandbox_that_cannot_start_says_why(course):
    """When the launcher refuses or fails, does the notebook's error say why (not only the server log)?"""
    inside = course / "autograded" / "alice" / "a" / "private"
    inside.mkdir()
    with pytest.raises(RuntimeError, match="could not start the kernel .*may not write"):
        run(course, ["print(1)"], hidden_paths=[str(inside)])


# --- kernels forked from the template (root graders) --------------------------------------------

needs_template = pytest.mark.skipif(sandbox_status() != "bwrap" or not _is_root(), reason="the kernel template "
                                    "is used only by a root grader with bubblewrap")

_WHO = """import os, sys
status = dict(line.split(':', 1) for line in open('/proc/self/status'))
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
print('numpy' in sys.modules, os.getuid(), os.geteuid(), status['CapEff'].strip(), status['CapPrm'].strip(),
      status['NoNewPrivs'].strip(), os.getppid(), pids == [1, 2, os.getpid()], os.getsid(0) == os.getpid())"""


@needs_template
def test_a_kernel_from_the_template_is_preloaded_unprivileged_and_alone(course):
    """Is the kernel forked (NumPy imported), without root, capabilities or new privileges, alone in its sandbox?"""
    preloaded, uid, euid, cap_eff, cap_prm, no_new_privs, ppid, alone, session = run(course, [_WHO])[0].split()
    assert preloaded == "True", "the kernel did not come from the template"
    assert uid == euid and int(uid) >= sandbox_launch.UID_BASE
    assert cap_eff == cap_prm == "0000000000000000" and no_new_privs == "1"
    assert ppid == "0" and alone == "True" and session == "True"  # only bwrap's init and the launcher besides it


_LEAVE_TRACES = """import os, random, subprocess, sys, numpy, course
open('/tmp/left-by-alice', 'w').write('x')
open('/dev/shm/left-by-alice', 'w').write('x')
daemon = subprocess.Popen(['sleep', '600'], start_new_session=True)
numpy.mean = lambda *a, **k: 'poisoned'
course.LEFT_BY_ALICE = True
sys.modules['numpy'].LEFT_BY_ALICE = True
print(f'{numpy.random.random()},{random.random()}', daemon.pid)"""

_LOOK_FOR_TRACES = """import os, random, sys, numpy, course
seen = [p for p in ('/tmp/left-by-alice', '/dev/shm/left-by-alice') if os.path.exists(p)]
processes = [open(f'/proc/{p}/cmdline').read() for p in os.listdir('/proc') if p.isdigit()]
print(seen, any('sleep' in c for c in processes), numpy.mean([1, 3]), hasattr(course, 'LEFT_BY_ALICE'),
      hasattr(numpy, 'LEFT_BY_ALICE'), f'{numpy.random.random()},{random.random()}')"""


@needs_template
def test_kernels_forked_from_one_template_share_nothing(course):
    """One kernel leaves files, a daemon and patched modules: does the next (same template) see none of it?"""
    alice_draws, _ = run(course, [_LEAVE_TRACES])[0].split()
    got = run(course, [_LOOK_FOR_TRACES])[0]
    assert got.startswith("[] False 2.0 False False "), got
    for alice, bob in zip(alice_draws.split(","), got.split()[-1].split(",")):
        assert alice != bob, "a random state was inherited, not fresh"
    leftover = subprocess.run(["pgrep", "-f", "^sleep 600$"], capture_output=True, text=True).stdout.split()
    assert leftover == [], "the first kernel's daemon outlived its sandbox"


@needs_template
def test_a_dead_template_is_replaced_and_a_missing_one_falls_back(course):
    """If the template dies, does the next kernel still start (from a new template), and without one, plainly?"""
    run(course, ["print(1)"])
    for template in sandbox.KernelTemplate._running.values():
        template.process.kill()
        template.process.wait()
    assert run(course, [_WHO])[0].startswith("True ")  # a new template
    assert run(course, ["import sys\nprint('numpy' in sys.modules)"], template=False) == ["False"]
    assert sandbox_launch._connect_template("/nonexistent/template.sock") is None  # the launcher's fallback


# --- figures: a forked kernel draws them as a plain kernel does ----------------------------------

_FORKED = "import sys\nprint('numpy' in sys.modules)"
_PLOT = "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2, 3])\nplt.show()"
_MATPLOTLIB_STATE = """import json, matplotlib
from matplotlib.figure import Figure
from matplotlib_inline.config import InlineBackend
ip = get_ipython()
formatters = ip.display_formatter.formatters
inline = InlineBackend.instance(parent=ip)
rc = {k: str(matplotlib.rcParams[k]) for k in ('figure.dpi', 'figure.figsize', 'savefig.dpi', 'savefig.format',
                                                'savefig.bbox', 'backend_fallback')}
print(json.dumps({'backend': matplotlib.get_backend(), 'interactive': matplotlib.is_interactive(), 'rc': rc,
                  'formats': sorted(inline.figure_formats), 'print_kwargs': str(inline.print_figure_kwargs),
                  'shown_as': sorted([k for k, f in formatters.items() if Figure in f.type_printers] +
                                     ['bundle'] * (Figure in ip.display_formatter.mimebundle_formatter.type_printers)),
                  'after_each_cell': [f.__name__ for f in ip.events.callbacks['post_execute']]}, sort_keys=True))"""
#: Notebooks whose figures (and matplotlib's state) must come out the same from both kinds of kernel.
_FIGURE_NOTEBOOKS = {
    "the course's own setup, while grading": ["import course\ncourse.setup()", _PLOT, _MATPLOTLIB_STATE],
    "a backend the student chooses, then inline again as SVG": [
        "import matplotlib\nmatplotlib.use('agg')", _PLOT, _MATPLOTLIB_STATE, "%matplotlib inline",
        "%config InlineBackend.figure_formats = ['svg']", _PLOT, _MATPLOTLIB_STATE],
    "a display hook the student registers before the first figure": [
        "from matplotlib.figure import Figure\nget_ipython().display_formatter.formatters['text/plain']"
        ".for_type(Figure, lambda fig, p, cycle: p.text('my figure'))", _PLOT, "fig", _MATPLOTLIB_STATE],
}


def _png_size(data: str) -> tuple[int, int]:
    import base64

    head = base64.b64decode(data[:64])
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def _shown(cell) -> list:
    """What a cell showed: each output's kind, its formats, a PNG's size in pixels, and its text."""
    shown = []
    for out in cell.outputs:
        data = out.get("data", {})
        shown.append((out.output_type, sorted(data), _png_size(data["image/png"]) if "image/png" in data else None,
                      out.get("text", data.get("text/plain", ""))))
    return shown


@needs_template
@pytest.mark.parametrize("name", list(_FIGURE_NOTEBOOKS))
def test_a_forked_kernel_shows_figures_as_a_plain_kernel_does(course, monkeypatch, name):
    """Does a kernel from the template show the same figures (formats, pixels) and end with the same Matplotlib
    backend, rcParams, figure formats and display hooks as a kernel started afresh?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the grading dpi
    cells = [_FORKED, *_FIGURE_NOTEBOOKS[name]]
    forked, plain = run_cells(course, cells), run_cells(course, cells, template=False)
    assert (_text(forked[0]), _text(plain[0])) == ("True", "False"), "not one forked and one plain kernel"
    assert [_shown(c) for c in forked[1:]] == [_shown(c) for c in plain[1:]]


@needs_template
def test_the_course_setup_draws_figures_inline_at_the_grading_dpi(course, monkeypatch):
    """While grading, does a forked kernel show a plotted figure as one PNG of the course's size at the grading dpi?"""
    from course.plots import GRADING_DPI

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    cells = run_cells(course, [_FORKED, *_FIGURE_NOTEBOOKS["the course's own setup, while grading"]])
    assert _text(cells[0]) == "True"
    state = json.loads(_text(cells[3]))
    assert state["backend"] == "module://matplotlib_inline.backend_inline"
    # the course's setup shows a figure as one bundle: the PNG with its words (course.figure_text)
    assert "bundle" in state["shown_as"] and "flush_figures" in state["after_each_cell"]
    width, height = (float(v) for v in state["rc"]["figure.figsize"].strip("[]()").split(","))
    assert [s[:3] for s in _shown(cells[2])] == [("display_data", ["image/png", "text/html", "text/plain"],
                                                  (round(width * GRADING_DPI), round(height * GRADING_DPI)))]


@needs_template
def test_a_forked_kernel_takes_its_backend_from_its_own_environment(course, monkeypatch):
    """A grader whose MPLBACKEND changes after its template started: does the kernel follow it, as a plain one would?"""
    run(course, ["print(1)"])  # the template is running, started without MPLBACKEND
    monkeypatch.setenv("MPLBACKEND", "agg")
    cells = [_FORKED, "import matplotlib\nprint(matplotlib.get_backend())", _PLOT]
    forked, plain = run_cells(course, cells), run_cells(course, cells, template=False)
    assert _text(forked[0]) == "True"
    assert [_shown(c) for c in forked[1:]] == [_shown(c) for c in plain[1:]]
    assert _text(forked[1]) == "agg"


@pytest.mark.parametrize("first", ["", "import matplotlib.pyplot as plt; plt.figure()",
                                   "import matplotlib_inline.backend_inline"])
def test_a_template_that_chose_the_backend_refuses_to_serve(first):
    """Would a template whose imports chose pyplot's backend (so kernels show no figure) refuse to start,
    and does one that only preloads start?"""
    code = (f"import sys; sys.path.insert(0, {str(Path(sandbox.TEMPLATE).parent)!r}); {first or 'pass'}; "
            "import kernel_template as t; [__import__(m) for m in t.PRELOAD]; t.check_no_backend(); print('ok')")
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if first:
        assert done.returncode != 0 and "forked kernels would show no figures" in done.stderr
    else:
        assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr
