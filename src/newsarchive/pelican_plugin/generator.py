"""The one generator of the site: runs the incremental build inside Pelican.

Pelican's own article and page generators are left with nothing to read
(``ARTICLE_PATHS``/``PAGE_PATHS`` are empty): they read every file on every build and
hold every article in memory, which a sub-second rebuild of a 50,000-article archive
cannot afford. This generator reads only the files that changed, through Pelican's
readers and content model (``self.readers.read_file``), and renders only the outputs the
dependency record says are stale, through Pelican's writer and this generator's Jinja2
environment (see :mod:`newsarchive.engine`).
"""

from __future__ import annotations

import os
from typing import Any

from pelican.contents import Article, Page
from pelican.generators import Generator

from newsarchive.engine import tracking
from newsarchive.engine.incremental import IncrementalBuild
from newsarchive.engine.options import BuildOptions
from newsarchive.engine.verify import OutputCheck
from newsarchive.render.views import SectionsNav
from newsarchive.site.articles import ArticleData, PageData, digest, from_content
from newsarchive.site.site import BuildMode


class PelicanRenderer:
    """What render steps write through: Pelican's writer and this generator's templates."""

    def __init__(self, generator: NewsArchiveGenerator, writer: Any, sink: Any) -> None:
        self._generator = generator
        self._writer = writer
        writer.report_to(sink.written)
        self._relative = bool(generator.settings["RELATIVE_URLS"])
        self._context = generator.base_context()

    def html(
        self, path: str, template: str, *, relative_urls: bool = True, **variables: Any
    ) -> None:
        tracking.fact(f"template:{template}.html")
        self._writer.write_file(
            path,
            self._generator.get_template(template),
            self._context,
            relative_urls=relative_urls and self._relative,
            paginated={},
            **variables,
        )

    def data(self, path: str, data: bytes) -> None:
        self._writer.write_bytes(path, data)


class NewsArchiveGenerator(Generator):
    def generate_context(self) -> None:
        settings = self.settings
        options: BuildOptions = settings.get("NEWSARCHIVE_BUILD") or BuildOptions(
            verify=OutputCheck(settings["NEWSARCHIVE_SETTINGS"].output_path, None)
        )
        self.mode = BuildMode(
            publish=bool(settings["NEWSARCHIVE_PUBLISH"]),
            base_url=settings["NEWSARCHIVE_BASE_URL"] if settings["NEWSARCHIVE_PUBLISH"] else "",
        )
        self.build = IncrementalBuild(settings["NEWSARCHIVE_SETTINGS"], self.mode, options)
        self.build.prepare(self._read_article, self._read_page, self.env)

    def _source(self, path: str) -> str:
        root = str(self.settings["NEWSARCHIVE_SETTINGS"].root)
        return path if path.startswith("/") else os.path.join(root, path)  # noqa: PTH118

    def _read_article(self, path: str) -> tuple[ArticleData, str]:
        content = self.readers.read_file(
            base_path=self.path,
            path=os.path.relpath(self._source(path), self.path),
            content_class=Article,
            context=self.context,
        )
        return from_content(content, path)

    def _read_page(self, path: str) -> tuple[PageData, str]:
        content = self.readers.read_file(
            base_path=self.path,
            path=os.path.relpath(self._source(path), self.path),
            content_class=Page,
            context=self.context,
        )
        body = content._content or ""  # the reader's HTML (.content adds a memo)
        data = PageData(
            path=path,
            title=content.title,
            slug=content.slug,
            url=content.url,
            save_as=content.save_as,
            summary=content.summary_text,
            body=digest(body),
        )
        return data, body

    def base_context(self) -> dict[str, Any]:
        """What every template sees besides its own variables."""
        settings = self.settings
        site = self.build.site
        return {
            "SITENAME": settings["SITENAME"],
            "SITESUBTITLE": settings["SITESUBTITLE"],
            "SITEURL": settings["SITEURL"],
            "DEFAULT_LANG": settings["DEFAULT_LANG"],
            "localsiteurl": settings["SITEURL"],
            "categories": SectionsNav(site),
        }

    def generate_output(self, writer: Any) -> None:
        self.build.render(lambda sink: PelicanRenderer(self, writer, sink))
