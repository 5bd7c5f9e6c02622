"""The grader service's Python: a thin environment on a shared interpreter that sees the instructor's packages.

The formgrader runs as the grader account, which may not be able to run the instructor's own
interpreter (pyenv under ``/root``). This environment is a ``venv`` of :func:`.access.shared_python`
whose one ``.pth`` line adds the instructor environment's ``site-packages`` (and, through its
own ``.pth`` files, the editable ``course``), and whose ``share/jupyter`` and ``etc/jupyter`` are
links to the instructor environment's: the same packages, an interpreter the grader may run.
Where that interpreter is an older patch release than the instructor's, a package may declare
that it needs a newer one: soupsieve 3.0 and later (``Requires-Python >=3.11.5``) write their
CSS grammar with possessive quantifiers, which CPython's ``re`` matched wrongly before 3.11.5
(gh-106052, gh-100061). On Debian's 3.11.2 such a soupsieve rejects every selector, nbconvert's
``img:not([alt])`` among them, and no feedback page is written. :func:`build` therefore installs,
into the environment's own ``site-packages`` (which comes before the instructor's), the newest
release the interpreter may run of each package whose ``Requires-Python`` excludes it
(soupsieve 2.8 here). An instructor's environment on a Python every account may run needs
no such stand-in.
"""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import distributions
from pathlib import Path

from ..grading.core.coursedir import CourseError
from .access import shared_python

PTH = "descent-instructor.pth"


def python_version(python: Path) -> str:
    """The version (``3.11.2``) of the interpreter ``python``."""
    return subprocess.run([str(python), "-I", "-c", "import platform; print(platform.python_version())"],
                          capture_output=True, text=True, check=True).stdout.strip()


def excluded_by_requires_python(site: str, version: str) -> list[str]:
    """The distributions in ``site`` whose ``Requires-Python`` excludes Python ``version`` (names, sorted)."""
    # lazy: packaging is in the instructor extra, not among the package's own dependencies
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    excluded = set()
    for dist in distributions(path=[site]):
        needs = dist.metadata.get("Requires-Python")
        try:
            if needs and not SpecifierSet(needs).contains(version, prereleases=True):
                excluded.add(dist.metadata["Name"])
        except InvalidSpecifier:
            continue
    return sorted(excluded)


def install_for_interpreter(env: Path, names: list[str]) -> None:
    """Install into ``env`` the newest release of each of ``names`` that ``env``'s interpreter may run."""
    command = [sys.executable, "-m", "pip", "--python", str(env / "bin" / "python"), "install", "--quiet",
               "--disable-pip-version-check", "--no-deps", "--ignore-installed", *names]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022))
    if result.returncode != 0:
        raise CourseError(f"installing {', '.join(names)} for the grader's interpreter failed:\n"
                          f"{result.stdout}{result.stderr}")


def build(env: Path) -> Path:
    """(Re)make ``env``; its ``bin/python``."""
    if env.exists():
        shutil.rmtree(env)
    result = subprocess.run([str(shared_python()), "-m", "venv", "--without-pip", str(env)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CourseError(f"building the grader's environment failed:\n{result.stderr}")
    instructor_site = sysconfig.get_paths()["purelib"]
    (site,) = env.glob("lib/python*/site-packages")
    (site / PTH).write_text(f"import site; site.addsitedir({instructor_site!r})\n")
    # Jupyter's data and configuration (nbconvert's templates, the Lab extensions, nbgrader's
    # server extensions) are looked up under sys.prefix: the instructor's, through links.
    for part in ("share/jupyter", "etc/jupyter"):
        target = Path(sys.prefix) / part
        if target.is_dir():
            (env / part).parent.mkdir(parents=True, exist_ok=True)
            (env / part).symlink_to(target)
    # nbgrader runs `alembic` from PATH when it creates a gradebook (the first `descent grade --exchange`
    # or formgrader of a course); the instructor's script runs on an interpreter the grader may not.
    alembic = env / "bin" / "alembic"
    alembic.write_text(f"#!{env / 'bin' / 'python'}\nimport sys\nfrom alembic.config import main\n"
                       "sys.exit(main())\n")
    alembic.chmod(0o755)
    excluded = excluded_by_requires_python(instructor_site, python_version(env / "bin" / "python"))
    if excluded:
        install_for_interpreter(env, excluded)
    return env / "bin" / "python"


def check_runs_as(user: str, python: Path) -> None:
    """Refuse, in one sentence, when the grader account cannot import the instructor's packages through ``python``.

    The usual cause: the instructor's environment lies under a folder only its owner may enter
    (``/root``, a ``mktemp -d`` folder); the formgrader would then die at its first import.
    """
    result = subprocess.run(["runuser", "-u", user, "--", str(python), "-c", "import jupyterhub, nbgrader, course"],
                            capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        said = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "?"
        raise CourseError(
            f"the grader account {user} cannot use the instructor's environment ({sysconfig.get_paths()['purelib']}): "
            "install the course where every account may read it (e.g. a virtual environment under /opt on a "
            f"Python outside /root); it said: {said}")


def added_site(python: str) -> "str | None":
    """The instructor's ``site-packages`` a thin environment's ``python`` adds (``None`` for any other Python).

    The grading sandbox hides the course root, and with it an instructor's ``.venv`` inside it:
    it mounts this folder back, read-only, for a kernel started from this environment.
    """
    env = Path(os.path.abspath(python)).parent.parent
    for pth in env.glob(f"lib/python*/site-packages/{PTH}"):
        call = ast.parse(pth.read_text()).body[-1].value  # site.addsitedir('<folder>')
        return call.args[0].value
    return None
