"""axe-core in a real page: the WCAG 2.1 A and AA rules, run by Deque's own engine.

axe-core comes from npm (``package.json`` at the repository root; ``npm ci`` puts it in
``node_modules/``). Shared by the browser tests of the site and of the student's JupyterLab.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of WCAG 2.0 and 2.1, levels A and AA (axe's tags for them).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe's best practices beyond WCAG's letter: headings in order, landmarks, one main heading.
BEST_PRACTICE = ["best-practice"]

_RUN = """async ([selector, tags]) => {
    const context = selector ? {include: [...document.querySelectorAll(selector)]} : document;
    if (selector && context.include.length === 0) { return []; }
    const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' | ' + n.failureSummary.split('\\n').slice(0, 2).join(' '))}));
}"""


def violations(page: "Page", selector: "str | None" = None, tags: "list[str] | None" = None) -> list[dict]:
    """axe-core's violations of the WCAG 2.1 A/AA rules (or of ``tags``) on ``page``, only inside
    ``selector``'s elements if given.

    Each is ``{id, impact, help, nodes}``, ``nodes`` saying where and why, one line each.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_RUN, [selector, tags or WCAG_21_AA])


def summary(found: list[dict]) -> str:
    """The violations as short lines, for an assertion message."""
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}")
        lines += [f"    {node}" for node in v["nodes"][:4]]
    return "\n".join(lines)
