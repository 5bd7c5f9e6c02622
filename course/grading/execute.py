"""nbgrader's ``Execute``, made to survive what a student's code does to the kernel.

Stock nbgrader gives up on a whole student when the kernel dies (``os._exit``, a
segfault, the out-of-memory killer), and a loop that swallows the timeout's interrupt
blocks every later cell. Here:

- a cell that kills the kernel gets an error output saying so; the kernel is restarted,
  the cells that ran before are replayed silently, and grading goes on;
- a cell that times out is interrupted; if the kernel stays busy, it is restarted the same way;
- before each test cell, ``builtins``, ``numpy`` (all its submodules), ``math`` and
  ``course`` are put back as they were before any student code ran, so rebinding
  ``np.allclose`` or ``builtins.abs`` cannot fool a hidden test; the rebinding is
  recorded as an incident for the instructor to review;
- a cell's text output is capped at ``max_output_chars`` while it arrives;
- an error that a sandbox rule or a resource limit caused (permission denied, read-only
  file system, no network, memory or process limit) is recorded as ``blocked``;
- the kernel starts with the kernel manager the config names (``Execute.kernel_manager_class``,
  the sandbox of :mod:`.sandbox` in this course).

Incidents are collected in :data:`INCIDENTS` (read by :mod:`.autograde`).
"""
from __future__ import annotations

import re

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer

from .inspection import COURSE_PATHS

#: Error text that a sandbox rule or a resource limit produces, and what to call it.
_BLOCKED = [
    ("PermissionError", "permission denied"),
    ("Read-only file system", "read-only file system"),
    ("Network is unreachable", "no network"),
    ("Temporary failure in name resolution", "no network"),
    ("Name or service not known", "no network"),
    ("MemoryError", "memory limit"),
    ("Cannot allocate memory", "memory limit"),
    ("Resource temporarily unavailable", "process limit"),
    ("File too large", "file size limit"),
    ("No space left on device", "disk limit"),
]
#: A missing file that is the course's (hidden by the sandbox), not a typo in a data file name.
_HIDDEN = re.compile(rf"FileNotFoundError: .*({COURSE_PATHS})")

#: Incidents of the notebooks executed in this process since the last :func:`take_incidents`.
INCIDENTS: list[dict] = []

_SNAPSHOT = r'''
def __descent_guard():
    import builtins, math, sys
    import numpy, course, course.check
    course.check.names()  # load every check now, so that loading later is not a change
    watched = lambda: {n: m for n, m in list(sys.modules.items())
                       if m is not None and (n in ("builtins", "math", "numpy", "course")
                                            or n.startswith(("numpy.", "course.")))}
    saved = {n: dict(vars(m)) for n, m in watched().items()}
    modules = dict(watched())
    volatile = {"_", "__", "___", "input", "raw_input", "getpass"}  # ipykernel rebinds input per request

    def restore():
        changed = []
        for name, original in modules.items():
            if sys.modules.get(name) is not original:
                changed.append(f"sys.modules[{name!r}]")
                sys.modules[name] = original
        for name, before in saved.items():
            now = vars(modules[name])
            for key, value in before.items():
                if key in volatile:
                    continue
                if now.get(key, saved) is not value:
                    changed.append(f"{name}.{key}")
                    now[key] = value
            for key in [k for k in now if k not in before and k not in volatile]:
                if type(now[key]) is not type(sys):  # lazily imported submodules are fine
                    changed.append(f"{name}.{key} (added)")
                    del now[key]
        return changed
    return restore
__descent_restore = __descent_guard()
del __descent_guard
'''

_RESTORE = "print('DESCENT-GUARD', __descent_restore(), flush=True)"


def take_incidents() -> list[dict]:
    """Return and clear the incidents recorded so far."""
    found = list(INCIDENTS)
    INCIDENTS.clear()
    return found


def _grade_id(cell) -> str:
    return cell.metadata.get("nbgrader", {}).get("grade_id", "")


