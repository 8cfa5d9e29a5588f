"""Read what readers get: the headline, body and facets of a built article page.

Used by :func:`newsarchive.search.update_index` (the build's search step): the document
holds exactly the text a reader sees on the page and nothing of its chrome (header, navigation, related articles,
weather box).

What is read (themes/newsroom/templates/article.html):
- headline, date and section from the page's JSON-LD ``NewsArticle``;
- the text of ``<div class="article__body">``, one paragraph per block element;
- the names of the people, companies and topics chips (without the role).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from newsarchive.search.documents import BlockText, SearchDocument, checked

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


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.body = BlockText()
        self.facets: dict[str, list[str]] = {v: [] for v in _CHIP_KINDS.values()}
        self.found_body = False
        self._body_depth = 0  # > 0 inside article__body (counting nested divs)
        self._chip_kind: str | None = None
        self._chip: list[str] | None = None
        self._role_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "div" and "article__body" in classes and not self._body_depth:
            self._body_depth = 1
            self.found_body = True
            return
        if tag == "div" and self._body_depth:
            self._body_depth += 1
        elif tag == "div":
            for cls in classes:
                if cls.startswith("chips__group--"):
                    self._chip_kind = _CHIP_KINDS.get(cls.removeprefix("chips__group--"))
        if self._body_depth:
            self.body.start(tag)
        if tag == "a" and "chip" in classes and self._chip_kind:
            self._chip = []
        elif tag == "span" and self._chip is not None and "chip__role" in classes:
            self._role_depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._body_depth:
            self._body_depth -= 1
            if not self._body_depth:
                self.body.close()
            return
        if self._body_depth:
            self.body.end(tag)
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
        if self._body_depth:
            self.body.data(data)
        if self._chip is not None and not self._role_depth:
            self._chip.append(data)


def read_page(path: Path, *, key: str, url: str) -> SearchDocument | None:
    """The document of one built article page; None when the page is not an article."""
    text = path.read_text(encoding="utf-8")
    start = _REGION_START.search(text)
    if start is None:
        return None  # no article body: not an article page
    end = text.find("</article>", start.start())
    parser = _ArticleParser()
    parser.feed(text[start.start() : end if end > 0 else None])
    parser.close()
    parser.body.close()
    article: dict[str, Any] | None = None
    for blob in _LD_JSON.findall(text[: start.start()]):
        try:
            data = json.loads(blob)
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("@type") == "NewsArticle":
            article = data
    if article is None or not parser.found_body:
        return None
    return checked(
        SearchDocument(
            key=key,
            url=url,
            title=str(article.get("headline") or ""),
            date=str(article.get("datePublished") or "")[:10],
            section=str(article.get("articleSection") or "") or None,
            people=tuple(parser.facets["people"]),
            companies=tuple(parser.facets["companies"]),
            topics=tuple(parser.facets["topics"]),
            paragraphs=tuple(parser.body.paragraphs),
        )
    )
