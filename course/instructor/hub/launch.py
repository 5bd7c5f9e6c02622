"""``descent hub``: check the machine, lay out the state folder, build the student environment, run JupyterHub."""
from __future__ import annotations

import os
import pwd
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..grading.core.coursedir import CourseError, CourseRoot
from . import grader_env, layout, student_env
from .access import readable_by_others

#: The hub's configuration, kept in the course repository.
HUB_CONFIG = Path("hub") / "jupyterhub_config.py"
PROXY = "configurable-http-proxy"


@dataclass(frozen=True)
class HubSettings:
    """What ``descent hub`` was asked for."""

    root: CourseRoot
    state: Path
    bundle: Path
    users: list[str]
    grader: str
    course: str = "descent"
    ip: str = "127.0.0.1"
    port: int = 8000
    instant_feedback: bool = False  # run `descent serve` as the grader's second hub service


def find_proxy(root: Path) -> str:
    """The proxy: ``hub/node_modules`` (``npm ci --prefix hub``) of the course root or of this repository, else PATH."""
    here = Path(__file__).resolve().parents[3]
    for base in (root, here):
        local = base / "hub" / "node_modules" / ".bin" / PROXY
        if local.exists():
            return str(local)
    found = shutil.which(PROXY)
    if not found:
        raise CourseError(f"{PROXY} not found: run `npm ci --prefix hub` in the course root "
                          f"(or `npm install -g {PROXY}`)")
    return found


def check_machine(settings: HubSettings) -> None:
    """Refuse what would break isolation or cannot work: not root, no grader account, open ``source/``."""
    if os.geteuid() != 0:
        raise CourseError("run `descent hub` as root: JupyterHub starts each student's server as that student's "
                          "system user (LocalProcessSpawner), which only root can do")
    for name in (settings.grader, *settings.users):
        try:
            pwd.getpwnam(name)
        except KeyError:
            raise CourseError(f"no system user {name!r}: create it first (useradd -m {name})") from None
    if readable_by_others(settings.root.source):
        raise CourseError(f"{settings.root.source} can be read by every account on this machine, students "
                          f"included: keep the course root in the grader's home (chmod 700 ~{settings.grader})")


def hub_environment(settings: HubSettings, proxy: str) -> dict[str, str]:
    """The variables ``hub/jupyterhub_config.py`` reads."""
    return {**os.environ,
            "DESCENT_HUB_STATE": str(settings.state.resolve()),
            "DESCENT_HUB_ROOT": str(settings.root.path),
            "DESCENT_HUB_COURSE": settings.course,
            "DESCENT_HUB_GRADER": settings.grader,
            "DESCENT_HUB_IP": settings.ip,
            "DESCENT_HUB_PORT": str(settings.port),
            "DESCENT_HUB_PROXY": proxy,
            "DESCENT_HUB_GRADER_PYTHON": str(settings.state.resolve() / "grader-env" / "bin" / "python"),
            "DESCENT_HUB_INSTANT_FEEDBACK": "1" if settings.instant_feedback else ""}


def run_hub(settings: HubSettings) -> None:
    """Prepare everything, then replace this process with JupyterHub (its signals reach it directly)."""
    check_machine(settings)
    proxy = find_proxy(settings.root.path)
    hub = layout.prepare(settings.state, settings.root.path, settings.course, [*settings.users, settings.grader],
                         grader=settings.grader)
    wheel = student_env.find_wheel(settings.bundle)
    print(f"descent hub: student environment {'built' if student_env.build(hub.student_env, wheel) else 'up to date'}"
          f" from {wheel.name}", flush=True)
    grader_env.check_runs_as(settings.grader, grader_env.build(hub.grader_env))
    config = settings.root.path / HUB_CONFIG
    os.chdir(hub.private)
    os.execve(sys.executable, [sys.executable, "-m", "course.instructor.hub.hubapp", "-f", str(config)],
              hub_environment(settings, proxy))
