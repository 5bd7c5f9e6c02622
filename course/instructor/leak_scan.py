"""Does anything a class is given hold a solution or a hidden test? Compared as code, not as text.

Every solution region (``### BEGIN SOLUTION`` ... ``### END SOLUTION``, or a whole solution
cell without markers) and every hidden-test region of ``source/`` is parsed, and so is every
Python file and notebook code cell of a bundle (inside the wheel too). Code is compared as
*normalised* ASTs: names the code binds itself (arguments, assigned variables) become
placeholders in order of appearance, numbers become floats, docstrings and annotations go. So
``p = np.asarray(p)`` in a helper matches ``predictions = np.asarray(predictions)`` in a
solution, and a renamed copy of a solution is still a copy.

What counts as a match:

- a whole region: any run of as many consecutive statements in one body of the bundle;
- one statement of a region (at any depth) that computes something: at least
  :data:`MIN_NODES` AST nodes and not a plain call on names (``w = np.asarray(w, dtype=float)``
  or ``out = forward(params, X)`` say nothing about an answer).

A written answer's solution region (a Markdown cell graded by hand: its model answer and the
grader's rubric) is prose, so it is compared as text: each of its sentences of at least
:data:`MIN_SENTENCE` characters, lower-cased with white space collapsed, is looked for in every file
of the bundle (a notebook's cells, Python, Markdown). Any found is a leak.

A statement that also appears in the same assignment's release notebook is given code, not
a secret. A release notebook may contain what an *earlier* assignment asked for (05 gives
01's ``sigmoid``): that is reported as a note, not a leak, because assignments are handed out
in order; everything else found is a leak.
"""
from __future__ import annotations

import ast
import builtins
import copy
import json
import re
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

#: A single statement smaller than this (``return x``) is too common to be anyone's answer.
MIN_NODES = 16
#: A shorter sentence of a written answer's model answer or rubric ("1: both numbers.") is too common to match.
MIN_SENTENCE = 40
#: nbgrader's markers; none may appear in anything a student is given.
MARKERS = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS")
#: Lines a hidden test shares with the lessons' wing that give no answer away: idioms (random 0/1
#: labels; a copy of a parameter dict before a call that must not change it) and properties the
#: visible check states too, as a check may (mini-batch sizes, batches flattened, calls grouped into
#: epochs). None computes what an exercise asks for.
IDIOMS = (
    "y = (rng.random(n) < 0.5).astype(float)",
    "before = {k: v.copy() for k, v in params.items()}",
    "expected = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])",
    "batches = [np.asarray(b).ravel() for b in out]",
    "epochs = [c for i, c in enumerate(calls) if i == 0 or calls[i - 1] != c]",
)
_REGIONS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"), "hidden test": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")}


@dataclass(frozen=True)
class Secret:
    """Where a piece of source/ code comes from."""

    assignment: str
    grade_id: str
    kind: str  # "solution", "hidden test" or "written answer"

    def __str__(self) -> str:
        return f"{self.assignment} {self.grade_id} ({self.kind})"


@dataclass
class Report:
    """Leaks stop a bundle; notes tell the instructor what an assignment gives of earlier ones."""

    leaks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def python_of(cell_source: str) -> str:
    """A code cell's source with IPython's magics and shell lines blanked (line numbers kept)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell_source.splitlines())


def regions(source: str, kind: str) -> list[str]:
    """The dedented code between the markers of ``kind`` ("solution" or "hidden test") in a cell."""
    begin, end = _REGIONS[kind]
    found, current = [], None
    for line in source.splitlines():
        if line.strip().startswith("###") and begin in line:
            current = []
        elif line.strip().startswith("###") and end in line and current is not None:
            found.append(textwrap.dedent("\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    return found


def bound_names(tree: ast.AST) -> set[str]:
    """Names the code binds itself: arguments, assignment and loop targets, defined functions and classes."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


class _Normaliser(ast.NodeTransformer):
    """Bound names to placeholders (in order of first use); numbers to floats; no docstrings or annotations."""

    def __init__(self, bound: set[str]):
        self.bound, self.names = bound, {}

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"_{len(self.names)}") if name in self.bound else name

    def visit_Name(self, node):
        node.id = self._name(node.id)
        return node

    def visit_arg(self, node):
        node.arg, node.annotation = self._name(node.arg), None
        return node

    def visit_FunctionDef(self, node):
        node.name, node.returns, node.decorator_list = self._name(node.name), None, []
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            node.value = float(node.value)
        return node


