"""The student's Lab notice that feedback is ready: its committed build is the build of its committed source,
and the student wheel's data files install exactly that build where JupyterLab looks for extensions."""
from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tomllib

from course.instructor.lab_notice import BUILT, LABEXTENSIONS, SOURCE, built_files, extension_name, stage_extension

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / SOURCE
#: What the build reads: the plugin, its npm project and the exact versions of the builder.
BUILD_INPUTS = ("index.js", "package.json", "package-lock.json")


def _built_package() -> dict:
    return json.loads((PROJECT / BUILT / "package.json").read_text())


def test_the_build_is_of_this_package_and_loads_a_file_it_holds():
    """Does the committed build carry the source's name and version, and does the entry JupyterLab loads exist?"""
    source, built = json.loads((PROJECT / "package.json").read_text()), _built_package()
    assert (built["name"], built["version"]) == (source["name"], source["version"]) == (extension_name(REPO), "0.1.0")
    assert (PROJECT / BUILT / built["jupyterlab"]["_build"]["load"]).is_file()


def test_the_built_plugin_is_the_committed_source_word_for_word():
    """Is the committed plugin file, up to its `export default` line, in the built chunk as written (the
    development build keeps it readable), so an edit of the source without a rebuild fails here?"""
    source = (PROJECT / "index.js").read_text()
    body = source[:source.index("export default plugin;")].rstrip()
    chunks = [p for p in (PROJECT / BUILT / "static").glob("index_js.*.js") if not p.name.endswith(".map")]
    assert len(chunks) == 1 and len(body) > 2000
    assert body in chunks[0].read_text()


def test_the_wheel_installs_every_built_file_and_install_json(tmp_path):
    """Does the staged project's data-files table install each built file, and JupyterLab's install.json naming
    the student's distribution, under share/jupyter/labextensions/<name>/?"""
    table = tomllib.loads(stage_extension(REPO, tmp_path, "descent-course-student"))["tool"]["setuptools"]["data-files"]
    name = extension_name(REPO)
    installed = {f"{target}/{Path(source).name}": tmp_path / source for target, sources in table.items()
                 for source in sources}
    expected = {f"{LABEXTENSIONS}/{name}/{p.as_posix()}" for p in [*built_files(REPO), Path("install.json")]}
    assert set(installed) == expected
    for target, staged in installed.items():
        if not target.endswith("install.json"):
            assert staged.read_bytes() == (PROJECT / BUILT / target.split(f"{name}/", 1)[1]).read_bytes()
    install = json.loads((tmp_path / SOURCE / name / "install.json").read_text())
    assert install["packageName"] == "descent-course-student"


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_a_rebuild_of_the_source_gives_the_committed_build_byte_for_byte(tmp_path):
    """Does `npm ci` and `npm run build` of the committed source, in a fresh folder, write exactly the committed
    build (nothing more, nothing less, the same bytes)?"""
    npm, node = shutil.which("npm"), shutil.which("node")
    assert npm and node, "npm and Node.js are needed to rebuild the Lab extension (CI installs them)"
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    assert tuple(int(part) for part in version.lstrip("v").split(".")[:2]) >= (20, 19), (
        f"Node.js {version}: the builder's bundler (rspack) needs 20.19 or later")
    for name in BUILD_INPUTS:
        shutil.copy2(PROJECT / name, tmp_path / name)
    for step in ([npm, "ci", "--no-audit", "--no-fund"], [npm, "run", "build"]):
        done = subprocess.run(step, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert _digests(tmp_path / BUILT) == _digests(PROJECT / BUILT)


def test_the_readme_gives_the_plugins_own_intervals():
    """Does the README's account of the notice give the intervals the plugin uses (10 s while the panel is open or
    a submission of the last 15 minutes waits, 60 s otherwise)?"""
    source = (PROJECT / "index.js").read_text()
    value = {name: math.prod(int(factor) for factor in re.search(rf"const {name} = ([0-9 *]+);", source).group(1)
                             .split("*")) for name in ("QUICK_SECONDS", "SLOW_SECONDS", "RECENT_SECONDS")}
    readme = " ".join((REPO / "README.md").read_text().split())
    assert (f"It asks every {value['QUICK_SECONDS']} s while the Assignments panel is open or a submission of the "
            f"last {value['RECENT_SECONDS'] // 60} minutes waits for feedback, every {value['SLOW_SECONDS']} s "
            "otherwise") in readme
