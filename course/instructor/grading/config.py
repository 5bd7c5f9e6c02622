"""The course's configuration, stated once: gradebook, sandbox, limits.

Every default lives here and nowhere else: ``nbgrader_config.py`` sets nbgrader's options from
these values, the traits of the grading classes (``SandboxedKernelManager``,
``ResilientExecute``) default to them, and every ``descent`` command reads the gradebook URL
and the sandbox setting through this module. An instructor changes a value in
``nbgrader_config.py`` (``c.SandboxedKernelManager.memory_mb = 4096``) or, where named, with an
environment variable.

The configuration is read the way nbgrader reads it, without importing nbgrader:
``nbgrader_config.py`` from Jupyter's config path (``jupyter --paths``), then from the course
root, later files winning, so that ``c.CourseDirectory.db_url`` set there selects one gradebook
for nbgrader, the formgrader and every ``descent`` command.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

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


def course_gradebook(root: "str | Path") -> str:
    """The course root's own SQLite gradebook: ``sqlite:///<root>/gradebook.db`` (nbgrader's default)."""
    return f"sqlite:///{Path(root).resolve() / 'gradebook.db'}"


def default_db_url(root: "str | Path") -> str:
    """The gradebook ``nbgrader_config.py`` names: ``$DESCENT_DB_URL``, else the course's SQLite file."""
    return os.environ.get(DB_URL_ENV) or course_gradebook(root)


CONFIG_FILE = "nbgrader_config.py"


def load_course_config(root: "str | Path"):
    """The merged ``traitlets`` config: Jupyter's config folders, then ``root/nbgrader_config.py``.

    Parameters
    ----------
    root
        The course root (the folder that holds ``nbgrader_config.py``).
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    merged = Config()
    folders = [*reversed(jupyter_config_path()), str(Path(root).resolve())]
    for folder in dict.fromkeys(folders):  # each folder once, in order: the course root last
        if (Path(folder) / CONFIG_FILE).is_file():
            merged.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    return merged


def _absolute_sqlite(url: str, root: Path) -> str:
    """``sqlite:///relative.db`` is relative to the working folder, i.e. the course root."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            return f"sqlite:///{(root / path).resolve()}"
    return url


def gradebook_url(root: "str | Path", explicit: "str | None" = None) -> str:
    """The gradebook URL every ``descent`` command uses.

    In order: ``explicit`` (``--db``), then ``$DESCENT_DB_URL``, then
    ``c.CourseDirectory.db_url`` from the configuration nbgrader reads, then
    ``sqlite:///<root>/gradebook.db`` (nbgrader's own default).
    """
    root = Path(root).resolve()
    if explicit:
        return explicit
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    configured = load_course_config(root).get("CourseDirectory", {}).get("db_url")
    if isinstance(configured, str) and configured:
        return _absolute_sqlite(configured, root)
    return course_gradebook(root)
