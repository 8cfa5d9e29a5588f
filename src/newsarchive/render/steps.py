"""The render steps: every kind of output the site has, what exists, and how one is made.

Each step lists its outputs from the site (:attr:`Step.outputs`) and renders one of them
(:attr:`Step.render`) through a :class:`Renderer`. The engine decides which outputs to
render; a step only knows how. Adding a kind of output is adding a step here: the
dependency record, the planner, the parallel build and the dev server need no change,
because every read a render makes is recorded as it happens.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from newsarchive.engine import tracking
from newsarchive.entities.registry import KINDS
from newsarchive.fsutil import gzip_bytes
from newsarchive.render import dated
from newsarchive.render.charts import Chart, activity_chart
from newsarchive.render.feeds import render_feed
from newsarchive.render.output import Output, Renderer, Step
from newsarchive.render.views import (
    ArticleView,
    Count,
    EntityRef,
    PageView,
    SectionRef,
    article_views,
    weather_view,
)
from newsarchive.site.articles import DATE, WEATHER
from newsarchive.site.entities import (
    KIND_LABEL,
    SECTION_OF_KIND,
    entity_url,
    initial_of,
    initial_rank,
)
from newsarchive.site.facts import (
    UNLISTED,
    Scope,
    activity,
    dated_scopes,
    listing_of,
    scope_key,
    sitemap_entries,
    sitemap_scopes,
)
from newsarchive.site.site import Site
from newsarchive.site.structure import EntityPage, Listing, Period


# ------------------------------------------------------------------------ articles
def _article_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    i = scope[1]
    if i in site.structure.member_of:
        yield Output(site.articles[i].save_as, "article", (i,), scope_key(scope))


def _render_article(site: Site, out: Output, r: Renderer) -> None:
    article = ArticleView(site, out.params[0])
    r.html(out.path, "article", article=article, category=article.category)


# ------------------------------------------------------------------------ listings
class PageRef(NamedTuple):
    url: str


class ListPage:
    """``articles_page``: one page of a listing, as Pelican's paginator gives it."""

    def __init__(self, site: Site, listing: Listing, number: int) -> None:
        tracking.fact(f"list:{listing.key}:{number}")
        self.object_list = article_views(site, listing.page_ids(number))
        self.number = number
        self._pages = listing.pages

    def has_other_pages(self) -> bool:
        return self._pages > 1


class ListPaginator:
    """``articles_paginator``: how many articles and pages a listing has."""

    def __init__(self, listing: Listing) -> None:
        self._listing = listing

    @property
    def count(self) -> int:
        tracking.fact(f"count:{self._listing.key}")
        return len(self._listing.ids)

    @property
    def num_pages(self) -> int:
        tracking.fact(f"pages:{self._listing.key}")
        return self._listing.pages


def _listing_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    listing = listing_of(site.structure, scope[1:])
    if listing is not None:
        for n in range(1, listing.pages + 1):
            yield Output(listing.page_save_as(n), "listing", (scope[1:], n), scope_key(scope))


