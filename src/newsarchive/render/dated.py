"""The archive by date: day pages, on this day, the weather archive, month calendars.

Render steps and the views their templates see. Like every view, each reads the site
through named facts (``list:day:<day>``, ``day-weather:<day>``, ``calendar:<month>``,
``list:otd:<MM-DD>``, ``station:<slug>``... computed in :mod:`newsarchive.site.facts`) and
articles' fields through :class:`ArticleView`, so an edit re-renders exactly the pages
that show what it changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from markupsafe import Markup

from newsarchive.engine import tracking
from newsarchive.render.charts import temperature_chart
from newsarchive.render.filters import WEEKDAYS, korean_date, temperature
from newsarchive.render.output import Output, Renderer, Step
from newsarchive.render.views import ArticleView, WeatherView, article_views, icon_for, weather_view
from newsarchive.site.days import (
    CALENDAR_DAYS,
    Series,
    calendar_weeks,
    day_url,
    on_this_day_url,
    summary,
)
from newsarchive.site.facts import Scope, calendar_counts, scope_key
from newsarchive.site.site import Site

DAY_RULE = (
    "하루에 날씨가 실린 기사가 여럿이면, 관측소마다 그날 기사 가운데 보관 순서(주소순)로 "
    "처음 나오는 기사의 값을 씁니다."
)


class DayRef(NamedTuple):
    iso: str  # YYYY-MM-DD
    label: str  # 2024년 6월 8일 (토)
    url: str


def day_ref(day: str) -> DayRef:
    return DayRef(day, korean_date(dt.date.fromisoformat(day)), day_url(day))


def month_day_label(month_day: str) -> str:
    """``06-08`` -> ``6월 8일``."""
    return f"{int(month_day[:2])}월 {int(month_day[3:])}일"


# ----------------------------------------------------------------------- day pages
class DayPage:
    """``day`` on a day page: that day's articles and weather, the days around it."""

    def __init__(self, site: Site, day: str) -> None:
        self._site = site
        self.iso = day
        date = dt.date.fromisoformat(day)
        self.label = korean_date(date)
        self.url = day_url(day)
        self.year, self.month = date.year, date.month
        self.year_url = f"{day[:4]}/"
        self.month_url = f"{day[:4]}/{day[5:7]}/"
        self.on_this_day = DayRef(day[5:], month_day_label(day[5:]), on_this_day_url(day[5:]))

    @property
    def articles(self) -> list[ArticleView]:
        key = f"list:day:{self.iso}"
        tracking.fact(key)
        return article_views(self._site, self._site.structure.groups[("day", self.iso)])

    @property
    def weather(self) -> WeatherView | None:
        tracking.fact(f"day-weather:{self.iso}")
        return weather_view(self._site.structure.day_weather.get(self.iso), self.iso)

    def _neighbour(self, which: int) -> DayRef | None:
        tracking.fact(f"day-nav:{self.iso}")
        day = self._site.structure.day_neighbours(self.iso)[which]
        return None if day is None else day_ref(day)

    @property
    def previous(self) -> DayRef | None:
        return self._neighbour(0)

    @property
    def next(self) -> DayRef | None:
        return self._neighbour(1)


def _day_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    day = scope[1]
    if ("day", day) in site.structure.groups:
        yield Output(day_url(day) + "index.html", "day", (day,), scope_key(scope))


def _render_day(site: Site, out: Output, r: Renderer) -> None:
    day = DayPage(site, out.params[0])
    r.html(out.path, "day", day=day, rule=DAY_RULE)


# ------------------------------------------------------------------------ calendar
class CalendarCell(NamedTuple):
    day: int
    articles: int
    url: str  # "" when the day has no article (and no page)


class CalendarView:
    """``calendar`` on a month's first page: its days as weeks, each day counted."""

    weekdays = tuple(WEEKDAYS)

    def __init__(self, site: Site, month: str) -> None:
        self._site, self.month = site, month
        self.year, self.number = int(month[:4]), int(month[5:7])

    @property
    def weeks(self) -> list[list[CalendarCell | None]]:
        fact = f"calendar:{self.month}"
        tracking.fact(fact)
        counts = dict(calendar_counts(self._site.structure, self.month))
        weeks = []
        for week in calendar_weeks(self.month, counts):
            row: list[CalendarCell | None] = []
            for cell in week:
                if cell is None:
                    row.append(None)
                    continue
                day, count = cell
                url = day_url(f"{self.month}-{day:02d}") if count else ""
                row.append(CalendarCell(day, count, url))
            weeks.append(row)
        return weeks


# -------------------------------------------------------------------- on this day
class YearGroup(NamedTuple):
    year: int
    articles: list[ArticleView]


class OnThisDay:
    """``otd``: one calendar day's articles of every year, newest year first."""

    def __init__(self, site: Site, month_day: str) -> None:
        self._site = site
        self.month_day = month_day
        self.label = month_day_label(month_day)
        self.url = on_this_day_url(month_day)
        at = CALENDAR_DAYS.index(month_day)
        before, after = CALENDAR_DAYS[at - 1], CALENDAR_DAYS[(at + 1) % len(CALENDAR_DAYS)]
        self.previous = DayRef(before, month_day_label(before), on_this_day_url(before))
        self.next = DayRef(after, month_day_label(after), on_this_day_url(after))

    @property
    def years(self) -> list[YearGroup]:
        tracking.fact(f"list:otd:{self.month_day}")
        groups: list[YearGroup] = []
        for i in self._site.structure.groups.get(("otd", self.month_day), ()):
            article = ArticleView(self._site, i)
            year = article.date.year
            if not groups or groups[-1].year != year:
                groups.append(YearGroup(year, []))
            groups[-1].articles.append(article)
        return groups


