"""What templates see: small view objects over the site, each read recorded.

Templates only display; every decision (what a page lists, which weather box the home
page shows, how a date is written) is made here or in the render steps. Every property
that returns something of an article records the article's id and the field's bit with
:mod:`newsarchive.engine.tracking`, so the dependency record knows, for each output,
exactly which fields of which articles it shows. Attribute names follow the theme's
templates (``article.view.date_ko``, ``article.na.byline``...).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from newsarchive.document import DESCRIPTION_CHARS, shorten
from newsarchive.engine import tracking
from newsarchive.engine.tracking import article as read
from newsarchive.entities.registry import KINDS
from newsarchive.render.filters import korean_date, temperature
from newsarchive.site.articles import (
    BODY,
    BYLINE,
    DATE,
    OUTLET,
    SECTION,
    SOURCE,
    STATUS,
    SUMMARY,
    TITLE,
    URL,
    WEATHER,
)
from newsarchive.site.days import day_url, station_slug
from newsarchive.site.entities import KIND_LABEL, SECTION_OF_KIND
from newsarchive.site.site import Site
from newsarchive.slugs import slugify

# condition text -> icon: a one-letter class (the weather box repeats it on every station,
# on every page that has one); style.css draws each from theme/img/weather.svg
_ICONS = (
    ("소나기", "r"),  # rain
    ("비", "r"),
    ("눈", "n"),  # snow
    ("구름조금", "p"),  # partly cloudy
    ("구름많음", "c"),  # cloudy
    ("흐림", "o"),  # overcast
    ("맑음", "s"),  # sun
)
UNKNOWN_ICON = "u"


def icon_for(condition: str | None) -> str:
    if not condition:
        return UNKNOWN_ICON
    for word, icon in _ICONS:
        if word in condition:
            return icon
    return UNKNOWN_ICON


class StationView(NamedTuple):
    name: str
    url: str  # its page in the weather archive
    condition: str  # text shown to readers (and to screen readers)
    icon: str  # the icon's letter; in capitals below zero (the temperature is drawn in blue)
    temp: str
    below_zero: bool


class WeatherView(NamedTuple):
    observed_iso: str
    observed_ko: str
    provider: str
    stations: tuple[StationView, ...]
    day_url: str  # the page of the day the box is filed under (site.days)


def station_view(name: str, condition: str | None, temp: float) -> StationView:
    return StationView(
        name,
        f"weather/{station_slug(name)}/",
        condition or "정보 없음",
        icon_for(condition).upper() if temp < 0 else icon_for(condition),
        temperature(temp),
        temp < 0,
    )


def weather_view(weather: Any, day: str) -> WeatherView | None:
    """The widget's data from a ``weather`` value (observed, provider, stations), filed
    under *day* (YYYY-MM-DD: its date links to that day's page)."""
    if weather is None or not weather[2]:
        return None
    observed, provider, stations = weather
    return WeatherView(
        observed_iso=observed,
        observed_ko=korean_date(dt.date.fromisoformat(observed)),
        provider=provider,
        stations=tuple(station_view(*station) for station in stations),
        day_url=day_url(day),
    )


class SectionRef(NamedTuple):
    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"sections/{self.slug}/"


class Byline(NamedTuple):
    name: str
    email: str | None


class EntityRef(NamedTuple):
    kind: str
    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"{SECTION_OF_KIND[self.kind]}/{self.slug}/"  # type: ignore[index]

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]  # type: ignore[index]


class Chip(NamedTuple):
    page: EntityRef
    role: str | None


class ChipGroup(NamedTuple):
    kind: str
    label: str
    chips: list[Chip]


class ArticleView:
    """An article as templates see it (``article``, list items, related, neighbours)."""

    __slots__ = ("_site", "id")

    def __init__(self, site: Site, article_id: int) -> None:
        self._site = site
        self.id = article_id

    def _data(self) -> Any:
        return self._site.articles[self.id]

    @property
    def title(self) -> str:
        read(self.id, TITLE)
        return self._data().title

    @property
    def url(self) -> str:
        read(self.id, URL)
        return self._data().url

    view_url = url

    @property
    def date(self) -> dt.date:
        read(self.id, DATE)
        return dt.date.fromisoformat(self._data().date)

    @property
    def summary_text(self) -> str:
        read(self.id, SUMMARY)
        return self._data().summary

    @property
    def description(self) -> str:
        """The page's meta description: the summary, shortened (document.DESCRIPTION_CHARS)."""
        return shorten(self.summary_text, DESCRIPTION_CHARS)

    @property
    def summary(self) -> str:
        """The summary as HTML (escaped text)."""
        return html.escape(self.summary_text)

    @property
    def content(self) -> str:
        read(self.id, BODY)
        return self._site.body(self.id)

    @property
    def category(self) -> SectionRef | None:
        read(self.id, SECTION)
        section = self._data().section
        return None if section is None else SectionRef(section, slugify(section))

    @property
    def is_draft(self) -> bool:
        read(self.id, STATUS)
        return self._data().is_draft

    @property
    def na(self) -> FrontMatterView:
        return FrontMatterView(self._site, self.id)

    @property
    def view(self) -> ArticleExtras:
        return ArticleExtras(self._site, self.id)


