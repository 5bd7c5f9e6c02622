"""The course's configuration, stated once: sandbox and limits.

Every default lives here and nowhere else: ``nbgrader_config.py`` sets nbgrader's options from
these values and the traits of the grading classes (``SandboxedKernelManager``,
``ResilientExecute``) default to them. An instructor changes a value in
``nbgrader_config.py`` (``c.SandboxedKernelManager.memory_mb = 4096``) or, where named, with an
environment variable. The gradebook URL and the merged configuration belong to the course
(:class:`.coursedir.CourseRoot`).
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass

#: Environment variables an instructor may set instead of editing ``nbgrader_config.py``.
DB_URL_ENV = "DESCENT_DB_URL"                  # any SQLAlchemy URL: the gradebook
SANDBOX_ENV = "DESCENT_SANDBOX"                # "auto", "bwrap" or "off"
CELL_TIMEOUT_ENV = "DESCENT_CELL_TIMEOUT"      # seconds one cell may run
NOTEBOOK_SECONDS_ENV = "DESCENT_NOTEBOOK_SECONDS"  # seconds one notebook may take, replays included


@dataclass(frozen=True)
class KernelLimits:
    """What one grading kernel may use (rlimits and its private ``/tmp``); 0 means no limit."""

    memory_mb: int = 2048       # address space (NumPy and Matplotlib need about 1 GB)
    cpu_seconds: int = 120      # CPU time of the kernel process; a cell's wall time is the cell timeout
    max_processes: int = 64     # processes and threads in the kernel's sandbox
    file_size_mb: int = 64      # largest file the kernel may write
    tmp_mb: int = 256           # its private /tmp and /dev/shm
    core: int = 0               # largest core dump, bytes (none)


@dataclass(frozen=True)
class NotebookLimits:
    """What grading one notebook may take: output kept, time, restarts."""

    max_output_chars: int = 20_000       # text output kept per cell
    max_output_bytes: int = 2 * 2**20    # output of any kind kept per cell
    max_message_mb: int = 64             # on the kernel manager's own socket (outputs are not capped)
    notebook_seconds: int = 600          # wall-time budget of a notebook, replays after crashes included
    max_restarts: int = 8                # kernel restarts per notebook
    cell_timeout: int = 60               # seconds one cell may run before it is interrupted


@dataclass(frozen=True)
class SubmissionLimits:
    """What a submission and a grading worker may take."""

    max_notebook_mb: int = 20            # larger notebooks are refused before they are parsed
    worker_memory_mb: int = 6144         # a grading worker's own address space


KERNEL_LIMITS = KernelLimits()
NOTEBOOK_LIMITS = NotebookLimits()
SUBMISSION_LIMITS = SubmissionLimits()


def kernel_limits() -> dict[str, int]:
    """:data:`KERNEL_LIMITS` as ``{name: value}`` (the names of ``SandboxedKernelManager``'s traits)."""
    return asdict(KERNEL_LIMITS)


def sandbox_setting() -> str:
    """``$DESCENT_SANDBOX``, else ``"auto"``: bubblewrap where it works, else unsandboxed with a warning."""
    return os.environ.get(SANDBOX_ENV) or "auto"


def cell_timeout() -> int:
    """Seconds one cell may run at grading: ``$DESCENT_CELL_TIMEOUT``, else the default."""
    return int(os.environ.get(CELL_TIMEOUT_ENV) or NOTEBOOK_LIMITS.cell_timeout)


def notebook_seconds() -> int:
    """A notebook's grading budget in seconds: ``$DESCENT_NOTEBOOK_SECONDS``, else the default."""
    return int(os.environ.get(NOTEBOOK_SECONDS_ENV) or NOTEBOOK_LIMITS.notebook_seconds)
