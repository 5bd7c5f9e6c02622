"""House rules for what is committed: clean notebooks, valid nbgrader metadata, no solutions in course/."""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tracked_notebooks():
    try:
        out = subprocess.run(["git", "ls-files", "*.ipynb"], cwd=REPO, capture_output=True, text=True, check=True)
        files = [REPO / line for line in out.stdout.split()]
    except (OSError, subprocess.CalledProcessError):
        files = []
    return files or sorted(REPO.glob("source/*/*.ipynb")) + sorted(REPO.glob("release/*/*.ipynb"))


@pytest.mark.parametrize("path", _tracked_notebooks(), ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebooks_carry_no_outputs(path):
    """Is every committed notebook free of outputs and execution counts?"""
    nb = json.loads(path.read_text())
    dirty = [i for i, c in enumerate(nb["cells"])
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"cells {dirty} carry outputs"


@pytest.mark.parametrize("path", sorted(REPO.glob("source/*/*.ipynb")), ids=lambda p: p.parent.name)
def test_source_notebooks_have_sound_nbgrader_metadata(path):
    """Are grade_ids unique, test cells locked with points, solutions delimited, and each written answer
    (Markdown, graded by hand) scored, with its model answer and rubric inside the solution region?"""
    nb = json.loads(path.read_text())
    ids = []
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader")
        if not meta:
            continue
        ids.append(meta["grade_id"])
        if meta.get("grade"):
            assert meta["points"] > 0 and (meta["locked"] or meta.get("solution")), meta
        src = "".join(cell["source"])
        if meta.get("solution"):
            assert "### BEGIN SOLUTION" in src and "### END SOLUTION" in src, meta["grade_id"]
        if meta.get("solution") and cell["cell_type"] == "markdown":
            region = src.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
            assert meta.get("grade") and not meta["locked"], meta["grade_id"]
            assert "**Model answer.**" in region and f"**Rubric ({meta['points']:g} points" in region, \
                f"{meta['grade_id']}: the model answer and a rubric for its {meta['points']:g} points go in the region"
    assert len(ids) == len(set(ids)), "duplicate grade_ids"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert first_code["metadata"]["nbgrader"]["locked"], "the first code cell (setup) must be locked"


def _graded_names():
    names = set()
    for path in REPO.glob("source/*/*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and cell["cell_type"] == "code":
                tree = ast.parse(re.sub(r"^\s*%.*$", "", "".join(cell["source"]), flags=re.M))
                names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return names


def test_course_package_does_not_ship_the_solutions():
    """Does course/ avoid defining any function an exercise asks the student to write?"""
    graded = _graded_names()
    assert graded
    for path in (REPO / "course").rglob("*.py"):
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.col_offset == 0}
        assert not (defined & graded), f"{path.relative_to(REPO)} defines {sorted(defined & graded)}"


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports resolved against ``course``)."""
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


#: The grading pipeline's folders, in the order a module may import them: its own and earlier ones.
GRADING_STAGES = ("core", "intake", "stage", "judge", "publish", "run", "feedback", "record")
#: The modules that run the stages in order: no stage imports them.
GRADING_DRIVERS = ("autograde", "batch", "demo")


def test_each_grading_stage_imports_only_earlier_stages():
    """Does every module of a stage folder of course/instructor/grading/ import only the shared core, its
    own stage and earlier ones (ARCHITECTURE.md, "The grading pipeline, stage by stage"), never a driver?"""
    grading = REPO / "course" / "instructor" / "grading"
    folders = sorted(p.name for p in grading.iterdir() if (p / "__init__.py").is_file())
    assert folders == sorted(GRADING_STAGES)
    rank = {stage: i for i, stage in enumerate(GRADING_STAGES)}
    wrong = []
    for stage in GRADING_STAGES:
        for path in sorted((grading / stage).glob("*.py")):
            for name in _imported_modules(path):
                parts = name.split(".")
                if parts[:3] != ["course", "instructor", "grading"] or len(parts) < 4:
                    continue
                if parts[3] in GRADING_DRIVERS or rank.get(parts[3], -1) > rank[stage]:
                    wrong.append(f"{path.relative_to(REPO)} imports {name}")
    assert not wrong, wrong


def test_the_course_imports_no_module_through_a_string():
    """Does no module of course/ import by a name it computes (``importlib.import_module``, ``__import__``)?

    The kernel template is exempt: it preloads the module names it shares with the launcher.
    """
    exempt = {REPO / "course" / "instructor" / "grading" / "run" / "kernel_template.py"}
    wrong = []
    for path in sorted((REPO / "course").rglob("*.py")):
        if path in exempt:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in {"import_module", "__import__"}:
                    wrong.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not wrong, wrong


def test_the_lessons_wing_never_imports_the_instructors():
    """Does no lesson module (course/ outside course/instructor/) import course.instructor?

    ``course/__main__.py`` is exempt: ``python -m course`` is the instructor's command.
    """
    lessons = [p for p in (REPO / "course").rglob("*.py")
               if "instructor" not in p.relative_to(REPO).parts and p.name != "__main__.py"]
    assert len(lessons) > 10
    for path in lessons:
        wrong = sorted(m for m in _imported_modules(path) if m.startswith("course.instructor"))
        assert not wrong, f"{path.relative_to(REPO)} imports {wrong}"


def _python_prints(code: str) -> str:
    """What a fresh Python run from the repository root prints for ``code``."""
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout


def test_import_course_loads_no_instructor_code():
    """Does a notebook's ``import course`` (and the checks) leave nbgrader, nbconvert and the instructor's wing
    unloaded?"""
    code = ("import sys, course, course.check, course.checks\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'nbgrader', 'nbconvert', 'sqlalchemy'}"
            " or m.startswith('course.instructor')))")
    out = _python_prints(code)
    assert out.strip() == "[]", out


def test_descent_help_imports_no_grading_machinery():
    """Does ``descent --help`` answer without importing nbgrader, nbconvert or the grading pipeline?"""
    code = ("import sys, contextlib, io\nfrom course.instructor import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
            "    cli.main(['--help'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'nbgrader', 'nbconvert', 'sqlalchemy'}))")
    out = _python_prints(code)
    assert out.strip() == "[]", out


def test_grading_processes_skip_the_slow_iri_parser_and_still_validate():
    """Does a grading process import nbgrader without building rfc3987_syntax's parser, and still validate notebooks?"""
    code = ("import sys, course.instructor.grading.batch, nbgrader.api, nbformat, jsonschema\n"
            "nb = nbformat.read('source/01_loss_functions/loss_functions.ipynb', as_version=4)\n"
            "nbformat.validate(nb)\n"
            "print(sys.modules.get('rfc3987_syntax'), jsonschema.Draft7Validator.FORMAT_CHECKER.conforms(1, 'iri'))")
    out = _python_prints(code)
    assert out.split() == ["None", "True"], out


def test_readme_lists_every_written_answer_with_its_points():
    """Does the README's table of written answers name each notebook's written answers (grade id, points), and
    nothing else?"""
    import nbformat

    from course.instructor.grading.core.cells import cell_role

    in_source = set()
    for path in sorted(REPO.glob("source/*/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell_role(cell) == "written":
                meta = cell.metadata.nbgrader
                in_source.add((path.parent.name[:2], meta["grade_id"], f"{meta['points']:g}"))
    readme = (REPO / "README.md").read_text().split("### Written answers, graded by hand", 1)[1].split("\n\n**", 1)[0]
    listed = set(re.findall(r"^\| (\d\d) \| `(\w+)` \| .+ \| (\d+(?:\.\d+)?) \|$", readme, re.M))
    assert in_source and listed == in_source
