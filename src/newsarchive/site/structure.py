"""The site's structure, kept up to date article by article.

Which pages exist and what each lists follows from the articles' structural fields (date,
URL, section, status, people/companies/topics, weather; ``articles.STRUCTURE``), the
registry and the settings. An article belongs to *groups*: the archive, its year and month,
its section and the section's month, each of its people, companies and topics, and their
years (:func:`memberships` is that rule, in one place). Each group keeps its articles in
the archive's order: newest first, the slug breaking ties.

A build that changes a few articles moves just those between groups (:meth:`Structure.
apply`): a few list operations, not a pass over the archive; the first build adds every
article at once. Either way the result is the same structure (tests compare them).

What pages read of the structure are *facts*, gathered in *scopes* (a listing, a section,
an entity, an article's chips or neighbours...): :meth:`Structure.apply` names the scopes
it touched, :func:`scope_facts` computes a scope's facts, and the planner compares them,
by value, with the last build's.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from newsarchive.entities.registry import KINDS, Entity, Kind, Registry
from newsarchive.site.articles import (
    ALL_FIELDS,
    DATE,
    SAVE_AS,
    SECTION,
    SLUG,
    STATUS,
    URL,
    WEATHER,
    ArticleData,
)
from newsarchive.site.days import DayWeather, Series, day_weather, station_series, stations_of
from newsarchive.site.entities import assign_slugs, entity_feed, entity_url, sort_key
from newsarchive.slugs import slugify

_NONE = object()

# A group: ("home",), ("section", slug), ("section-month", slug, "YYYY-MM"), ("year", "YYYY"),
# ("month", "YYYY-MM"), ("day", "YYYY-MM-DD"), ("otd", "MM-DD") (a calendar day of every
# year: on this day), ("entity", kind, name), ("entity-year", kind, name, "YYYY").
Group = tuple[str, ...]
HOME: Group = ("home",)
# (kind, canonical name, role) of each entity an article names, in kind order
Resolved = tuple[tuple[str, str, str | None], ...]
# (kind, canonical name, slug, role): an entity as an article's page shows it
Chip = tuple[str, str, str, str | None]
# Search engines read at most 50,000 URLs from one sitemap file.
SITEMAP_LIMIT = 40_000


def resolve_entities(a: ArticleData, registry: Registry, canonical: dict[Any, str]) -> Resolved:
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


def memberships(a: ArticleData, resolved: Resolved) -> list[Group]:
    """Every group a listed article belongs to: the one rule of what lists what."""
    year, month = a.date[:4], a.date[:7]
    groups: list[Group] = [HOME, ("year", year), ("month", month), ("day", a.date)]
    groups.append(("otd", a.date[5:]))
    if a.section:
        slug = slugify(a.section)
        groups += [("section", slug), ("section-month", slug, month)]
    for kind, name, _role in resolved:
        groups += [("entity", kind, name), ("entity-year", kind, name, year)]
    return groups


# The fields whose change may move an article within a group it stays in, or change what a
# group shows of its members (dates, URLs, the weather): a change of any touches every
# group the article is in.
REPLACING = DATE | SLUG | URL | SAVE_AS | STATUS | WEATHER


def archive_key(a: ArticleData) -> tuple[int, str]:
    """The archive's order: newest first; the slug breaks ties (never the file system)."""
    return (-dt.date.fromisoformat(a.date).toordinal(), a.slug)


# ------------------------------------------------------------------- presentation
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
class Period:
    """A year (``month`` None) or a month: of the archive, a section or an entity."""

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
class EntityPage:
    kind: Kind
    name: str  # canonical
    slug: str
    ids: list[int]  # newest first
    entity: Entity | None  # the registry's entry, if any
    # its articles by year, newest first: only when they do not all fit on its own page
    years: list[Period] = field(default_factory=list)
    front: list[int] = field(default_factory=list)  # what its own page lists, newest first
    url: str = ""

    def __post_init__(self) -> None:
        self.url = entity_url(self.kind, self.slug)

    @property
    def save_as(self) -> str:
        return self.url + "index.html"

    @property
    def feed_url(self) -> str:
        return entity_feed(self.kind, self.slug)


def _ym(text: str) -> tuple[int, int]:
    return int(text[:4]), int(text[5:7])


# ---------------------------------------------------------------------- the structure
@dataclass
class Touched:
    """What :meth:`Structure.apply` changed: the scopes whose facts and outputs to redo."""

    groups: set[Group] = field(default_factory=set)
    neighbours: set[int] = field(default_factory=set)  # articles whose neighbours may differ
    chips: set[int] = field(default_factory=set)  # articles whose chips may differ
    articles: set[int] = field(default_factory=set)  # added, removed or moved articles
    entity_kinds: set[str] = field(default_factory=set)  # kinds whose index may differ
    weather: bool = False  # the home page's weather box may differ
    weather_days: set[str] = field(default_factory=set)  # days whose weather changed
    stations: set[str] = field(default_factory=set)  # stations (slugs) whose readings may differ


