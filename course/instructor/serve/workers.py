"""Warm grading workers: processes that keep nbgrader, the grading steps, the gradebook engine and the
kernel template (started with the worker, for a root grader under bubblewrap) between submissions.

A worker is started once and grades submission after submission with ``descent grade``'s own
:func:`..grading.autograde.grade_student`. It dies with the service (``PR_SET_PDEATHSIG``): a
service killed with ``kill -9`` leaves no worker grading behind the one that restarts.
"""
from __future__ import annotations

import concurrent.futures
import ctypes
import logging
import multiprocessing
import signal
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

import nbgrader.converters  # noqa: F401 (imported once per worker, not at its first submission)

from ..grading.batch import limit_worker_memory
from ..grading.core.engines import share_engines
from ..grading.run.execute import ResilientExecute
from ..grading.run.hidden_test_plan import hidden_test_plan
from ..grading.run.sandbox import SandboxedKernelManager
from ..grading.run.spare_kernels import start_spare
from .policy import load_policy

if TYPE_CHECKING:
    from ..grading.core.coursedir import CourseRoot

_PR_SET_PDEATHSIG = 1


def _warm(memory_mb: int, course: "CourseRoot") -> None:
    """In each new worker: die with the service, cap memory, import what every grading needs, start
    the kernel template its kernels will fork from (a root grader under bubblewrap has one), and do
    ahead what a first grading would (:func:`_first_grading_ahead`)."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0)
    limit_worker_memory(memory_mb)

    try:  # the command of a kernel is where the manager starts its template: build one, start no kernel
        manager = SandboxedKernelManager(config=course.config, kernel_name="python3")
        manager._mode = manager.mode()  # as its pre-start sets it
        manager.format_kernel_cmd()
    except Exception as exc:  # noqa: BLE001 (the first grading starts it instead)
        logging.getLogger("descent.serve").warning("the kernel template did not start ahead: %s", exc)
    _first_grading_ahead(course)


def _first_grading_ahead(course: "CourseRoot") -> None:
    """What a worker's first grading would otherwise pay and every later one finds ready: the judge's
    imports (each graded notebook's locked cells' imports, read from the gradebook as the judge reads
    them), the gradebook's engine, and a spare kernel (sandboxed, its imports done, no student code)."""
    share_engines()
    try:
        for assignment in load_policy(course).assignments:
            for notebook in course.notebooks(assignment):
                hidden_test_plan({"nbgrader": {"db_url": course.db_url, "notebook": notebook.stem,
                                               "assignment": assignment}})
        start_spare(ResilientExecute(config=course.config))  # the kernel grade_student's prestart would leave
    except Exception as exc:  # noqa: BLE001 (the first grading does it instead)
        logging.getLogger("descent.serve").warning("the first grading's set-up was not done ahead: %s", exc)


def _ready() -> bool:
    return True


class WarmPool:
    """``workers`` processes, warmed at once and kept until :meth:`close`."""

    def __init__(self, workers: int, memory_mb: int, course: "CourseRoot"):
        self.workers = workers
        self._warmth = (memory_mb, course)
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_warm, initargs=self._warmth)
        for future in [pool.submit(_ready) for _ in range(self.workers)]:
            future.result()
        return pool

    def submit(self, fn, *args) -> Future:
        """Run ``fn(*args)`` in a warm worker; a pool broken by a dead worker is replaced first."""
        try:
            return self._pool.submit(fn, *args)
        except RuntimeError:  # BrokenProcessPool is one: a worker died
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(fn, *args)

    def wait(self, futures: list, seconds: float) -> None:
        """Return when one of ``futures`` finishes, or after ``seconds`` (at once if one already has)."""
        if futures:
            concurrent.futures.wait(futures, timeout=seconds, return_when=concurrent.futures.FIRST_COMPLETED)
        else:
            time.sleep(seconds)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """The Dask cluster of ``descent grade --scheduler``: one task per submission, on its warm workers."""

    def __init__(self, scheduler: str):
        from distributed import Client  # lazy: Dask only with --scheduler, and its import takes a second or more

        self.client = Client(scheduler, timeout="30s")

    def submit(self, fn, *args):
        """Run ``fn(*args)`` on a Dask worker; the future answers ``done()`` and ``result()`` as a local one."""
        return self.client.submit(fn, *args, pure=False)

    def wait(self, futures: list, seconds: float) -> None:
        """Return when one of ``futures`` finishes, or after ``seconds``, as :meth:`WarmPool.wait`."""
        from distributed import wait

        if not futures:
            time.sleep(seconds)
            return
        try:
            wait(futures, timeout=seconds, return_when="FIRST_COMPLETED")
        except TimeoutError:  # none finished within the poll: the loop looks at the inbound again
            pass

    def close(self) -> None:
        self.client.close()
