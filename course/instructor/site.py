"""The course as a static website: every lesson run, solutions removed, as HTML pages.

    from course.instructor.site import build_site
    report = build_site(CourseRoot.find(), Path("site"))
    print(report.summary())

Each source notebook is executed (so outputs and plots exist), its hidden tests removed
before it runs and its solutions replaced afterwards by the stub students see (nbgrader's
own ``ClearHiddenTests`` and ``ClearSolutions``, configured from ``nbgrader_config.py``).
The pages embed their plots, each with its text alternative, carry no script but MathJax
(copied into the site from the npm package, so formulas render offline), meet WCAG 2.1 AA
(:mod:`course.instructor.site_access`), and link back to ``index.html``, the syllabus. The
last step checks every link.
"""
from __future__ import annotations

import html
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
from traitlets.config import Config

from .grading.core.cells import cell_role, grade_ids
from .grading.core.coursedir import CourseRoot
from .linkcheck import LinkReport, check_links
from .site_access import ACCESS_CSS, PAGE_BLOCKS, copy_mathjax, find_mathjax, focusable_scrollers

__all__ = ["PageReport", "SiteReport", "build_site", "cli", "student_view"]

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"

SITE_CSS = """
body { margin: 0 auto; max-width: 62rem; padding: 0 1rem 3rem; }
body.jp-Notebook { padding: 0 1rem 3rem; }
.descent-nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; justify-content: space-between;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; padding: 0.7rem 0;
  border-bottom: 1px solid #ddd; margin-bottom: 1rem; }
.descent-nav a { color: #005a8c; }
.jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon table { display: block; overflow-x: auto; }
pre { overflow-x: auto; }
@media (max-width: 700px) {
  .jp-InputPrompt, .jp-OutputPrompt { display: none; }
  .jp-InputArea-editor pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  body, body.jp-Notebook { padding: 0 0.5rem 2rem; }
  .jp-RenderedHTMLCommon { font-size: 15px; }
}
"""

