"""What the search index holds of one article.

:class:`SearchDocument` is plain data: the build hands the index one per article (see
index.py). The index publishes what the browser shows of a result (URL, headline, date,
section), as JSON, in the document's fragment file; the excerpt comes from the article's
own page, which already publishes the body. The rest (the body's paragraphs, the people,
companies and topics, which the index holds as terms) is kept in the index's state in the
cache (:func:`rest_bytes`), where an update reads an old document back. A document is
read from rendered HTML by pages.py (a build that finds nothing to do never loads an HTML
parser).
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from dataclasses import dataclass, fields
from typing import Any

from newsarchive.errors import BuildError

_FACETS = ("people", "companies", "topics")
_PUBLISHED = ("url", "title", "date", "section")  # in the fragment; the key stays private
_REST = (*_FACETS, "paragraphs")


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
        """The JSON the browser reads: what a result shows (the key stays private, it is a
        source path; the body is on the article's page, published once, not twice)."""
        return {name: getattr(self, name) for name in _PUBLISHED}

    @classmethod
    def from_fragment(cls, key: str, data: Any, rest: bytes) -> SearchDocument:
        """The document back from its fragment and its :func:`rest_bytes`; ValueError when
        they are not that."""
        if not isinstance(data, dict):
            raise ValueError("a fragment is a JSON object")
        try:
            kept = json.loads(zlib.decompress(rest))
            values = {
                "url": str(data["url"]),
                "title": str(data["title"]),
                "date": str(data["date"]),
                "section": None if data["section"] is None else str(data["section"]),
                **{f: tuple(str(x) for x in kept[f]) for f in _REST},
            }
        except (KeyError, TypeError, zlib.error, json.JSONDecodeError) as exc:
            raise ValueError(f"not a search fragment: {exc}") from exc
        return cls(key=key, **values)


def fragment_bytes(document: SearchDocument) -> bytes:
    return json.dumps(
        document.fragment(), ensure_ascii=False, separators=(",", ":"), sort_keys=True
    ).encode("utf-8")


def rest_bytes(document: SearchDocument) -> bytes:
    """What the fragment leaves out, as the index's state keeps it (compressed JSON)."""
    rest = {name: getattr(document, name) for name in _REST}
    raw = json.dumps(rest, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return zlib.compress(raw.encode("utf-8"))


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
