"""Our own output: taxonomy and archive pages, entity feeds, 404, sitemap, robots, static files.

Pelican writes articles, pages, the home page, section pages and the site/section feeds;
this generator writes everything else from the data the plugin prepared in the shared
context (``context["newsarchive"]``, a :class:`SiteData`).
"""

from __future__ import annotations

import io
import os
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from feedgenerator import Atom1Feed, get_tag_uri
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from pelican.generators import Generator

from newsarchive.entities.registry import KINDS, Kind
from newsarchive.pelican_plugin.context import WeatherView
from newsarchive.pelican_plugin.filters import iso_date
from newsarchive.pelican_plugin.taxonomies import Taxonomy
from newsarchive.pelican_plugin.writer import cached_call, write_if_changed


@dataclass
class Period:
    """A year or a month of the archive."""

    year: int
    month: int | None
    articles: list[Any] = field(default_factory=list)  # newest first

    @property
    def label(self) -> str:
        return f"{self.year}년" if self.month is None else f"{self.year}년 {self.month}월"

    @property
    def url(self) -> str:
        return f"{self.year:04d}/" if self.month is None else f"{self.year:04d}/{self.month:02d}/"

    @property
    def save_as(self) -> str:
        return self.url + "index.html"


@dataclass
class SiteData:
    taxonomies: dict[Kind, Taxonomy]
    years: list[Period]  # newest first
    months: dict[int, list[Period]]  # year -> months, newest first
    home_weather: WeatherView | None

    @property
    def taxonomy_list(self) -> list[Taxonomy]:
        return [self.taxonomies[kind] for kind in KINDS]


def periods(articles: list[Any]) -> tuple[list[Period], dict[int, list[Period]]]:
    years: dict[int, Period] = {}
    months: dict[tuple[int, int], Period] = {}
    for article in articles:
        d = article.date
        years.setdefault(d.year, Period(d.year, None)).articles.append(article)
        months.setdefault((d.year, d.month), Period(d.year, d.month)).articles.append(article)
    by_year: dict[int, list[Period]] = defaultdict(list)
    for (year, _), period in sorted(months.items(), reverse=True):
        by_year[year].append(period)
    return [years[y] for y in sorted(years, reverse=True)], dict(by_year)


# Attribute of an article holding its serialised <entry> of the entity feeds.
_ENTRY = "_newsarchive_feed_entry"


class _EntryFeed(Atom1Feed):
    """feedgenerator's Atom feed whose items are <entry> elements serialised beforehand.

    An article is listed in the feed of each of its entities (about eight at 10,000
    articles), always as the same <entry>: writing 77,000 entries through feedgenerator's
    XML writer (a SAX handler, escaping and quoting call by call) took 16 of 70 s in a
    profile of a cold build. Each entry is now serialised once per build, by
    feedgenerator's own code
    (:func:`_entry_xml`), so the bytes are the ones it writes.
    """

    def write_items(self, handler: Any) -> None:
        for item in self.items:
            handler.ignorableWhitespace(item["entry"])  # written as is, like characters


def _entry_xml(**item: Any) -> str:
    feed = Atom1Feed(title="", link="", description="")
    feed.add_item(**item)
    buffer = io.StringIO()
    Atom1Feed.write_items(feed, SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True))
    return buffer.getvalue()


