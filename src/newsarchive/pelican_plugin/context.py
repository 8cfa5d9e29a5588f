"""Ready-made data for the templates: weather widgets, chips, related articles, neighbours.

Templates only display; every decision (which snapshot the home page shows, which
articles are related, how a temperature or a date is written) is made here, in passes
that stay near-linear in the number of articles.

What only an article's own page or a listing shows (chips, weather, related articles,
neighbours, JSON-LD, formatted dates) is computed when a template first reads it and
kept: a build whose render cache skips most pages never computes it for them. Each
value is a pure function of the build's articles, so it is the same whichever page asks
first, and in every forked worker (each computes what its own pages read).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar, overload

from newsarchive.entities.registry import KINDS, Kind
from newsarchive.model import Weather
from newsarchive.pelican_plugin.filters import iso_date, korean_date, temperature
from newsarchive.pelican_plugin.taxonomies import KIND_LABEL, Chip, top_counts

# An entity found in more articles than this says little about relatedness and would
# make the related-articles pass quadratic on a large archive.
RELATED_MAX_POSTING = 400

# condition text -> icon name drawn by partials/weather-icon.html
_ICONS = (
    ("소나기", "rain"),
    ("비", "rain"),
    ("눈", "snow"),
    ("구름조금", "partly"),
    ("구름많음", "cloudy"),
    ("흐림", "overcast"),
    ("맑음", "sun"),
)


@cache  # a handful of distinct conditions, tens of thousands of stations
def icon_for(condition: str | None) -> str:
    if not condition:
        return "unknown"
    for word, icon in _ICONS:
        if word in condition:
            return icon
    return "unknown"


class StationView(NamedTuple):  # tens of thousands per build: a tuple is made fastest
    name: str
    condition: str  # text shown to readers (and to screen readers)
    icon: str
    temp: str
    below_zero: bool


@dataclass(frozen=True)
class WeatherView:
    observed_iso: str
    observed_ko: str
    provider: str
    stations: tuple[StationView, ...]


def weather_view(weather: Weather | None) -> WeatherView | None:
    if weather is None or not weather.stations:
        return None
    return WeatherView(
        observed_iso=iso_date(weather.observed),
        observed_ko=korean_date(weather.observed),
        provider=weather.provider,
        stations=tuple(
            StationView(
                name=s.name,
                condition=s.condition or "정보 없음",
                icon=icon_for(s.condition),
                temp=temperature(s.temp_c),
                below_zero=s.temp_c < 0,
            )
            for s in weather.stations
        ),
    )


@dataclass
class ChipGroup:
    kind: Kind
    label: str
    chips: list[Chip]


T = TypeVar("T")


class _lazy(Generic[T]):
    """``functools.cached_property`` without its lock (3.11 takes one per first access):
    computed on first read, then an ordinary attribute (which may be assigned)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> _lazy[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> T | _lazy[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


class SiteViews:
    """What the views of one build share: the articles in display order, each one's
    entity pages, and the related-articles index (built as articles ask)."""

    def __init__(
        self,
        articles: Sequence[Any],
        chips: dict[int, dict[Kind, list[Chip]]],
        *,
        related: int,
        base_url: str,
        site_name: str,
    ) -> None:
        self.articles = list(articles)  # the order the views' positions refer to
        self.chips = chips
        self.limit = related
        self.base_url = base_url
        self.site_name = site_name
        self.position = {id(a): i for i, a in enumerate(articles)}
        self.postings: dict[int, list[int]] = {}  # entity page index -> article positions

    def related(self, i: int) -> list[Any]:
        """Most shared entities first; ties: newer first (articles are newest first), then
        their order. Counts integer positions so the counting happens in C."""
        if self.limit <= 0:
            return []
        article = self.articles[i]
        scores: Counter[int] = Counter()
        for kind in KINDS:
            for chip in self.chips[id(article)][kind]:
                page = chip.page
                if len(page.articles) > RELATED_MAX_POSTING:
                    continue
                posting = self.postings.get(page.index)
                if posting is None:
                    position = self.position
                    posting = self.postings[page.index] = [position[id(a)] for a in page.articles]
                scores.update(posting)
        scores.pop(i, None)
        return [self.articles[j] for j, _ in top_counts(scores, self.limit)]


class ArticleView:
    """``article.view``: what the templates show of an article besides its own fields."""

    def __init__(self, site: SiteViews, index: int) -> None:
        self._site = site
        self._index = index

    @property
    def _article(self) -> Any:
        return self._site.articles[self._index]

    @_lazy
    def date_ko(self) -> str:
        return korean_date(self._article.na.date)

    @_lazy
    def date_iso(self) -> str:
        return iso_date(self._article.na.date)

    @_lazy
    def chip_groups(self) -> list[ChipGroup]:
        chips = self._site.chips[id(self._article)]
        return [ChipGroup(kind, KIND_LABEL[kind], chips[kind]) for kind in KINDS if chips[kind]]

    @_lazy
    def weather(self) -> WeatherView | None:
        return weather_view(self._article.na.weather)

    @_lazy
    def related(self) -> list[Any]:
        return self._site.related(self._index)

    @_lazy
    def previous(self) -> Any:
        """The next older article, if any."""
        articles = self._site.articles
        return articles[self._index + 1] if self._index + 1 < len(articles) else None

    @_lazy
    def next(self) -> Any:
        """The next newer article, if any."""
        return self._site.articles[self._index - 1] if self._index > 0 else None

    @_lazy
    def ld(self) -> dict[str, Any]:
        """JSON-LD; the dev server assigns a new one when the summary changes in place."""
        site = self._site
        return _json_ld(self._article, site.base_url, site.site_name)


def _json_ld(article: Any, base_url: str, site_name: str) -> dict[str, Any]:
    model = article.na
    url = f"{base_url}/{article.view_url}"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": iso_date(model.date),
        "dateModified": iso_date(model.date),
        "inLanguage": "ko",
        "url": url,
        "mainEntityOfPage": url,
    }
    if model.section:
        data["articleSection"] = model.section
    if model.byline:
        data["author"] = {"@type": "Person", "name": model.byline.name}
    elif model.outlet:
        data["author"] = {"@type": "Organization", "name": model.outlet}
    data["publisher"] = {"@type": "Organization", "name": model.outlet or site_name}
    if article.summary_text:
        data["description"] = article.summary_text
    return data


def attach_views(
    articles: Sequence[Any],
    chips: dict[int, dict[Kind, list[Chip]]],
    *,
    related: int,
    base_url: str,
    site_name: str,
) -> None:
    """Set ``article.view_url`` and ``article.view`` (an :class:`ArticleView`) on every
    article. Only the URL is computed now (the render cache's site digest reads it)."""
    site = SiteViews(articles, chips, related=related, base_url=base_url, site_name=site_name)
    for i, article in enumerate(articles):
        # Pelican's .url is a property that formats the URL setting on each access.
        article.view_url = article.url
        article.view = ArticleView(site, i)


def latest_weather(articles: Sequence[Any]) -> WeatherView | None:
    """The most recent snapshot of the archive (by observation date, then article order)."""
    best = None
    for article in articles:  # newest first: the first of equal dates wins
        weather = article.na.weather
        if weather is not None and (best is None or weather.observed > best.observed):
            best = weather
    return weather_view(best)
