"""Read what readers get: the headline, body and facets of a built article page.

Used by :func:`newsarchive.search.update_index` (the build's search step): the document
holds exactly the text a reader sees on the page and nothing of its chrome (header,
navigation, related articles, weather box). :func:`document_from_html` makes the same
document from an article's fields and its rendered body.

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

from newsarchive.search.documents import SearchDocument, checked

# Elements whose text is one paragraph of the body (nested ones join their outermost block).
BLOCKS = frozenset(
    {"p", "li", "figcaption", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "td", "th"}
)
_CHIP_KINDS = {"person": "people", "company": "companies", "topic": "topics"}
# JSON-LD is taken with a regex (a script's text has no markup inside it), and only the
# article region is fed to the HTML parser: the page's head, header, navigation, related
# articles and footer are most of its bytes and none of what is indexed.
# Attribute values may be quoted or not (the theme leaves plain ones unquoted).
_LD_JSON = re.compile(
    r"<script\b[^>]*\btype=[\"']?application/ld\+json\b[^>]*>(.*?)</script>",
    re.DOTALL | re.IGNORECASE,
)
# From the body to the end of the article element (the chips close it; related articles
# and the footer come after).
_REGION_START = re.compile(r"<div\b[^>]*\bclass=(?:\"[^\"]*\b|'[^']*\b)?article__body\b")


class BlockText:
    """Paragraphs from the events of an HTML parser: one per outermost block element.

    Text outside any block is a paragraph of its own; ``<br>`` is a space; runs of
    whitespace collapse. Shared by :func:`document_from_html` and the page reader.
    """

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self._block: list[str] | None = None
        self._depth = 0

    def start(self, tag: str) -> None:
        if tag in BLOCKS:
            if self._block is None:
                self._block = []
                self._depth = 0
            self._depth += 1
        elif tag == "br" and self._block is not None:
            self._block.append(" ")

    def end(self, tag: str) -> None:
        if tag in BLOCKS and self._block is not None:
            self._depth -= 1
            if self._depth == 0:
                self._add("".join(self._block))
                self._block = None

    def data(self, text: str) -> None:
        if self._block is not None:
            self._block.append(text)
        else:
            self._add(text)

    def close(self) -> None:
        if self._block is not None:  # an unclosed block still counts
            self._add("".join(self._block))
            self._block = None

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.paragraphs.append(text)


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


class _BodyParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = BlockText()
        self._skip = 0  # inside script/style/template: not text readers see

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif not self._skip:
            self.text.start(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip:
            self.text.start(tag)
            if tag in BLOCKS:
                self.text.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip = max(0, self._skip - 1)
        elif not self._skip:
            self.text.end(tag)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.data(data)


def paragraphs_of(body_html: str) -> tuple[str, ...]:
    parser = _BodyParser()
    parser.feed(body_html)
    parser.close()
    parser.text.close()
    return tuple(parser.text.paragraphs)


def document_from_html(
    *,
    key: str,
    url: str,
    title: str,
    date: str,
    section: str | None,
    people: tuple[str, ...],
    companies: tuple[str, ...],
    topics: tuple[str, ...],
    body_html: str,
) -> SearchDocument:
    """The document of an article whose body is rendered HTML (markdown-it's output:
    p, li, blockquote, figure/figcaption, h2-h4, pre...), as readers see it."""
    return checked(
        SearchDocument(
            key=key,
            url=url,
            title=title,
            date=date,
            section=section,
            people=tuple(people),
            companies=tuple(companies),
            topics=tuple(topics),
            paragraphs=paragraphs_of(body_html),
        )
    )
