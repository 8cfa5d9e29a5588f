"""What pages read of the structure: facts, gathered in scopes.

A fact is a named value a page may show (what page 3 of a month lists, an article's
neighbours, an entity's years and counts...); a page records the names it read. A scope
is the unit in which facts are computed again after an edit: a listing, a section, a
year, an entity, an entity kind's index, an article's chips or neighbours, a sitemap, the
few site-wide facts. :func:`touched_scopes` maps what :meth:`Structure.apply` moved to the
scopes to compute again; :func:`scope_facts` computes one. Values are plain tuples: the
record keeps them and the next build compares values, no digest needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsarchive.entities.registry import KINDS, SECTION_OF_KIND
from newsarchive.site.days import CALENDAR_DAYS, day_url, on_this_day_url
from newsarchive.site.structure import HOME, SITEMAP_LIMIT, Group, Listing, Structure, Touched

Scope = tuple[Any, ...]
GLOBAL: Scope = ("global",)
OTD_INDEX: Scope = ("otd-index",)
WEATHER_INDEX: Scope = ("weather-index",)
# groups shown by pages of their own kind (day pages, on this day), never as a listing
UNLISTED = ("entity", "day", "otd")


def scope_key(scope: Scope) -> str:
    """A scope as the record names it."""
    return "\x1f".join(str(part) for part in scope)


# ------------------------------------------------------------------------- scopes
def touched_scopes(s: Structure, touched: Touched) -> set[Scope]:
    scopes: set[Scope] = set()
    for group in touched.groups:
        kind = group[0]
        if kind in ("home", "section", "year", "month"):
            scopes |= {GLOBAL, ("sitemap-pages",)}
        if kind == "home":
            scopes.add(("listing", *group))
        elif kind == "section":
            scopes |= {("listing", *group), ("section", group[1])}
        elif kind == "section-month":
            scopes |= {("listing", *group), ("section", group[1]), ("sitemap-pages",)}
        elif kind == "year":
            scopes |= {("listing", *group), ("year", group[1]), ("sitemap-articles", group[1])}
        elif kind == "month":
            scopes |= {("listing", *group), ("year", group[1][:4])}
        elif kind == "entity":
            entity_kind = group[1]
            scopes |= {("entity", *group[1:]), ("entity-index", entity_kind)}
            scopes.add(("sitemap-entities", entity_kind))
            scopes |= {("listing", *g) for g in _entity_year_groups(s, group)}
        elif kind == "entity-year":
            scopes |= {("listing", *group), ("entity", *group[1:3])}
            scopes.add(("sitemap-entities", group[1]))
        elif kind == "day":  # its page, its month's calendar, the days before and after it
            day = group[1]
            scopes |= {("day", day), ("calendar", day[:7])}
            scopes |= {("day", other) for other in s.day_neighbours(day) if other}
        elif kind == "otd":
            scopes |= {("otd", group[1]), OTD_INDEX}
    scopes |= {("station", slug) for slug in touched.stations}
    if touched.weather_days:
        scopes.add(WEATHER_INDEX)
    scopes |= {("chips", i) for i in touched.chips}
    scopes |= {("neighbours", i) for i in touched.neighbours}
    scopes |= {("entity-index", kind) for kind in touched.entity_kinds}
    if touched.weather:
        scopes.add(GLOBAL)
    return scopes


def _entity_year_groups(s: Structure, entity: Group) -> list[Group]:
    kind, name = entity[1], entity[2]
    ids = s.groups.get(entity, ())
    return [("entity-year", kind, name, y) for y in sorted({s.articles[i].date[:4] for i in ids})]


def dated_scopes(s: Structure) -> Iterator[Scope]:
    """The scopes of the pages by date: each day, on this day (its index and the 366
    calendar days, which exist whether or not they have articles), the weather archive."""
    for day in s.days:
        yield ("day", day)
    yield OTD_INDEX
    for month_day in CALENDAR_DAYS:
        yield ("otd", month_day)
    yield WEATHER_INDEX
    for slug in s.stations:
        yield ("station", slug)


def all_scopes(s: Structure) -> Iterator[Scope]:
    yield GLOBAL
    yield ("sitemap-pages",)
    for group in s.groups:
        if group[0] not in UNLISTED:
            yield ("listing", *group)
    for group in s.of_type("section"):
        yield ("section", group[1])
    for group in s.of_type("year"):
        yield ("year", group[1])
        yield ("sitemap-articles", group[1])
    for group in s.of_type("month"):
        yield ("calendar", group[1])
    yield from dated_scopes(s)
    for group in s.of_type("entity"):
        yield ("entity", group[1], group[2])
    for kind in KINDS:
        yield ("entity-index", kind)
        yield ("sitemap-entities", kind)
    for i in s.order:
        yield ("chips", i)
        yield ("neighbours", i)


# --------------------------------------------------------------------------- facts
def listing_of(s: Structure, group: Group) -> Listing | None:
    """The listing a group is shown as, if any (an entity's years only when they do not all
    fit on its own page)."""
    if group not in s.groups:
        return None
    kind = group[0]
    if kind == "home":
        return s.home
    if kind == "section":
        return s.section(group[1]).listing
    if kind == "section-month":
        return s._section_month(group[1], group[2]).listing
    if kind == "year":
        return s.year(group[1]).listing
    if kind == "month":
        return s.month(group[1]).listing
    if kind == "entity-year":
        if not s.entity_has_years(len(s.groups.get(("entity", group[1], group[2]), ()))):
            return None
        page = s.entity(group[1], group[2])
        assert page is not None
        return s._entity_year(page, group[3]).listing
    return None


def scope_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    """The facts of one scope, by name (empty: the scope has no facts now)."""
    what = scope[0]
    facts: dict[str, Any] = {}
    if what == "listing":
        listing = listing_of(s, scope[1:])
        if listing is not None:
            key = listing.key
            facts[f"count:{key}"] = len(listing.ids)
            facts[f"pages:{key}"] = listing.pages
            for n in range(1, listing.pages + 1):
                facts[f"list:{key}:{n}"] = listing.page_ids(n)
    elif what == "global":
        facts["sections"] = tuple((x.name, x.slug) for x in s.sections)
        facts["periods"] = tuple(
            (
                y.year,
                len(y.listing.ids),
                tuple((m.month, len(m.listing.ids)) for m in s.months_of(y.year)),
            )
            for y in s.years
        )
        facts["years"] = tuple(y.year for y in s.years)
        facts["home-weather"] = s.home_weather
        facts["feed:all"] = tuple(s.order[: s.feed_entries])
    elif what == "section":
        if ("section", scope[1]) in s.groups:
            section = s.section(scope[1])
            facts[f"name:section:{section.slug}"] = section.name
            facts[f"feed:section:{section.slug}"] = tuple(section.listing.ids[: s.feed_entries])
            facts[f"months:section:{section.slug}"] = tuple(
                (m.year, m.month, len(m.listing.ids)) for m in section.months
            )
    elif what == "year":
        if ("year", scope[1]) in s.groups:
            months = s.months_of(int(scope[1]))
            facts[f"months:{int(scope[1])}"] = tuple((m.month, len(m.listing.ids)) for m in months)
    elif what == "entity":
        page = s.entity(scope[1], scope[2])
        if page is not None:
            key = f"{page.kind}:{page.name}"
            facts[f"entity:{key}"] = tuple(page.ids)
            facts[f"count:entity:{key}"] = len(page.ids)
            facts[f"front:entity:{key}"] = tuple(page.front)
            facts[f"years:entity:{key}"] = tuple((y.year, len(y.listing.ids)) for y in page.years)
            facts[f"feed:entity:{key}"] = tuple(page.ids[: s.feed_entries])
            facts[f"slug:entity:{key}"] = page.slug
            facts[f"registry:{key}"] = None if page.entity is None else repr(page.entity)
            facts[f"activity:{key}"] = activity(s, page.ids)
    elif what == "entity-index":
        kind = scope[1]
        facts[f"entity-index:{kind}"] = tuple(
            (name, s.slugs[(kind, name)], len(s.groups[("entity", kind, name)]))
            for name in s.entity_names(kind)
        )
    elif what in DATED:
        facts.update(DATED[what](s, scope))
    elif what == "chips":
        if scope[1] in s.member_of:
            facts[f"chips:{scope[1]}"] = s.chips(scope[1])
    elif what == "neighbours":
        if scope[1] in s.member_of:
            facts[f"neighbours:{scope[1]}"] = s.neighbours(scope[1])
    elif what.startswith("sitemap-"):
        files = sitemap_entries(s, scope)
        for name, entries in files.items():
            facts[f"sitemap:{name}"] = entries
        facts[f"sitemap-files:{scope_key(scope)}"] = tuple(files)
    return facts


# ---------------------------------------------------------------------------- dates
def activity(s: Structure, ids: list[int]) -> tuple[tuple[str, int], ...]:
    """An entity's articles per month: (YYYY-MM, count), oldest first, months without
    articles left out."""
    counts: dict[str, int] = {}
    articles = s.articles
    for i in ids:
        month = articles[i].date[:7]
        counts[month] = counts.get(month, 0) + 1
    return tuple(sorted(counts.items()))


def _day_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    day = scope[1]
    ids = s.groups.get(("day", day))
    if ids is None:
        return {}
    return {
        f"list:day:{day}": tuple(ids),
        f"day-weather:{day}": s.day_weather.get(day),
        f"day-nav:{day}": s.day_neighbours(day),
    }


def calendar_counts(s: Structure, month: str) -> tuple[tuple[int, int], ...]:
    """A month's days that have articles: (day of the month, articles)."""
    counts = []
    for day in range(1, 32):
        ids = s.groups.get(("day", f"{month}-{day:02d}"))
        if ids:
            counts.append((day, len(ids)))
    return tuple(counts)


