"""Kernels started ahead of their notebook, so that a worker grading student after student waits less.

Each spare kernel has its own fresh sandbox and scratch folder and runs only its imports
(:data:`WARM_UP`) before it is handed a notebook; it is never shared (one kernel, one notebook).
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import zmq
from nbclient.util import run_sync

from . import sandbox_launch

if TYPE_CHECKING:  # only for the annotations: execute imports this module
    from .execute import ResilientExecute

#: What a pre-started kernel runs before it is handed a notebook: imports only, no student code.
WARM_UP = "import " + ", ".join(sandbox_launch.PRELOAD)


@dataclass
class _Spare:
    """A kernel started ahead of its notebook, in its own fresh sandbox and scratch folder."""

    km: object
    kc: object
    scratch: Path
    warm_up: str


_SPARE: "list[_Spare]" = []


def start_spare(executor: "ResilientExecute") -> None:
    """Start a kernel for the next notebook this process grades (never shared: one kernel, one notebook)."""
    scratch = Path(tempfile.mkdtemp(prefix="descent-work-"))
    try:
        km = executor.kernel_manager_class(kernel_name=executor.kernel_name or "python3", config=executor.config)
        run_sync(km.start_kernel)(extra_arguments=[*executor.extra_arguments, "--HistoryManager.hist_file=:memory:"],
                                  cwd=str(scratch))
        km.context.setsockopt(zmq.MAXMSGSIZE, executor.max_message_mb * 2**20)
        kc = km.client()
        kc.start_channels()
        warm_up = kc.execute(WARM_UP, silent=True, store_history=False, allow_stdin=False)
    except Exception:  # noqa: BLE001 (no spare: the next notebook starts its own kernel)
        shutil.rmtree(scratch, ignore_errors=True)
        return
    _SPARE.append(_Spare(km, kc, scratch, warm_up))


def take_spare(executor: "ResilientExecute") -> "_Spare | None":
    """The pre-started kernel, ready (its warm-up done), or None."""
    while _SPARE:
        spare = _SPARE.pop()
        try:
            run_sync(spare.kc.wait_for_ready)(timeout=executor.startup_timeout)
            spare.kc.allow_stdin = False
            return spare
        except Exception:  # noqa: BLE001 (a spare that died is dropped)
            _drop_spare(spare)
    return None


def _drop_spare(spare: _Spare) -> None:
    try:
        spare.kc.stop_channels()
        run_sync(spare.km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001
        pass
    shutil.rmtree(spare.scratch, ignore_errors=True)


@atexit.register
def _drop_spares() -> None:
    while _SPARE:
        _drop_spare(_SPARE.pop())
