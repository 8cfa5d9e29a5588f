"""The site's structure, derived from every article's record in linear passes.

Which pages exist and what each lists is a function of the articles' structural fields
(date, URL, section, status, people/companies/topics, weather; see
``articles.STRUCTURE``) plus the registry and the settings. :func:`derive` computes it
all at once: a few tenths of a second at 50,000 articles, so it is simply done again
whenever one of those fields changes. Its result also names every *fact* a page can read
of the structure (what page 3 of a section lists, an article's neighbours, an entity's
articles...) with a digest of its value: the planner compares them with the last build's
to find the few pages whose structure really changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newsarchive.entities.registry import KINDS, SECTION_OF_KIND, Entity, Kind, Registry
from newsarchive.site.articles import ArticleData
from newsarchive.site.entities import assign_slugs, entity_feed, entity_url, sort_key
from newsarchive.slugs import slugify

HOME = "home"


@dataclass
class Listing:
    """An ordered list of articles shown over numbered pages, or on one front page.

    Listings are cut by date (a month, a section's month, an entity's year), so an article
    added or removed moves the pages of its own month or year only, never every page of
    the archive. Fronts (the home page, a section's, an entity's) show the newest
    ``per_page`` articles and link to the dated listings.
    """

    key: str  # "home", "section:<slug>", "section:<slug>:2024-06", "year:2024",
    #          "month:2024-06", "entity:<kind>:<name>:2024"
    url: str  # URL of page 1 ("" for the home page)
    ids: list[int]  # newest first
    per_page: int
    paginated: bool = True  # False: a front, its first page only

    @property
    def pages(self) -> int:
        if not self.paginated:
            return 1
        return max(1, -(-len(self.ids) // self.per_page))

    def page_ids(self, number: int) -> tuple[int, ...]:
        start = (number - 1) * self.per_page
        return tuple(self.ids[start : start + self.per_page])

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}page/{number}/"

    def page_save_as(self, number: int) -> str:
        return self.page_url(number) + "index.html"


@dataclass
class Section:
    name: str
    slug: str
    listing: Listing  # its front: the newest articles
    months: list[Period]  # its articles by month, newest first

    @property
    def url(self) -> str:
        return self.listing.url

    @property
    def feed_url(self) -> str:
        return f"feeds/sections/{self.slug}.atom.xml"


@dataclass
class Period:
    """A year (``month`` None) or a month of the archive."""

    year: int
    month: int | None
    listing: Listing

    @property
    def url(self) -> str:
        return self.listing.url

    @property
    def label(self) -> str:
        return f"{self.year}년" if self.month is None else f"{self.year}년 {self.month}월"


@dataclass
class EntityPage:
    kind: Kind
    name: str  # canonical
    slug: str
    ids: list[int]  # newest first
    entity: Entity | None  # the registry's entry, if any
    # its articles by year, newest first: only when they do not all fit on its own page
    years: list[Period] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        self.url = entity_url(self.kind, self.slug)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def feed_url(self) -> str:
        return entity_feed(self.kind, self.slug)


# (kind, canonical name, slug, role) per entity of an article, in kind order
Chip = tuple[str, str, str, str | None]


@dataclass
class Structure:
    """Everything :func:`derive` computes; ``facts`` digests what pages read of it."""

    order: list[int]  # every listed article, newest first (slug breaks ties)
    position: dict[int, int]
    home: Listing
    sections: list[Section]  # by slug
    section_of: dict[int, Section]
    years: list[Period]  # newest first
    months: dict[int, list[Period]]  # year -> months, newest first
    entities: dict[Kind, list[EntityPage]]  # in index order (ㄱ…ㅎ, A–Z, 기타)
    entity_by_name: dict[tuple[Kind, str], EntityPage]
    chips: dict[int, tuple[Chip, ...]]
    resolved: dict[int, Resolved]  # the chips without slugs (kept between builds)
    home_weather: int | None  # the article whose weather box the home page shows
    feed_entries: int
    articles: Mapping[int, ArticleData] = field(repr=False, default_factory=dict)

    @cached_property
    def facts(self) -> dict[str, bytes]:
        """Every fact of the structure pages can read, by key, with its value."""
        return structure_facts(self, self.articles)

    @cached_property
    def sitemaps(self) -> dict[str, tuple[tuple[str, str | None], ...]]:
        return sitemap_groups(self, self.articles)

    @cached_property
    def listing_by_key(self) -> dict[str, tuple[str, Listing, Any]]:
        """Listing key -> (what it lists, the listing, its owner): ``("home", listing,
        None)``, ``("section", listing, Section)``, ``("section-month", listing, (Section,
        Period))``, ``("year", listing, Period)``, ``("month", listing, Period)``,
        ``("entity-year", listing, (EntityPage, Period))``."""
        found: dict[str, tuple[str, Listing, Any]] = {self.home.key: ("home", self.home, None)}
        for section in self.sections:
            found[section.listing.key] = ("section", section.listing, section)
            for m in section.months:
                found[m.listing.key] = ("section-month", m.listing, (section, m))
        for year in self.years:
            found[year.listing.key] = ("year", year.listing, year)
            for m in self.months[year.year]:
                found[m.listing.key] = ("month", m.listing, m)
        for page in self.entity_pages():
            for y in page.years:
                found[y.listing.key] = ("entity-year", y.listing, (page, y))
        return found

    def to_plain(self) -> tuple[Any, ...]:
        """Tuples, strings and numbers: what the record keeps between builds (with
        ``resolved``, kept apart: a build that derives the structure again reuses it)."""
        return (
            self.order,
            [
                (
                    x.name,
                    x.slug,
                    x.listing.ids,
                    [(m.year, m.month, m.listing.ids) for m in x.months],
                )
                for x in self.sections
            ],
            [(y.year, y.listing.ids) for y in self.years],
            [(m.year, m.month, m.listing.ids) for ms in self.months.values() for m in ms],
            [
                (p.kind, p.name, p.slug, p.ids, [(y.year, y.listing.ids) for y in p.years])
                for p in self.entity_pages()
            ],
            self.home_weather,
        )

    @classmethod
    def from_plain(
        cls,
        data: tuple[Any, ...],
        resolved: dict[int, Resolved],
        articles: Mapping[int, ArticleData],
        registry: Registry,
        *,
        per_page: int,
        feed_entries: int,
    ) -> Structure:
        order, sections, years, months, entities, home_weather = data
        month_periods: dict[int, list[Period]] = defaultdict(list)
        for y, m, ids in months:
            month_periods[y].append(_month(y, m, ids, per_page))
        pages: dict[Kind, list[EntityPage]] = {kind: [] for kind in KINDS}
        for kind, name, slug, ids, by_year in entities:
            page = EntityPage(kind, name, slug, ids, registry.resolve(kind, name))
            page.years = [_entity_year(page, y, year_ids, per_page) for y, year_ids in by_year]
            pages[kind].append(page)
        return _assemble(
            order,
            [
                _section(name, slug, ids, by_month, per_page)
                for name, slug, ids, by_month in sections
            ],
            [_year(y, ids, per_page) for y, ids in years],
            dict(month_periods),
            pages,
            resolved,
            home_weather,
            per_page=per_page,
            feed_entries=feed_entries,
            articles=articles,
        )

    def listings(self) -> Iterable[Listing]:
        yield self.home
        for section in self.sections:
            yield section.listing
            for month in section.months:
                yield month.listing
        for year in self.years:
            yield year.listing
            for month in self.months[year.year]:
                yield month.listing
        for page in self.entity_pages():
            for year in page.years:
                yield year.listing

    def neighbours(self, article: int) -> tuple[int | None, int | None]:
        """(older, newer) of a listed article."""
        i = self.position.get(article)
        if i is None:
            return None, None
        order = self.order
        older = order[i + 1] if i + 1 < len(order) else None
        newer = order[i - 1] if i > 0 else None
        return older, newer

    def entity_pages(self) -> Iterable[EntityPage]:
        for kind in KINDS:
            yield from self.entities[kind]


def _sort_order(articles: Mapping[int, ArticleData], ids: Iterable[int]) -> list[int]:
    # newest first; the slug breaks ties so the order never depends on the file system
    keyed = [
        (-dt.date.fromisoformat(articles[i].date).toordinal(), articles[i].slug, i) for i in ids
    ]
    keyed.sort()
    return [i for _, _, i in keyed]


def derive(
    articles: Mapping[int, ArticleData],
    registry: Registry,
    *,
    per_page: int,
    feed_entries: int,
    listed: Callable[[ArticleData], bool],
    reuse: Mapping[int, Resolved] | None = None,
) -> Structure:
    """The structure of the site made of *articles* (the ``listed`` ones are shown).

    *reuse*: entity resolutions of the last build for articles whose names did not change
    (the registry being the same): resolving every article's names is most of the work."""
    order = _sort_order(articles, (i for i, a in articles.items() if listed(a)))

    # sections: by slug; the newest article's spelling names a section
    by_slug: dict[str, tuple[str, list[int]]] = {}
    by_section_month: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(dict)
    years: dict[int, list[int]] = defaultdict(list)
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    year_of: dict[int, int] = {}
    slug_of: dict[str, str] = {}
    for i in order:
        a = articles[i]
        year, month = int(a.date[:4]), int(a.date[5:7])
        year_of[i] = year
        years[year].append(i)
        months[(year, month)].append(i)
        if a.section:
            slug = slug_of.get(a.section)
            if slug is None:
                slug = slug_of[a.section] = slugify(a.section)
            by_slug.setdefault(slug, (a.section, []))[1].append(i)
            by_section_month[slug].setdefault((year, month), []).append(i)
    sections = [
        _section(
            name,
            slug,
            ids,
            [(y, m, ms) for (y, m), ms in sorted(by_section_month[slug].items(), reverse=True)],
            per_page,
        )
        for slug, (name, ids) in sorted(by_slug.items())
    ]
    year_periods = [_year(y, ids, per_page) for y, ids in sorted(years.items(), reverse=True)]
    month_periods: dict[int, list[Period]] = defaultdict(list)
    for (y, m), ids in sorted(months.items(), reverse=True):
        month_periods[y].append(_month(y, m, ids, per_page))

    entities, resolved = _entities(articles, order, registry, reuse or {})
    for page in (p for kind in KINDS for p in entities[kind]):
        if len(page.ids) <= per_page:
            continue  # its page shows them all
        by_year: dict[int, list[int]] = {}
        for i in page.ids:
            by_year.setdefault(year_of[i], []).append(i)
        page.years = [_entity_year(page, y, ids, per_page) for y, ids in by_year.items()]
    return _assemble(
        order,
        sections,
        year_periods,
        dict(month_periods),
        entities,
        resolved,
        _latest_weather(articles, order),
        per_page=per_page,
        feed_entries=feed_entries,
        articles=articles,
    )


