"""What the search index holds of one article, and how it is read from rendered HTML.

:class:`SearchDocument` is plain data: the build hands the index one per article (see
index.py), and the index stores it, as JSON, in the document's fragment file, which the
browser reads to show the result (headline, date, section, excerpt).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, fields
from html.parser import HTMLParser
from typing import Any

from newsarchive.errors import BuildError

# Elements whose text is one paragraph of the body (nested ones join their outermost block).
BLOCKS = frozenset(
    {"p", "li", "figcaption", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "td", "th"}
)
_FACETS = ("people", "companies", "topics")


@dataclass(frozen=True)
class SearchDocument:
    """Everything the index holds of one article (plain data, text as readers see it)."""

    key: str  # stable id: the article's source path relative to the project
    url: str  # site-relative URL, e.g. "2024/06/lg전자-…/" (no leading slash)
    title: str
    date: str  # "YYYY-MM-DD"
    section: str | None
    people: tuple[str, ...]  # canonical names, as shown on the page's chips
    companies: tuple[str, ...]
    topics: tuple[str, ...]
    paragraphs: tuple[str, ...]  # plain text of the body's blocks, in order

    def fragment(self) -> dict[str, Any]:
        """The JSON the browser reads (the key stays private: it is a source path)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "key"}

    @classmethod
    def from_fragment(cls, key: str, data: Any) -> SearchDocument:
        """The document back from its fragment; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a fragment is a JSON object")
        try:
            values = {
                "url": str(data["url"]),
                "title": str(data["title"]),
                "date": str(data["date"]),
                "section": None if data["section"] is None else str(data["section"]),
                **{f: tuple(str(x) for x in data[f]) for f in (*_FACETS, "paragraphs")},
            }
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a search fragment: {exc}") from exc
        return cls(key=key, **values)


def fragment_bytes(document: SearchDocument) -> bytes:
    return json.dumps(
        document.fragment(), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")


def checked(document: SearchDocument) -> SearchDocument:
    """*document* with NFC text, or a BuildError naming it when a field is not text."""
    try:
        nfc = [
            (f.name, _nfc(getattr(document, f.name)))
            for f in fields(document)
            if f.name not in ("key", "date")
        ]
    except TypeError as exc:
        raise BuildError(f"search document {document.key!r}: {exc}") from exc
    if not (isinstance(document.key, str) and document.key):
        raise BuildError(f"search document with an empty key: {document.url!r}")
    if not isinstance(document.date, str):
        raise BuildError(f"search document {document.key!r}: date must be YYYY-MM-DD")
    return SearchDocument(key=document.key, date=document.date, **dict(nfc))


def _nfc(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return tuple(unicodedata.normalize("NFC", v) for v in value)
    raise TypeError(f"expected text, got {type(value).__name__}")


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