class Structure:
    """Groups of articles, entity slugs, and what pages are made of them."""

    def __init__(
        self,
        articles: Mapping[int, ArticleData],
        registry: Registry,
        *,
        per_page: int,
        feed_entries: int,
        entity_per_page: int | None = None,
    ) -> None:
        self.articles = articles
        self.registry = registry
        self.per_page = per_page
        # an entity's page and each page of its years (titles only): None, as a listing's
        self.entity_per_page = per_page if entity_per_page is None else entity_per_page
        self.feed_entries = feed_entries
        self.groups: dict[Group, list[int]] = {HOME: []}
        self.resolved: dict[int, Resolved] = {}
        self.slugs: dict[tuple[str, str], str] = {}
        self.home_weather: int | None = None
        self.day_weather: dict[str, DayWeather] = {}  # days with weather (site.days)
        self._keys: dict[int, tuple[int, str]] = {}
        self._member_of: dict[int, list[Group]] | None = None
        self._by_type: dict[str, list[Group]] | None = None
        self._memo: dict[tuple[Any, ...], Any] = {}

    # ------------------------------------------------------------------ keeping
    def to_plain(self) -> tuple[Any, ...]:
        """Tuples, strings and numbers: what the record keeps between builds."""
        return (self.groups, self.resolved, self.slugs, self.home_weather, self.day_weather)

    def load_plain(self, data: tuple[Any, ...]) -> Structure:
        """Take back what :meth:`to_plain` gave (this structure's settings are its own)."""
        self.groups, self.resolved, self.slugs, self.home_weather, self.day_weather = data
        self._member_of = None
        self._changed()
        return self

    def _key(self, i: int) -> tuple[int, str]:
        key = self._keys.get(i)
        if key is None:
            key = self._keys[i] = archive_key(self.articles[i])
        return key

    def of_type(self, kind: str) -> list[Group]:
        """The groups of one type ("section", "month", "entity", ...), in key order."""
        if self._by_type is None:
            by_type: dict[str, list[Group]] = {}
            for group in sorted(self.groups):
                by_type.setdefault(group[0], []).append(group)
            self._by_type = by_type
        return self._by_type.get(kind, [])

    def _changed(self) -> None:
        self._by_type = None
        self._memo.clear()
        for cached in ("position", "days"):
            self.__dict__.pop(cached, None)

    def memoised(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        """Views of the groups (a section with its months, the years...) made once per
        state of the structure: every page's navigation asks for them."""
        found = self._memo.get(key, _NONE)
        if found is _NONE:
            found = self._memo[key] = make()
        return found

    @property
    def member_of(self) -> dict[int, list[Group]]:
        if self._member_of is None:
            found: dict[int, list[Group]] = {}
            for group, ids in self.groups.items():
                for i in ids:
                    found.setdefault(i, []).append(group)
            self._member_of = found
        return self._member_of

    # ------------------------------------------------------------------ building
    def build(
        self,
        ids: Iterable[int],
        resolve: Callable[[int], Resolved],
    ) -> Touched:
        """Every listed article at once (the first build, or settings changed)."""
        keyed = sorted((self._key(i), i) for i in ids)
        groups: dict[Group, list[int]] = {HOME: []}
        member_of: dict[int, list[Group]] = {}
        for _key, i in keyed:
            resolved = self.resolved[i] = resolve(i)
            mine = member_of[i] = memberships(self.articles[i], resolved)
            for group in mine:
                groups.setdefault(group, []).append(i)
        self.groups, self._member_of = groups, member_of
        self._changed()
        for kind in KINDS:
            self._assign_slugs(kind)
        self.home_weather = self._latest_weather()
        self.day_weather = {}
        for group in self.of_type("day"):
            weather = day_weather(self.articles, groups[group])
            if weather is not None:
                self.day_weather[group[1]] = weather
        self.__dict__.pop("stations", None)
        return Touched(groups=set(groups))

    def apply(
        self,
        changed: Mapping[int, bool],
        resolve: Callable[[int], Resolved],
        fields: Mapping[int, int] | None = None,
    ) -> Touched:
        """Move the *changed* articles (id -> listed now) between groups. *fields* (id ->
        the field bits that changed; None: any) narrows what is touched: an article that
        keeps its place in the archive's order (``REPLACING`` unchanged) touches only the
        groups it joins or leaves, not every group it stays in."""
        touched = Touched()
        member_of = self.member_of
        left: dict[int, list[Group]] = {}
        order = self.groups[HOME]
        for i in changed:  # neighbours before: they lose or change a neighbour
            if i in member_of:
                at = order.index(i)
                touched.neighbours.update(order[max(0, at - 1) : at + 2])
        for i in changed:
            old = left[i] = member_of.pop(i, [])
            for group in old:
                ids = self.groups[group]
                ids.remove(i)
                if not ids and group != HOME:
                    del self.groups[group]
            self._keys.pop(i, None)
            self.resolved.pop(i, None)
            touched.articles.add(i)
        for i, listed in changed.items():  # all out before any goes in: a gone one has no key
            if not listed:
                continue
            resolved = self.resolved[i] = resolve(i)
            new = member_of[i] = memberships(self.articles[i], resolved)
            for group in new:
                bisect.insort(self.groups.setdefault(group, []), i, key=self._key)
        for i, listed in changed.items():
            old, new = set(left[i]), set(member_of.get(i, ()))
            bits = ALL_FIELDS if fields is None else fields.get(i, ALL_FIELDS)
            if not (old and listed) or bits & REPLACING:
                touched.groups |= old | new
                continue
            touched.groups |= old ^ new  # where it stays, the group's list is as it was
            if bits & SECTION:  # the section's name is spelled by its newest article
                touched.groups |= {g for g in old | new if g[0] in ("section", "section-month")}
        self._changed()
        for i in changed:  # neighbours after
            if i in member_of:
                at = self.position[i]
                touched.neighbours.update(order[max(0, at - 1) : at + 2])
        touched.chips.update(changed)  # a removed article's chips are gone
        kinds = {g[1] for g in touched.groups if g[0] == "entity"}
        for kind in kinds:
            touched.entity_kinds.add(kind)
            for entity in self._assign_slugs(kind):
                group = ("entity", kind, entity)
                touched.groups.add(group)
                touched.chips.update(self.groups.get(group, ()))
        self._update_days({g[1] for g in touched.groups if g[0] == "day"}, touched)
        weather = self.home_weather
        if weather in changed or any(i in member_of and self.articles[i].weather for i in changed):
            self.home_weather = self._latest_weather()
            touched.weather = True
        return touched

    def _update_days(self, days: set[str], touched: Touched) -> None:
        """The weather of *days* again; the stations whose readings it may change."""
        for day in days:
            old = self.day_weather.get(day)
            new = day_weather(self.articles, self.groups.get(("day", day), ()))
            if new == old:
                continue
            if new is None:
                del self.day_weather[day]
            else:
                self.day_weather[day] = new
            touched.weather_days.add(day)
            touched.stations |= stations_of(old) | stations_of(new)
        if touched.weather_days:
            self.__dict__.pop("stations", None)

    def _assign_slugs(self, kind: str) -> set[str]:
        """Give *kind*'s entities their slugs; the names whose slug changed."""
        names = [g[2] for g in self.of_type("entity") if g[1] == kind]
        slugs = assign_slugs(names, kind, self.registry)  # type: ignore[arg-type]
        changed = set()
        old = {n: s for (k, n), s in self.slugs.items() if k == kind}
        for name in old.keys() - slugs.keys():
            del self.slugs[(kind, name)]
        for name, slug in slugs.items():
            if old.get(name) != slug:
                self.slugs[(kind, name)] = slug
                changed.add(name)
        return changed

    def _latest_weather(self) -> int | None:
        """The most recent weather box of the archive (by observation date; the newest
        article first among equal dates)."""
        best: int | None = None
        best_date = ""
        for i in self.groups[HOME]:
            weather = self.articles[i].weather
            if weather is not None and weather[2] and (best is None or weather[0] > best_date):
                best, best_date = i, weather[0]
        return best

    # ------------------------------------------------------------------ reading
    @property
    def order(self) -> list[int]:
        """Every listed article, newest first."""
        return self.groups[HOME]

    @cached_property
    def position(self) -> dict[int, int]:
        return {a: i for i, a in enumerate(self.order)}

    @cached_property
    def days(self) -> list[str]:
        """The days that have articles, oldest first."""
        return [g[1] for g in self.of_type("day")]

    def day_neighbours(self, day: str) -> tuple[str | None, str | None]:
        """(the day before, the day after) *day* that have articles."""
        days = self.days
        at = bisect.bisect_left(days, day)
        before = days[at - 1] if at > 0 else None
        at = bisect.bisect_right(days, day)
        return before, days[at] if at < len(days) else None

    @cached_property
    def stations(self) -> dict[str, tuple[str, Series]]:
        """Each weather station's slug -> (name, readings by day), in slug order."""
        return station_series(self.day_weather)

    def neighbours(self, article: int) -> tuple[int | None, int | None]:
        """(older, newer) of a listed article."""
        i = self.position.get(article)
        if i is None:
            return None, None
        order = self.order
        older = order[i + 1] if i + 1 < len(order) else None
        newer = order[i - 1] if i > 0 else None
        return older, newer

    def chips(self, article: int) -> tuple[Chip, ...]:
        return tuple(
            (kind, name, self.slugs[(kind, name)], role)
            for kind, name, role in self.resolved.get(article, ())
        )

    def section_name(self, slug: str) -> str:
        """The section's name as its newest article spells it."""
        return self.articles[self.groups[("section", slug)][0]].section or slug

    @property
    def home(self) -> Listing:
        return Listing("home", "", self.order, self.per_page, paginated=False)

    def section(self, slug: str) -> Section:
        return self.memoised(("section", slug), lambda: self._section(slug))  # type: ignore[no-any-return]

    def _section(self, slug: str) -> Section:
        front = Listing(
            f"section:{slug}",
            f"sections/{slug}/",
            self.groups[("section", slug)],
            self.per_page,
            False,
        )
        months = sorted((g[2] for g in self.of_type("section-month") if g[1] == slug), reverse=True)
        return Section(
            self.section_name(slug), slug, front, [self._section_month(slug, m) for m in months]
        )

    def _section_month(self, slug: str, month: str) -> Period:
        y, m = _ym(month)
        ids = self.groups[("section-month", slug, month)]
        listing = Listing(
            f"section:{slug}:{month}",
            f"sections/{slug}/{month[:4]}/{month[5:]}/",
            ids,
            self.per_page,
        )
        return Period(y, m, listing)

    @property
    def sections(self) -> list[Section]:
        return self.memoised(  # type: ignore[no-any-return]
            ("sections",), lambda: [self.section(g[1]) for g in self.of_type("section")]
        )

    def year(self, year: str) -> Period:
        ids = self.groups[("year", year)]
        return Period(
            int(year), None, Listing(f"year:{year}", f"{year}/", ids, self.per_page, False)
        )

    def month(self, month: str) -> Period:
        y, m = _ym(month)
        ids = self.groups[("month", month)]
        return Period(
            y, m, Listing(f"month:{month}", f"{month[:4]}/{month[5:]}/", ids, self.per_page)
        )

    @property
    def years(self) -> list[Period]:
        return self.memoised(  # type: ignore[no-any-return]
            ("years",), lambda: [self.year(g[1]) for g in reversed(self.of_type("year"))]
        )

    def months_of(self, year: int) -> list[Period]:
        def make() -> list[Period]:
            prefix = f"{year:04d}-"
            found = [g[1] for g in reversed(self.of_type("month")) if g[1].startswith(prefix)]
            return [self.month(m) for m in found]

        return self.memoised(("months_of", year), make)  # type: ignore[no-any-return]

    def entity(self, kind: str, name: str) -> EntityPage | None:
        ids = self.groups.get(("entity", kind, name))
        if ids is None:
            return None
        page = EntityPage(
            kind, name, self.slugs[(kind, name)], ids, self.registry.resolve(kind, name)
        )  # type: ignore[arg-type]
        if self.entity_has_years(len(ids)):
            years = sorted({self.articles[i].date[:4] for i in ids}, reverse=True)
            page.years = [self._entity_year(page, y) for y in years]
            page.front = ids[: self.per_page]
        else:
            page.front = ids
        return page

    def entity_has_years(self, count: int) -> bool:
        """Whether an entity of *count* articles has pages by year: only when its articles
        do not all fit on its own page (then that page lists the newest, as a listing's
        front does)."""
        return count > self.entity_per_page

    def _entity_year(self, page: EntityPage, year: str) -> Period:
        ids = self.groups[("entity-year", page.kind, page.name, year)]
        key = f"entity:{page.kind}:{page.name}:{year}"
        listing = Listing(key, f"{page.url}{year}/", ids, self.entity_per_page)
        return Period(int(year), None, listing)

    def entity_names(self, kind: str) -> list[str]:
        """The names of *kind*'s entities in index order (ㄱ…ㅎ, A–Z, 기타)."""
        return self.memoised(  # type: ignore[no-any-return]
            ("entity_names", kind),
            lambda: sorted((g[2] for g in self.of_type("entity") if g[1] == kind), key=sort_key),
        )

    def entity_pages(self) -> Iterator[EntityPage]:
        for kind in KINDS:
            for name in self.entity_names(kind):
                page = self.entity(kind, name)
                assert page is not None
                yield page
