"""Ready-made data for the templates: weather widgets, chips, related articles, neighbours.

Templates only display; every decision (which snapshot the home page shows, which
articles are related, how a temperature or a date is written) is made here, once per
build, in passes that stay near-linear in the number of articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from newsarchive.entities.registry import KINDS, Kind
from newsarchive.model import Weather
from newsarchive.pelican_plugin.filters import iso_date, korean_date, temperature
from newsarchive.pelican_plugin.taxonomies import KIND_LABEL, Chip, EntityPage, top_counts

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


@dataclass(frozen=True)
class StationView:
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


@dataclass
class ArticleView:
    date_ko: str
    date_iso: str
    chip_groups: list[ChipGroup]
    weather: WeatherView | None
    related: list[Any] = field(default_factory=list)
    previous: Any = None  # older article
    next: Any = None  # newer article
    ld: dict[str, Any] = field(default_factory=dict)


def _related(
    articles: Sequence[Any], pages_of: list[list[EntityPage]], limit: int
) -> list[list[Any]]:
    """Most shared entities first; ties: newer first (articles are newest first), then
    their order. Runs on integer positions so the counting happens in C."""
    if limit <= 0:
        return [[] for _ in articles]
    position = {id(a): i for i, a in enumerate(articles)}
    postings: dict[int, list[int]] = {}
    result = []
    for i in range(len(articles)):
        scores: Counter[int] = Counter()
        for page in pages_of[i]:
            if len(page.articles) > RELATED_MAX_POSTING:
                continue
            posting = postings.get(page.index)
            if posting is None:
                posting = postings[page.index] = [position[id(a)] for a in page.articles]
            scores.update(posting)
        scores.pop(i, None)
        best = top_counts(scores, limit)
        result.append([articles[j] for j, _ in best])
    return result


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
    """Set ``article.view`` (an :class:`ArticleView`) on every article."""
    pages_of = [
        [chip.page for kind in KINDS for chip in chips[id(article)][kind]] for article in articles
    ]
    related_of = _related(articles, pages_of, related)
    for article in articles:
        # Pelican computes .url from settings on every access (~0.2 ms): once is enough.
        article.view_url = article.url
    for i, article in enumerate(articles):
        model = article.na
        groups = [
            ChipGroup(kind, KIND_LABEL[kind], chips[id(article)][kind])
            for kind in KINDS
            if chips[id(article)][kind]
        ]
        article.view = ArticleView(
            date_ko=korean_date(model.date),
            date_iso=iso_date(model.date),
            chip_groups=groups,
            weather=weather_view(model.weather),
            related=related_of[i],
            previous=articles[i + 1] if i + 1 < len(articles) else None,
            next=articles[i - 1] if i > 0 else None,
            ld=_json_ld(article, base_url, site_name),
        )


def latest_weather(articles: Sequence[Any]) -> WeatherView | None:
    """The most recent snapshot of the archive (by observation date, then article order)."""
    best = None
    for article in articles:  # newest first: the first of equal dates wins
        weather = article.na.weather
        if weather is not None and (best is None or weather.observed > best.observed):
            best = weather
    return weather_view(best)