def _render_listing(site: Site, out: Output, r: Renderer) -> None:
    group, number = tuple(out.params[0]), out.params[1]
    structure = site.structure
    listing = listing_of(structure, group)
    assert listing is not None
    key = listing.key
    tracking.fact(f"pages:{key}")  # the number of pages decides the previous/next links
    paging = {
        "articles_page": ListPage(site, listing, number),
        "articles_paginator": ListPaginator(listing),
        "articles_previous_page": PageRef(listing.page_url(number - 1)) if number > 1 else None,
        "articles_next_page": PageRef(listing.page_url(number + 1))
        if number < listing.pages
        else None,
    }
    what = group[0]
    if what == "home":
        r.html(out.path, "index", newsarchive=HomeData(site), **paging)
    elif what == "section":
        section = structure.section(group[1])
        tracking.fact(f"name:section:{section.slug}")
        fact = f"months:section:{section.slug}"
        tracking.fact(fact)
        months = [_period_view(m, fact) for m in section.months]
        category = SectionRef(section.name, section.slug)
        r.html(out.path, "category", category=category, months=months, **paging)
    elif what == "section-month":
        tracking.fact(f"name:section:{group[1]}")
        category = SectionRef(structure.section_name(group[1]), group[1])
        period = _period_view(structure._section_month(group[1], group[2]), f"count:{key}")
        r.html(out.path, "section_month", category=category, period=period, **paging)
    elif what == "year":
        year = structure.year(group[1])
        fact = f"months:{year.year}"
        tracking.fact(fact)
        months = [_period_view(m, fact) for m in structure.months_of(year.year)]
        r.html(
            out.path, "period_archives", period=_period_view(year, f"count:{key}"), months=months
        )
    elif what == "month":
        period = _period_view(structure.month(group[1]), f"count:{key}")
        calendar = dated.CalendarView(site, group[1]) if number == 1 else None
        r.html(out.path, "period_archives", period=period, months=None, calendar=calendar, **paging)
    else:  # an entity's year
        page = structure.entity(group[1], group[2])
        assert page is not None
        year = structure._entity_year(page, group[3])
        r.html(
            out.path,
            "entity_year",
            entity=EntityView(site, page),
            period=_period_view(year, f"count:{key}"),
            url=year.url,
            **paging,
        )


class PeriodView(NamedTuple):
    year: int
    month: int | None
    label: str
    url: str
    articles: Count


def _period_view(period: Period, fact: str = "periods") -> PeriodView:
    """A period as listed (its articles counted: *fact* holds the count)."""
    return PeriodView(
        period.year,
        period.month,
        period.label,
        period.url,
        Count(fact, len(period.listing.ids)),
    )


class HomeData:
    """``newsarchive`` on the home page: the weather box of the archive's latest day."""

    def __init__(self, site: Site) -> None:
        self._site = site

    @property
    def home_weather(self) -> Any:
        tracking.fact("home-weather")
        article = self._site.structure.home_weather
        if article is None:
            return None
        tracking.article(article, WEATHER | DATE)
        data = self._site.articles[article]
        return weather_view(data.weather, data.date)


# ------------------------------------------------------------- sections, archives
def _render_sections(site: Site, out: Output, r: Renderer) -> None:
    r.html(out.path, "categories")


def _render_archives(site: Site, out: Output, r: Renderer) -> None:
    tracking.fact("periods")
    structure = site.structure
    years = [_period_view(y) for y in structure.years]
    months = {
        y.year: [_period_view(m) for m in structure.months_of(y.year)] for y in structure.years
    }
    r.html(out.path, "archives", years=years, months=months, url="archives/")


# ---------------------------------------------------------------------- entities
class TaxonomyView(NamedTuple):
    kind: str
    label: str
    url: str
    pages: Count


class EntityIndexItem(NamedTuple):
    name: str
    url: str
    count: int


def _entity_index_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    kind = scope[1]
    yield Output(f"{SECTION_OF_KIND[kind]}/index.html", "entity-index", (kind,), scope_key(scope))


def _render_entity_index(site: Site, out: Output, r: Renderer) -> None:
    (kind,) = out.params
    tracking.fact(f"entity-index:{kind}")
    structure = site.structure
    names = structure.entity_names(kind)
    grouped: dict[str, list[EntityIndexItem]] = defaultdict(list)
    for name in names:
        url = entity_url(kind, structure.slugs[(kind, name)])
        count = len(structure.groups[("entity", kind, name)])
        grouped[initial_of(name)].append(EntityIndexItem(name, url, count))
    pages = names
    groups = sorted(grouped.items(), key=lambda item: initial_rank(item[0]))
    section = SECTION_OF_KIND[kind]
    taxonomy = TaxonomyView(
        kind, KIND_LABEL[kind], f"{section}/", Count(f"entity-index:{kind}", len(pages))
    )
    r.html(out.path, "entity_index", taxonomy=taxonomy, groups=groups, url=f"{section}/")


