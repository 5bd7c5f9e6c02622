"""nbgrader's ``Execute``, rebuilt so that a student's kernel cannot decide its own grade.

How a notebook is graded here (``c.Autograde.autograde_preprocessors`` names this class, so
``descent grade``, ``nbgrader autograde`` and the formgrader all grade this way):

- the kernel starts in the sandbox of :mod:`.sandbox`, in a **scratch folder** that the
  grader made for this notebook and throws away afterwards; nbgrader's ``autograded/`` folder,
  where the graded notebook is written, is never visible to it;
- ordinary cells run in the kernel, as nbgrader runs them;
- a **test cell** does not run in the kernel. Its hidden tests run here, in the grading
  process (:mod:`..judge.judge`), taken from the gradebook, and ask the kernel for the student's
  answers over a private socket (:mod:`course.answering`). The verdict becomes the cell's
  output (an error output for a failed test), so nbgrader scores it as usual;
- a cell that kills the kernel or does not stop when interrupted gets an error output; the
  kernel is restarted, earlier healthy cells are replayed, and grading goes on. Each notebook
  has a total time budget (``notebook_seconds``) and a cap on restarts, so replays cannot grow
  without bound: cells past the budget are marked as not run;
- outputs of every kind are capped per cell (``max_output_chars`` of text,
  ``max_output_bytes`` of everything), and widget state is not kept;
- a failed test cell's mistake is named (:mod:`..judge.diagnosis`): the student's function is called
  again on fresh inputs and compared with the catalogued wrong implementations (a value answer
  is matched against its exercise's rules); the id
  (``mse/sum-not-mean``, or ``unrecognised``) and its explanation join the cell's error output;
- what happened (timeouts, deaths, blocked operations, unreadable answers, the judge's seed)
  and the mistakes found are written to the graded notebook's metadata under ``descent``,
  where every grading path can read them (:mod:`.incidents`).

Its parts, each with one job: kernels started ahead (:mod:`.spare_kernels`), the notebook's
scratch folder (:mod:`.scratch`), the hidden tests from the gradebook (:mod:`.hidden_test_plan`),
the judge (:mod:`..judge.judge`) and diagnosis (:mod:`..judge.diagnosis`), what is recorded (:mod:`.incidents`)
and the output kept (:mod:`.output_caps`); this class runs the cells, restarts and replays.
"""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from ....mistakes import UNRECOGNISED
from ..core.cells import cell_role, exercise_graded_by, grade_id
from ..core.config import CELL_TIMEOUT_ENV, NOTEBOOK_SECONDS_ENV, from_environment
from ..judge import diagnosis, judge
from ..judge.hidden_shapes import hide_shapes
from .hidden_test_plan import hidden_test_plan
from .incidents import blocked_by
from .output_caps import OutputCaps
from .sandbox import SandboxedKernelManager
from .scratch import copy_regular_files
from .spare_kernels import start_spare, take_spare

#: How the kernel is asked to answer the judge (a real module, :mod:`course.answering`). Code the kernel runs, not
#: an import here: ``__import__`` leaves no new name in the student's namespace, which ``serve`` is handed.
_SERVE = "__import__('course.answering', fromlist=['serve']).serve({address!r}, {token!r}, globals())"
def _is_autograder_test(cell) -> bool:
    """A code cell whose hidden tests the judge runs (a grade cell that is not a solution)."""
    return cell.cell_type == "code" and cell_role(cell) == "test"


