"""The hub's state folder, laid out with the modes that keep students apart.

    STATE/                  0755 root  (students traverse it to reach their environment)
      hub/                  0700 root  the hub's database, cookie secret, proxy pid: no student reads them
      student-env/          0755 root  the students' Python: the student wheel and Jupyter, nothing else
      grader-env/           0755 root  the formgrader's Python (the instructor's packages; see grader_env.py)
      student-config/       0755 root  the students' JupyterLab configuration (Assignments on)
      exchange-config/      0755 root  nbgrader_config.py naming the course and the exchange
      exchange/             1777 root  nbgrader's exchange, as nbgrader documents it (world-writable,
                                       sticky); `nbgrader release_assignment` makes the course's
                                       inbound write-only for students (0733)
      users.txt             0644 root  who may log in (students and graders), one name a line
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

#: The student's Lab on the hub, kept in the repository next to the hub's config.
STUDENT_SERVER_CONFIG = Path("hub") / "student" / "jupyter_server_config.py"


@dataclass(frozen=True)
class HubLayout:
    """Paths of a hub's state folder ``state``."""

    state: Path

    @property
    def private(self) -> Path:
        return self.state / "hub"

    @property
    def student_env(self) -> Path:
        return self.state / "student-env"

    @property
    def grader_env(self) -> Path:
        return self.state / "grader-env"

    @property
    def student_config(self) -> Path:
        return self.state / "student-config"

    @property
    def exchange_config(self) -> Path:
        return self.state / "exchange-config"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def users(self) -> Path:
        return self.state / "users.txt"


def _folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, 0, 0)
    path.chmod(mode)  # set explicitly: mkdir's mode is filtered by the umask
    return path


def exchange_config_text(exchange: Path, course: str) -> str:
    """``nbgrader_config.py`` for everyone on the hub: the course id and the exchange root."""
    return ('"""Written by `descent hub`: the course and nbgrader\'s exchange on this hub."""\n'
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {course!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n")


def prepare(state: Path, root: Path, course: str, users: list[str]) -> HubLayout:
    """Create or refresh the state folder's folders and files with their owners and modes."""
    layout = HubLayout(state.resolve())
    _folder(layout.state, 0o755)
    _folder(layout.private, 0o700)
    _folder(layout.student_config, 0o755)
    _folder(layout.exchange_config, 0o755)
    _folder(layout.exchange, 0o1777)
    shutil.copyfile(root / STUDENT_SERVER_CONFIG, layout.student_config / "jupyter_server_config.py")
    (layout.exchange_config / "nbgrader_config.py").write_text(exchange_config_text(layout.exchange, course))
    layout.users.write_text("".join(f"{u}\n" for u in users))
    for written in (layout.student_config / "jupyter_server_config.py",
                    layout.exchange_config / "nbgrader_config.py", layout.users):
        written.chmod(0o644)
    return layout
