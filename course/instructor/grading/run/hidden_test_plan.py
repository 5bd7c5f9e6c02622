"""What the judge needs to grade a notebook's test cells, from the gradebook: never from the submission."""
from __future__ import annotations

from nbgrader.api import MissingEntry

from ..core import dblock
from ..judge import judge


def hidden_test_plan(resources) -> dict:
    """The instructor's cells, from the gradebook (none without one: test cells then run in the kernel).

    ``tests``: grade_id -> hidden test code; ``setup``: the grader's namespace (the imports of
    locked cells); ``given``: the other names that locked cells define.
    """
    info = (resources or {}).get("nbgrader", {})
    cells = None
    if info.get("db_url") and info.get("notebook") and info.get("assignment"):
        with dblock.open_gradebook(info["db_url"]) as gb:
            try:
                record = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                record = None
            if record is not None:
                grades = {c.name for c in record.grade_cells if c.cell_type == "code"}
                solutions = {c.name for c in record.solution_cells}
                cells = [(c.name, c.cell_type, c.name in grades, c.name in solutions, c.locked, c.source)
                         for c in record.source_cells]
    if cells is None:  # never the submitted notebook's own cells: they are the student's to write
        cells = []
    tests, setup = {}, []
    for name, cell_type, grade, solution, locked, source in cells:
        if cell_type != "code":
            continue
        if grade and not solution:
            hidden = judge.split_hidden(source)[1]
            if hidden.strip():
                tests[name] = hidden
        elif locked and not solution:
            setup.append(source)
    namespace = judge.setup_namespace(setup)
    return {"tests": tests, "setup": namespace, "given": judge.given_names(setup) - set(namespace)}