def _calendar_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    month = scope[1]
    if ("month", month) not in s.groups:
        return {}
    return {f"calendar:{month}": calendar_counts(s, month)}


def _otd_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    return {f"list:otd:{scope[1]}": tuple(s.groups.get(("otd", scope[1]), ()))}


def _otd_index_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    groups = s.groups
    return {"otd-index": tuple(len(groups.get(("otd", md), ())) for md in CALENDAR_DAYS)}


def _weather_index_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    return {
        "weather-index": tuple(
            (slug, name, len(series), series[-1]) for slug, (name, series) in s.stations.items()
        )
    }


def _station_facts(s: Structure, scope: Scope) -> dict[str, Any]:
    found = s.stations.get(scope[1])
    return {} if found is None else {f"station:{scope[1]}": found}


DATED = {
    "day": _day_facts,
    "calendar": _calendar_facts,
    "otd": _otd_facts,
    "otd-index": _otd_index_facts,
    "weather-index": _weather_index_facts,
    "station": _station_facts,
}


# ------------------------------------------------------------------------- sitemaps
def _split(prefix: str, entries: list[tuple[str, str | None]]) -> dict[str, tuple[Any, ...]]:
    """Entries in files of at most SITEMAP_LIMIT (search engines read 50,000 per file)."""
    return {
        prefix + (f"-{n + 1}" if n else ""): tuple(entries[start : start + SITEMAP_LIMIT])
        for n, start in enumerate(range(0, len(entries), SITEMAP_LIMIT))
    }


