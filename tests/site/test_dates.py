"""The archive by date on the built fixture site and on a generated archive: day pages and
their calendar, on this day, the weather archive and its charts, activity charts."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from sitehelpers import FIXTURE_SITE, SEED_PATH, Built

from engine.sites import generated_site
from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.render.charts import activity_chart, temperature_chart
from newsarchive.site.days import CALENDAR_DAYS
from testtools import require_tool

SEED_DAY = "2024/06/08/index.html"

SITE = "http://site.example/"  # a base to resolve links against


def front_matter(content: Path) -> list[dict]:
    """Every article's front matter (published ones: the fixture has no draft)."""
    found = []
    for path in sorted((content / "articles").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        meta["date"] = str(meta["date"])
        if meta.get("weather"):
            meta["weather"]["observed"] = str(meta["weather"]["observed"])
        found.append(meta)
    return found


def points(svg) -> list[tuple[float, float]]:
    """The chart's readings: every vertex of its line and every dot, left to right."""
    found = []
    for path in svg.select("path.line, path.dots"):
        for x, y in re.findall(r"[ML](-?[\d.]+) (-?[\d.]+)", path["d"]):
            found.append((float(x), float(y)))
    return sorted(found)


def celsius(value: float) -> str:
    return f"{value:.1f}℃".replace("-", "−")


def cell_count(link) -> int:
    """The articles a calendar day's link says it has ("8" + "일, 기사 " + "2" + "건")."""
    return int(re.search(r"(\d+)\s*건", link.span.get_text()).group(1))


def resolves(page: Path, href: str) -> bool:
    return (page.parent / href / "index.html").resolve().is_file()


# --------------------------------------------------------------------- day pages
def test_the_seed_day_lists_its_article_and_its_16_stations(dev_site: Built):
    soup = dev_site.html(SEED_DAY)
    assert soup.h1.time["datetime"] == "2024-06-08"
    assert soup.h1.get_text(" ", strip=True) == "2024년 6월 8일 (토) 1건"
    links = [urljoin(SITE + SEED_DAY, a["href"]) for a in soup.select("main .article-list a")]
    assert links == [SITE + SEED_PATH.removesuffix("index.html")]
    stations = soup.select(".weather li")
    assert len(stations) == 16
    assert [s.a.get_text() for s in stations][:3] == ["동두천", "강릉", "서울"]
    page = dev_site.output / SEED_DAY
    assert all(resolves(page, s.a["href"]) for s in stations)
    # the days before and after that have articles, and the same day in other years
    nav = {a["class"][0]: urljoin(SITE + SEED_DAY, a["href"]) for a in soup.select(".neighbours a")}
    assert nav == {
        "neighbours__prev": SITE + "2024/06/03/",
        "neighbours__next": SITE + "2024/06/11/",
    }
    assert resolves(page, soup.select_one(".more-link a")["href"])


def test_every_article_has_its_day_page_and_nothing_else_does(dev_site: Built):
    days = Counter(m["date"] for m in front_matter(FIXTURE_SITE / "content"))
    found = {
        p.parent.relative_to(dev_site.output).as_posix().replace("/", "-")
        for p in dev_site.output.glob("[0-9]*/[0-9]*/[0-9]*/index.html")
    }
    assert found == set(days)
    for day, count in days.items():
        soup = dev_site.html(day.replace("-", "/") + "/index.html")
        assert len(soup.select("main .article-list li")) == count


def test_month_calendars_count_the_articles_of_each_day(dev_site: Built):
    days = Counter(m["date"] for m in front_matter(FIXTURE_SITE / "content"))
    months = {d[:7] for d in days}
    for month in months:
        rel = month.replace("-", "/") + "/index.html"
        soup = dev_site.html(rel)
        table = soup.select_one("table.calendar")
        assert table.caption.get_text() == f"{int(month[:4])}년 {int(month[5:])}월 날짜별 기사"
        headers = [th.get_text() for th in table.select("thead th")]
        assert headers == list("월화수목금토일")
        first = dt.date.fromisoformat(month + "-01")
        cells = table.select("tbody td")
        assert all(not c.get_text() for c in cells[: first.weekday()])  # Monday first
        shown = {}
        for cell in cells:
            if cell.a:
                day = int(cell.a.contents[0])
                shown[f"{month}-{day:02d}"] = cell_count(cell.a)
                assert resolves(dev_site.output / rel, cell.a["href"])
        assert shown == {d: n for d, n in days.items() if d.startswith(month)}
        total = int(soup.select_one(".page-title__count").get_text()[:-1])
        assert sum(shown.values()) == total


# ------------------------------------------------------------------- on this day
def test_on_this_day_has_every_calendar_day_and_lists_each_years_articles(dev_site: Built):
    articles = front_matter(FIXTURE_SITE / "content")
    assert len(CALENDAR_DAYS) == 366 and "02-29" in CALENDAR_DAYS
    for month_day in CALENDAR_DAYS:
        assert (dev_site.output / f"on-this-day/{month_day}/index.html").is_file()
    index = dev_site.html("on-this-day/index.html")
    assert len(index.select(".otd-days li")) == 366
    by_day = defaultdict(list)
    for meta in articles:
        by_day[meta["date"][5:]].append(meta)
    for month_day in ("06-08", "02-29", "12-21", "01-01"):
        soup = dev_site.html(f"on-this-day/{month_day}/index.html")
        years = [int(h.contents[0].strip()[:-1]) for h in soup.select("main h2")]
        expected = sorted({int(m["date"][:4]) for m in by_day[month_day]}, reverse=True)
        assert years == expected
        titles = sorted(a.get_text() for a in soup.select("main .article-list h3 a"))
        assert titles == sorted(m["title"] for m in by_day[month_day])
        if not expected:
            assert "기사가 없습니다" in soup.select_one("main").get_text()
    assert len(dev_site.html("on-this-day/06-08/index.html").select("main .article-list li")) == 1


def test_the_home_page_links_to_on_this_day_without_and_with_script(dev_site: Built):
    soup = dev_site.html("index.html")
    link = soup.select_one("a[data-otd]")
    assert link["href"] == "on-this-day/"  # the script appends the reader's MM-DD/
    script = soup.find("script", src="theme/js/on-this-day.js")
    assert script is not None and script.has_attr("defer")
    # only the home page loads it
    assert "on-this-day.js" not in (dev_site.output / SEED_PATH).read_text(encoding="utf-8")
    node = shutil.which("node")
    require_tool(node is not None, "node is not installed (make test-deps)")
    js = (dev_site.output / "theme/js/on-this-day.js").read_text(encoding="utf-8")
    results = {}
    for month, day in ((6, 8), (2, 29), (12, 31)):
        code = (
            "const link = {attrs: {href: 'on-this-day/'}, href: '', textContent: ''};"
            "link.getAttribute = (n) => link.attrs[n];"
            "globalThis.document = {querySelector: () => link};"
            f"const Real = Date; globalThis.Date = class extends Real {{"
            f" constructor() {{ super(2024, {month - 1}, {day}, 12); }} }};"
            + js
            + "console.log(JSON.stringify([link.href, link.textContent]));"
        )
        out = subprocess.run([node, "-e", code], capture_output=True, encoding="utf-8", check=True)
        results[(month, day)] = json.loads(out.stdout)
    assert results[(6, 8)] == ["on-this-day/06-08/", "오늘의 과거 (6월 8일)"]
    assert results[(2, 29)][0] == "on-this-day/02-29/"
    assert results[(12, 31)][0] == "on-this-day/12-31/"


# ------------------------------------------------------------------------ weather
def test_the_seoul_chart_has_one_point_per_dated_weather_box(dev_site: Built):
    readings = {}
    for meta in front_matter(FIXTURE_SITE / "content"):
        for station in (meta.get("weather") or {}).get("stations", []):
            if station["name"] == "서울":
                readings[meta["date"]] = station["temp_c"]
    assert len(readings) == 5
    soup = dev_site.html("weather/서울/index.html")
    svg = soup.select_one("svg.chart")
    assert svg["role"] == "img" and svg.title.get_text() == "서울 기온" and svg.desc.get_text()
    found = points(svg)
    assert len(found) == len(readings)
    # x follows the calendar; y the temperature (higher is warmer: smaller y)
    days = sorted(readings)
    ordinals = [dt.date.fromisoformat(d).toordinal() for d in days]
    xs = [x for x, _y in found]
    span = ordinals[-1] - ordinals[0]
    for x, ordinal in zip(xs, ordinals, strict=True):
        assert abs((x - xs[0]) / (xs[-1] - xs[0]) - (ordinal - ordinals[0]) / span) < 0.01
    ys = {day: y for day, (_x, y) in zip(days, found, strict=True)}
    for a in days:
        for b in days:
            if readings[a] > readings[b]:
                assert ys[a] < ys[b]
    # the table is the chart's text alternative: each month's days, lowest and highest
    by_month = defaultdict(list)
    for day in sorted(readings, reverse=True):
        by_month[day[:7]].append(readings[day])
    rows = soup.select("table.data-table tbody tr")
    assert [r.th.a["href"] for r in rows] == [f"../../{m[:4]}/{m[5:]}/" for m in by_month]
    for row, temps in zip(rows, by_month.values(), strict=True):
        cells = [td.get_text() for td in row.select("td")]
        assert cells == [f"{len(temps)}일", celsius(min(temps)), celsius(max(temps))]
    # the null condition of 2024-06-08 is counted, not dropped
    assert "정보 없음 1일" in soup.select_one(".conditions").get_text(" ", strip=True)
    facts = soup.select(".station-facts dd")
    assert "29.5℃" in facts[0].get_text() and facts[0].a["href"] == "../../2024/06/03/"
    assert "−6.1℃" in facts[1].get_text() and facts[1].a["href"] == "../../2023/12/21/"
    assert soup.select_one(".zero") is not None  # below zero and above: the 0℃ line


def test_the_weather_index_lists_every_station(dev_site: Built):
    names = set()
    for meta in front_matter(FIXTURE_SITE / "content"):
        names |= {s["name"] for s in (meta.get("weather") or {}).get("stations", [])}
    soup = dev_site.html("weather/index.html")
    rows = soup.select("table tbody tr")
    assert {r.th.get_text() for r in rows} == names
    for row in rows:
        assert resolves(dev_site.output / "weather/index.html", row.th.a["href"])


# ----------------------------------------------------------------------- activity
def test_entity_pages_chart_their_articles_per_month(dev_site: Built):
    soup = dev_site.html("people/cho-joo-wan/index.html")
    svg = soup.select_one("figure.activity svg.chart")
    assert svg is not None and "조주완" in svg.title.get_text() and svg.desc.get_text()
    assert soup.select_one("figure.activity figcaption").get_text() == "월별 기사 수"
    # above the timeline
    assert soup.select_one("figure.activity").find_next("section")["class"] == ["timeline"]
    count = int(soup.select_one(".page-title__count").get_text()[:-1])
    bars = re.findall(r"M[\d.]+ [\d.]+v-([\d.]+)", svg.select_one("path.bars")["d"])
    assert 1 <= len(bars) <= count


def test_charts_escape_names_and_format_numbers_alike():
    hostile = '<script>alert("x")</script>'
    series = [("2024-01-01", None, -12.25), ("2024-01-02", "비", 3.0), ("2024-03-01", "눈", 0.0)]
    svg = str(temperature_chart(hostile, series, hostile))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg == str(temperature_chart(hostile, series, hostile))
    soup = BeautifulSoup(svg, "html.parser")
    assert len(points(soup)) == 3
    assert soup.select_one("path.line")["d"].count("L") == 1  # two days joined
    assert soup.select_one("path.dots")["d"].count("M") == 1  # one on its own
    assert "−15" in svg  # axis labels with a real minus sign
    bars = activity_chart(hostile, [("2020-01", 3), ("2024-06", 1)])
    assert "<script>" not in str(bars.svg) and bars.label == "연도별 기사 수"  # over 3 years
    assert activity_chart("x", [("2024-01", 1), ("2024-06", 2)]).label == "월별 기사 수"


# -------------------------------------------------------------- a generated archive
@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generated_site(tmp_path_factory.mktemp("dates") / "site", 400, seed=16)
    build_site(load_settings(root))
    return root


def test_a_generated_archive_by_date(generated: Path):
    output = generated / "output"
    articles = front_matter(generated / "content")
    by_md = defaultdict(list)
    for meta in articles:
        by_md[meta["date"][5:]].append(meta)
    busiest = max(by_md, key=lambda md: len({m["date"][:4] for m in by_md[md]}))
    for month_day in (busiest, "06-08"):
        soup = BeautifulSoup(
            (output / f"on-this-day/{month_day}/index.html").read_bytes(), "html.parser"
        )
        years = [int(h.contents[0].strip()[:-1]) for h in soup.select("main h2")]
        assert years == sorted({int(m["date"][:4]) for m in by_md[month_day]}, reverse=True)
        assert len(soup.select("main .article-list li")) == len(by_md[month_day])
    assert len({m["date"][:4] for m in by_md[busiest]}) >= 2
    # 서울: one point per day that has a weather box (the day's newest article's reading)
    days = defaultdict(list)
    for meta in articles:
        if meta.get("weather"):
            days[meta["date"]].append(meta)
    soup = BeautifulSoup((output / "weather/서울/index.html").read_bytes(), "html.parser")
    assert len(points(soup.select_one("svg.chart"))) == len(days)
    for day, metas in days.items():  # each day's page shows the reading the rule chose
        newest = min(metas, key=lambda m: m["slug"])  # the archive's order within a day
        (temp,) = [s["temp_c"] for s in newest["weather"]["stations"] if s["name"] == "서울"]
        page = output / day.replace("-", "/") / "index.html"
        shown = BeautifulSoup(page.read_bytes(), "html.parser").select(".weather li")
        assert {li.a.get_text(): li.b.get_text() for li in shown}["서울"] == celsius(temp), day
    # calendar counts equal the articles
    per_day = Counter(m["date"] for m in articles)
    for month_page in output.glob("[0-9]*/[0-9]*/index.html"):
        soup = BeautifulSoup(month_page.read_bytes(), "html.parser")
        month = month_page.parent.relative_to(output).as_posix().replace("/", "-")
        for cell in soup.select("table.calendar a"):
            day = f"{month}-{int(cell.contents[0]):02d}"
            assert cell_count(cell) == per_day[day]
    later = list(output.glob("[0-9]*/[0-9]*/page/2/index.html"))
    assert later  # a month's later pages list articles only
    assert all(
        not BeautifulSoup(p.read_bytes(), "html.parser").select("table.calendar") for p in later
    )


def test_the_weather_box_is_no_larger_with_its_links(dev_site: Built, pub_site: Built):
    """17 links, yet no more bytes than the box had without them (1,529 on the seed)."""
    scripts = Path(__file__).resolve().parents[2] / "scripts"
    done = {}
    for name, built in (("dev", dev_site), ("publish", pub_site)):
        run = subprocess.run(
            [
                sys.executable,
                str(scripts / "page_weight.py"),
                str(built.output),
                "--page",
                SEED_PATH,
            ],
            capture_output=True,
            encoding="utf-8",
            check=True,
        )
        parts = dict(line.rsplit(None, 1) for line in run.stdout.splitlines()[1:])
        done[name] = int(parts["  weather"])
        soup = built.html(SEED_PATH)
        assert len(soup.select(".weather a")) == 17
    assert done["dev"] <= 1529 and done["publish"] <= 1529, done


def test_the_weather_box_links_hold_under_a_site_path_with_a_space(tmp_path: Path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    settings = load_settings(root, overrides={"search": False})
    build_site(settings, publish=True, site_url="https://example.org/my news")
    soup = BeautifulSoup((root / "output" / SEED_PATH).read_bytes(), "html.parser")
    links = [a["href"] for a in soup.select(".weather a")]
    page = "https://example.org/my%20news/" + SEED_PATH
    resolved = [urljoin(page, link) for link in links]
    assert resolved[0] == "https://example.org/my%20news/2024/06/08/"
    assert resolved[1] == "https://example.org/my%20news/weather/동두천/"
    assert len(links) == 17 and all(" " not in link for link in links)