def _section(
    name: str, slug: str, ids: list[int], by_month: list[tuple[int, int, list[int]]], per_page: int
) -> Section:
    front = Listing(f"section:{slug}", f"sections/{slug}/", ids, per_page, paginated=False)
    months = [
        Period(
            y,
            m,
            Listing(
                f"section:{slug}:{y:04d}-{m:02d}", f"sections/{slug}/{y:04d}/{m:02d}/", ms, per_page
            ),
        )
        for y, m, ms in by_month
    ]
    return Section(name, slug, front, months)


def _year(y: int, ids: list[int], per_page: int) -> Period:
    # a year's page lists its months, not its articles (those are on the months' pages)
    return Period(y, None, Listing(f"year:{y:04d}", f"{y:04d}/", ids, per_page, paginated=False))


def _month(y: int, m: int, ids: list[int], per_page: int) -> Period:
    return Period(y, m, Listing(f"month:{y:04d}-{m:02d}", f"{y:04d}/{m:02d}/", ids, per_page))


def _entity_year(page: EntityPage, y: int, ids: list[int], per_page: int) -> Period:
    key = f"entity:{page.kind}:{page.name}:{y:04d}"
    return Period(y, None, Listing(key, f"{page.url}{y:04d}/", ids, per_page))


def _assemble(
    order: list[int],
    sections: list[Section],
    years: list[Period],
    months: dict[int, list[Period]],
    entities: dict[Kind, list[EntityPage]],
    resolved: dict[int, Resolved],
    home_weather: int | None,
    *,
    per_page: int,
    feed_entries: int,
    articles: Mapping[int, ArticleData],
) -> Structure:
    slug = {(p.kind, p.name): p.slug for kind in KINDS for p in entities[kind]}
    chips = {
        i: tuple((kind, name, slug[(kind, name)], role) for kind, name, role in found)
        for i, found in resolved.items()
    }
    return Structure(
        order=order,
        position={a: i for i, a in enumerate(order)},
        home=Listing(HOME, "", order, per_page, paginated=False),
        sections=sections,
        section_of={i: s for s in sections for i in s.listing.ids},
        years=years,
        months=months,
        entities=entities,
        entity_by_name={(p.kind, p.name): p for kind in KINDS for p in entities[kind]},
        chips=chips,
        resolved=resolved,
        home_weather=home_weather,
        feed_entries=feed_entries,
        articles=articles,
    )


