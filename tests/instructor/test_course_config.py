"""The course's configuration, stated once (course/instructor/grading/core/config.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config.loader import PyFileConfigLoader

from course.instructor.grading.core import config
from course.instructor.grading.core.coursedir import CourseRoot
from course.instructor.grading.run.execute import ResilientExecute
from course.instructor.grading.run.sandbox import SandboxedKernelManager, sandbox_decision, sandbox_status

REPO = Path(__file__).resolve().parents[2]


def _nbgrader_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()


@pytest.fixture
def no_overrides(monkeypatch):
    for name in (config.DB_URL_ENV, config.SANDBOX_ENV, config.CELL_TIMEOUT_ENV, config.NOTEBOOK_SECONDS_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(REPO / "no-such-folder"))  # no user-level config
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "")


def test_one_gradebook_for_nbgrader_and_descent(no_overrides, monkeypatch):
    """Do nbgrader's config and every descent command name the same gradebook, with and without DESCENT_DB_URL?"""
    course_db = f"sqlite:///{REPO / 'gradebook.db'}"
    assert _nbgrader_config().CourseDirectory.db_url == course_db
    course = CourseRoot.at(REPO)
    assert course.db_url == course_db == course.config.CourseDirectory.db_url
    assert CourseRoot.at(REPO, "sqlite:///elsewhere.db").db_url == "sqlite:///elsewhere.db"
    monkeypatch.setenv(config.DB_URL_ENV, "postgresql://grader@localhost/descent")
    assert _nbgrader_config().CourseDirectory.db_url == "postgresql://grader@localhost/descent"
    assert course.db_url == course.config.CourseDirectory.db_url == "postgresql://grader@localhost/descent"
    assert course.with_own_gradebook().db_url == course_db  # the course's own file, whatever the variable says


#: Every limit an instructor may set, by the class whose trait defines it.
LIMITS = {
    SandboxedKernelManager: ("memory_mb", "cpu_seconds", "max_processes", "file_size_mb", "tmp_mb", "core"),
    ResilientExecute: ("timeout", "max_output_chars", "max_output_bytes", "max_message_mb", "notebook_seconds",
                       "max_restarts"),
    config.Submissions: ("max_notebook_mb", "worker_memory_mb"),
}


def test_limits_have_one_source(no_overrides, monkeypatch):
    """Is each limit one configurable trait with help text, whose default the course's configuration keeps,
    and do the environment variables set the traits' defaults?"""
    for cls, names in LIMITS.items():
        for name in names:
            trait = cls.class_traits()[name]
            assert trait.metadata.get("config") and trait.help, f"{cls.__name__}.{name}"
    course = CourseRoot.at(REPO)
    executor = ResilientExecute(config=course.config)
    assert (executor.timeout, executor.notebook_seconds) == (60, 600)
    assert SandboxedKernelManager(config=course.config).sandbox == "auto"
    assert config.Submissions(config=course.config).max_notebook_bytes == 20 * 2**20
    monkeypatch.setenv(config.CELL_TIMEOUT_ENV, "7")
    monkeypatch.setenv(config.NOTEBOOK_SECONDS_ENV, "70")
    monkeypatch.setenv(config.SANDBOX_ENV, "bwrap")
    executor = ResilientExecute(config=course.config)
    assert (executor.timeout, executor.notebook_seconds) == (7, 70)
    assert SandboxedKernelManager(config=course.config).sandbox == "bwrap"
    cfg = course.config
    cfg.ResilientExecute.timeout = 9  # a value the configuration sets wins over the variable
    assert ResilientExecute(config=cfg).timeout == 9


def test_one_rule_decides_whether_grading_is_sandboxed(tmp_path, monkeypatch):
    """Is 'off' always unsandboxed with a warning, and does 'bwrap' refuse where bubblewrap is missing?"""
    mode, problem = sandbox_decision("off")
    assert mode == "off" and "UNSANDBOXED" in problem
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap
    sandbox_status.cache_clear()
    try:
        assert sandbox_decision("auto")[0] == "off"
        mode, problem = sandbox_decision("bwrap")
        assert mode == "refuse" and "no kernel will start" in problem
        with pytest.raises(RuntimeError, match="no kernel will start"):
            SandboxedKernelManager(sandbox="bwrap").mode()
    finally:
        monkeypatch.undo()
        sandbox_status.cache_clear()


def test_the_hubs_feedback_service_gets_every_grading_variable():
    """Does `descent serve` under the hub receive each variable an instructor may set (JupyterHub passes a
    service only what its config names), so that it grades with the limits `descent grade` would?"""
    import ast

    tree = ast.parse((REPO / "hub" / "jupyterhub_config.py").read_text())
    passed = next(ast.literal_eval(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and any(getattr(t, "id", None) == "GRADING_ENV" for t in node.targets))
    assert set(passed) == {config.DB_URL_ENV, config.SANDBOX_ENV, config.CELL_TIMEOUT_ENV, config.NOTEBOOK_SECONDS_ENV}
