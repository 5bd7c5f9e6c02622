"""Shared fixtures. Notebook grading runs once per session, two assignments at a time."""
from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")
from concurrent.futures import ThreadPoolExecutor

import pytest

import grading_harness as harness

_REQUESTED: set[str] = set()


def pytest_collection_modifyitems(session, config, items):
    """Remember which assignments the selected tests need graded."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "assignment" in callspec.params and "graded_course" in item.fixturenames:
            _REQUESTED.add(callspec.params["assignment"])


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    """``{assignment: GradedAssignment}`` for every assignment the selected tests use."""
    variants = harness.load_variants()
    workers = int(os.environ.get("DESCENT_TEST_WORKERS", "2"))
    base = tmp_path_factory.mktemp("graded")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {a: pool.submit(harness.grade, a, base / a, variants.get(a)) for a in sorted(_REQUESTED)}
        return {a: f.result() for a, f in futures.items()}
