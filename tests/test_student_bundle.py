"""What a class is given: the student wheel, alone in a clean environment, runs the course and its checks,
and holds none of the instructor's code."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import grading_harness as harness
import pytest

from course.instructor.bundle import (
    INSTRUCTOR_ONLY,
    LAB_CONFIG,
    NOTEBOOKS,
    build_bundle,
    build_wheel,
    instructor_files,
    stage_lessons_wing,
    student_requirements,
)
from course.instructor.grading import CourseError, CourseRoot

REPO = harness.REPO
RUNNER = Path(__file__).with_name("student_env_runner.py")
ASSIGNMENTS = sorted(p.name for p in REPO.glob("release/[0-9][0-9]_*"))
#: Planted mistakes only the hidden tests see (as in tests/lessons): a right value typed in by hand.
HIDDEN_ONLY = {("04_matrix_weights", "hand_typed_W1", "train_W1"),
               ("04_matrix_weights", "hand_typed_W1_gradient_unwritten", "train_W1"),
               ("07_stochastic_descent", "typed_answer_unwritten_noise", "quiet_batch_size")}


def test_the_staged_wing_is_the_package_without_the_instructors_wing(tmp_path):
    """Does the staged copy hold every module of course/ except course/instructor/ and the CLI's __main__?"""
    stage = stage_lessons_wing(REPO, tmp_path)
    staged = {p.relative_to(stage).as_posix() for p in (stage / "course").rglob("*.py")}
    expected = {p.relative_to(REPO).as_posix() for p in (REPO / "course").rglob("*.py")
                if p.relative_to(REPO / "course").parts[0] not in INSTRUCTOR_ONLY}
    assert staged == expected
    assert not any("instructor" in s or s.endswith("__main__.py") for s in staged)


def test_the_student_needs_only_what_the_notebooks_use():
    """Does the wheel declare NumPy, Matplotlib, ipywidgets, JupyterLab, a kernel and nbgrader (for Validate)?"""
    names = {r.split("<")[0].split(">")[0].split("=")[0].split("[")[0].strip() for r in student_requirements(REPO)}
    assert names == {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel", "nbgrader"}


def test_bundle_refuses_a_folder_that_is_not_empty(tmp_path):
    """Does `descent bundle` refuse to write into a folder holding anything, so the bundle is exactly what it wrote?"""
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CourseError, match="not an empty folder"):
        build_bundle(CourseRoot.at(REPO), tmp_path)


@pytest.fixture(scope="module")
def student_wheel(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    start = time.perf_counter()
    wheel = build_wheel(stage_lessons_wing(REPO, base / "stage"), base / "dist")
    print(f"student wheel: {wheel.stat().st_size / 1024:.0f} KiB, built in {time.perf_counter() - start:.1f} s")
    return wheel


def _clean_env(venv: Path, home: Path) -> dict:
    """An environment with nothing of the repository: the venv first on PATH, a fresh home, no PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH",
                                                             "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR"}}
    env.update(PATH=f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", HOME=str(home), MPLBACKEND="Agg",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.fixture(scope="module")
def student_env(student_wheel, tmp_path_factory):
    """A new virtual environment (no system site-packages) with only the student wheel installed."""
    base = tmp_path_factory.mktemp("student")
    venv, home = base / "venv", base / "home"
    home.mkdir()
    cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True).stdout.strip()
    env = _clean_env(venv, home) | ({"PIP_CACHE_DIR": cache} if cache else {})
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, cwd=base)
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(student_wheel)],
                   check=True, cwd=base, env=env)
    print(f"clean venv with the student wheel: {time.perf_counter() - start:.1f} s")
    return venv, base, _clean_env(venv, home)


def _in_student_env(student_env, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    venv, base, env = student_env
    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=base, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_the_wheel_holds_no_instructor_code(student_wheel):
    """Is the wheel the lessons' wing only: course/ with its checks, and no course/instructor/ or __main__?"""
    assert instructor_files(student_wheel) == []
    with zipfile.ZipFile(student_wheel) as zf:
        names = zf.namelist()
    assert "course/__init__.py" in names and "course/checks/__init__.py" in names


@pytest.mark.slow
def test_the_wheel_carries_every_file_of_the_lessons_wing(student_wheel):
    """Does the wheel hold every file of course/ outside the instructor's wing, data files included (the visible
    checks' expected values are data)?"""
    wing = {p.relative_to(REPO).as_posix() for p in (REPO / "course").rglob("*") if p.is_file()
            and "__pycache__" not in p.parts and p.relative_to(REPO / "course").parts[0] not in INSTRUCTOR_ONLY}
    with zipfile.ZipFile(student_wheel) as zf:
        names = {n for n in zf.namelist() if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert names == wing


@pytest.mark.slow
def test_the_student_lab_lists_the_feedback_notice_as_enabled(student_env):
    """In the student's environment, does `jupyter labextension list` show the wheel's Lab notice, enabled and
    whole ("OK": its built files are where JupyterLab looks), and as installed by the student distribution?"""
    listed = _in_student_env(student_env, "-m", "jupyter", "labextension", "list")
    assert listed.returncode == 0, listed.stderr
    text = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr)  # no colours
    line = next((line for line in text.splitlines() if "descent-feedback-notice" in line), "")
    assert "v0.1.0 enabled OK" in line and "descent-course-student" in line, text


@pytest.mark.slow
def test_the_wheel_is_built_the_same_twice(student_wheel, tmp_path):
    """Does the same course give the same wheel, byte for byte (fixed timestamps, sorted entries)?"""
    again = build_wheel(stage_lessons_wing(REPO, tmp_path / "stage"), tmp_path / "dist")
    digest = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (student_wheel, again)]
    assert digest[0] == digest[1]


