"""The instructor CLI: clear errors, an honest release report, and the demo from a fresh clone."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.instructor.cli import main
from course.instructor.grading import CourseRoot
from course.instructor.grading.core.cells import grade_ids
from course.instructor.grading.publish.sample_submissions import read

REPO = Path(__file__).resolve().parents[2]


def test_not_a_course_root_is_a_clear_error(tmp_path, capsys):
    """Does pointing the CLI at an ordinary folder say what is missing, with exit code 2?"""
    assert main(["--root", str(tmp_path), "release"]) == 2
    err = capsys.readouterr().err
    assert "not a course root" in err and "nbgrader_config.py" in err


def test_missing_assignment_is_a_clear_error(capsys):
    """Does a misspelt assignment list the assignments that exist?"""
    assert main(["--root", str(REPO), "scores", "01_loss_function"]) == 2
    err = capsys.readouterr().err
    assert "no assignment '01_loss_function'" in err and "01_loss_functions" in err


def test_unknown_student_is_a_clear_error(tmp_path, capsys):
    """Does autograding a student who handed nothing in name who did?"""
    root = CourseRoot.at(REPO).copy_to(tmp_path / "course")
    (root.submitted / "ada" / "01_loss_functions").mkdir(parents=True)
    assert main(["--root", str(root.path), "autograde", "01_loss_functions", "--student", "bob"]) == 2
    err = capsys.readouterr().err
    assert "unknown student 'bob'" in err and "ada" in err


def test_course_root_is_found_from_a_subfolder(monkeypatch):
    """Can an instructor run descent from inside source/?"""
    monkeypatch.chdir(REPO / "source")
    assert CourseRoot.find().path == REPO


@pytest.mark.slow
def test_release_reports_unchanged_when_in_sync(tmp_path, capsys):
    """Does releasing an already-released assignment again report it unchanged?"""
    root = CourseRoot.at(REPO).copy_to(tmp_path / "course", with_release=True)
    assert main(["--root", str(root.path), "release", "01_loss_functions"]) == 0
    assert "01_loss_functions: unchanged" in capsys.readouterr().out


@pytest.mark.slow
def test_release_reports_a_changed_notebook(tmp_path, capsys):
    """After editing a source notebook, does release say the release notebook changed?"""
    root = CourseRoot.at(REPO).copy_to(tmp_path / "course", with_release=True)
    nb = root.source / "01_loss_functions" / "loss_functions.ipynb"
    nb.write_text(nb.read_text().replace("Loss functions: how wrong", "Loss functions: how very wrong"))
    assert main(["--root", str(root.path), "release", "01_loss_functions"]) == 0
    assert "changed loss_functions.ipynb" in capsys.readouterr().out


@pytest.mark.slow
def test_demo_runs_from_a_fresh_clone(tmp_path):
    """Does `descent demo` work in a fresh clone and print a score table for every assignment?"""
    clone = tmp_path / "clone"
    if (REPO / ".git").exists() and shutil.which("git"):
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        # the clone holds what is committed; use the working tree's notebooks if they differ
    else:
        shutil.copytree(REPO, clone, ignore=shutil.ignore_patterns("submitted", "autograded", "feedback"))
    env = dict(os.environ, DESCENT_DB_URL="sqlite:////nonexistent/must-not-be-used.db")
    proc = subprocess.run([sys.executable, "-m", "course", "demo"], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for assignment in CourseRoot.at(clone).assignments():
        block = out.split(f"\n{assignment}\n", 1)
        assert len(block) == 2, f"no table for {assignment}"
        header, *rows = block[1].split("\n\n", 1)[0].splitlines()
        assert header.split()[-3:] == ["blank", "half_done", "solutions"]
        grid = {row.split()[0]: row.split() for row in rows}
        total, awaiting = grid["total"], grid["awaiting"]
        source_nb = read(next((clone / "source" / assignment).glob("*.ipynb")))
        written = [grid[gid] for gid in grade_ids(source_nb, "written")]
        assert written and all(row[-3:] == ["0", "0", "pending"] for row in written), written
        assert float(total[-3]) == 0 and float(total[-1]) + float(awaiting[-1]) == float(total[1])
        assert float(awaiting[-1]) == sum(float(row[1]) for row in written) and float(awaiting[-3]) == 0
        assert 0 < float(total[-2]) < float(total[1]), "half_done should earn some but not all points"