# (kind, canonical name, role) of each entity an article names, in kind order
Resolved = tuple[tuple[str, str, str | None], ...]


def resolve_entities(a: ArticleData, registry: Registry, canonical: dict) -> Resolved:
    """The article's people, companies and topics as canonical names (the registry's
    aliases resolved; a name twice keeps the role it has once)."""
    found: list[tuple[str, str, str | None]] = []
    for kind, names in (
        ("person", a.people),
        ("company", [(n, None) for n in a.companies]),
        ("topic", [(n, None) for n in a.topics]),
    ):
        seen: dict[str, str | None] = {}
        for raw, role in names:
            name = canonical.get((kind, raw))
            if name is None:
                name = canonical[(kind, raw)] = registry.canonical_name(kind, raw)  # type: ignore[arg-type]
            if name and (name not in seen or (role and not seen[name])):
                seen[name] = role
        found.extend((kind, name, role) for name, role in seen.items())
    return tuple(found)


def _entities(
    articles: Mapping[int, ArticleData],
    order: list[int],
    registry: Registry,
    reuse: Mapping[int, Resolved],
) -> tuple[dict[Kind, list[EntityPage]], dict[int, Resolved]]:
    """Entity pages by kind (index order) and each article's resolved entities; *reuse*
    holds resolutions still valid (same registry, same names)."""
    canonical: dict[tuple[str, str], str] = {}  # names repeat: resolve each once
    resolved: dict[int, Resolved] = {}
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in order:
        found = reuse.get(i)
        if found is None:
            found = resolve_entities(articles[i], registry, canonical)
        resolved[i] = found
        for kind, name, _role in found:
            members[(kind, name)].append(i)
    pages: dict[Kind, list[EntityPage]] = {}
    for kind in KINDS:
        names = [name for (k, name) in members if k == kind]
        slugs = assign_slugs(names, kind, registry)
        pages[kind] = [
            EntityPage(kind, name, slugs[name], members[(kind, name)], registry.resolve(kind, name))
            for name in sorted(names, key=sort_key)
        ]
    return pages, resolved


