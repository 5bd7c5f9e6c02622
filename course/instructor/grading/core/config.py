"""What an instructor may set by environment variable, and a submission's limits.

Each limit of grading is defined once, as the trait (its help and default) that
``nbgrader_config.py`` sets: a kernel's in :class:`..run.sandbox.SandboxedKernelManager`
(``c.SandboxedKernelManager.memory_mb = 4096``), a notebook's in :class:`..run.execute.ResilientExecute`
(``c.ResilientExecute.notebook_seconds = 900``), a submission's in :class:`Submissions` here
(``c.Submissions.max_notebook_mb = 50``). A trait named below also takes its default from an
environment variable (:func:`from_environment`). The gradebook URL and the merged configuration
belong to the course (:class:`.coursedir.CourseRoot`).
"""
from __future__ import annotations

import os

from traitlets import Integer, default
from traitlets.config import Configurable

#: Environment variables an instructor may set instead of editing ``nbgrader_config.py``.
DB_URL_ENV = "DESCENT_DB_URL"                  # any SQLAlchemy URL: the gradebook
SANDBOX_ENV = "DESCENT_SANDBOX"                # SandboxedKernelManager.sandbox: "auto", "bwrap" or "off"
CELL_TIMEOUT_ENV = "DESCENT_CELL_TIMEOUT"      # ResilientExecute.timeout: seconds one cell may run
NOTEBOOK_SECONDS_ENV = "DESCENT_NOTEBOOK_SECONDS"  # ResilientExecute.notebook_seconds, replays included


def from_environment(trait_name: str, variable: str):
    """A dynamic default for the trait ``trait_name``: ``$variable`` when it is set, else the trait's own.

    Use in a class body: ``_timeout_default = from_environment("timeout", CELL_TIMEOUT_ENV)``.
    A value set in ``nbgrader_config.py`` still wins over both.
    """

    @default(trait_name)
    def _from_environment(self):
        trait = self.traits()[trait_name]
        given = os.environ.get(variable)
        if not given:
            return trait.default_value
        return int(given) if isinstance(trait, Integer) else given

    return _from_environment


class Submissions(Configurable):
    """What a submission and a grading worker may take (``c.Submissions`` in ``nbgrader_config.py``)."""

    max_notebook_mb = Integer(20, help="Largest notebook accepted, MiB: a larger one is refused before it "
                                       "is parsed.").tag(config=True)
    worker_memory_mb = Integer(6144, help="Address space of one grading worker process, MiB (a student's "
                                          "answers cannot exhaust the machine); 0: no limit.").tag(config=True)

    @property
    def max_notebook_bytes(self) -> int:
        return self.max_notebook_mb * 2**20