@pytest.mark.slow
def test_the_instructors_wing_cannot_be_imported_from_the_wheel(student_env):
    """In the student's environment, does `import course` come from the wheel and `import course.instructor` fail?"""
    venv = student_env[0]
    found = _in_student_env(student_env, "-c", "import course, course.check, course.checks; print(course.__file__)")
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().startswith(str(venv)) and str(REPO) not in found.stdout
    missing = _in_student_env(student_env, "-c", "import course.instructor")
    assert missing.returncode != 0 and "No module named 'course.instructor'" in missing.stderr
    cli = _in_student_env(student_env, "-m", "course")
    assert cli.returncode != 0 and not (venv / "bin" / "descent").exists()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_release_notebook_runs_to_its_end_from_the_wheel(student_env, assignment):
    """Does Run All of the release notebook, in a real kernel of the student's environment, run every cell with
    `course` from the wheel, the only errors being the stubs' own NotImplementedError (a value exercise's stub)?"""
    venv, base, _ = student_env
    folder = base / NOTEBOOKS / assignment
    shutil.copytree(REPO / "release" / assignment, folder)
    for notebook in sorted(folder.glob("*.ipynb")):
        done = _in_student_env(student_env, str(RUNNER), "run", str(notebook))
        assert done.returncode == 0, done.stderr[-2000:]
        summary = json.loads(done.stdout.splitlines()[-1])
        assert summary["unrun"] == [], summary
        assert all(role == "solution" and name == "NotImplementedError" for _, role, name, _ in summary["errors"]), \
            summary["errors"]
        prefix, course_file = summary["last"].split()
        assert prefix == str(venv) and course_file.startswith(str(venv)), summary["last"]


def _variant_results(student_env, assignment: str, module) -> dict:
    """The visible checks' output per variant and test cell, run in the student's environment.

    A variant replaces some solution cells; the others hold the instructor's solutions, as in the repository's
    own variant tests. They travel to the runner as data: the student's environment still has none of them.
    """
    from course.instructor.grading.core.cells import cell_role, grade_id
    from course.instructor.grading.publish.sample_submissions import read

    source = read(REPO / "source" / assignment / module.NOTEBOOK)
    solved = {grade_id(c): c.source for c in source.cells if cell_role(c) == "solution"}
    job = {"notebook": str(REPO / "release" / assignment / module.NOTEBOOK),
           "variants": {**{f"ok-{k}": solved | v for k, v in module.CORRECT.items()},
                        **{f"bad-{k}": solved | v for k, v in module.MISTAKES.items()}}}
    path = student_env[1] / f"job-{assignment}.json"
    path.write_text(json.dumps(job))
    done = _in_student_env(student_env, str(RUNNER), "checks", str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_checks_from_the_wheel_name_every_planted_mistake(student_env, assignment):
    """With `course` from the wheel alone, does each visible check pass the correct variants of tests/variants/ and
    answer every planted mistake with a ✗ and words, never with praise?"""
    module = harness.load_variants()[assignment]
    results = _variant_results(student_env, assignment, module)
    for variant, cells in module.CORRECT.items():
        for gid in cells:
            out = results[f"ok-{variant}"].get(f"test_{gid}", "")
            assert out.startswith("\u2713"), (variant, gid, out)
    for variant, cells in module.MISTAKES.items():
        for gid in cells:
            if (assignment, variant, gid) in HIDDEN_ONLY:
                continue
            out = results[f"bad-{variant}"].get(f"test_{gid}", "")
            assert out.startswith("\u2717") and len(out.split()) > 4, (variant, gid, out)


@pytest.mark.slow
def test_descent_bundle_writes_exactly_the_wheel_the_notebooks_and_student_md(tmp_path):
    """Does `descent bundle --out DIR` write one wheel, notebooks/ (every release folder and the Lab config) and
    STUDENT.md, and nothing else?"""
    out = tmp_path / "bundle"
    done = subprocess.run([sys.executable, "-m", "course", "bundle", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    top = sorted(p.name for p in out.iterdir())
    assert len([n for n in top if n.endswith(".whl")]) == 1 and top == sorted(["STUDENT.md", NOTEBOOKS, *[
        n for n in top if n.endswith(".whl")]])
    assert sorted(p.name for p in (out / NOTEBOOKS).iterdir()) == sorted([*ASSIGNMENTS, LAB_CONFIG])
    assert "pip install descent_course_student-" in (out / "STUDENT.md").read_text()


@pytest.mark.slow
def test_a_planted_solution_stops_the_bundle_and_nothing_is_written(tmp_path):
    """With a renamed copy of the mse solution planted in the lessons' wing, does `descent bundle` refuse, name the
    exercise, and leave the output folder unwritten?"""
    root = CourseRoot.at(REPO).copy_to(tmp_path / "course", with_release=True)
    shutil.copytree(REPO / "course", root.path / "course", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root.path / "pyproject.toml")
    shutil.copytree(REPO / "labextension" / "built", root.path / "labextension" / "built")
    shutil.copy(REPO / "labextension" / "package.json", root.path / "labextension" / "package.json")
    (root.path / "course" / "helpers.py").write_text(
        "import numpy as np\n\n\ndef average_square(a, b):\n    a = np.asarray(a, dtype=float)\n"
        "    b = np.asarray(b, dtype=float)\n    return float(np.mean((a - b) ** 2))\n")
    with pytest.raises(CourseError, match=r"course/helpers.py.*01_loss_functions mse \(solution\)"):
        build_bundle(root, tmp_path / "out")
    assert not (tmp_path / "out").exists()
