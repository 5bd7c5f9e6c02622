"""Read the course's nbgrader configuration the way nbgrader does, without importing nbgrader.

nbgrader loads ``nbgrader_config.py`` from Jupyter's config path (``jupyter --paths``)
and then from the working folder, later files winning. ``descent`` does the same with
the course root as the working folder, so that ``c.CourseDirectory.db_url`` set there
selects one gradebook for nbgrader, the formgrader and every ``descent`` command.
"""
from __future__ import annotations

import os
from pathlib import Path

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
    if os.environ.get("DESCENT_DB_URL"):
        return os.environ["DESCENT_DB_URL"]
    configured = load_course_config(root).get("CourseDirectory", {}).get("db_url")
    if isinstance(configured, str) and configured:
        return _absolute_sqlite(configured, root)
    return f"sqlite:///{root / 'gradebook.db'}"