# The lab template, minus what a static page cannot use offline: require.js and the
# widget manager (both from CDNs, only needed by live widgets) and mermaid diagrams; MathJax
# and pictures as site_access gives them. The site's CSS comes last in <head>, after the lab's own.
_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}<style type="text/css">{{ resources.descent.css }}</style>{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="descent-nav" aria-label="lessons">{{ resources.descent.nav }}</nav>
{%- endblock body_header -%}
""" + PAGE_BLOCKS

_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>
body {{ font: 17px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
  max-width: 46rem; margin: 0 auto; padding: 1rem; }}
h1 {{ font-size: 1.8rem; margin-bottom: 0.2rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.5rem 0.4rem; border-bottom: 1px solid #ddd; }}
a {{ color: #005a8c; }}
code {{ font-size: 0.85em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }}
@media (max-width: 560px) {{ td.writes, th.writes {{ display: none; }} }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{intro}</p>
<table>
<thead><tr><th>lesson</th><th class="writes">you write</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p><small>Built from the course's notebooks: outputs as the instructor's run produced them,
exercises shown as students get them.</small></p>
</main>
</body>
</html>
"""


@dataclass
class PageReport:
    """One lesson page: where it came from, where it went, what its run gave."""

    assignment: str
    notebook: str
    path: Path
    title: str
    exercises: list[str]
    images: int
    seconds: float
    errors: list[str] = field(default_factory=list)


@dataclass
class SiteReport:
    """The pages built, the syllabus page, and the link check of the whole site."""

    out_dir: Path
    index: Path
    pages: list[PageReport]
    links: LinkReport

    @property
    def ok(self) -> bool:
        """True when every notebook ran without an error and every link resolves."""
        return self.links.ok and not any(page.errors for page in self.pages)

    def summary(self) -> str:
        lines = [f"site: {len(self.pages)} pages in {self.out_dir} (open {self.index.name})"]
        for page in self.pages:
            state = f"{len(page.errors)} cells failed" if page.errors else "ok"
            lines.append(f"  {page.path.relative_to(self.out_dir).as_posix():48} {page.images:3} images "
                         f"{page.seconds:6.1f} s  {state}")
            lines += [f"    {error}" for error in page.errors]
        lines.append(f"links: {self.links.checked} checked, {len(self.links.problems)} broken, "
                     f"{len(self.links.external)} external (not followed)")
        lines += [f"  {problem}" for problem in self.links.problems]
        return "\n".join(lines)


# --- one notebook --------------------------------------------------------------------------

def execute(nb, folder: Path, timeout: int = 120) -> list[str]:
    """Run ``nb`` in a fresh kernel with ``folder`` as working folder; describe the cells that failed."""
    env = dict(os.environ, MPLBACKEND=_INLINE_BACKEND)  # plots inline, even where CI sets Agg
    env.pop("NBGRADER_EXECUTION", None)
    client = NotebookClient(nb, timeout=timeout, allow_errors=True, store_widget_state=False,
                            resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    errors = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                first = output.evalue.splitlines()[0][:120] if output.evalue else ""
                errors.append(f"cell {index}: {output.ename}: {first}")
    return errors


def student_view(nb, config: Config):
    """Replace solutions by the release's stubs and clear those cells' outputs (in place)."""
    nb, _ = ClearSolutions(config=config).preprocess(nb, {})
    for cell in nb.cells:
        if cell.cell_type == "code" and cell_role(cell) == "solution":
            cell.outputs, cell.execution_count = [], None
    return nb


def offline_outputs(nb):
    """Keep what a static page can show: a widget shows its PNG or text, not a dead placeholder."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if _WIDGET_VIEW in data:
                del data[_WIDGET_VIEW]
                if set(data) <= {"text/plain"}:
                    data["text/plain"] = "(an interactive widget: open the notebook in JupyterLab to use it)"
    return nb


def notebook_title(nb, fallback: str) -> str:
    """The first Markdown heading of the notebook, without the ``#``s."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", cell.source, re.M)
            if match:
                return match.group(1)
    return fallback


def _exporter() -> HTMLExporter:
    return HTMLExporter(template_name="lab", template_file="descent_page.html.j2",
                        extra_loaders=[DictLoader({"descent_page.html.j2": _PAGE_TEMPLATE})],
                        embed_images=True)


def _nav(prev: "tuple[str, str] | None", nxt: "tuple[str, str] | None") -> str:
    """Links of a page: back to the syllabus, previous and next lesson (href, title)."""
    parts = ['<a href="../index.html">&#8593; Syllabus</a>']
    if prev:
        parts.append(f'<a href="../{html.escape(prev[0])}">&#8592; {html.escape(prev[1])}</a>')
    if nxt:
        parts.append(f'<a href="../{html.escape(nxt[0])}">{html.escape(nxt[1])} &#8594;</a>')
    return " ".join(parts)


# --- the site --------------------------------------------------------------------------------

def _index_html(pages: list[PageReport], out_dir: Path) -> str:
    rows = []
    for page in pages:
        href = html.escape(page.path.relative_to(out_dir).as_posix())
        writes = ", ".join(f"<code>{html.escape(name)}</code>" for name in page.exercises)
        rows.append(f'<tr><td><a href="{href}">{html.escape(page.title)}</a></td>'
                    f'<td class="writes">{writes}</td></tr>')
    intro = ("How a neural network learns: loss functions, gradient descent, learning rates, "
             "backpropagation, stochastic descent and optimizers. Each lesson below is a notebook; here you can read "
             "it with its plots. To do the exercises, open the notebook in JupyterLab.")
    return _INDEX_TEMPLATE.format(title="Descent: the course", intro=intro, rows="\n".join(rows))


def build_site(root: CourseRoot, out_dir: Path, assignments: "list[str] | None" = None,
               timeout: int = 120) -> SiteReport:
    """Execute every source notebook, write it as a student-view HTML page, then the syllabus.

    Parameters
    ----------
    root : the course root.
    out_dir : where ``index.html`` and ``<assignment>/<notebook>.html`` go (created if needed).
    assignments : only these assignments (default: all in ``source/``).
    timeout : seconds one cell may run.
    """
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [root.check_assignment(a) for a in assignments] if assignments else root.assignments()
    config = root.config  # merged as nbgrader merges it
    sources = [(name, path) for name in names for path in root.notebooks(name)]
    hrefs = [f"{name}/{path.stem}.html" for name, path in sources]

    # Run everything first (the titles are needed for every page's next/previous links).
    built = []
    for _, path in sources:
        started = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        nb, _ = ClearHiddenTests(config=config).preprocess(nb, {})
        errors = execute(nb, path.parent, timeout)
        nb = offline_outputs(student_view(nb, config))
        built.append((nb, errors, time.perf_counter() - started))
    titles = [notebook_title(nb, path.stem) for (nb, _, _), (_, path) in zip(built, sources)]

    exporter = _exporter()
    mathjax = copy_mathjax(find_mathjax(root.path), out_dir)
    pages = []
    for i, ((name, path), (nb, errors, seconds)) in enumerate(zip(sources, built)):
        prev = (hrefs[i - 1], titles[i - 1]) if i > 0 else None
        nxt = (hrefs[i + 1], titles[i + 1]) if i + 1 < len(sources) else None
        page_path = out_dir / hrefs[i]
        resources = {"metadata": {"name": titles[i], "path": str(path.parent)},
                     "descent": {"css": SITE_CSS + ACCESS_CSS, "nav": _nav(prev, nxt),
                                 "mathjax": Path(os.path.relpath(mathjax, page_path.parent)).as_posix()}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        page_path.parent.mkdir(parents=True, exist_ok=True)
        page_path.write_text(focusable_scrollers(body), encoding="utf-8")
        images = sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
        pages.append(PageReport(name, path.name, page_path, titles[i], grade_ids(nb, "solution"), images, seconds,
                                errors))

    index = out_dir / "index.html"
    index.write_text(_index_html(pages, out_dir), encoding="utf-8")
    return SiteReport(out_dir, index, pages, check_links(out_dir))


def cli(root: CourseRoot, out: "str | Path | None" = None, assignments: "list[str] | None" = None) -> int:
    """``descent site [--out DIR] [ASSIGNMENT ...]``: build, print the report; 0 when all is sound."""
    out_dir = Path(out) if out else root.path / "site"
    report = build_site(root, out_dir, assignments)
    print(report.summary())
    if not report.ok:
        print("site: problems found (see above)")
        return 1
    print(f"site: ready; publish by copying {out_dir} to any static host")
    return 0