class EntityView:
    """``entity`` on a person, company or topic page."""

    def __init__(self, site: Site, page: EntityPage) -> None:
        self._site, self._page = site, page
        self.kind = page.kind
        self.name = page.name
        self.slug = page.slug
        self.url = page.url
        # None when entity_feeds is off: the page then links to no feed (none is written)
        self.feed_url = page.feed_url if site.settings.entity_feeds else None
        self.section = SECTION_OF_KIND[page.kind]
        self.label = KIND_LABEL[page.kind]
        self._key = f"{page.kind}:{page.name}"

    @property
    def count(self) -> int:
        tracking.fact(f"count:entity:{self._key}")
        return len(self._page.ids)

    @property
    def entity(self) -> Any:
        tracking.fact(f"registry:{self._key}")
        return self._page.entity

    @property
    def latest(self) -> list[ArticleView]:
        """What its page lists: every article, or the newest when it has pages by year."""
        tracking.fact(f"front:entity:{self._key}")
        return article_views(self._site, self._page.front)

    @property
    def years(self) -> list[PeriodView]:
        """Its articles by year (each a page of its own), newest first, counted."""
        fact = f"years:entity:{self._key}"
        tracking.fact(fact)
        return [_period_view(y, fact) for y in self._page.years]

    @property
    def activity(self) -> Chart | None:
        """A bar chart of its articles per month (per year over long spans)."""
        key = f"activity:{self._key}"
        tracking.fact(key)
        months = activity(self._site.structure, self._page.ids)
        return activity_chart(self.name, months) if months else None

    @property
    def related(self) -> list[tuple[EntityRef, int]]:
        return [
            (EntityRef(kind, name, slug), count)
            for kind, name, slug, count in self._site.cooccurring(self.kind, self.name)
        ]


def _entity_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    page = site.structure.entity(scope[1], scope[2])
    if page is not None:
        key = scope_key(scope)
        yield Output(page.save_as, "entity", (page.kind, page.name), key)
        if site.settings.entity_feeds:
            yield Output(page.feed_url, "feed", ("entity", page.kind, page.name), key)


def _render_entity(site: Site, out: Output, r: Renderer) -> None:
    kind, name = out.params
    tracking.fact(f"slug:entity:{kind}:{name}")
    page = site.structure.entity(kind, name)
    assert page is not None
    r.html(out.path, "entity", entity=EntityView(site, page), url=page.url)


# -------------------------------------------------------------------------- feeds
def _section_feed_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    if ("section", scope[1]) in site.structure.groups:
        path = f"feeds/sections/{scope[1]}.atom.xml"
        yield Output(path, "feed", ("section", scope[1]), scope_key(scope))


def _render_feed(site: Site, out: Output, r: Renderer) -> None:
    structure = site.structure
    n = site.settings.feed_entries
    name = site.settings.site_name
    what = out.params[0]
    if what == "all":
        tracking.fact("feed:all")
        data = render_feed(site, out.path, name, tuple(structure.order[:n]), full_text=True)
    elif what == "section":
        section = structure.section(out.params[1])
        tracking.fact(f"name:section:{section.slug}")
        tracking.fact(f"feed:section:{section.slug}")
        ids = tuple(section.listing.ids[:n])
        data = render_feed(site, out.path, f"{name} - {section.name}", ids, full_text=False)
    else:
        kind, entity = out.params[1], out.params[2]
        page = structure.entity(kind, entity)
        assert page is not None
        tracking.fact(f"feed:entity:{kind}:{entity}")
        title = f"{name} - {KIND_LABEL[kind]} {page.name}"
        data = render_feed(site, out.path, title, tuple(page.ids[:n]), full_text=False)
    r.data(out.path, data)


