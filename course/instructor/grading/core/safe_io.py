"""Reading files that a student could have made, without following links or reading without end."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """A link, a device, a folder or a fifo where a plain file was expected."""


def read_capped(path: "str | Path", max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes of the regular file at ``path``; never follow a link.

    A result longer than ``max_bytes`` means the file is larger than the cap.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if os.path.islink(path):
            raise NotARegularFile(f"{Path(path).name} is a link, not a file") from None
        raise exc
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise NotARegularFile(f"{Path(path).name} is not a regular file")
        return handle.read(max_bytes + 1)


def regular_files(folder: "str | Path") -> list[Path]:
    """Regular files under ``folder``, sorted, never entering a linked folder or listing a link."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not os.path.islink(os.path.join(dirpath, d)))
        for name in filenames:
            path = os.path.join(dirpath, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                found.append(Path(path))
    return sorted(found)
