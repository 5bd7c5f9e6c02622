"""What grading records about a notebook besides scores: incidents and the mistakes found.

Both are written into the graded notebook's metadata under ``descent`` by
:class:`.execute.ResilientExecute`; every grading path reads them back with
:func:`incidents_of` and :func:`mistakes_of`.
"""
from __future__ import annotations

import re

from ..stage.inspection import COURSE_PATHS

#: Error text that a sandbox rule or a resource limit produces, and what to call it.
_BLOCKED = [
    ("PermissionError", "permission denied"),
    ("Read-only file system", "read-only file system"),
    ("Network is unreachable", "no network"),
    ("Temporary failure in name resolution", "no network"),
    ("Name or service not known", "no network"),
    ("MemoryError", "memory limit"),
    ("Cannot allocate memory", "memory limit"),
    ("Resource temporarily unavailable", "process limit"),
    ("File too large", "file size limit"),
    ("No space left on device", "disk limit"),
]
#: A missing file that is the course's (hidden by the sandbox), not a typo in a data file name.
_HIDDEN = re.compile(rf"FileNotFoundError: .*({COURSE_PATHS})")


def blocked_by(text: str) -> list[str]:
    """The sandbox rules or resource limits an error's ``text`` shows the code ran into (none: ``[]``)."""
    rules = [rule for needle, rule in _BLOCKED if needle in text]
    if _HIDDEN.search(text):
        rules.append("the course's files are hidden")
    return rules


def incidents_of(nb) -> list[dict]:
    """The incidents grading recorded in a graded notebook (empty if it was not graded here)."""
    found = nb.get("metadata", {}).get("descent", {}).get("incidents", [])
    return [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []


def mistakes_of(nb) -> dict[str, str]:
    """``{grade_id: mistake id}`` for the failed test cells of a graded notebook (empty if not graded here)."""
    found = nb.get("metadata", {}).get("descent", {}).get("mistakes", {})
    if not isinstance(found, dict):
        return {}
    return {str(k)[:200]: str(v)[:200] for k, v in found.items() if isinstance(v, str)}
