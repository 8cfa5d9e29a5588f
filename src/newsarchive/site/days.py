"""The archive by day: each day's weather, the weather stations' readings, calendars.

Every article carries the weather box of the page it was saved from; over an archive
those boxes are a weather record. A day often has several articles, and their boxes may
differ (saved at different hours, or one lacks a station). The rule, in one place
(:func:`day_weather`): **for each station, the reading of the day's newest article (in
the archive's order) that reports that station**. The day's box lists the stations in the
order of its newest box, then those only older boxes report; its date and provider are
the newest box's. A station is known by its slug (two spellings that slug alike are one
station) and named as its newest reading spells it.

A weather box is filed under the day of its article: the importer sets the box's observed
date to the article's date, and a box whose observed date was edited to another day still
belongs to its article's day (and shows its own date).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from newsarchive.site.articles import ArticleData
from newsarchive.slugs import slugify

# (name, condition or None, °C)
Reading = tuple[str, str | None, float]
# (observed YYYY-MM-DD, provider, readings in the box's order)
DayWeather = tuple[str, str, tuple[Reading, ...]]
# (YYYY-MM-DD, condition or None, °C), oldest first
Series = tuple[tuple[str, str | None, float], ...]

# 366 calendar days, "01-01" ... "12-31" (a leap year's): every on-this-day page exists
CALENDAR_DAYS: tuple[str, ...] = tuple(
    f"{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, calendar.monthrange(2024, m)[1] + 1)
)


def station_slug(name: str) -> str:
    """The station's slug, its identity and its page's folder (``weather/<slug>/``)."""
    return slugify(name, fallback="station")


def day_weather(articles: Mapping[int, ArticleData], ids: Iterable[int]) -> DayWeather | None:
    """The day's weather from its articles *ids* (archive order: newest first); None when
    none has a weather box (see the module docstring for the rule)."""
    head: tuple[str, str] | None = None
    readings: dict[str, Reading] = {}
    for i in ids:
        weather = articles[i].weather
        if not weather or not weather[2]:
            continue
        if head is None:
            head = (weather[0], weather[1])
        for name, condition, temp in weather[2]:
            readings.setdefault(station_slug(name), (name, condition, temp))
    if head is None:
        return None
    return (head[0], head[1], tuple(readings.values()))


def stations_of(weather: DayWeather | None) -> set[str]:
    return set() if weather is None else {station_slug(r[0]) for r in weather[2]}


def station_series(days: Mapping[str, DayWeather]) -> dict[str, tuple[str, Series]]:
    """Each station's slug -> (its name as the newest reading spells it, its readings by
    day, oldest first), from every day's weather."""
    found: dict[str, list[tuple[str, str | None, float]]] = {}
    names: dict[str, str] = {}
    for day in sorted(days):
        for name, condition, temp in days[day][2]:
            slug = station_slug(name)
            found.setdefault(slug, []).append((day, condition, temp))
            names[slug] = name
    return {slug: (names[slug], tuple(series)) for slug, series in sorted(found.items())}


def day_url(day: str) -> str:
    """``2024-06-08`` -> ``2024/06/08/``."""
    return f"{day[:4]}/{day[5:7]}/{day[8:10]}/"


def on_this_day_url(month_day: str) -> str:
    return f"on-this-day/{month_day}/"


def calendar_weeks(month: str, counts: Mapping[int, int]) -> list[list[tuple[int, int] | None]]:
    """``2024-06`` -> its weeks (Monday first), each seven (day, articles) or None."""
    year, number = int(month[:4]), int(month[5:7])
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(year, number)
    return [[(d, counts.get(d, 0)) if d else None for d in week] for week in weeks]


def weekday(day: str) -> int:
    return dt.date.fromisoformat(day).weekday()


def summary(series: Series) -> dict[str, Any]:
    """What a station's page states of its readings: the warmest and coldest days (the
    earliest among equals) and each condition's count (most frequent first; no condition
    counted as None, last)."""
    warmest = min(series, key=lambda r: (-r[2], r[0]))
    coldest = min(series, key=lambda r: (r[2], r[0]))
    counts: dict[str | None, int] = {}
    for _day, condition, _temp in series:
        counts[condition] = counts.get(condition, 0) + 1
    conditions = sorted(counts.items(), key=lambda item: (item[0] is None, -item[1], item[0] or ""))
    return {"warmest": warmest, "coldest": coldest, "conditions": conditions}
