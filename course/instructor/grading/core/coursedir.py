"""A course on the instructor's side: its folders, its gradebook and its configuration.

One :class:`CourseRoot` is passed to every step of the instructor's wing, as nbgrader passes
its ``CourseDirectory``: the folders (``source/``, ``submitted/``, ``grades/<assignment>/``,
the staging folder), the gradebook URL resolved once, the configuration merged as nbgrader
merges it, and gradebook sessions opened with the SQLite lock held (:mod:`.dblock`).

The gradebook URL, in order: the one given (``--db``, :meth:`CourseRoot.with_gradebook`), then
``$DESCENT_DB_URL``, then ``c.CourseDirectory.db_url`` from the configuration nbgrader reads,
then ``sqlite:///<root>/gradebook.db`` (nbgrader's own default).

The configuration is read the way nbgrader reads it: ``nbgrader_config.py`` from Jupyter's
config path (``jupyter --paths``), then from the course root, later files winning.
"""
from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from jupyter_core.paths import jupyter_config_path
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from . import dblock
from .config import DB_URL_ENV

CONFIG_FILE = "nbgrader_config.py"
GRADEBOOK_FILE = "gradebook.db"    # nbgrader's default gradebook, in the course root
GRADES = "grades"                  # grades/<assignment>/: one gradebook's CSV, histogram, ledger, reports
STAGING = ".descent-staging"       # the checked copies of submissions that nbgrader reads at grading


class CourseError(Exception):
    """A problem an instructor can fix: the message says what and how."""


