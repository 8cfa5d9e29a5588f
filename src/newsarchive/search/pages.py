"""Read what readers get: the headline, body and facets of each built article page.

The index is made from ``output/`` rather than from Pelican's objects, so it holds exactly
the text a reader sees on the page and nothing of the page's chrome (header, navigation,
related articles, weather box). It also makes re-indexing cheap: the build rewrites only
pages whose bytes changed, so a page whose size and mtime are unchanged is not re-read.

What is read (themes/newsroom/templates/article.html):
- headline, date and section from the page's JSON-LD ``NewsArticle``;
- the text of ``<div class="article__body">``, one paragraph per block element;
- the names of the people, companies and topics chips (without the role).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

# An article page: YYYY/MM/slug/index.html (month archives are YYYY/MM/index.html).
ARTICLE_PATH = re.compile(r"^\d{4}/\d{2}/[^/]+/index\.html$")
_BLOCKS = frozenset({"p", "li", "figcaption", "blockquote", "h2", "h3", "h4", "pre", "td", "th"})
_CHIP_KINDS = {"person": "people", "company": "companies", "topic": "topics"}
# JSON-LD is taken with a regex (a script's text has no markup inside it), and only the
# article region is fed to the HTML parser: the page's head, header, navigation, related
# articles and footer are most of its bytes and none of what is indexed.
_LD_JSON = re.compile(
    r'<script\b[^>]*\btype="application/ld\+json"[^>]*>(.*?)</script>', re.DOTALL | re.IGNORECASE
)
# From the body to the end of the article element (the chips close it; related articles
# and the footer come after).
_REGION_START = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\barticle__body\b")


@dataclass(frozen=True)
class ArticleRecord:
    url: str  # site-relative, percent-encoded, starting with "/"
    title: str
    date: str  # YYYY-MM-DD
    section: str
    paragraphs: tuple[str, ...]
    people: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleRecord:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ld: list[str] = []
        self.paragraphs: list[str] = []
        self.facets: dict[str, list[str]] = {v: [] for v in _CHIP_KINDS.values()}
        self.found_body = False
        self._in_ld = False
        self._body_depth = 0  # > 0 inside article__body (counting nested divs)
        self._block: list[str] | None = None
        self._block_depth = 0
        self._chip_kind: str | None = None
        self._chip: list[str] | None = None
        self._role_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld.append("")
        elif tag == "div" and "article__body" in classes and not self._body_depth:
            self._body_depth = 1
            self.found_body = True
        elif tag == "div" and self._body_depth:
            self._body_depth += 1
        elif tag == "div":
            for cls in classes:
                if cls.startswith("chips__group--"):
                    self._chip_kind = _CHIP_KINDS.get(cls.removeprefix("chips__group--"))
        if self._body_depth and tag in _BLOCKS:
            if self._block is None:
                self._block = []
                self._block_depth = 0
            self._block_depth += 1
        if tag == "a" and "chip" in classes and self._chip_kind:
            self._chip = []
        elif tag == "span" and self._chip is not None and "chip__role" in classes:
            self._role_depth = 1
        elif tag == "br" and self._block is not None:
            self._block.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_ld = False
        if self._body_depth and tag in _BLOCKS and self._block is not None:
            self._block_depth -= 1
            if self._block_depth == 0:
                text = " ".join("".join(self._block).split())
                if text:
                    self.paragraphs.append(text)
                self._block = None
        if tag == "div" and self._body_depth:
            self._body_depth -= 1
        elif tag == "div" and self._chip_kind and self._chip is None:
            self._chip_kind = None
        if tag == "span" and self._role_depth:
            self._role_depth = 0
        elif tag == "a" and self._chip is not None and self._chip_kind:
            name = " ".join("".join(self._chip).split())
            if name and name not in self.facets[self._chip_kind]:
                self.facets[self._chip_kind].append(name)
            self._chip = None

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.ld[-1] += data
        elif self._block is not None:
            self._block.append(data)
        elif self._body_depth:
            # text directly in the body (not in a block): its own paragraph
            text = " ".join(data.split())
            if text:
                self.paragraphs.append(text)
        if self._chip is not None and not self._role_depth:
            self._chip.append(data)


def url_of(relpath: str) -> str:
    """``2024/06/slug/index.html`` -> ``/2024/06/slug/`` (percent-encoded for the index)."""
    return "/" + quote(relpath.removesuffix("index.html"), safe="/")


def read_article(path: Path, relpath: str) -> ArticleRecord | None:
    """The record of one built article page; None when the page is not an article."""
    text = path.read_text(encoding="utf-8")
    blobs = _LD_JSON.findall(text)
    start = _REGION_START.search(text)
    if start is None:
        return None  # no article body: not an article page
    end = text.find("</article>", start.start())
    region = text[start.start() : end if end > 0 else None]
    parser = _ArticleParser()
    parser.feed(region)
    parser.close()
    article: dict[str, Any] | None = None
    for blob in blobs:
        try:
            data = json.loads(blob)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") == "NewsArticle":
            article = data
    if article is None or not parser.found_body:
        return None
    return ArticleRecord(
        url=url_of(relpath),
        title=str(article.get("headline") or ""),
        date=str(article.get("datePublished") or "")[:10],
        section=str(article.get("articleSection") or ""),
        paragraphs=tuple(parser.paragraphs),
        people=tuple(parser.facets["people"]),
        companies=tuple(parser.facets["companies"]),
        topics=tuple(parser.facets["topics"]),
    )