# ---------------------------------------------------------------- pages and files
def _page_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    for path, page in sorted(site.pages.items()):
        yield Output(page.save_as, "page", (path,), scope_key(scope))


def _render_page(site: Site, out: Output, r: Renderer) -> None:
    r.html(out.path, "page", page=PageView(site, out.params[0]))


def _fixed(path: str, kind: str, *params: str) -> Callable[[Site, Scope], Iterator[Output]]:
    """An output every site has, once."""

    def outputs(site: Site, scope: Scope) -> Iterator[Output]:
        yield Output(path, kind, params, scope_key(scope))

    return outputs


def _render_search_page(site: Site, out: Output, r: Renderer) -> None:
    r.html(out.path, "search", url="search/")


def _render_404(site: Site, out: Output, r: Renderer) -> None:
    # Served for any missing path at any depth: never relative URLs. In development
    # SITEURL is empty, so links are root-absolute and work under the dev server.
    r.html(out.path, "404", relative_urls=False, url="404.html")


_LOC_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


# The sitemaps of sitemap.xml are gzip'd, as the protocol allows and search engines read:
# at 50,000 articles they are 17 MB of percent-encoded URLs, 1.7 MB compressed.
def _sitemap_file(name: str) -> str:
    return f"sitemaps/{name}.xml.gz"


def _sitemap_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    for name in sitemap_entries(site.structure, scope):
        yield Output(_sitemap_file(name), "sitemap", (*scope, name), scope_key(scope))


def _render_sitemap_index(site: Site, out: Output, r: Renderer) -> None:
    """``sitemap.xml``: the index of the sitemaps in ``sitemaps/``."""
    base = site.mode.base_url
    tracking.fact("years")  # which years have a sitemap
    names = []
    for scope in sitemap_scopes(site.structure):
        fact = f"sitemap-files:{scope_key(scope)}"
        tracking.fact(fact)
        names += list(sitemap_entries(site.structure, scope))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for name in names:
        loc = xml_escape(quote(f"{base}/{_sitemap_file(name)}", safe=_LOC_SAFE))
        lines.append(f"  <sitemap><loc>{loc}</loc></sitemap>")
    lines.append("</sitemapindex>")
    r.data(out.path, ("\n".join(lines) + "\n").encode("utf-8"))