def fingerprint(statements: "list[ast.stmt]", bound: set[str]) -> str:
    """The normalised form of consecutive statements (placeholders shared across them)."""
    normaliser = _Normaliser(bound)
    return "\n".join(ast.dump(normaliser.visit(copy.deepcopy(s)), annotate_fields=False) for s in statements)


def _atom(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return _atom(node.value)
    if isinstance(node, ast.UnaryOp):
        return _atom(node.operand)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_atom(e) for e in node.elts)
    return isinstance(node, (ast.Name, ast.Constant, ast.Starred))


def plain(statement: ast.stmt) -> bool:
    """Is a statement a plain name, constant or call on names (``w = np.asarray(w, dtype=float)``)?"""
    value = getattr(statement, "value", None)
    if not isinstance(statement, (ast.Assign, ast.AnnAssign, ast.Expr, ast.Return)) or value is None:
        return False
    return _plain_value(value)


def _plain_value(value: ast.AST) -> bool:
    if isinstance(value, ast.Tuple):
        return all(_plain_value(e) for e in value.elts)
    if isinstance(value, ast.Call):
        return _atom(value.func) and all(_atom(a) for a in value.args) and all(_atom(k.value) for k in value.keywords)
    return _atom(value)


def computes(statement: ast.stmt) -> bool:
    """Is a single statement substantial enough to be part of an answer on its own?"""
    return sum(1 for _ in ast.walk(statement)) >= MIN_NODES and not plain(statement)


def _bodies(tree: ast.AST):
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody", "handlers"):
            body = getattr(node, name, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                yield body


def _parse(code: str) -> "ast.Module | None":
    try:
        return ast.parse(code)
    except SyntaxError:
        return None


def plain_text(text: str) -> str:
    """``text`` lower-cased, with every run of white space one space (how prose is compared)."""
    return " ".join(text.lower().split())


def sentences(region: str) -> list[str]:
    """The sentences of a written answer's region worth looking for: :func:`plain_text`, long enough."""
    found = re.split(r"(?<=[.;:!?])\s+|\n\s*[-*]\s+", region)
    return [plain for part in found if len(plain := plain_text(part)) >= MIN_SENTENCE]


def _cell_texts(nb: dict):
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        yield "".join(source) if isinstance(source, list) else source


def _code_cells(nb: dict):
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            yield cell, "".join(source) if isinstance(source, list) else source


class Secrets:
    """Every solution and hidden-test region of ``source/``, as fingerprints, minus what the release gives."""

    def __init__(self, root: Path):
        self.whole: dict[str, Secret] = {}  # a region's statements, all of them
        self.single: dict[str, Secret] = {}  # one substantial statement of a region
        self.prose: dict[str, Secret] = {}  # one sentence of a written answer's model answer or rubric
        for path in sorted(root.glob("source/*/*.ipynb")):
            self._add_notebook(path.parent.name, json.loads(path.read_text()))
        for idiom in IDIOMS:
            tree = ast.parse(idiom)  # every name but numpy's and builtins' is the code's own, as where it occurs
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | bound_names(tree)
            self.single.pop(fingerprint(tree.body, names - {"np", *dir(builtins)}), None)
        for path in sorted(root.glob("release/*/*.ipynb")):
            given = set(self._all_statements(json.loads(path.read_text())))
            for table in (self.whole, self.single):
                for key in [k for k, s in table.items() if s.assignment == path.parent.name and k in given]:
                    del table[key]

    def _add_notebook(self, assignment: str, nb: dict) -> None:
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") == "markdown" and meta.get("solution"):
                text = next(_cell_texts({"cells": [cell]}))
                for region in regions(text, "solution") or [text]:
                    for sentence in sentences(region):
                        self.prose.setdefault(sentence, Secret(assignment, meta.get("grade_id", "?"), "written answer"))
        for cell, source in _code_cells(nb):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            gid = meta.get("grade_id", "?")
            cell_tree = _parse(python_of(source))
            solution = regions(source, "solution") or ([source] if meta.get("solution") else [])
            for kind, found in (("solution", solution), ("hidden test", regions(source, "hidden test"))):
                for region in found:
                    tree = _parse(python_of(region))
                    if tree is None or not tree.body:
                        continue
                    bound = bound_names(tree) | (bound_names(cell_tree) if cell_tree else set())
                    secret = Secret(assignment, gid, kind)
                    if len(tree.body) > 1 or not plain(tree.body[0]):
                        self.whole.setdefault(fingerprint(tree.body, bound), secret)
                    for node in ast.walk(tree):
                        if isinstance(node, ast.stmt) and computes(node):
                            self.single.setdefault(fingerprint([node], bound), secret)

    @staticmethod
    def _all_statements(nb: dict):
        trees = [t for _, s in _code_cells(nb) if (t := _parse(python_of(s))) is not None]
        bound = set().union(*map(bound_names, trees)) if trees else set()
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.stmt):
                    yield fingerprint([node], bound)
            for body in _bodies(tree):
                yield fingerprint(body, bound)

    def _starts(self) -> dict[str, set[int]]:
        """First statement of each whole region -> the regions' lengths (a window's first line is its
        first statement's own fingerprint: placeholders are numbered from there)."""
        starts: dict[str, set[int]] = {}
        for key in self.whole:
            lines = key.split("\n")
            starts.setdefault(lines[0], set()).add(len(lines))
        return starts

    def prose_in(self, name: str, text: str):
        """``(sentence, secret)`` for every written answer's sentence found in the file ``name`` holding ``text``."""
        if name.endswith(".ipynb"):
            text = "\n".join(_cell_texts(json.loads(text)))
        plain = plain_text(text)
        return [(sentence, secret) for sentence, secret in self.prose.items() if sentence in plain]

    def found_in(self, trees: "list[ast.Module]"):
        """``(secret, code)`` for every secret found in ``trees`` (one module or one notebook's cells)."""
        bound = set().union(*map(bound_names, trees)) if trees else set()
        starts = self._starts()
        for tree in trees:
            own = {id(n): fingerprint([n], bound) for n in ast.walk(tree) if isinstance(n, ast.stmt)}
            for node in ast.walk(tree):
                if isinstance(node, ast.stmt) and own[id(node)] in self.single and computes(node):
                    yield self.single[own[id(node)]], ast.unparse(node)
            for body in _bodies(tree):
                for start, first in enumerate(body):
                    for length in starts.get(own[id(first)], ()):
                        window = body[start:start + length]
                        secret = self.whole.get(fingerprint(window, bound)) if len(window) == length else None
                        if secret:
                            yield secret, ast.unparse(first)


