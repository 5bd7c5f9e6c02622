"""Generate ``release/`` from ``source/`` with nbgrader, and say what changed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .coursedir import CourseRoot
from .nbgrader_run import generate_assignment


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


def release(root: CourseRoot, assignments: "list[str] | None" = None,
            db_url: "str | None" = None) -> list[ReleaseChanges]:
    """Regenerate ``release/<assignment>`` for each assignment (default: all) and report changes."""
    names = [root.check_assignment(a) for a in assignments] if assignments else root.assignments()
    reports = []
    for name in names:
        before = _digests(root.release / name)
        generate_assignment(root, name, db_url=db_url)
        after = _digests(root.release / name)
        reports.append(ReleaseChanges(
            name,
            added=sorted(set(after) - set(before)),
            changed=sorted(k for k in set(after) & set(before) if after[k] != before[k]),
            removed=sorted(set(before) - set(after)),
            unchanged=sorted(k for k in set(after) & set(before) if after[k] == before[k]),
        ))
    return reports


def stale_releases(root: CourseRoot) -> list[str]:
    """Folders in ``release/`` with no assignment in ``source/`` any more."""
    if not root.release.is_dir():
        return []
    known = set(root.assignments())
    return sorted(p.name for p in root.release.iterdir() if p.is_dir() and p.name not in known)