class NewsArchiveGenerator(Generator):
    def generate_output(self, writer: Any) -> None:
        data: SiteData = self.context["newsarchive"]
        relative = self.settings["RELATIVE_URLS"]
        write = partial(writer.write_file, relative_urls=relative)
        context = self.context

        for year in data.years:
            for period in [year, *data.months[year.year]]:
                write(
                    period.save_as,
                    self.get_template("period_archives"),
                    context,
                    articles=period.articles,
                    dates=period.articles,
                    period=period,
                    months=data.months[year.year] if period.month is None else None,
                    template_name="period_archives",
                    url=period.url,
                    page_name=period.url.rstrip("/"),
                )
        write(
            "archives/index.html",
            self.get_template("archives"),
            context,
            years=data.years,
            months=data.months,
            url="archives/",
        )

        for taxonomy in data.taxonomy_list:
            write(
                taxonomy.save_as,
                self.get_template("entity_index"),
                context,
                taxonomy=taxonomy,
                groups=taxonomy.groups(),
                url=taxonomy.url,
            )
            for page in taxonomy.sorted_pages():
                write(page.save_as, self.get_template("entity"), context, entity=page, url=page.url)
                self._write_entity_feed(page)

        # Served for any missing path at any depth: never relative URLs. In dev SITEURL is
        # empty, so links are root-absolute and work under the dev server.
        writer.write_file(
            "404.html", self.get_template("404"), context, relative_urls=False, url="404.html"
        )
        self._write_sitemap(data)
        self._write_extras()
        self._copy_static()

    def _write_entity_feed(self, page: Any) -> None:
        """An entity's Atom feed: summaries only (thousands of entities times full article
        bodies would dominate the build), newest first, links as in Pelican's feeds."""
        # Summaries only: the site digest covers everything this feed shows.
        cached_call(
            f"feed:{page.feed_url}",
            ("entity-feed", page.feed_url),
            partial(self._render_entity_feed, page),
        )

    def _render_entity_feed(self, page: Any) -> None:
        base = self._base()

        def link(url: str) -> str:
            return f"{base}/{url}" if base else url

        feed = _EntryFeed(
            title=f"{self.settings['SITENAME']} - {page.label} {page.name}",
            link=f"{base}/",
            feed_url=link(page.feed_url),
            description=self.settings.get("SITESUBTITLE", ""),
            subtitle=self.settings.get("SITESUBTITLE"),
        )
        for article in page.articles[: self.settings["FEED_MAX_ITEMS"]]:
            # Kept on the article, keyed by what may change while it lives: the summary
            # (the dev server edits bodies in place) and the base URL. Reading them here
            # is also what tells the dev server's recorder this feed shows the article.
            key = (base, article.summary)
            memo = getattr(article, _ENTRY, None)
            if memo is None or memo[0] != key:
                url = link(article.view_url)
                category = getattr(article, "category", None)
                entry = _entry_xml(
                    title=article.title,
                    link=url,
                    unique_id=get_tag_uri(url, article.date),
                    description=article.summary,
                    pubdate=article.date,
                    categories=[category.name] if category else None,
                    author_name=str(getattr(article, "author", "")),
                )
                memo = (key, entry)
                setattr(article, _ENTRY, memo)
            feed.items.append({"pubdate": article.date, "updateddate": None, "entry": memo[1]})
        buffer = io.StringIO()
        feed.write(buffer, "utf-8")
        self._write(page.feed_url, buffer.getvalue())

    # ------------------------------------------------------------------ plain files
    def _base(self) -> str:
        base = self.settings.get("NEWSARCHIVE_BASE_URL") or ""
        return base if self.settings.get("NEWSARCHIVE_PUBLISH") else ""

    def _write_sitemap(self, data: SiteData) -> None:
        base = self._base()
        entries: list[tuple[str, Any]] = []
        articles = self.context.get("articles", [])
        entries.append(("", articles[0].date if articles else None))
        for page in sorted(self.context.get("pages", []), key=lambda p: p.url):
            entries.append((page.url, None))
        for category, items in self.context.get("categories", []):
            entries.append((category.url, items[0].date if items else None))
        for year in data.years:
            entries.append((year.url, year.articles[0].date))
            for month in data.months[year.year]:
                entries.append((month.url, month.articles[0].date))
        for taxonomy in data.taxonomy_list:
            entries.append((taxonomy.url, None))
            for page in taxonomy.sorted_pages():
                entries.append((page.url, page.latest_date))
        for article in articles:
            entries.append((article.view_url, article.date))
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for url, date in entries:
            loc = quote(f"{base}/{url}", safe=":/?#[]@!$&'()*+,;=%-._~")
            lines.append(f"  <url><loc>{xml_escape(loc)}</loc>")
            if date is not None:
                lines.append(f"    <lastmod>{iso_date(date)}</lastmod>")
            lines.append("  </url>")
        lines.append("</urlset>")
        self._write("sitemap.xml", "\n".join(lines) + "\n")

    def _write_extras(self) -> None:
        base = self._base()
        robots = "User-agent: *\nAllow: /\n"
        if base:
            robots += f"Sitemap: {base}/sitemap.xml\n"
        else:  # development build: crawlers need an absolute URL, given by publish builds
            robots += "# Sitemap: sitemap.xml (absolute in publish builds)\n"
        self._write("robots.txt", robots)
        self._write(".nojekyll", "")  # GitHub Pages: serve folders as they are
        cname = (self.settings.get("NEWSARCHIVE_CNAME") or "").strip()
        if cname:
            self._write("CNAME", cname + "\n")

    def _write(self, name: str, text: str) -> None:
        write_if_changed(Path(self.output_path) / name, text.encode("utf-8"))

    def _copy_static(self) -> None:
        output = Path(self.output_path)
        sources = [(Path(self.theme) / "static", output / "theme")]
        sources += [
            (Path(p), output / Path(p).name) for p in self.settings["NEWSARCHIVE_CONTENT_STATIC"]
        ]
        for source, target in sources:
            if not source.is_dir():
                continue
            for root, dirs, files in os.walk(source):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    src = Path(root) / name
                    write_if_changed(target / src.relative_to(source), src.read_bytes())
