"""What every way of importing submissions shares: the report, the size cap, which files count."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


@dataclass
class ImportReport:
    """Who was imported, and whose files changed (new or different bytes) since the last import."""

    students: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # students with at least one new or changed file
    missing: list[str] = field(default_factory=list)  # student folders without this assignment
    notes: list[str] = field(default_factory=list)  # what the instructor should know: preset, resubmissions
    lms_ids: dict = field(default_factory=dict)  # student -> their id in the LMS download


#: Bytes of one submitted file copied at most; staging then refuses what is above the course's
#: limit (``c.Submissions.max_notebook_mb``), before parsing it.
IMPORT_CAP = 256 * 2**20


def write_if_changed(data: bytes, dest: Path) -> bool:
    """Write ``data`` to ``dest`` unless it already holds exactly that; whether it wrote."""
    if dest.exists() and dest.read_bytes() == data:
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return True


def visible(name: str) -> bool:
    """A file worth importing: not a dot-file, not in a dot-folder or a zip's ``__MACOSX/``."""
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] != "__MACOSX" and not any(p.startswith(".") for p in parts)