def default_db_url(root: "str | Path") -> str:
    """What ``nbgrader_config.py`` names: ``$DESCENT_DB_URL``, else ``sqlite:///<root>/gradebook.db``."""
    return os.environ.get(DB_URL_ENV) or _sqlite_url(Path(root).resolve() / GRADEBOOK_FILE)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _absolute_sqlite(url: str, root: Path) -> str:
    """``sqlite:///relative.db`` is relative to the working folder, i.e. the course root."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            return _sqlite_url((root / path).resolve())
    return url


@dataclass(frozen=True)
class CourseRoot:
    """A checked course root. Build one with :meth:`find` or :meth:`at`.

    ``gradebook`` is the URL given for this run (``--db``); None means the one the course
    configures (see :attr:`db_url`).
    """

    path: Path
    gradebook: "str | None" = None

    @classmethod
    def at(cls, path: "str | Path", gradebook: "str | None" = None) -> "CourseRoot":
        """The course root at ``path``; :class:`CourseError` if it is not one."""
        path = Path(path).resolve()
        missing = [name for name in (CONFIG_FILE, "source") if not (path / name).exists()]
        if missing:
            raise CourseError(
                f"{path} is not a course root: it has no {' and no '.join(missing)}. "
                "Run from the course folder or pass --root PATH."
            )
        return cls(path, gradebook or None)

    @classmethod
    def find(cls, start: "str | Path | None" = None, gradebook: "str | None" = None) -> "CourseRoot":
        """The nearest course root at or above ``start`` (default: the working folder)."""
        start = Path(start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / CONFIG_FILE).exists() and (folder / "source").is_dir():
                return cls(folder, gradebook or None)
        return cls.at(start)  # raises with the explanation

    def with_gradebook(self, url: "str | None") -> "CourseRoot":
        """This course with the gradebook at ``url`` (None: the one the course configures)."""
        return replace(self, gradebook=url or None)

    def with_own_gradebook(self) -> "CourseRoot":
        """This course with its own SQLite file ``gradebook.db``, whatever the configuration says."""
        return self.with_gradebook(_sqlite_url(self.path / GRADEBOOK_FILE))

    # --- the configuration and the gradebook ---

    def _loaded_config(self) -> Config:
        """``nbgrader_config.py`` as it is now (read on every call: an instructor may have just edited it)."""
        merged = Config()
        folders = [*reversed(jupyter_config_path()), str(self.path)]
        for folder in dict.fromkeys(folders):  # each folder once, in order: the course root last
            if (Path(folder) / CONFIG_FILE).is_file():
                merged.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
        return merged

    @property
    def db_url(self) -> str:
        """The gradebook every step uses (the order is in this module's docstring)."""
        if self.gradebook:
            return self.gradebook
        if os.environ.get(DB_URL_ENV):
            return os.environ[DB_URL_ENV]
        configured = self._loaded_config().get("CourseDirectory", {}).get("db_url")
        if isinstance(configured, str) and configured:
            return _absolute_sqlite(configured, self.path)
        return _sqlite_url(self.path / GRADEBOOK_FILE)

    @property
    def config(self) -> Config:
        """The merged configuration, read afresh, its ``CourseDirectory`` root and gradebook this course's."""
        cfg = self._loaded_config()
        cfg.CourseDirectory.root = str(self.path)
        cfg.CourseDirectory.db_url = self.db_url
        return cfg

    @contextlib.contextmanager
    def open_gradebook(self) -> Iterator:
        """nbgrader's ``Gradebook`` for this course, opened and used with the gradebook's lock held."""
        with dblock.open_gradebook(self.db_url) as gb:
            yield gb

    # --- folders ---

    @property
    def source(self) -> Path:
        return self.path / "source"

    @property
    def release(self) -> Path:
        return self.path / "release"

    @property
    def submitted(self) -> Path:
        return self.path / "submitted"

    @property
    def autograded(self) -> Path:
        return self.path / "autograded"

    @property
    def feedback(self) -> Path:
        return self.path / "feedback"

    @property
    def staging(self) -> Path:
        """Where checked copies of the submissions wait for nbgrader (``c.CourseDirectory.submitted_directory``)."""
        return self.path / STAGING

    def grades(self, assignment: str) -> Path:
        """``grades/<assignment>/``: one gradebook's CSV, histogram and ledger (:mod:`..record.gradebook_record`)."""
        return self.path / GRADES / assignment

    def assignments(self) -> list[str]:
        """Assignment folders in ``source/`` that hold at least one notebook, sorted."""
        return sorted(p.name for p in self.source.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb")))

    def check_assignment(self, name: str) -> str:
        """Return ``name`` if it is an assignment of this course; else a clear :class:`CourseError`."""
        known = self.assignments()
        if name not in known:
            raise CourseError(f"no assignment {name!r} in {self.source}; the course has: {', '.join(known)}")
        return name

    def notebooks(self, assignment: str) -> list[Path]:
        """The source notebooks of an assignment."""
        return sorted((self.source / self.check_assignment(assignment)).glob("*.ipynb"))

    def students(self) -> list[str]:
        """Students with a folder in ``submitted/``."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir())

    def check_student(self, student: str) -> str:
        """Return ``student`` if they have submitted anything; else a clear :class:`CourseError`."""
        known = self.students()
        if student not in known:
            listed = ", ".join(known) if known else "nobody yet"
            raise CourseError(f"unknown student {student!r}: {self.submitted} holds {listed}")
        return student

    def copy_to(self, dest: "str | Path", *, with_release: bool = False) -> "CourseRoot":
        """Copy the config and ``source/`` (and ``release/``) into a fresh course at ``dest``."""
        dest = Path(dest)
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.path / "nbgrader_config.py", dest / "nbgrader_config.py")
        ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
        shutil.copytree(self.source, dest / "source", ignore=ignore, dirs_exist_ok=True)
        if with_release and self.release.is_dir():
            shutil.copytree(self.release, dest / "release", ignore=ignore, dirs_exist_ok=True)
        return CourseRoot.at(dest)


def default_root() -> CourseRoot:
    """The course this package was installed from (used by ``descent demo``)."""
    return CourseRoot.at(Path(__file__).resolve().parents[4])
