"""Whether nbgrader is running this notebook: one test every module of the lessons' wing asks."""
from __future__ import annotations

import os


def is_grading() -> bool:
    """True while nbgrader executes the notebook (autograde or validate)."""
    return os.environ.get("NBGRADER_EXECUTION", "") in {"autograde", "validate"}