class OtdMonth(NamedTuple):
    number: int
    days: list[tuple[DayRef, int]]


def _otd_index(site: Site) -> list[OtdMonth]:
    tracking.fact("otd-index")
    groups = site.structure.groups
    months: list[OtdMonth] = []
    for month_day in CALENDAR_DAYS:
        number = int(month_day[:2])
        if not months or months[-1].number != number:
            months.append(OtdMonth(number, []))
        ref = DayRef(month_day, month_day_label(month_day), on_this_day_url(month_day))
        months[-1].days.append((ref, len(groups.get(("otd", month_day), ()))))
    return months


def _otd_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    yield Output(on_this_day_url(scope[1]) + "index.html", "otd", (scope[1],), scope_key(scope))


def _render_otd(site: Site, out: Output, r: Renderer) -> None:
    otd = OnThisDay(site, out.params[0])
    r.html(out.path, "on_this_day", otd=otd, url=otd.url)


def _otd_index_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    yield Output("on-this-day/index.html", "otd-index", (), scope_key(scope))


def _render_otd_index(site: Site, out: Output, r: Renderer) -> None:
    r.html(out.path, "on_this_day_index", months=_otd_index(site), url="on-this-day/")


# ----------------------------------------------------------------------- weather
class Reading(NamedTuple):
    day: DayRef
    condition: str
    icon: str
    temp: str
    below_zero: bool


def _reading(day: str, condition: str | None, temp: float) -> Reading:
    return Reading(
        day_ref(day), condition or "정보 없음", icon_for(condition), temperature(temp), temp < 0
    )


class StationItem(NamedTuple):
    name: str
    url: str
    days: int
    latest: Reading


def _weather_index(site: Site) -> list[StationItem]:
    tracking.fact("weather-index")
    return [
        StationItem(name, f"weather/{slug}/", len(series), _reading(*series[-1]))
        for slug, (name, series) in site.structure.stations.items()
    ]


class MonthRow(NamedTuple):
    label: str  # 2024년 6월
    url: str  # the month's page (its calendar leads to the days)
    days: int  # days with a reading
    low: str
    high: str
    low_cold: bool
    high_cold: bool


def _month_rows(series: Series) -> list[MonthRow]:
    """The readings by month, newest first: how many days, the lowest and the highest."""
    months: dict[str, list[float]] = {}
    for day, _condition, temp in series:
        months.setdefault(day[:7], []).append(temp)
    return [
        MonthRow(
            f"{int(month[:4])}년 {int(month[5:])}월",
            f"{month[:4]}/{month[5:]}/",
            len(temps),
            temperature(min(temps)),
            temperature(max(temps)),
            min(temps) < 0,
            max(temps) < 0,
        )
        for month, temps in sorted(months.items(), reverse=True)
    ]


class StationPage:
    """``station``: one station's readings, charted, summed up and tabled by month (each
    day's readings are on its day page)."""

    def __init__(self, site: Site, slug: str) -> None:
        tracking.fact(f"station:{slug}")
        name, series = site.structure.stations[slug]
        self.name, self.slug, self.url = name, slug, f"weather/{slug}/"
        self.days = len(series)
        self.first, self.last = day_ref(series[0][0]), day_ref(series[-1][0])
        facts = summary(series)
        self.warmest = _reading(*facts["warmest"])
        self.coldest = _reading(*facts["coldest"])
        self.conditions = [
            (condition or "정보 없음", icon_for(condition), count)
            for condition, count in facts["conditions"]
        ]
        self.months = _month_rows(series)
        desc = (
            f"{self.first.label}부터 {self.last.label}까지 날씨가 기록된 {self.days}일의 기온. "
            f"최고 {self.warmest.temp} ({self.warmest.day.label}), "
            f"최저 {self.coldest.temp} ({self.coldest.day.label}). "
            "기록이 없는 날은 선이 끊깁니다. 아래 표에 달마다 최저와 최고 기온이 있습니다."
        )
        self.chart: Markup = temperature_chart(name, series, desc)


def _weather_index_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    yield Output("weather/index.html", "weather-index", (), scope_key(scope))


def _render_weather_index(site: Site, out: Output, r: Renderer) -> None:
    r.html(out.path, "weather_index", stations=_weather_index(site), rule=DAY_RULE, url="weather/")


def _station_outputs(site: Site, scope: Scope) -> Iterator[Output]:
    slug = scope[1]
    if slug in site.structure.stations:
        yield Output(f"weather/{slug}/index.html", "station", (slug,), scope_key(scope))


def _render_station(site: Site, out: Output, r: Renderer) -> None:
    station = StationPage(site, out.params[0])
    r.html(out.path, "station", station=station, rule=DAY_RULE, url=station.url)


STEPS: tuple[Step, ...] = (
    Step("day", "day", _day_outputs, _render_day),
    Step("otd", "otd", _otd_outputs, _render_otd),
    Step("otd-index", "otd-index", _otd_index_outputs, _render_otd_index),
    Step("weather-index", "weather-index", _weather_index_outputs, _render_weather_index),
    Step("station", "station", _station_outputs, _render_station),
)


__all__ = ["STEPS", "CalendarView"]
