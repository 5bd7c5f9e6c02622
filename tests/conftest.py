"""Shared fixtures. Notebook grading runs once per session, two assignments at a time."""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import matplotlib

matplotlib.use("Agg")  # this process only: notebook kernels keep their inline backend

import grading_harness as harness
import pytest


def pytest_collection_modifyitems(session, config, items):
    """Quick unit tests first, then real kernels and nbgrader, then the browser: a broken unit fails in seconds.

    A module that sets ``ONE_BLOCK = True`` (one costly module fixture, such as a course hub, for
    browser and other tests alike) runs last, as one block, its browser tests at its end: split, its
    fixture would be made twice.
    """
    def one_block(item) -> str:
        module = getattr(item, "module", None)
        return module.__name__ if getattr(module, "ONE_BLOCK", False) else ""

    items.sort(key=lambda item: (one_block(item),
                                 item.get_closest_marker("browser") is not None,
                                 item.get_closest_marker("slow") is not None))

@pytest.fixture(scope="session")
def graded_course(request, tmp_path_factory):
    """``{assignment: GradedAssignment}`` for every assignment the selected tests use."""
    wanted = {item.callspec.params["assignment"] for item in request.session.items
              if getattr(item, "callspec", None) and "assignment" in item.callspec.params
              and "graded_course" in item.fixturenames}
    variants = harness.load_variants()
    workers = int(os.environ.get("DESCENT_TEST_WORKERS", "2"))
    base = tmp_path_factory.mktemp("graded")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {a: pool.submit(harness.grade, a, base / a, variants.get(a)) for a in sorted(wanted)}
        return {a: f.result() for a, f in futures.items()}
