"""Pelican's reader for ``.md`` files: articles under the articles folder, pages elsewhere.

Parsing and rendering live in :mod:`newsarchive.document` (shared with the build's fast
path); this module turns their result into the metadata Pelican expects.
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from pathlib import Path
from typing import Any

from pelican.readers import BaseReader
from pelican.urlwrappers import Author, Category
from pelican.utils import SafeDatetime

from newsarchive.document import (
    READER_VERSION,
    field_line,
    parse_front_matter,
    render_body,
    split_front_matter,
    summary_text,
)
from newsarchive.errors import FrontMatterError
from newsarchive.pelican_plugin import parallel, state
from newsarchive.slugs import slugify


# ----------------------------------------------------------------------------- reader
def _date(value: dt.date) -> SafeDatetime:
    return SafeDatetime(value.year, value.month, value.day)


class NewsArchiveReader(BaseReader):
    """Pelican reader for ``.md`` files: articles under the articles folder, pages elsewhere."""

    enabled = True
    file_extensions = ["md"]  # noqa: RUF012 - Pelican's interface is a class attribute

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = Path(source_path)
        try:
            if self._is_page(path):
                return self._read_page(path)
            return self._read_article(path)
        except FrontMatterError as exc:
            # Pelican logs reader exceptions and carries on; remember the error so the
            # build fails once all files have been read (every bad file is reported).
            state.current().errors.append(exc)
            raise

    def _is_page(self, path: Path) -> bool:
        pages = self.settings.get("NEWSARCHIVE_PAGES_PATH")
        return bool(pages) and path.resolve().is_relative_to(pages)

    def _read_article(self, path: Path) -> tuple[str, dict[str, Any]]:
        # answered from the parallel prefetch when it parsed these very bytes
        parsed = parallel.parse_article(path)
        article, content = parsed.article, parsed.content
        metadata: dict[str, Any] = {
            "title": article.title,
            "date": _date(article.date),
            "slug": article.slug,
            # Pelican treats the summary as HTML (feeds, templates): escape the plain text.
            "summary": html.escape(parsed.summary_text),
            "summary_text": parsed.summary_text,
            "na": article,
        }
        credit = article.byline.name if article.byline else article.outlet
        if credit:  # the feeds' <author>; no author pages are written
            metadata["author"] = Author(credit, self.settings)
        if article.section:
            category = Category(article.section, self.settings)
            category.slug = slugify(article.section)
            metadata["category"] = category
        return content, metadata

    def _read_page(self, path: Path) -> tuple[str, dict[str, Any]]:
        text = path.read_text(encoding="utf-8")
        yaml_text, body, offset = split_front_matter(text, path)
        meta = parse_front_matter(yaml_text, path, offset)
        title = meta.get("title")
        if not isinstance(title, str) or not title.strip():
            line = field_line(yaml_text, "title")
            raise FrontMatterError(
                "front matter field 'title' is required text",
                path=path,
                line=None if line is None else line + offset - 1,
            )
        slug = meta.get("slug") or slugify(path.stem)
        if not isinstance(slug, str) or slugify(slug) != slug:
            line = field_line(yaml_text, "slug")
            raise FrontMatterError(
                f"front matter field 'slug' {slug!r} may hold only lowercase letters, digits, Hangul and '-'",
                path=path,
                line=None if line is None else line + offset - 1,
            )
        content = render_body(body)
        return content, {
            "title": unicodedata.normalize("NFC", title.strip()),
            "slug": slug,
            "summary_text": summary_text(content),
            "summary": html.escape(summary_text(content)),
        }


__all__ = [
    "READER_VERSION",
    "NewsArchiveReader",
    "field_line",
    "render_body",
    "summary_text",
]
