"""The formgrader on a fresh clone: the committed ``release/`` assignments reach the gradebook.

``release/`` is committed, so a fresh clone has student versions but an empty (or no)
gradebook, and the formgrader's first Autograde click fails with nbgrader's "No assignment
with ID ... exists in the database". ``nbgrader_config.py`` calls :func:`sync_for_formgrader`:
inside a Jupyter server (the formgrader) it adds every released assignment the gradebook
lacks, in a child process, exactly as ``nbgrader generate_assignment`` fills the gradebook
but without touching ``release/``. Everywhere else (nbgrader's commands, ``descent``,
grading workers) it does nothing. If it cannot, the server log and the returned text say,
in one sentence, what to run.

    python -m course.instructor.grading.publish.gradebook_sync ROOT DB_URL    # what the child process runs
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

from ..core.coursedir import CourseRoot

GUARD = "DESCENT_GRADEBOOK_SYNC"


def released(root: Path) -> list[str]:
    """Assignments with notebooks in both ``source/`` and ``release/``."""
    return sorted(p.name for p in (root / "release").glob("*/")
                  if any(p.glob("*.ipynb")) and (root / "source" / p.name).is_dir())


def unregistered(root: Path, db_url: str) -> list[str]:
    """Released assignments the gradebook at ``db_url`` does not know (all of them if it has no tables)."""
    names = released(root)
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).is_file():
        return names
    # lazy: nbgrader_config.py imports this module wherever the configuration is read (0.15 s; 0.7 s with SQLAlchemy)
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            known = {row[0] for row in conn.execute(text("SELECT name FROM assignment"))}
    except SQLAlchemyError:
        known = set()
    finally:
        engine.dispose()
    return [n for n in names if n not in known]


def _in_jupyter_server() -> bool:
    server = sys.modules.get("jupyter_server.serverapp")
    return bool(server) and server.ServerApp.initialized()


def sync_for_formgrader(root: "str | Path", db_url: str, log: Callable[[str], None] = None) -> str:
    """In a Jupyter server, register the released assignments the gradebook lacks; what was done, or ``""``."""
    root = Path(root)
    if os.environ.get(GUARD) or not _in_jupyter_server():
        return ""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    try:
        missing = unregistered(root, db_url)
    except Exception as exc:  # an unreachable database: say what to run, do not stop the server
        missing, why = released(root), f"{type(exc).__name__}: {exc}"
    else:
        why = ""
    if not missing:
        return ""
    if not why:
        env = dict(os.environ, **{GUARD: "1"})
        proc = subprocess.run([sys.executable, "-m", __name__, str(root), db_url], env=env,
                              capture_output=True, text=True)
        if proc.returncode == 0:
            message = f"descent: added {', '.join(missing)} to the gradebook (released, not yet in it)"
            log(message)
            return message
        why = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        why = why[0]
    message = (f"descent: the gradebook does not know {', '.join(missing)} ({why}); "
               f"run `descent release` in {root} before autograding in the formgrader")
    log(message)
    return message


def main(argv: "list[str] | None" = None) -> int:
    # lazy: only the child process registers; importing release (nbgrader's converters) takes 3 s
    from .release import register_in_gradebook

    root_path, db_url = (argv or sys.argv[1:])[:2]
    root = CourseRoot.at(root_path, db_url)
    register_in_gradebook(root, unregistered(root.path, db_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
