"""``descent hub``: check the machine, lay out the state folder, prepare the graders, build the student environment,
run JupyterHub."""
from __future__ import annotations

import os
import pwd
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from ..grading.core.coursedir import CourseError, CourseRoot
from . import grader_env, graders, layout, student_env
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
    graders: tuple[str, ...]  # the first runs the formgrader; with several, they share the course (graders.py)
    course: str = "descent"
    ip: str = "127.0.0.1"
    port: int = 8000
    instant_feedback: bool = False  # run `descent serve` as the grader's second hub service

    @property
    def grader(self) -> str:
        """The grader account the hub's services run as."""
        return self.graders[0]

    @property
    def group(self) -> "str | None":
        """The graders' group when several graders share the course, else None."""
        return graders.graders_group(self.course) if len(self.graders) > 1 else None


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
    for name in (*settings.graders, *settings.users):
        try:
            pwd.getpwnam(name)
        except KeyError:
            raise CourseError(f"no system user {name!r}: create it first (useradd -m {name})") from None
    if readable_by_others(settings.root.source):
        raise CourseError(f"{settings.root.source} can be read by every account on this machine, students "
                          f"included: keep the course root in the grader's home (chmod 700 ~{settings.grader})"
                          + (", or, for several graders, make it 2770" if settings.group else ""))
    owner = settings.root.path.stat().st_uid
    if settings.group and owner != pwd.getpwnam(settings.grader).pw_uid:
        raise CourseError(f"{settings.root.path} belongs to {layout.owner_name(owner)}, not to the first grader "
                          f"{settings.grader}, who runs the formgrader and shares the course with the others: "
                          f"chown -R {settings.grader} {settings.root.path}, or name its owner first")


def hub_environment(settings: HubSettings, proxy: str) -> dict[str, str]:
    """The variables ``hub/jupyterhub_config.py`` reads."""
    return {**os.environ,
            "DESCENT_HUB_STATE": str(settings.state.resolve()),
            "DESCENT_HUB_ROOT": str(settings.root.path),
            "DESCENT_HUB_COURSE": settings.course,
            "DESCENT_HUB_GRADERS": ",".join(settings.graders),
            "DESCENT_HUB_IP": settings.ip,
            "DESCENT_HUB_PORT": str(settings.port),
            "DESCENT_HUB_PROXY": proxy,
            "DESCENT_HUB_GRADER_PYTHON": str(settings.state.resolve() / "grader-env" / "bin" / "python"),
            "DESCENT_HUB_INSTANT_FEEDBACK": "1" if settings.instant_feedback else ""}


def share_with_graders(settings: HubSettings, python: Path) -> None:
    """Several graders: refuse a gradebook they cannot share, share the course root, check each reaches it."""
    root, owner = settings.root.path, settings.grader
    graders.check_shared_gradebook(graders.gradebook_url(owner, python, root), list(settings.graders))
    graders.share_course_root(owner, python, root, settings.group)
    graders.check_graders_reach(root, list(settings.graders))
    print(f"descent hub: {root} shared with {', '.join(settings.graders)} (group {settings.group})", flush=True)


def prepare_graders(settings: HubSettings) -> "tuple[layout.HubLayout, Path]":
    """The graders' side (their group, the state folder and exchange, the grader's environment, the shared
    course root), after :func:`check_machine`; the state folder's layout and the grader's Python."""
    if settings.group:
        graders.ensure_group(settings.group, list(settings.graders))
    hub = layout.prepare(settings.state, settings.root.path, settings.course, [*settings.users, *settings.graders],
                         grader=settings.grader, group=settings.group)
    python = grader_env.build(hub.grader_env)
    grader_env.check_runs_as(settings.grader, python)
    if settings.group:
        share_with_graders(settings, python)
    return hub, python


def run_hub(settings: HubSettings) -> None:
    """Prepare everything, then replace this process with JupyterHub (its signals reach it directly)."""
    check_machine(settings)
    proxy = find_proxy(settings.root.path)
    hub, _ = prepare_graders(settings)
    wheel = student_env.find_wheel(settings.bundle)
    print(f"descent hub: student environment {'built' if student_env.build(hub.student_env, wheel) else 'up to date'}"
          f" from {wheel.name}", flush=True)
    config = settings.root.path / HUB_CONFIG
    os.chdir(hub.private)
    os.execve(sys.executable, [sys.executable, "-m", "course.instructor.hub.hubapp", "-f", str(config)],
              hub_environment(settings, proxy))
