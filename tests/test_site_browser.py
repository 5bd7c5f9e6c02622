"""The built site in a real browser, offline: axe-core finds no WCAG 2.1 A/AA violation on any
page, and MathJax, shipped with the site, renders every formula with its assistive MathML.

One site is built for the module (every lesson, about a minute on 2 cores); every request that
leaves the site's folder is refused, as on a machine without a network.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from axe import AXE, BEST_PRACTICE, WCAG_21_AA, summary, violations
from lab_browser import CHROMIUM, CHROMIUM_ARGS, browser_marks

pytestmark = browser_marks()

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The whole site, built from a scratch copy of the course."""
    from course.instructor.grading.core.coursedir import CourseRoot
    from course.instructor.site import build_site

    assert AXE.is_file(), f"no axe-core at {AXE}: run `npm ci` at the repository root"
    scratch = tmp_path_factory.mktemp("site")
    report = build_site(CourseRoot.at(REPO).copy_to(scratch / "course"), scratch / "site")
    assert report.ok, report.summary()
    return report


@pytest.fixture(scope="module")
def offline_page(site):
    """A browser page that may load files of the site only."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        refused = []

        def only_the_site(route):
            url = route.request.url
            if url.startswith(site.out_dir.as_uri()) or url.startswith("data:"):
                route.continue_()
            else:
                refused.append(url)
                route.abort()

        context.route("**/*", only_the_site)
        page = context.new_page()
        page.refused = refused
        yield page
        browser.close()


def _pages(site) -> list[Path]:
    return [site.index] + [page.path for page in site.pages]


def _load(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # MathJax typesets after load; wait until it says it is done (pages without it: at once)
    page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)")
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")


def test_no_wcag_violation_on_any_page(site, offline_page):
    """Does axe-core find no WCAG 2.1 A/AA violation, nor a breach of its best practices (headings in
    order, landmarks), on the syllabus and every lesson page?"""
    found = {}
    for path in _pages(site):
        _load(offline_page, path)
        problems = violations(offline_page, tags=WCAG_21_AA + BEST_PRACTICE)
        if problems:
            found[path.relative_to(site.out_dir).as_posix()] = summary(problems)
    assert found == {}, "\n".join(f"{page}:\n{text}" for page, text in found.items())


def test_formulas_render_offline_with_assistive_mathml(site, offline_page):
    """With every outside request refused, does each lesson's TeX become MathJax output with hidden MathML
    for screen readers, and no raw $...$ stay in the text?"""
    for page in site.pages:
        _load(offline_page, page.path)
        rendered = offline_page.evaluate("""() => ({
            formulas: document.querySelectorAll('mjx-container').length,
            assistive: document.querySelectorAll('mjx-container mjx-assistive-mml math').length,
            raw: [...document.querySelectorAll('.jp-RenderedMarkdown')]
                 .map(el => el.innerText).filter(text => /\\$[^$\\s][^$]*\\$/.test(text)).length})""")
        assert rendered["formulas"] >= 1, f"{page.path.name}: no formula rendered"
        assert rendered["assistive"] == rendered["formulas"], f"{page.path.name}: {rendered}"
        assert rendered["raw"] == 0, f"{page.path.name}: TeX left unrendered: {rendered}"
    assert offline_page.refused == [], f"the pages asked the network for {offline_page.refused[:5]}"
