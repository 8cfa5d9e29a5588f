"""Charts drawn at build time as inline SVG: a station's temperature, an entity's activity.

No script and no request: the page carries the drawing, styled by the theme's CSS (the
elements have classes; colours come from CSS variables and currentColor, so dark mode and
forced colours apply). Numbers are written with a fixed format, so the same data always
gives the same bytes. Every text that comes from the content (a station's or an entity's
name) is escaped here: the result is markup the templates insert as it is.

The drawing is small on purpose: one path for all the lines, one for the isolated
points, one for all the bars. The exact values are in the text alternative (a station
page's table; an entity's timeline and year list).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from markupsafe import Markup

# The drawing's coordinate box; the page scales it to its width (see style.css, .chart).
WIDTH, HEIGHT = 320, 132
LEFT, RIGHT, TOP, BOTTOM = 30, 6, 8, 18  # room for the axis labels
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zeros, never ``-0``."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _step(span: float, ticks: int = 4) -> float:
    """A round step giving about *ticks* gridlines over *span*."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if span / step <= ticks:
            return step
    return 10 ** len(str(int(span)))


def _svg(title: str, desc: str, body: list[str], cls: str) -> Markup:
    head = (
        f'<svg class="chart {cls}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        'aria-labelledby="chart-t chart-d">'
        f'<title id="chart-t">{escape(title)}</title><desc id="chart-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text escaped above


def _label(x: float, y: float, text: str, anchor: str = "") -> str:
    attr = f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{attr}>{escape(text)}</text>'


def _short(day: str) -> str:
    """``2024-06-08`` -> ``2024.6.8``."""
    return f"{int(day[:4])}.{int(day[5:7])}.{int(day[8:10])}"


def temperature_chart(
    name: str, series: Sequence[tuple[str, str | None, float]], desc: str
) -> Markup:
    """A line of *series* (day, condition, °C), oldest first: x is the calendar from its
    first to its last day, so a day without a reading is a gap in the line; a reading with
    no neighbour on either side is drawn as a dot. One vertex or dot per reading."""
    days = [dt.date.fromisoformat(d).toordinal() for d, _c, _t in series]
    temps = [t for _d, _c, t in series]
    first, span = days[0], max(1, days[-1] - days[0])
    step = _step(max(temps) - min(temps) or 1)
    low = step * (min(temps) // step)
    high = step * -(-max(temps) // step)
    if high == low:
        high = low + step

    def x(ordinal: int) -> float:
        return LEFT + (ordinal - first) / span * PLOT_W if len(days) > 1 else LEFT + PLOT_W / 2

    def y(temp: float) -> float:
        return TOP + (high - temp) / (high - low) * PLOT_H

    body = []
    grid, labels = [], []
    value = low
    while value <= high:
        grid.append(f"M{LEFT} {_n(y(value))}h{PLOT_W}")
        text = f"{value:g}".replace("-", "−")
        labels.append(_label(LEFT - 4, y(value) + 3, text, "end"))
        value += step
    body.append(f'<path class="grid" d="{"".join(grid)}"/>')
    if low < 0 < high:
        body.append(f'<path class="zero" d="M{LEFT} {_n(y(0))}h{PLOT_W}"/>')
    line, dots = [], []
    for n, (ordinal, temp) in enumerate(zip(days, temps, strict=True)):
        joined_before = n > 0 and days[n - 1] == ordinal - 1
        joined_after = n + 1 < len(days) and days[n + 1] == ordinal + 1
        point = f"{_n(x(ordinal))} {_n(y(temp))}"
        if joined_before:
            line.append(f"L{point}")
        elif joined_after:
            line.append(f"M{point}")
        else:
            dots.append(f"M{point}h0")
    if line:
        body.append(f'<path class="line" d="{"".join(line)}"/>')
    if dots:
        body.append(f'<path class="dots" d="{"".join(dots)}"/>')
    labels.append(_label(LEFT, HEIGHT - 4, _short(series[0][0])))
    if len(days) > 1:
        labels.append(_label(WIDTH - RIGHT, HEIGHT - 4, _short(series[-1][0]), "end"))
    body.append("".join(labels))
    return _svg(f"{name} 기온", desc, body, "chart--line")


def activity_periods(months: Sequence[tuple[str, int]]) -> tuple[str, list[tuple[str, int]]]:
    """("month" or "year", every period from the first to the last, counted, zeros
    included): by month over at most three years, by year beyond."""
    first, last = months[0][0], months[-1][0]
    y0, m0, y1, m1 = int(first[:4]), int(first[5:7]), int(last[:4]), int(last[5:7])
    counts = dict(months)
    if (y1 - y0) * 12 + m1 - m0 < 36:
        periods = []
        y, m = y0, m0
        while (y, m) <= (y1, m1):
            key = f"{y:04d}-{m:02d}"
            periods.append((key, counts.get(key, 0)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return "month", periods
    years: dict[str, int] = {f"{y:04d}": 0 for y in range(y0, y1 + 1)}
    for key, count in months:
        years[key[:4]] += count
    return "year", list(years.items())


def period_label(key: str) -> str:
    return f"{int(key[:4])}년" if len(key) == 4 else f"{int(key[:4])}년 {int(key[5:7])}월"


class Chart(NamedTuple):
    svg: Markup
    label: str  # what it shows, for its caption ("월별 기사 수")


def activity_chart(name: str, months: Sequence[tuple[str, int]]) -> Chart:
    """Bars of an entity's articles per month (per year over long spans), oldest first."""
    unit, periods = activity_periods(months)
    top = max(count for _key, count in periods)
    step = _step(top, 3)
    high = step * -(-top // step)
    width = PLOT_W / len(periods)
    gap = min(2.0, width / 4)
    base = TOP + PLOT_H
    bars = []
    for n, (_key, count) in enumerate(periods):
        if count:
            h = count / high * PLOT_H
            bars.append(
                f"M{_n(LEFT + n * width + gap / 2)} {base}v-{_n(h)}h{_n(width - gap)}V{base}z"
            )
    grid = "".join(
        f"M{LEFT} {_n(base - v / high * PLOT_H)}h{PLOT_W}" for v in range(step, high + 1, step)
    )
    labels = [
        _label(LEFT - 4, base - v / high * PLOT_H + 3, str(v), "end")
        for v in range(0, high + 1, step)
    ]
    first, last = periods[0][0], periods[-1][0]
    short = (lambda k: k) if unit == "year" else (lambda k: f"{int(k[:4])}.{int(k[5:7])}")
    labels.append(_label(LEFT, HEIGHT - 4, short(first)))
    if len(periods) > 1:
        labels.append(_label(WIDTH - RIGHT, HEIGHT - 4, short(last), "end"))
    busiest = min(periods, key=lambda p: (-p[1], p[0]))
    what = "월별" if unit == "month" else "연도별"
    desc = (
        f"{what} 기사 수, {period_label(first)}부터 {period_label(last)}까지. "
        f"가장 많은 때는 {period_label(busiest[0])} {busiest[1]}건."
    )
    body = [
        f'<path class="grid" d="{grid}"/>',
        f'<path class="bars" d="{"".join(bars)}"/>',
        "".join(labels),
    ]
    return Chart(_svg(f"{name} {what} 기사 수", desc, body, "chart--bars"), f"{what} 기사 수")
