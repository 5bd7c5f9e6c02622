"""A notebook's scratch folder: where its kernel runs, with copies of the small data files beside it."""
from __future__ import annotations

import os
from pathlib import Path

from ..core.safe_io import read_capped

#: Files a notebook's scratch folder gets from nbgrader's folder: small regular files, never notebooks.
SCRATCH_MAX_BYTES = 16 * 2**20



def copy_regular_files(source: Path, dest: Path) -> None:
    """Copy the small, non-notebook regular files of ``source`` into ``dest`` (never following a link)."""
    for entry in os.scandir(source):
        if entry.name.endswith(".ipynb") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            data = read_capped(entry.path, SCRATCH_MAX_BYTES)
        except OSError:
            continue
        if len(data) <= SCRATCH_MAX_BYTES:
            (dest / entry.name).write_bytes(data)
