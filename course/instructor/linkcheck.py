"""Check a folder of HTML pages: every relative link resolves to a file, every image is real.

    from course.instructor.linkcheck import check_links
    problems = check_links(Path("site"))       # [] when every page is sound

Links to other sites (``http:``, ``https:``, ``//host``) are listed, not fetched: a static
site must read offline, and the check must run without a network.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["LinkProblem", "LinkReport", "check_links", "links_in"]

_LINK_ATTRIBUTES = {"href", "src"}
_IGNORED_SCHEMES = {"mailto", "javascript", "tel"}
_IMAGE_SIGNATURES = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
    "image/gif": b"GIF8",
}


@dataclass(frozen=True)
class LinkProblem:
    """A link in ``page`` (relative to the site folder) whose target is missing or broken."""

    page: str
    tag: str
    target: str
    reason: str

    def __str__(self) -> str:
        shown = self.target if len(self.target) < 80 else self.target[:77] + "..."
        return f"{self.page}: <{self.tag}> {shown}: {self.reason}"


@dataclass
class LinkReport:
    """What the check found: broken links, and the external links it did not follow."""

    problems: list[LinkProblem] = field(default_factory=list)
    external: set[str] = field(default_factory=set)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        for name, value in attrs:
            if name in _LINK_ATTRIBUTES and value is not None:
                self.links.append((tag, value.strip()))


def links_in(html: str) -> list[tuple[str, str]]:
    """``(tag, target)`` for every ``href`` and ``src`` attribute in ``html``."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return collector.links


def _data_uri_problem(tag: str, target: str) -> "str | None":
    """Why a ``data:`` URI is not a usable image, or None when it is fine."""
    header, _, payload = target[5:].partition(",")
    mime = header.split(";")[0].lower()
    if tag != "img" or not mime.startswith("image/"):
        return None
    if ";base64" not in header:
        return None if payload else "empty image data"
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return "image data is not valid base64"
    signature = _IMAGE_SIGNATURES.get(mime)
    if not data or (signature and not data.startswith(signature)):
        return f"image data is not a {mime} file"
    return None


def _check_link(site: Path, page: Path, tag: str, target: str, report: LinkReport) -> None:
    where = page.relative_to(site).as_posix()
    if target == "":
        report.problems.append(LinkProblem(where, tag, target, "empty link"))
        return
    if target.startswith("data:"):
        reason = _data_uri_problem(tag, target)
        if reason:
            report.problems.append(LinkProblem(where, tag, target, reason))
        return
    parts = urlsplit(target)
    if parts.scheme in _IGNORED_SCHEMES:
        return
    if parts.scheme or parts.netloc:
        report.external.add(target)
        return
    if not parts.path:  # "#section" on the same page
        return
    if parts.path.startswith("/"):
        report.problems.append(LinkProblem(where, tag, target, "absolute path: breaks when the site moves"))
        return
    resolved = (page.parent / unquote(parts.path)).resolve()
    if not resolved.is_relative_to(site.resolve()):
        report.problems.append(LinkProblem(where, tag, target, "points outside the site folder"))
    elif not resolved.is_file():
        report.problems.append(LinkProblem(where, tag, target, "no such file"))


def check_links(site: Path) -> LinkReport:
    """Check every ``href``/``src`` of every ``.html`` page under ``site``."""
    site = Path(site)
    report = LinkReport()
    for page in sorted(site.rglob("*.html")):
        for tag, target in links_in(page.read_text(encoding="utf-8")):
            report.checked += 1
            _check_link(site, page, tag, target, report)
    return report
