"""Pelican's reader for ``.md`` files: articles under the articles folder, pages elsewhere.

Parsing and rendering live in :mod:`newsarchive.document`; this module turns their result
into the metadata Pelican's content model expects. The validated front matter travels as
``article_model`` (a :class:`newsarchive.model.Article`), from which the build keeps its
record of the article (:func:`newsarchive.site.articles.from_content`).
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from pathlib import Path
from typing import Any

from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from newsarchive.document import (
    field_line,
    parse_article,
    parse_front_matter,
    render_body,
    split_front_matter,
    summary_text,
)
from newsarchive.errors import FrontMatterError
from newsarchive.slugs import slugify

STATUSES = ("published", "draft")


def _date(value: dt.date) -> SafeDatetime:
    return SafeDatetime(value.year, value.month, value.day)


class NewsArchiveReader(BaseReader):
    """Pelican reader for ``.md`` files: articles under the articles folder, pages elsewhere."""

    enabled = True
    file_extensions = ["md"]  # noqa: RUF012 - Pelican's interface is a class attribute

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        path = Path(source_path)
        pages = self.settings.get("NEWSARCHIVE_PAGES_PATH")
        if pages and path.resolve().is_relative_to(pages):
            return self._read_page(path)
        return self._read_article(path)

    def _read_article(self, path: Path) -> tuple[str, dict[str, Any]]:
        parsed = parse_article(path)
        article = parsed.article
        status = article.extra.get("status", "published")
        if status not in STATUSES:
            raise FrontMatterError(
                f"front matter field 'status' must be one of {', '.join(STATUSES)}, not {status!r}",
                path=path,
            )
        metadata: dict[str, Any] = {
            "title": article.title,
            "date": _date(article.date),
            "slug": article.slug,
            "status": status,
            # Pelican treats the summary as HTML: escape the plain text.
            "summary": html.escape(parsed.summary_text),
            "summary_text": parsed.summary_text,
            "article_model": article,
        }
        return parsed.content, metadata

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
        text = summary_text(content)
        return content, {
            "title": unicodedata.normalize("NFC", title.strip()),
            "slug": slug,
            "summary_text": text,
            "summary": html.escape(text),
        }
