"""Look at a submitted notebook before grading: is it a notebook, were its locked cells touched,
and does the student's own code reach for what the sandbox forbids?

nbgrader itself restores locked cells from the gradebook (and, with
``OverwriteCells.add_missing_cells``, puts deleted test cells back), so tampering
cannot change a grade; what it changed is still worth telling the instructor.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import nbformat


class NotANotebook(Exception):
    """The file cannot be graded as a notebook; the message says why, for the student's row."""


def load_submitted(path: Path, raw: "bytes | None" = None):
    """Read a submitted notebook as nbformat 4, or raise :class:`NotANotebook` with a clear reason.

    ``raw``: the file's bytes, if already read. Returns ``(notebook, note)``; ``note`` is
    non-empty when the notebook had to be converted or its nbgrader metadata was malformed
    (that metadata is dropped; the cells come back from the release when they matter).
    """
    raw = path.read_bytes() if raw is None else raw
    if not raw.strip():
        raise NotANotebook(f"{path.name} is empty")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise NotANotebook(f"{path.name} is not text (is it a notebook?)") from None
    except json.JSONDecodeError as exc:
        raise NotANotebook(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg})") from None
    except RecursionError:
        raise NotANotebook(f"{path.name} is JSON nested too deeply to be a notebook") from None
    if not isinstance(data, dict) or "cells" not in data and "worksheets" not in data:
        raise NotANotebook(f"{path.name} is JSON but not a Jupyter notebook")
    major = data.get("nbformat")
    if major not in (3, 4):
        raise NotANotebook(f"{path.name} has nbformat {major!r}; a version 4 notebook is expected")
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    except Exception as exc:  # nbformat raises several kinds for malformed content
        raise NotANotebook(f"{path.name} is a damaged notebook ({type(exc).__name__}: {exc})"[:300]) from None
    notes = [f"{path.name} was nbformat 3 and was converted to 4"] if major == 3 else []
    malformed = 0
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if not isinstance(meta, dict):
            cell["metadata"] = nbformat.NotebookNode()
            malformed += 1
        elif "nbgrader" in meta and not _well_formed(meta["nbgrader"]):
            del meta["nbgrader"]
            malformed += 1
    if malformed:
        notes.append(f"{path.name}: malformed nbgrader metadata in {malformed} cell(s) was dropped")
    return nb, "; ".join(notes)


def _well_formed(meta) -> bool:
    """Is a cell's ``metadata.nbgrader`` what nbgrader can read (a dict of the right types)?"""
    if not isinstance(meta, dict):
        return False
    flags_ok = all(isinstance(meta.get(k, False), bool) for k in ("grade", "solution", "locked", "task"))
    points = meta.get("points", 0)
    return (flags_ok and isinstance(meta.get("grade_id", ""), str) and len(meta.get("grade_id", "")) < 200
            and isinstance(points, (int, float)) and not isinstance(points, bool))


def _nbgrader(cell) -> dict:
    meta = cell.get("metadata", {})
    meta = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return dict(meta) if isinstance(meta, dict) else {}


_GRADING_KEYS = ("grade", "solution", "locked", "points", "grade_id")


def tampering(submitted, release) -> list[str]:
    """What a submission changed in the cells students may not change (by grade_id)."""
    problems = []
    ids = Counter(_nbgrader(c).get("grade_id") for c in submitted.cells if _nbgrader(c).get("grade_id"))
    problems += [f"grade_id {gid!r} appears {n} times" for gid, n in sorted(ids.items()) if n > 1]
    expected = {_nbgrader(c)["grade_id"]: c for c in release.cells if _nbgrader(c).get("grade_id")}
    got = {}
    for cell in submitted.cells:
        gid = _nbgrader(cell).get("grade_id")
        if gid and gid not in got:
            got[gid] = cell
    for gid, cell in expected.items():
        meta = _nbgrader(cell)
        kind = "test cell" if meta.get("grade") else ("locked cell" if meta.get("locked") else "answer cell")
        if gid not in got:
            problems.append(f"{kind} {gid} was deleted (or its grade_id renamed)")
            continue
        mine = got[gid]
        mine_meta = _nbgrader(mine)
        if any(mine_meta.get(k) != meta.get(k) for k in _GRADING_KEYS) or mine.cell_type != cell.cell_type:
            problems.append(f"{kind} {gid}: its grading metadata was changed")
        if meta.get("locked") and mine.source != cell.source:
            problems.append(f"{kind} {gid} was edited")
    problems += [f"unknown grade_id {gid!r} (renamed or invented)" for gid in got if gid not in expected]
    return problems