def _is_test(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade"))


class ResilientExecute(Execute):
    """Execute every cell; record and recover from dead, stuck or tampered kernels."""

    max_output_chars = Integer(20_000, help="Characters of text output kept per cell.").tag(config=True)
    busy_grace = Integer(5, help="Seconds a kernel may stay busy after a timeout's interrupt.").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # nbgrader's Execute passes kernel_manager_class=AsyncKernelManager as a keyword,
        # which beats the config; read it from the config again (the sandbox is set there).
        self._load_config(self.config, traits=["kernel_manager_class"])

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._replay: list[str] = []
        with self.setup_kernel():
            info = self.wait_for_reply(self.kc.kernel_info())
            self.nb.metadata["language_info"] = info["content"]["language_info"]
            self._run_quietly(_SNAPSHOT)
            for index, cell in enumerate(self.nb.cells):
                if cell.cell_type != "code":
                    continue
                if _is_test(cell):
                    self._restore_modules(cell)
                try:
                    self.preprocess_cell(cell, resources, index)
                except CellTimeoutError:
                    self._record(cell, "timed out", f"timed out after {self.timeout} s; the kernel "
                                 "ignored the interrupt, so later cells ran in a fresh kernel")
                    self._restart()
                    continue
                except DeadKernelError:
                    self._record(cell, "kernel died", "the kernel died (exit, crash or memory limit) while "
                                 "running this cell; later cells ran in a fresh kernel")
                    self._restart()
                    continue
                if any(o.get("ename") == "CellTimeoutError" for o in cell.outputs):
                    self._record(cell, "timed out", f"timed out after {self.timeout} s")
                    if not self._responsive():
                        self._restart()
                        continue
                self._note_blocked(cell)
                self._replay.append(cell.source)
        self.set_widgets_metadata()
        return self.nb, self.resources

    # --- helpers -------------------------------------------------------------------

    def _record(self, cell, kind: str, detail: str) -> None:
        INCIDENTS.append({"kind": kind, "cell": _grade_id(cell) or f"cell {self.nb.cells.index(cell)}",
                          "detail": detail})
        if kind in ("kernel died", "timed out") and not any(o.get("output_type") == "error" for o in cell.outputs):
            ename = "DeadKernelError" if kind == "kernel died" else "CellTimeoutError"
            cell.outputs.append(NotebookNode(output_type="error", ename=ename, evalue=detail,
                                             traceback=[f"{ename}: {detail}"]))

    def _note_blocked(self, cell) -> None:
        for out in cell.outputs:
            if out.get("output_type") != "error":
                continue
            text = f"{out.get('ename', '')}: {out.get('evalue', '')}"
            rules = [rule for needle, rule in _BLOCKED if needle in text]
            if _HIDDEN.search(text):
                rules.append("the course's files are hidden")
            if rules:
                INCIDENTS.append({"kind": "blocked", "cell": _grade_id(cell) or f"cell {self.nb.cells.index(cell)}",
                                  "detail": f"{rules[0]} ({text[:160]})"})

    def _run_quietly(self, code: str) -> "dict | None":
        """Run ``code`` without recording outputs; return the stdout text and reply status."""
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        reply = self.wait_for_reply(msg_id)
        text = []
        while True:
            try:
                msg = run_sync(self.kc.get_iopub_msg)(timeout=0.2)
            except Exception:
                break
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                text.append(msg["content"]["text"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        return {"reply": reply, "stdout": "".join(text)}

    def _restore_modules(self, cell) -> None:
        try:
            result = self._run_quietly(_RESTORE)
        except DeadKernelError:
            self._restart()
            return
        out = result["stdout"] if result else ""
        status = result and result["reply"] and result["reply"]["content"].get("status")
        if status != "ok" or "DESCENT-GUARD" not in out:
            INCIDENTS.append({"kind": "tampering", "cell": _grade_id(cell),
                              "detail": "the grader's guard was removed or broken by student code"})
            self._restart()
            return
        changed = out.split("DESCENT-GUARD", 1)[1].strip()
        if changed not in ("[]", ""):
            INCIDENTS.append({"kind": "tampering", "cell": _grade_id(cell),
                              "detail": f"student code rebinds {changed}; restored before this test"})

    def _responsive(self) -> bool:
        """Does the kernel run a trivial cell within ``busy_grace`` seconds (not stuck in a loop)?"""
        saved, self.timeout = self.timeout, self.busy_grace
        try:
            result = self._run_quietly("pass")
            return bool(result["reply"]) and result["reply"]["content"].get("status") == "ok"
        except Exception:
            return False
        finally:
            self.timeout = saved

    def _restart(self) -> None:
        """A fresh kernel with the guard installed and the earlier, healthy cells replayed."""
        run_sync(self.km.restart_kernel)(now=True)
        self.kc.stop_channels()
        self.kc = None
        self.start_new_kernel_client()
        self._run_quietly(_SNAPSHOT)
        for source in self._replay:
            try:
                self._run_quietly(source)
            except DeadKernelError:
                run_sync(self.km.restart_kernel)(now=True)
                self.kc.stop_channels()
                self.kc = None
                self.start_new_kernel_client()
                self._run_quietly(_SNAPSHOT)

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most ``max_output_chars`` of a cell's text output."""
        content = msg.get("content", {})
        if msg.get("msg_type") == "stream":
            used = sum(len(o.get("text", "")) for o in outs if o.get("output_type") == "stream")
            room = self.max_output_chars - used
            if room <= 0:
                return None
            if len(content.get("text", "")) > room:
                content["text"] = content["text"][:room] + f"\n[output cut at {self.max_output_chars} characters]\n"
        return super().output(outs, msg, display_id, cell_index)