def _latest_weather(articles: Mapping[int, ArticleData], order: list[int]) -> int | None:
    """The most recent weather box of the archive (by observation date; newest article
    first among equal dates)."""
    best: int | None = None
    best_date = ""
    for i in order:
        weather = articles[i].weather
        if weather is not None and weather[2] and (best is None or weather[0] > best_date):
            best, best_date = i, weather[0]
    return best


def structure_facts(s: Structure, articles: Mapping[int, ArticleData]) -> dict[str, Any]:
    """Every fact of the structure a page may read, by key, with its value (plain tuples:
    the record keeps them, and the next build compares values, no digest needed)."""
    facts: dict[str, Any] = {}
    facts["sections"] = tuple((x.name, x.slug) for x in s.sections)
    facts["periods"] = tuple(
        (y.year, len(y.listing.ids), tuple((m.month, len(m.listing.ids)) for m in s.months[y.year]))
        for y in s.years
    )
    for y in s.years:  # a year's pages list its months
        facts[f"months:{y.year}"] = tuple((m.month, len(m.listing.ids)) for m in s.months[y.year])
    facts["home-weather"] = s.home_weather
    for listing in s.listings():
        facts[f"count:{listing.key}"] = len(listing.ids)
        facts[f"pages:{listing.key}"] = listing.pages
        for n in range(1, listing.pages + 1):
            facts[f"list:{listing.key}:{n}"] = listing.page_ids(n)
    n_feed = s.feed_entries
    facts["feed:all"] = tuple(s.order[:n_feed])
    for section in s.sections:
        facts[f"feed:section:{section.slug}"] = tuple(section.listing.ids[:n_feed])
        facts[f"months:section:{section.slug}"] = tuple(
            (m.year, m.month, len(m.listing.ids)) for m in section.months
        )
    for i in s.order:
        facts[f"neighbours:{i}"] = s.neighbours(i)
        facts[f"chips:{i}"] = s.chips[i]
    for kind in KINDS:
        facts[f"entity-index:{kind}"] = tuple(
            (p.name, p.slug, len(p.ids)) for p in s.entities[kind]
        )
        for p in s.entities[kind]:
            key = f"{kind}:{p.name}"
            facts[f"entity:{key}"] = tuple(p.ids)
            facts[f"count:entity:{key}"] = len(p.ids)
            facts[f"front:entity:{key}"] = tuple(p.ids[: s.home.per_page])
            facts[f"years:entity:{key}"] = tuple((y.year, len(y.listing.ids)) for y in p.years)
            facts[f"feed:entity:{key}"] = tuple(p.ids[:n_feed])
            facts[f"registry:{key}"] = None if p.entity is None else repr(p.entity)
    groups = s.sitemaps
    for name, entries in groups.items():
        facts[f"sitemap:{name}"] = entries
    facts["sitemaps"] = tuple(sorted(groups))
    return facts


