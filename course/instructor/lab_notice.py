"""The student's JupyterLab notice that feedback is ready, as the student wheel carries it.

The notice is a JupyterLab 4 extension of one plugin file, ``labextension/index.js``, built into
``labextension/built/`` (a federated extension: ``package.json`` and ``static/``) by
``npm ci --prefix labextension && npm run build --prefix labextension``. The built files are
committed, so building the student wheel needs no Node.js: :func:`stage_extension` copies them into
the staged project, and the wheel installs them where JupyterLab finds extensions,
``<environment>/share/jupyter/labextensions/descent-feedback-notice/``.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .grading.core.coursedir import CourseError

#: The extension's npm project, in the course root.
SOURCE = "labextension"
#: What ``npm run build`` writes there (the ``outputDir`` of its ``package.json``).
BUILT = "built"
#: Where the wheel's data files install, under the environment's prefix.
LABEXTENSIONS = "share/jupyter/labextensions"


def extension_name(root: Path) -> str:
    """The extension's npm name (its folder under ``share/jupyter/labextensions/``)."""
    return json.loads((root / SOURCE / "package.json").read_text())["name"]


def built_files(root: Path) -> list[Path]:
    """The committed build, relative to ``labextension/built/``, sorted.

    Raises
    ------
    CourseError
        If the course root holds no build (``labextension/built/package.json``).
    """
    built = root / SOURCE / BUILT
    if not (built / "package.json").is_file():
        raise CourseError(f"{built} holds no built JupyterLab extension: run `npm ci --prefix {SOURCE}` and "
                          f"`npm run build --prefix {SOURCE}` in {root}")
    return sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())


def install_json(distribution: str) -> str:
    """JupyterLab's ``install.json``: which Python package installed the extension."""
    return json.dumps({"packageManager": "python", "packageName": distribution,
                       "uninstallInstructions": f"pip uninstall {distribution}"}, indent=2) + "\n"


def stage_extension(root: Path, stage: Path, distribution: str) -> str:
    """Copy the built extension into ``stage`` (with ``install.json``); the ``pyproject.toml`` table that
    installs it as the wheel's data files."""
    name = extension_name(root)
    staged = Path(SOURCE) / name
    built = built_files(root)
    for relative in built:
        (stage / staged / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / SOURCE / BUILT / relative, stage / staged / relative)
    (stage / staged / "install.json").write_text(install_json(distribution))
    folders: dict[str, list[str]] = {}
    for relative in [*built, Path("install.json")]:
        target = (Path(LABEXTENSIONS) / name / relative).parent.as_posix()
        folders.setdefault(target, []).append((staged / relative).as_posix())
    lines = [f'"{target}" = [{", ".join(json.dumps(f) for f in sources)}]' for target, sources in folders.items()]
    return "[tool.setuptools.data-files]\n" + "\n".join(lines) + "\n"
