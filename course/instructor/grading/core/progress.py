"""A one-line progress bar: students done, failed and remaining, with a rate and an ETA."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws one line on a terminal; prints one line per update otherwise (for logs)."""

    def __init__(self, total: int, stream: "TextIO | None" = None, width: int = 24):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.perf_counter()
        self.tty = getattr(self.stream, "isatty", lambda: False)()

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += int(failed)
        self._draw()

    def line(self) -> str:
        elapsed = time.perf_counter() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = left / rate if rate > 0 else float("nan")
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        eta_text = "--" if eta != eta else f"{int(eta) // 60}:{int(eta) % 60:02d}"
        return (f"[{bar}] {self.done - self.failed} graded · {self.failed} failed · {left} left · "
                f"{rate * 60:.1f} students/min · ETA {eta_text}")

    def _draw(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line())
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