# Search engines read at most 50,000 URLs from one sitemap file.
SITEMAP_LIMIT = 40_000


def sitemap_groups(
    s: Structure, articles: Mapping[int, ArticleData]
) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """The site's sitemaps by name, each (URL, last modified YYYY-MM-DD or None) entries:
    ``pages`` (home, sections, periods, indexes; static pages are added by the render
    step), ``articles-<year>``, and one per kind of entity, split past SITEMAP_LIMIT. One
    edit changes one or two of them, and none grows past what search engines read."""
    order = s.order
    pages: list[tuple[str, str | None]] = [("", articles[order[0]].date if order else None)]
    for section in s.sections:
        pages.append((section.url, articles[section.listing.ids[0]].date))
        pages += [(m.url, articles[m.listing.ids[0]].date) for m in section.months]
    for year in s.years:
        pages.append((year.url, articles[year.listing.ids[0]].date))
        for month in s.months[year.year]:
            pages.append((month.url, articles[month.listing.ids[0]].date))
    groups: dict[str, list[tuple[str, str | None]]] = {"pages": pages}
    for kind in KINDS:
        pages.append((f"{SECTION_OF_KIND[kind]}/", None))
        entries = []
        for p in s.entities[kind]:
            entries.append((p.url, articles[p.ids[0]].date))
            entries += [(y.url, articles[y.listing.ids[0]].date) for y in p.years]
        for n, start in enumerate(range(0, len(entries), SITEMAP_LIMIT)):
            name = SECTION_OF_KIND[kind] + (f"-{n + 1}" if n else "")
            groups[name] = entries[start : start + SITEMAP_LIMIT]
    for year in s.years:
        entries = [(articles[i].url, articles[i].date) for i in year.listing.ids]
        for n, start in enumerate(range(0, len(entries), SITEMAP_LIMIT)):
            name = f"articles-{year.year:04d}" + (f"-{n + 1}" if n else "")
            groups[name] = entries[start : start + SITEMAP_LIMIT]
    return {name: tuple(entries) for name, entries in groups.items()}