def repair(submitted, release):
    """A copy of ``submitted`` whose graded structure matches ``release``, ready for nbgrader.

    Cells with unknown or repeated grade_ids lose their nbgrader metadata (they stay as the
    student's own cells); locked and test cells that were deleted or retyped come back from the
    release, in their place; grading metadata is reset to the release's. nbgrader then restores
    the locked cells' code (hidden tests included) from the gradebook as usual.
    """
    nb = nbformat.from_dict(submitted)
    expected = {_nbgrader(c)["grade_id"]: c for c in release.cells if _nbgrader(c).get("grade_id")}
    seen: set[str] = set()
    for cell in nb.cells:
        gid = _nbgrader(cell).get("grade_id")
        if "nbgrader" in cell.get("metadata", {}) and (gid not in expected or gid in seen):
            del cell.metadata["nbgrader"]
            continue
        if gid:
            seen.add(gid)
            wanted = expected[gid]
            if cell.cell_type != wanted.cell_type:
                cell.clear()
                cell.update(nbformat.from_dict(wanted))
            else:
                cell.metadata["nbgrader"] = dict(wanted.metadata["nbgrader"])
    order = [_nbgrader(c).get("grade_id") for c in release.cells]
    for position, gid in enumerate(order):
        if not gid or gid in seen:
            continue
        earlier = [g for g in order[:position] if g in seen]
        index = 0
        if earlier:
            index = next(i for i, c in enumerate(nb.cells) if _nbgrader(c).get("grade_id") == earlier[-1]) + 1
        restored = nbformat.from_dict(release.cells[position])
        restored["id"] = f"restored-{gid}"[:64]
        nb.cells.insert(index, restored)
        seen.add(gid)
    return nb


#: Paths of the course that a student's code has no business with (the sandbox hides them).
COURSE_PATHS = r"gradebook|nbgrader_config|\b(source|submitted|autograded|feedback|release)/|\.\./"

#: What student code has no reason to do in this course, with the words for the instructor's flag.
RISKY = [
    (re.compile(r"\b(socket|urllib|requests|httpx|http\.client|ftplib|smtplib|telnetlib)\b"),
     "opens a network connection"),
    (re.compile(r"\b(subprocess|os\.(system|popen|fork|exec\w*|spawn\w*|kill)|multiprocessing|pty)\b"),
     "starts processes"),
    (re.compile(COURSE_PATHS), "reads or writes the course's files"),
    (re.compile(r"\bctypes\b"), "calls C directly (ctypes)"),
    (re.compile(r"\b(resource\.setrlimit|signal\.(signal|alarm|setitimer))\b"), "changes limits or signals"),
    (re.compile(r"\b(np|numpy|math|builtins|course|check|plots)(\.\w+)+\s*=(?!=)|^\s*(np|check|course)\s*=(?!=)", re.M),
     "rebinds names of numpy, builtins or the course"),
    (re.compile(r"__code__|__globals__|__builtins__|__array_function__|__array_ufunc__|__class__\s*="),
     "rewrites functions or makes objects that pose as arrays"),
    (re.compile(r"ast_transformers|input_transformers|events\.register|settrace|setprofile|register_magic"),
     "installs IPython or tracing hooks"),
    (re.compile(r"\b(threading|_thread|asyncio)\b"), "starts threads"),
    (re.compile(r"sys\.modules|importlib|__import__|sys\.path"), "changes how modules are imported"),
    (re.compile(r"symlink|os\.link|get_connection_file|connection_file|hardlink"), "makes links or reaches for "
     "the kernel's own files"),
]


def risky_code(submitted, release) -> list[str]:
    """Lines for the instructor: which of the student's own code cells do something in :data:`RISKY`.

    Cells whose source is exactly a release cell's are the instructor's and are skipped.
    The sandbox stops these things at run time; this says who tried.
    """
    given = {c.source for c in release.cells if c.cell_type == "code"}
    found = []
    for index, cell in enumerate(submitted.cells):
        meta = _nbgrader(cell)
        if cell.cell_type != "code" or cell.source in given or meta.get("locked") or meta.get("grade"):
            continue
        name = meta.get("grade_id") or f"cell {index}"
        what = [words for pattern, words in RISKY if pattern.search(cell.source)]
        if what:
            found.append(f"review: {name} {', '.join(what)}")
    return found
