"""The static site: lessons run and exported without their solutions, and every link holds."""
from __future__ import annotations

import base64
import json
import re
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from course.instructor.grading.core.coursedir import CourseRoot
from course.instructor.linkcheck import check_links, links_in
from course.instructor.site import build_site

REPO = Path(__file__).resolve().parents[2]
SMALL = "01_loss_functions"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _page(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>")
    return path


# --- the link checker (fast) ----------------------------------------------------------------

def test_link_checker_accepts_a_sound_site(tmp_path):
    """Do relative links to existing files, same-page anchors, good data: images and external links pass?"""
    png = base64.b64encode(PNG).decode()
    _page(tmp_path, "index.html", '<a href="a/page.html#top">p</a> <a href="#x">x</a> '
                                  '<a href="https://example.org/">out</a> <a href="mailto:t@example.org">m</a>')
    _page(tmp_path, "a/page.html", f'<a href="../index.html">up</a><img src="data:image/png;base64,{png}">'
                                   '<img src="fig%201.png">')
    (tmp_path / "a" / "fig 1.png").write_bytes(PNG)
    report = check_links(tmp_path)
    assert report.ok, [str(p) for p in report.problems]
    assert report.external == {"https://example.org/"}
    assert report.checked == 7


def test_link_checker_catches_broken_links_and_images(tmp_path):
    """Does the checker report a missing page, a missing image, a corrupt data image and a root-absolute link?"""
    _page(tmp_path, "index.html", '<a href="missing.html">gone</a> <img src="img/none.png"> '
                                  '<img src="data:image/png;base64,bm90IGEgcG5n"> <a href="/abs.html">abs</a> '
                                  '<script src=""></script>')
    report = check_links(tmp_path)
    reasons = sorted((p.target, p.reason) for p in report.problems)
    assert reasons == [
        ("", "empty link"),
        ("/abs.html", "absolute path: breaks when the site moves"),
        ("data:image/png;base64,bm90IGEgcG5n", "image data is not a image/png file"),
        ("img/none.png", "no such file"),
        ("missing.html", "no such file"),
    ]
    assert not report.ok


def test_links_in_reads_every_href_and_src():
    """Are href and src attributes of every tag collected, and nothing else?"""
    html = '<link href="s.css"><a href="x.html" title="y">x</a><img alt="i" src="i.png"><p data-src="no">'
    assert links_in(html) == [("link", "s.css"), ("a", "x.html"), ("img", "i.png")]


# --- building the site (slow: real kernels, real nbconvert) ----------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site of the smallest assignment, built from a scratch copy of the course."""
    scratch = tmp_path_factory.mktemp("site")
    root = CourseRoot.at(REPO).copy_to(scratch / "course")
    return build_site(root, scratch / "site", [SMALL]), root


@pytest.mark.slow
def test_site_builds_with_sound_links(built):
    """Does the built site run every cell without error, with an index and no broken link?"""
    report, _ = built
    assert report.ok, report.summary()
    assert report.index.is_file()
    assert [p.assignment for p in report.pages] == [SMALL]
    index = report.index.read_text()
    assert 'name="viewport"' in index
    for page in report.pages:
        assert f'href="{page.path.relative_to(report.out_dir).as_posix()}"' in index
        assert 'name="viewport"' in page.path.read_text()


@pytest.mark.slow
def test_pages_show_plots_as_real_images(built):
    """Does each page embed its plots as PNG images that decode, as many as its outputs hold?"""
    report, _ = built
    for page in report.pages:
        sources = [t for tag, t in links_in(page.path.read_text()) if tag == "img"]
        pngs = [base64.b64decode(s.split(",", 1)[1]) for s in sources if s.startswith("data:image/png;base64,")]
        assert page.images >= 1 and len(pngs) >= page.images
        assert all(p.startswith(b"\x89PNG") for p in pngs)


@pytest.mark.slow
def test_pages_hold_no_solutions_or_hidden_tests(built):
    """Is every solution line and hidden test gone, replaced by the stub the release shows?"""
    report, root = built
    page_text = unescape(re.sub(r"<[^>]+>", "", report.pages[0].path.read_text()))
    nb = json.loads(root.notebooks(SMALL)[0].read_text())
    secrets = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        for begin, end in (("### BEGIN SOLUTION", "### END SOLUTION"),
                           ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")):
            for block in re.findall(re.escape(begin) + "(.*?)" + re.escape(end), source, re.S):
                secrets += [line.strip() for line in block.splitlines() if len(line.strip()) > 12]
    assert secrets, "the source notebook should have solutions and hidden tests to remove"
    leaked = [line for line in secrets if line in page_text]
    assert not leaked, f"solution or hidden-test lines on the page: {leaked[:3]}"
    assert "BEGIN SOLUTION" not in page_text and "HIDDEN TESTS" not in page_text
    assert "Model answer." not in page_text and "Rubric (" not in page_text, "a written answer's rubric is on the page"
    assert page_text.count("raise NotImplementedError") >= len(report.pages[0].exercises)


@pytest.mark.slow
def test_pages_need_no_script_but_the_sites_own_mathjax(built):
    """Is the site's own copy of MathJax the only script (no CDN, no require.js, no widget manager)?"""
    report, _ = built
    for page in report.pages:
        scripts = [t for tag, t in links_in(page.path.read_text()) if tag == "script"]
        assert scripts == ["../mathjax/tex-chtml.js"], scripts
        assert (page.path.parent / scripts[0]).resolve().is_file()
    assert (report.out_dir / "mathjax" / "a11y" / "assistive-mml.js").is_file()
    assert list((report.out_dir / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


@pytest.mark.slow
def test_every_picture_says_what_it_shows(built):
    """Does every image on every page carry a text alternative, none empty, none a placeholder?"""
    from course.figure_text import PLACEHOLDER

    report, _ = built
    for page in report.pages:
        images = BeautifulSoup(page.path.read_text(), features="html.parser").find_all("img")
        alts = [image.get("alt", "") for image in images]
        assert len(alts) >= page.images >= 1
        bad = [a for a in alts if len(a.split()) < 5 or PLACEHOLDER in a or "No description has been provided" in a]
        assert bad == [], f"{page.path.name}: pictures without a real text alternative: {bad}"


@pytest.mark.slow
def test_a_broken_link_in_the_built_site_is_caught(built, tmp_path):
    """After deleting a page the index links to, does the link check fail on exactly that link?"""
    import shutil

    report, _ = built
    copy = tmp_path / "site"
    shutil.copytree(report.out_dir, copy)
    victim = report.pages[0].path.relative_to(report.out_dir)
    (copy / victim).unlink()
    problems = check_links(copy).problems
    assert [(p.page, p.target) for p in problems] == [("index.html", victim.as_posix())]
