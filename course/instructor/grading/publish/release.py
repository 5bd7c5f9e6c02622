"""Generate ``release/`` from ``source/`` with nbgrader, and say what changed."""
from __future__ import annotations

import hashlib
import io
import logging
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.converters import GenerateAssignment
from nbgrader.coursedir import CourseDirectory

from ..core.coursedir import CourseError, CourseRoot
from ..judge import expected


def _digests(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass
class ReleaseChanges:
    """Files of one assignment's release, by what happened to them."""

    assignment: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not (self.added or self.changed or self.removed):
            return f"{self.assignment}: unchanged ({len(self.unchanged)} files)"
        parts = [f"{label} {', '.join(files)}" for label, files in
                 (("added", self.added), ("changed", self.changed), ("removed", self.removed)) if files]
        return f"{self.assignment}: " + "; ".join(parts)


def _generate(root: CourseRoot, names: list[str], release_dir: "Path | None" = None) -> None:
    """``nbgrader generate_assignment NAME --force`` for each name, in this process.

    One process for all assignments saves nbgrader's start-up per assignment; the
    converter is the one ``nbgrader generate_assignment`` runs. ``release_dir`` writes
    the student versions elsewhere than ``release/`` (the gradebook is filled all the same).
    """

    # nbgrader runs `alembic` from PATH when it creates a gradebook: find this environment's.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    cfg = root.config
    if release_dir is not None:
        cfg.CourseDirectory.release_directory = str(release_dir)
    for name in names:
        buffer = io.StringIO()
        log = logging.getLogger(f"descent.release.{name}")
        log.handlers, log.propagate = [logging.StreamHandler(buffer)], False
        log.setLevel(logging.INFO)
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = name
        converter = GenerateAssignment(coursedir=coursedir, config=cfg)
        converter.log = log
        converter.force = True
        try:
            converter.start()
        except Exception as exc:
            tail = "\n".join(buffer.getvalue().strip().splitlines()[-20:])
            raise CourseError(f"generating {name} failed: {exc}\n{tail}") from None


def release(root: CourseRoot, assignments: "list[str] | None" = None) -> list[ReleaseChanges]:
    """Regenerate ``release/<assignment>`` for each assignment (default: all), filling ``root``'s
    gradebook, and report changes."""
    names = [root.check_assignment(a) for a in assignments] if assignments else root.assignments()
    before_all = {name: _digests(root.release / name) for name in names}
    _generate(root, names)
    reports = []
    for name in names:
        before, after = before_all[name], _digests(root.release / name)
        reports.append(ReleaseChanges(
            name,
            added=sorted(set(after) - set(before)),
            changed=sorted(k for k in set(after) & set(before) if after[k] != before[k]),
            removed=sorted(set(before) - set(after)),
            unchanged=sorted(k for k in set(after) & set(before) if after[k] == before[k]),
        ))
    return reports


def record_check_outputs(root: CourseRoot) -> str:
    """Record the visible checks' expected outputs (``course/checks/expected/``) in the course's own package.

    The checks compare with outputs of the model solutions recorded here, on the instructor's side
    (:mod:`..judge.expected`); a course root without the package (a scratch copy of notebooks) has none to write.
    """
    folder = root.path / "course" / "checks"
    if not folder.is_dir():
        return "course/checks/expected: no course/checks here, nothing recorded"
    changed = expected.write(folder / "expected")
    return f"course/checks/expected: {'changed ' + ', '.join(changed) if changed else 'unchanged'}"


def register_in_gradebook(root: CourseRoot, assignments: list[str]) -> None:
    """Add ``assignments`` (their notebooks, graded and locked cells) to ``root``'s gradebook, as
    ``nbgrader generate_assignment`` does, leaving ``release/`` untouched."""
    with tempfile.TemporaryDirectory(prefix="descent-register-") as scratch:
        _generate(root, assignments, release_dir=Path(scratch))


def stale_releases(root: CourseRoot) -> list[str]:
    """Folders in ``release/`` with no assignment in ``source/`` any more."""
    if not root.release.is_dir():
        return []
    known = set(root.assignments())
    return sorted(p.name for p in root.release.iterdir() if p.is_dir() and p.name not in known)