def sitemap_entries(s: Structure, scope: Scope) -> dict[str, tuple[Any, ...]]:
    """The sitemaps of one scope: (URL, last modified YYYY-MM-DD or None) entries.
    ``pages``: home, sections and their months, years, months, the entity indexes (the
    static pages are added when it is written); ``articles-<year>``; one per entity kind
    (each entity's page, and its years' when it has pages by year). Made once per state
    of the structure: comparing facts, listing outputs and rendering each ask."""
    return s.memoised(("sitemap", *scope), lambda: _sitemap_entries(s, scope))  # type: ignore[no-any-return]


def _sitemap_entries(s: Structure, scope: Scope) -> dict[str, tuple[Any, ...]]:
    a = s.articles
    what = scope[0]
    if what == "sitemap-pages":
        order = s.order
        pages: list[tuple[str, str | None]] = [("", a[order[0]].date if order else None)]
        for section in s.sections:
            pages.append((section.url, a[section.listing.ids[0]].date))
            pages += [(m.url, a[m.listing.ids[0]].date) for m in section.months]
        for year in s.years:
            pages.append((year.url, a[year.listing.ids[0]].date))
            pages += [(m.url, a[m.listing.ids[0]].date) for m in s.months_of(year.year)]
        pages += [(day_url(day), day) for day in reversed(s.days)]
        pages += [(f"{SECTION_OF_KIND[kind]}/", None) for kind in KINDS]
        pages.append(("on-this-day/", None))
        pages += [(on_this_day_url(md), None) for md in CALENDAR_DAYS]
        pages.append(("weather/", None))
        pages += [(f"weather/{slug}/", series[-1][0]) for slug, (_n, series) in s.stations.items()]
        return {"pages": tuple(pages)}
    if what == "sitemap-articles":
        ids = s.groups.get(("year", scope[1]), [])
        if not ids:
            return {}
        return _split(f"articles-{scope[1]}", [(a[i].url, a[i].date) for i in ids])
    kind = scope[1]
    entries: list[tuple[str, str | None]] = []
    for name in s.entity_names(kind):
        page = s.entity(kind, name)
        assert page is not None
        entries.append((page.url, a[page.ids[0]].date))
        entries += [(y.url, a[y.listing.ids[0]].date) for y in page.years]
    return _split(SECTION_OF_KIND[kind], entries)  # type: ignore[index]


def sitemap_scopes(s: Structure) -> list[Scope]:
    """The scopes whose sitemaps the index lists, in its order."""
    years = [("sitemap-articles", g[1]) for g in reversed(s.of_type("year"))]
    return [("sitemap-pages",), *years, *(("sitemap-entities", kind) for kind in KINDS)]


__all__ = [
    "GLOBAL",
    "HOME",
    "Scope",
    "all_scopes",
    "dated_scopes",
    "scope_facts",
    "scope_key",
    "touched_scopes",
]