def _files(bundle: Path):
    """``(name, text)`` of every file of the bundle, the wheel's members included."""
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        name = str(path.relative_to(bundle))
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as zf:
                for member in sorted(zf.namelist()):
                    yield f"{name}!{member}", zf.read(member).decode("utf-8", errors="replace")
        else:
            yield name, path.read_bytes().decode("utf-8", errors="replace")


def _assignment_of(name: str) -> "str | None":
    """The assignment a notebook in the bundle belongs to (``notebooks/05_x/y.ipynb`` -> ``05_x``)."""
    parts = Path(name).parts
    return parts[-2] if name.endswith(".ipynb") and len(parts) >= 2 and parts[-2][:2].isdigit() else None


def scan_bundle(root: Path, bundle: Path, secrets: "Secrets | None" = None) -> Report:
    """Look for ``source/``'s solutions, hidden tests and markers in every file of ``bundle``."""
    secrets = secrets or Secrets(root)
    report = Report()
    for name, text in _files(bundle):
        if MARKERS.search(text):
            report.leaks.append(f"{name}: holds an nbgrader marker ({MARKERS.search(text).group()})")
        report.leaks += [f"{name}: {sentence[:70]!r} is {secret}" for sentence, secret in secrets.prose_in(name, text)]
        if name.endswith(".py"):
            trees = [t] if (t := _parse(text)) is not None else []
        elif name.endswith(".ipynb"):
            trees = [t for _, s in _code_cells(json.loads(text)) if (t := _parse(python_of(s))) is not None]
        else:
            continue
        owner = _assignment_of(name)
        for secret, code in secrets.found_in(trees):
            where = f"{name}: {code.splitlines()[0][:70]!r} is {secret}"
            if owner and secret.kind == "solution" and secret.assignment < owner:
                earlier = secret.assignment
                note = f"{owner} gives {earlier}'s {secret.grade_id}: hand it out after {earlier} is due"
                if note not in report.notes:
                    report.notes.append(note)
            else:
                report.leaks.append(where)
    return report
