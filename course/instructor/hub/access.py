"""What an account that is neither owner nor group (a student) can reach on this machine."""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ..grading.core.coursedir import CourseError


def _reachable(path: Path) -> bool:
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents)


def readable_by_others(path: Path) -> bool:
    """Whether any other account can read (list) ``path``: every folder above it passable and it readable."""
    path = path.resolve()
    return _reachable(path) and bool(path.stat().st_mode & stat.S_IROTH)


def runnable_by_others(path: Path) -> bool:
    """Whether any other account can run the program ``path`` (links followed)."""
    path = path.resolve()
    return _reachable(path) and bool(path.stat().st_mode & stat.S_IXOTH)


def shared_python() -> Path:
    """A Python of this one's version that every account can run, to base the hub's environments on.

    The instructor's own interpreter may live where students cannot reach it (pyenv under
    ``/root``); the system's ``python3`` of the same version then serves.
    """
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [Path(getattr(sys, "_base_executable", sys.executable)), Path(sys.executable),
                  Path("/usr/bin") / version, Path("/usr/local/bin") / version]
    for candidate in candidates:
        if candidate.exists() and os.path.basename(candidate.resolve()).startswith(version) \
                and runnable_by_others(candidate):
            return candidate
    raise CourseError(f"no {version} that every account can run (tried {', '.join(map(str, candidates))}): "
                      f"install one (apt-get install {version}) or make this one readable")