def _render_sitemap(site: Site, out: Output, r: Renderer) -> None:
    *scope, name = out.params
    tracking.fact(f"sitemap:{name}")
    entries = list(sitemap_entries(site.structure, tuple(scope))[name])
    if name == "pages":
        tracking.fact("pages")
        static = [(p.url, None) for p in sorted(site.pages.values(), key=lambda p: p.url)]
        entries[1:1] = static  # after the home page
    base = site.mode.base_url
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url, date in entries:
        loc = xml_escape(quote(f"{base}/{url}", safe=_LOC_SAFE))
        lastmod = "" if date is None else f"<lastmod>{date}</lastmod>"
        lines.append(f"  <url><loc>{loc}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    r.data(out.path, gzip_bytes(data, 9))


def _extra_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    key = scope_key(scope)
    yield Output("robots.txt", "extra", ("robots",), key)
    yield Output(".nojekyll", "extra", ("nojekyll",), key)  # GitHub Pages: folders as they are
    if site.settings.cname.strip():
        yield Output("CNAME", "extra", ("cname",), key)


def _render_extra(site: Site, out: Output, r: Renderer) -> None:
    what = out.params[0]
    if what == "robots":
        text = "User-agent: *\nAllow: /\n"
        base = site.mode.base_url
        if base:
            text += f"Sitemap: {base}/sitemap.xml\n"
        else:  # development build: crawlers need an absolute URL, given by publish builds
            text += "# Sitemap: sitemap.xml (absolute in publish builds)\n"
    elif what == "cname":
        text = site.settings.cname.strip() + "\n"
    else:
        text = ""
    r.data(out.path, text.encode("utf-8"))


def static_sources(site: Site) -> list[tuple[Path, str]]:
    """(source folder, output prefix) of the files copied as they are."""
    content = site.settings.content_path
    theme = site.settings.build_theme_path
    sources = [] if theme is None else [(theme / "static", "theme")]
    return [*sources, (content / "images", "images"), (content / "static", "static")]


def _static_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    from newsarchive.engine.inputs import input_path

    key = scope_key(scope)
    for folder, prefix in static_sources(site):
        if not folder.is_dir():
            continue
        for base, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith(".") or name.endswith(("~", ".tmp")):
                    continue
                source = Path(base) / name
                rel = source.relative_to(folder).as_posix()
                yield Output(f"{prefix}/{rel}", "static", (input_path(site.settings, source),), key)


def _render_static(site: Site, out: Output, r: Renderer) -> None:
    (source,) = out.params
    tracking.fact(f"file:{source}")
    r.data(out.path, (site.settings.root / source).read_bytes())  # absolute stays absolute


STEPS: tuple[Step, ...] = (
    Step("article", "article", _article_outputs, _render_article),
    Step("listing", "listing", _listing_outputs, _render_listing),
    Step("sections", "fixed", _fixed("sections/index.html", "sections"), _render_sections),
    Step("archives", "fixed", _fixed("archives/index.html", "archives"), _render_archives),
    Step("entity-index", "entity-index", _entity_index_outputs, _render_entity_index),
    Step("entity", "entity", _entity_outputs, _render_entity),
    Step("feed", "section", _section_feed_outputs, _render_feed),
    Step("feed-all", "fixed", _fixed("feeds/all.atom.xml", "feed", "all"), _render_feed),
    Step("page", "pages", _page_outputs, _render_page),
    Step("search-page", "fixed", _fixed("search/index.html", "search-page"), _render_search_page),
    Step("404", "fixed", _fixed("404.html", "404"), _render_404),
    Step("sitemap-index", "fixed", _fixed("sitemap.xml", "sitemap-index"), _render_sitemap_index),
    Step("sitemap", "sitemap-pages", _sitemap_outputs, _render_sitemap),
    Step("sitemap-articles", "sitemap-articles", _sitemap_outputs, _render_sitemap),
    Step("sitemap-entities", "sitemap-entities", _sitemap_outputs, _render_sitemap),
    Step("extra", "fixed", _extra_outputs, _render_extra),
    Step("static", "files", _static_outputs, _render_static),
    *dated.STEPS,
)
_BY_SCOPE: dict[str, list[Step]] = {}
for _step in STEPS:
    _BY_SCOPE.setdefault(_step.scope, []).append(_step)
RENDER = {step.kind: step.render for step in STEPS}


def scope_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    """The outputs that belong to *scope* now (none: the scope is gone)."""
    for step in _BY_SCOPE.get(scope[0], ()):
        yield from step.outputs(site, scope)


def output_scopes(site: Site) -> Iterator[Scope]:
    """Every scope that has outputs, for a site listed from nothing."""
    s = site.structure
    yield ("fixed",)
    yield ("pages",)
    yield ("files",)
    for group in s.groups:
        if group[0] not in UNLISTED:
            yield ("listing", *group)
    for i in s.order:
        yield ("article", i)
    for group in s.of_type("entity"):
        yield ("entity", group[1], group[2])
    for group in s.of_type("section"):
        yield ("section", group[1])
    for kind in KINDS:
        yield ("entity-index", kind)
    yield from sitemap_scopes(s)
    yield from dated_scopes(site.structure)


def all_outputs(site: Site) -> Iterator[Output]:
    for scope in output_scopes(site):
        yield from scope_outputs(site, scope)


def render(site: Site, out: Output, renderer: Renderer) -> None:
    RENDER[out.kind](site, out, renderer)
