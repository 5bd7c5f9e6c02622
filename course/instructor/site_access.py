"""What makes the site's pages usable by everyone (WCAG 2.1 AA), and MathJax shipped with them.

- code in colours that meet AA contrast (``accessible-pygments``' ``a11y-light``), prompts too;
- every block that may scroll sideways (code, tables) reachable with Tab;
- links underlined, not told apart by colour alone; a visible focus ring;
- every picture's text alternative from its output's metadata (``course.figure_text``);
- MathJax 3 from the npm ``mathjax`` package (``npm ci`` at the course root), copied into the
  site, so formulas render offline, with MathJax's assistive MathML for screen readers.

``tests/test_site_browser.py`` runs axe-core on every page of a built site.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from pygments.formatters import HtmlFormatter

__all__ = ["ACCESS_CSS", "MATHJAX_FOLDER", "PAGE_BLOCKS", "copy_mathjax", "find_mathjax", "focusable_scrollers"]

#: Where the site keeps its copy of MathJax, and the bundle each page loads from it.
MATHJAX_FOLDER = "mathjax"
MATHJAX_BUNDLE = "tex-chtml.js"
#: MathJax's other bundles (SVG output, MathML input, Node): not used by the pages.
_MATHJAX_UNUSED = ("mml-*.js", "tex-svg*.js", "tex-mml-*.js", "node-main.js", "tex-chtml-full*.js")
#: Pygments colours designed for WCAG AA contrast (the PyData Sphinx theme's choice).
CODE_STYLE = "a11y-light"


def _code_css() -> str:
    rules = HtmlFormatter(style=CODE_STYLE).get_style_defs(".highlight").splitlines()
    return "\n".join(rule for rule in rules if rule.startswith(".highlight"))


ACCESS_CSS = _code_css() + """
body { --jp-cell-prompt-not-active-opacity: 1; --jp-cell-prompt-not-active-font-color: #595959; }
a, .jp-RenderedHTMLCommon a, .jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited {
  text-decoration: underline; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #D55E00; outline-offset: 2px; }
"""

#: Blocks of nbconvert's lab template replaced for the site: MathJax 3 from the site's own copy
#: (``resources.descent.mathjax``, relative to the page), and a PNG's ``alt`` from its metadata.
PAGE_BLOCKS = """
{%- block html_head_js_mathjax -%}
<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true, tags: 'ams'},
  loader: {load: ['a11y/assistive-mml']}
};
</script>
<script defer src="{{ resources.descent.mathjax }}"></script>
{%- endblock html_head_js_mathjax -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alttext = output | get_metadata('alt', 'image/png') -%}
{%- if alttext %} alt="{{ alttext | escape_html }}"{% endif %}>
</div>
{%- endblock data_png %}
"""


def find_mathjax(course_path: Path) -> Path:
    """MathJax's ``es5`` folder from ``npm ci``: at the course root, else at this package's repository."""
    here = Path(__file__).resolve().parents[2]
    for base in (course_path, here):
        folder = base / "node_modules" / "mathjax" / "es5"
        if (folder / MATHJAX_BUNDLE).is_file():
            return folder
    raise FileNotFoundError(f"MathJax is not installed: run `npm ci` in {here} (package.json lists it)")


def copy_mathjax(source: Path, out_dir: Path) -> Path:
    """Copy MathJax's components (fonts, assistive and speech modules included) into ``out_dir``."""
    target = out_dir / MATHJAX_FOLDER
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*_MATHJAX_UNUSED), dirs_exist_ok=True)
    return target / MATHJAX_BUNDLE


def focusable_scrollers(page: str) -> str:
    """``page`` with every code block and table reachable by keyboard (``tabindex="0"``), as
    they scroll sideways when wider than the screen."""
    soup = BeautifulSoup(page, features="html.parser")
    for element in soup.select("pre, .jp-RenderedHTMLCommon table"):
        element.attrs.setdefault("tabindex", "0")
    return str(soup)