class FrontMatterView:
    """``article.na``: front matter fields the article page prints as they are."""

    __slots__ = ("_id", "_site")

    def __init__(self, site: Site, article_id: int) -> None:
        self._site, self._id = site, article_id

    @property
    def byline(self) -> Byline | None:
        read(self._id, BYLINE)
        value = self._site.articles[self._id].byline
        return None if value is None else Byline(*value)

    @property
    def outlet(self) -> str | None:
        read(self._id, OUTLET)
        return self._site.articles[self._id].outlet

    @property
    def source(self) -> str | None:
        read(self._id, SOURCE)
        return self._site.articles[self._id].source


class ArticleExtras:
    """``article.view``: what an article's page shows besides its own fields."""

    __slots__ = ("_id", "_site")

    def __init__(self, site: Site, article_id: int) -> None:
        self._site, self._id = site, article_id

    @property
    def date_ko(self) -> str:
        read(self._id, DATE)
        return korean_date(dt.date.fromisoformat(self._site.articles[self._id].date))

    @property
    def date_iso(self) -> str:
        read(self._id, DATE)
        return self._site.articles[self._id].date

    @property
    def weather(self) -> WeatherView | None:
        if not self._site.settings.article_weather:
            return None
        read(self._id, WEATHER | DATE)
        data = self._site.articles[self._id]
        return weather_view(data.weather, data.date)

    @property
    def chip_groups(self) -> list[ChipGroup]:
        tracking.fact(f"chips:{self._id}")
        chips = self._site.structure.chips(self._id)
        groups = []
        for kind in KINDS:
            mine = [Chip(EntityRef(k, n, s), r) for k, n, s, r in chips if k == kind]
            if mine:
                groups.append(ChipGroup(kind, KIND_LABEL[kind], mine))
        return groups

    @property
    def related(self) -> list[ArticleView]:
        site = self._site
        return [ArticleView(site, i) for i in site.related(self._id)]

    def _neighbour(self, which: int) -> ArticleView | None:
        tracking.fact(f"neighbours:{self._id}")
        other = self._site.structure.neighbours(self._id)[which]
        return None if other is None else ArticleView(self._site, other)

    @property
    def previous(self) -> ArticleView | None:
        """The next older article, if any."""
        return self._neighbour(0)

    @property
    def next(self) -> ArticleView | None:
        """The next newer article, if any."""
        return self._neighbour(1)

    @property
    def ld(self) -> dict[str, Any]:
        """The article's JSON-LD (NewsArticle): what the head's other tags do not say.

        The page's URL (``<link rel="canonical">``, ``og:url``), its language (``<html
        lang>``) and its summary (``<meta name="description">``) are said once, there; a
        date modified equal to the date published says nothing more. The search indexer
        reads the headline, date and section from here (newsarchive.search.pages).
        """
        article = ArticleView(self._site, self._id)
        fm = FrontMatterView(self._site, self._id)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": self.date_iso,
        }
        category = article.category
        if category:
            data["articleSection"] = category.name
        byline, outlet = fm.byline, fm.outlet
        if byline:
            data["author"] = {"@type": "Person", "name": byline.name}
        elif outlet:
            data["author"] = {"@type": "Organization", "name": outlet}
        data["publisher"] = {
            "@type": "Organization",
            "name": outlet or self._site.settings.site_name,
        }
        return data


def article_views(site: Site, ids: Sequence[int]) -> list[ArticleView]:
    return [ArticleView(site, i) for i in ids]


class Count:
    """A list templates only count (``items|length``): the count is the fact read."""

    __slots__ = ("_key", "_n")

    def __init__(self, key: str, n: int) -> None:
        self._key, self._n = key, n

    def __len__(self) -> int:
        tracking.fact(self._key)
        return self._n

    def __iter__(self) -> Iterator[Any]:  # pragma: no cover - templates only count these
        raise TypeError("a Count is only counted")


class SectionsNav:
    """``categories``: the sections, as (section, its articles counted) pairs; every page
    lists them in its header, so every page reads the ``sections`` fact."""

    def __init__(self, site: Site) -> None:
        self._site = site

    def _items(self) -> list[tuple[SectionRef, Count]]:
        tracking.fact("sections")
        return [
            (SectionRef(s.name, s.slug), Count(f"count:{s.listing.key}", len(s.listing.ids)))
            for s in self._site.structure.sections
        ]

    def __iter__(self) -> Iterator[tuple[SectionRef, Count]]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


class PageView:
    """A static page (``page`` in page.html)."""

    def __init__(self, site: Site, path: str) -> None:
        self._site, self._path = site, path

    def _data(self) -> Any:
        tracking.fact(f"page:{self._path}")
        return self._site.pages[self._path]

    @property
    def title(self) -> str:
        return self._data().title

    @property
    def url(self) -> str:
        return self._data().url

    @property
    def summary_text(self) -> str:
        return self._data().summary

    @property
    def content(self) -> str:
        self._data()
        return self._site.page_body(self._path)