class ResilientExecute(OutputCaps, Execute):
    """Execute a notebook for grading: judge test cells outside the kernel; survive what student code does."""

    # What grading one notebook may take: time, restarts, output kept.
    timeout = Integer(60, allow_none=True, help="Seconds one cell may run before it is interrupted (a cell "
                                                "that loops forever loses its own marks only); "
                                                "$DESCENT_CELL_TIMEOUT sets it too.").tag(config=True)
    _timeout_default = from_environment("timeout", CELL_TIMEOUT_ENV)
    max_output_chars = Integer(20_000, help="Characters of text output kept per cell.").tag(config=True)
    max_output_bytes = Integer(2 * 2**20, help="Bytes of output of any kind kept per cell.").tag(config=True)
    max_message_mb = Integer(64,
                             help="Largest message on the kernel manager's own socket, MiB (the client's "
                                  "channels, which carry outputs, are not capped: see README, Security)."
                             ).tag(config=True)
    busy_grace = Integer(5, help="Seconds a kernel may stay busy after a timeout's interrupt.").tag(config=True)
    notebook_seconds = Integer(600, help="Wall-time budget of one notebook, replays after crashes included; "
                                         "$DESCENT_NOTEBOOK_SECONDS sets it too.").tag(config=True)
    _notebook_seconds_default = from_environment("notebook_seconds", NOTEBOOK_SECONDS_ENV)
    max_restarts = Integer(8, help="Kernel restarts allowed per notebook.").tag(config=True)
    seed = Integer(0, help="Seed of the hidden tests' inputs; 0 draws a fresh one for every notebook "
                           "(set one only to reproduce a grading).").tag(config=True)
    prestart = Bool(False, help="Start the next notebook's kernel (sandboxed, its imports done, no student "
                                "code run) while this one is graded; `descent grade` turns it on.").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # nbgrader's Execute passes kernel_manager_class=AsyncKernelManager as a keyword, which
        # beats the config. Grading always uses the sandboxed manager (it holds the answer socket).
        configured = self._find_my_config(self.config)  # (re-loading all of it warns about every other option)
        if "kernel_manager_class" in configured:
            self.kernel_manager_class = configured["kernel_manager_class"]
        self.shutdown_kernel = "immediate"  # the sandbox is thrown away: no polite shutdown to wait for
        if not (isinstance(self.kernel_manager_class, type)
                and issubclass(self.kernel_manager_class, SandboxedKernelManager)):
            self.log.warning("Execute.kernel_manager_class is %s; grading uses %s instead",
                             self.kernel_manager_class, SandboxedKernelManager.__name__)
            self.kernel_manager_class = SandboxedKernelManager

    # --- the notebook ---------------------------------------------------------------

    def preprocess(self, nb, resources=None, km=None):
        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._incidents: list[dict] = []
        self._mistakes: dict[str, str] = {}
        self._stubbed: set[str] = set()  # solution cells that raised NotImplementedError (a stub, or one they call)
        self._replay: list[str] = []
        self._restarts = 0
        self._deadline = time.monotonic() + self.notebook_seconds
        self._seed = self.seed or secrets.randbits(62)
        self._cell_bytes: dict[int, int] = {}
        plan = hidden_test_plan(resources)
        spare = take_spare(self) if self.prestart else None
        scratch = spare.scratch if spare else Path(tempfile.mkdtemp(prefix="descent-work-"))
        original_path = self.resources.get("metadata", {}).get("path")
        try:
            if original_path and os.path.isdir(original_path):
                copy_regular_files(Path(original_path), scratch)
            self.resources.setdefault("metadata", {})["path"] = str(scratch)
            if spare:
                self.km, self.kc = spare.km, spare.kc
            if self.prestart:
                start_spare(self)  # the next notebook's kernel starts while this one runs
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                if getattr(self.km, "_mode", "off") != "bwrap":
                    self._incidents.append({"kind": "unsandboxed", "cell": "", "detail": "this notebook was "
                                            "graded without the bubblewrap sandbox (see README, Security)"})
                for index, cell in enumerate(self.nb.cells):
                    if cell.cell_type != "code":
                        continue
                    if time.monotonic() > self._deadline:
                        self._not_run(cell, f"not run: the notebook used up its time budget of "
                                            f"{self.notebook_seconds} s")
                        continue
                    tests = plan["tests"].get(grade_id(cell)) if _is_autograder_test(cell) else None
                    if tests:
                        self._judge(cell, tests, plan)
                    else:
                        if _is_autograder_test(cell):
                            self._record(cell, "not judged outside", "this test cell has no hidden tests, so its "
                                         "verdict comes from the student's kernel")
                        self._run(cell, resources, index)
        finally:
            self.resources["metadata"]["path"] = original_path
            shutil.rmtree(scratch, ignore_errors=True)
        self.nb.metadata["descent"] = {"incidents": self._incidents, "seed": str(self._seed),
                                       "mistakes": self._mistakes}
        return self.nb, self.resources

    # --- ordinary cells ---------------------------------------------------------------

    def _run(self, cell, resources, index) -> None:
        try:
            self.preprocess_cell(cell, resources, index)
        except CellTimeoutError:
            self._record(cell, "timed out", f"timed out after {self.timeout} s; the kernel ignored the "
                         "interrupt, so later cells ran in a fresh kernel")
            self._restart()
            return
        except DeadKernelError:
            self._record(cell, "kernel died", "the kernel died (exit, crash or memory limit) while running "
                         "this cell; later cells ran in a fresh kernel")
            self._restart()
            return
        if any(o.get("ename") == "CellTimeoutError" for o in cell.outputs):
            self._record(cell, "timed out", f"timed out after {self.timeout} s")
            if not self._responsive():
                self._restart()
                return
        self._note_blocked(cell)
        if cell_role(cell) == "solution" and any(o.get("ename") == "NotImplementedError" for o in cell.outputs):
            self._stubbed.add(grade_id(cell))
        self._replay.append(cell.source)

    def _cell_seconds(self) -> float:
        """Seconds a cell may run: ``timeout``, or its default where it is set to none (the judge needs one)."""
        return float(self.timeout or type(self).timeout.default_value)

    def _not_run(self, cell, why: str) -> None:
        cell.outputs = [NotebookNode(output_type="error", ename="NotRun", evalue=why, traceback=[f"NotRun: {why}"])]
        if not any(i["kind"] == "budget" for i in self._incidents):
            self._record(cell, "budget", why)

    # --- test cells -------------------------------------------------------------------

    def _judge(self, cell, hidden: str, plan: dict) -> None:
        """Run the hidden tests here, asking the kernel for the answers; the verdict is the cell's output."""
        seconds = max(1.0, min(self._cell_seconds(), self._deadline - time.monotonic()))
        namespace = {"np": np, **plan["setup"],
                     "rng": np.random.default_rng([self._seed, zlib.crc32(grade_id(cell).encode())])}
        link, msg_id = self._connect(cell, seconds)
        if link is None:
            verdict = judge.Verdict(False, "the grader could not reach your notebook's kernel to ask for "
                                    "your answers", "unreachable")
        else:
            verdict = judge.run_hidden(hidden, grade_id(cell), link, namespace, plan["given"], seconds)
        explained, serving = "", verdict
        if not verdict.passed and verdict.kind == "failed":
            mistake, stop = self._diagnose(cell, link, verdict, namespace)
            self._mistakes[grade_id(cell)] = mistake
            explained = diagnosis.explanation(exercise_graded_by(grade_id(cell)), mistake)
            if stop is not None:  # the kernel hung or died while probed: wind it down as such
                self._record(cell, stop.kind, f"while the grader looked for the mistake: {stop}")
                serving = judge.Verdict(False, verdict.message, stop.kind)
        self._finish_serving(cell, link, msg_id, serving)
        cell.execution_count = None
        if verdict.passed:
            text = f"✓ {grade_id(cell)}: the hidden tests passed\n"
            cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=text)]
        else:
            ename = {"failed": "AssertionError", "timed out": "TimeoutError", "kernel died": "DeadKernelError"}.get(
                verdict.kind, "GradingError")
            shown = hide_shapes(verdict.message)
            message = f"{shown}\n{explained}" if explained else shown
            cell.outputs = [NotebookNode(output_type="error", ename=ename, evalue=message,
                                         traceback=[f"{ename}: {message}"])]
            if verdict.kind != "failed":
                self._record(cell, verdict.kind, verdict.message)

    def _diagnose(self, cell, link, verdict, namespace: dict) -> "tuple[str, judge.JudgeStop | None]":
        """The catalogued mistake behind a failed test cell (or :data:`UNRECOGNISED`), and what stopped the probe.

        The student's function (the judge's proxy, still connected) is probed on inputs from a
        generator of its own, with a few seconds of its own; nothing it does can pass the test.
        """
        exercise = exercise_graded_by(grade_id(cell))
        if verdict.details.get("raised") == "NotImplementedError":
            return f"{exercise}/not-written", None
        if exercise in diagnosis.ANSWERS:  # a value: the hidden tests read it into the namespace
            return diagnosis.diagnose_answer(exercise, namespace, exercise in self._stubbed) or UNRECOGNISED, None
        student = namespace.get(exercise)
        if link is None or not isinstance(student, judge.StudentFunction):
            return UNRECOGNISED, None
        link.deadline = time.monotonic() + min(10.0, self._cell_seconds())
        rng = np.random.default_rng([self._seed, zlib.crc32(grade_id(cell).encode()), 1])
        try:
            return diagnosis.diagnose(exercise, student, rng, lambda name: judge.StudentFunction(link, name)) \
                or UNRECOGNISED, None
        except judge.JudgeStop as stop:
            return UNRECOGNISED, stop
        except Exception:  # noqa: BLE001 (no diagnosis is worth a failed grading)
            return UNRECOGNISED, None

    def _connect(self, cell, seconds: float):
        """Ask the kernel to serve answers; ``(link, msg_id)``, or ``(None, msg_id)`` if it never connects."""
        listener: socket.socket = self.km.answer_listener
        token = secrets.token_hex(16)
        try:
            msg_id = self.kc.execute(_SERVE.format(address=self.km.answer_address, token=token),
                                     silent=True, store_history=False, allow_stdin=False)
        except Exception:
            return None, None
        deadline = time.monotonic() + min(seconds, 30.0)
        while time.monotonic() < deadline:
            listener.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                break
            conn.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                hello = judge.answering.receive(conn, 4096)
            except Exception:
                hello = {}
            if hello.get("hello") == token:
                return judge.AnswerLink(conn, time.monotonic() + seconds), msg_id
            conn.close()
            self._record(cell, "unreadable answer", "a connection to the grader that was not the kernel's "
                         "answer loop (student code reaching for the grader's socket)")
        return None, msg_id

    def _finish_serving(self, cell, link, msg_id, verdict) -> None:
        """End the kernel's answer loop; interrupt or restart a kernel that does not come back."""
        if link is not None:
            link.close()
        if verdict.kind == "kernel died":
            self._restart()
            return
        wait = self.busy_grace if verdict.kind == "timed out" else max(self.busy_grace, self._cell_seconds())
        if msg_id is None or not self._wait_idle(msg_id, wait):
            if verdict.kind != "timed out":
                self._record(cell, "timed out", "the kernel was still busy after the hidden tests")
            run_sync(self.km.interrupt_kernel)()
            if not self._wait_idle(msg_id, self.busy_grace):
                self._restart()

    def _wait_idle(self, msg_id, seconds: float) -> bool:
        """Wait for the kernel to finish request ``msg_id`` (its idle status); discard its output."""
        if msg_id is None:
            return False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                msg = run_sync(self.kc.get_iopub_msg)(timeout=max(0.01, deadline - time.monotonic()))
            except Exception:
                if not run_sync(self.km.is_alive)():
                    return False
                continue
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"].get("execution_state") == "idle"):
                return True
        return False

    # --- helpers -------------------------------------------------------------------

    def _record(self, cell, kind: str, detail: str) -> None:
        self._incidents.append({"kind": kind, "cell": grade_id(cell) or f"cell {self.nb.cells.index(cell)}",
                                "detail": detail[:400]})
        if kind in ("kernel died", "timed out") and not _is_autograder_test(cell) and not any(
                o.get("output_type") == "error" for o in cell.outputs):
            ename = "DeadKernelError" if kind == "kernel died" else "CellTimeoutError"
            cell.outputs.append(NotebookNode(output_type="error", ename=ename, evalue=detail,
                                             traceback=[f"{ename}: {detail}"]))

    def _note_blocked(self, cell) -> None:
        for out in cell.outputs:
            if out.get("output_type") != "error":
                continue
            text = f"{out.get('ename', '')}: {out.get('evalue', '')}"
            rules = blocked_by(text)
            if rules:
                where = grade_id(cell) or f"cell {self.nb.cells.index(cell)}"
                self._incidents.append({"kind": "blocked", "cell": where, "detail": f"{rules[0]} ({text[:160]})"})

    def _quiet(self, code: str, seconds: float) -> bool:
        """Run ``code`` without recording it; True if the kernel finished it within ``seconds``."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        return self._wait_idle(msg_id, seconds)

    def _responsive(self) -> bool:
        """Does the kernel run a trivial cell within ``busy_grace`` seconds (not stuck in a loop)?"""
        try:
            return self._quiet("pass", self.busy_grace)
        except Exception:
            return False

    def _restart(self) -> None:
        """A fresh kernel with the earlier, healthy cells replayed (within the notebook's budget)."""
        self._restarts += 1
        if self._restarts > self.max_restarts:
            self._deadline = time.monotonic()  # the remaining cells are marked as not run
            self._incidents.append({"kind": "budget", "cell": "",
                                    "detail": f"more than {self.max_restarts} kernel restarts; the rest was not run"})
        run_sync(self.km.restart_kernel)(now=True)
        self.kc.stop_channels()
        self.kc = None
        self.start_new_kernel_client()
        for source in self._replay:
            left = self._deadline - time.monotonic()
            if left <= 0:
                return
            try:
                if not self._quiet(source, min(left, self._cell_seconds())):
                    return
            except DeadKernelError:
                return

    def start_new_kernel_client(self):
        """Cap messages on the manager's own socket at ``max_message_mb``.

        Not on the client's channels: a refused message takes the cell's ``idle`` with it, so a
        student's 100 MB print would turn into a timeout and a lost cell.
        """
        self.km.context.setsockopt(zmq.MAXMSGSIZE, self.max_message_mb * 2**20)
        return super().start_new_kernel_client()


