"""A course root: the folder with ``nbgrader_config.py`` and ``source/<assignment>/``."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path


class CourseError(Exception):
    """A problem an instructor can fix: the message says what and how."""


@dataclass(frozen=True)
class CourseRoot:
    """A checked course root. Build one with :meth:`find` or :meth:`at`."""

    path: Path

    @classmethod
    def at(cls, path: "str | Path") -> "CourseRoot":
        """The course root at ``path``; :class:`CourseError` if it is not one."""
        path = Path(path).resolve()
        missing = [name for name in ("nbgrader_config.py", "source") if not (path / name).exists()]
        if missing:
            raise CourseError(
                f"{path} is not a course root: it has no {' and no '.join(missing)}. "
                "Run from the course folder or pass --root PATH."
            )
        return cls(path)

    @classmethod
    def find(cls, start: "str | Path | None" = None) -> "CourseRoot":
        """The nearest course root at or above ``start`` (default: the working folder)."""
        start = Path(start or Path.cwd()).resolve()
        for folder in (start, *start.parents):
            if (folder / "nbgrader_config.py").exists() and (folder / "source").is_dir():
                return cls(folder)
        return cls.at(start)  # raises with the explanation

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
    def gradebook_url(self) -> str:
        """This course's own SQLite gradebook (whatever ``DESCENT_DB_URL`` says)."""
        from .config import course_gradebook

        return course_gradebook(self.path)

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
    return CourseRoot.at(Path(__file__).resolve().parents[3])
