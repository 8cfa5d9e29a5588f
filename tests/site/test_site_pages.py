"""What readers see on the built fixture site (parsed HTML)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from markupsafe import escape
from sitehelpers import SEED_PATH, Built, copy_fixture

from newsarchive.build import build_site
from newsarchive.checker import check_site
from newsarchive.config import load_settings

SEED_TITLE = "LG전자 조주완 CEO, 빅테크 격전지서 AI 광폭 행보 “7억 대 제품과 7천억 시간 고객 사용 데이터로 가속화”"
COLD_PATH = "2023/12/한파-속-전력-수요-사상-최대-정부-비상-대응/index.html"
NO_WEATHER_PATH = "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"


def test_seed_article_page(dev_site: Built):
    soup = dev_site.html(SEED_PATH)
    assert soup.html["lang"] == "ko"
    assert soup.find("h1").get_text(strip=True) == SEED_TITLE
    assert soup.select_one(".article__meta time").get_text() == "2024년 6월 8일 (토)"
    assert soup.select_one(".article__section a").get_text() == "경제"
    body = soup.select_one(".article__body").get_text()
    assert "R&D 전략" in body and "MS CEO 서밋" in body
    stations = soup.select(".weather li")
    assert len(stations) == 16
    # a station reads "name condition temperature"; its icon is decorative CSS (no markup)
    assert stations[0].get_text() == "동두천 흐림 22.8℃"
    names = [s.a.get_text() for s in stations]
    assert names[:3] == ["동두천", "강릉", "서울"] and names[-1] == "거제"
    first = stations[0]
    assert first.b.get_text() == "22.8℃"
    assert first["class"] == ["o"] and first.find("svg") is None
    # each station links to its page in the weather archive, the date to the day's page
    for station in stations:
        target = (dev_site.output / SEED_PATH).parent / station.a["href"] / "index.html"
        assert target.resolve().is_file(), station.a["href"]
    assert first.a["href"] == "../../../weather/동두천/"
    meta = soup.select_one(".weather p")
    assert "기상청" in meta.get_text()
    assert urljoin("http://h/" + SEED_PATH, meta.a["href"]) == "http://h/2024/06/08/"
    assert meta.a.get_text() == "2024년 6월 8일 (토)"


def test_article_weather_false_leaves_the_weather_to_day_pages(tmp_path: Path):
    """The size lever (issue 14): no weather box on any article page, the same box on the
    day's page, and every link still resolves."""
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"article_weather": False, "search": False})
    build_site(settings)
    out = settings.output_path
    month_folders = out.glob("20[0-9][0-9]/[0-9][0-9]/*/index.html")
    articles = [p for p in month_folders if not p.parent.name.isdigit()]  # not day pages
    assert len(articles) == 11 and (out / SEED_PATH) in articles
    for page in articles:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert soup.select(".weather") == [] and soup.select(".layout--sidebar") == [], page
    day = BeautifulSoup((out / "2024/06/08/index.html").read_text(encoding="utf-8"), "html.parser")
    stations = day.select(".weather li")
    assert len(stations) == 16 and stations[0].get_text() == "동두천 흐림 22.8℃"
    assert check_site(out).broken == []


def test_seed_chips_link_to_canonical_entity_pages(dev_site: Built):
    soup = dev_site.html(SEED_PATH)
    chips = {a.contents[0].strip(): a["href"] for a in soup.select(".chips a.chip")}
    for person in ("조주완", "박형세", "은석현", "김병훈", "김원범", "이석우", "한은정"):
        assert person in chips
    assert chips["조주완"].endswith("/people/cho-joo-wan/")
    # MS in the front matter resolves to the registry's canonical 마이크로소프트
    assert chips["마이크로소프트"].endswith("/companies/microsoft/")
    assert "MS" not in chips
    assert chips["인공지능"].endswith("/topics/ai/")
    role = soup.select_one('.chips a[href$="/people/박형세/"] .chip__role').get_text()
    assert role == "HE사업본부장(사장)"
    for href in chips.values():
        target = (dev_site.output / SEED_PATH).parent / href / "index.html"
        assert target.resolve().is_file(), href


def test_related_and_neighbours(dev_site: Built):
    soup = dev_site.html(SEED_PATH)
    related = [a.get_text() for a in soup.select(".related .article-list :is(h2, h3, h4) > a")]
    assert 1 <= len(related) <= 5
    # 대학가… shares 한은정, 뉴욕대학교, LG전자, 인공지능 and 채용: the most of any article
    assert related[0] == "대학가 AI 인재 양성 경쟁 치열"
    assert "항아 축제 개막" not in related
    # related articles: title, then date and section; no summary
    assert [len(li.find_all("p")) for li in soup.select(".related li")] == [1] * len(related)
    prev_link = soup.select_one(".neighbours [rel=prev]").get_text()
    next_link = soup.select_one(".neighbours [rel=next]").get_text()
    assert "서울시, 여름철 폭염 대책 발표" in prev_link
    assert "Apple, WWDC에서 AI 기능 공개" in next_link


def test_negative_temperatures_and_missing_weather(dev_site: Built):
    cold = dev_site.html(COLD_PATH)
    stations = cold.select(".weather li")
    temps = [s.b.get_text() for s in stations]
    assert temps[0] == "−8.5℃" and "0.0℃" in temps
    # below zero: the icon's letter in capitals (style.css draws the temperature in blue)
    assert sum(s["class"][0].isupper() for s in stations) == 13
    assert all(
        s["class"][0].isupper() == t.startswith("−") for s, t in zip(stations, temps, strict=True)
    )
    assert stations[9].get_text() == f"{stations[9].a.get_text()} 정보 없음 {temps[9]}"
    plain = dev_site.html(NO_WEATHER_PATH)
    assert plain.select(".weather") == []
    assert "layout--sidebar" not in plain.select_one(".layout")["class"]


def test_home_shows_latest_articles_and_latest_weather(dev_site: Built):
    soup = dev_site.html("index.html")
    titles = [a.get_text() for a in soup.select(".article-list :is(h2, h3, h4) > a")]
    assert titles[0] == "항아 축제 개막"  # newest first
    items = soup.select(".article-list li")
    assert items[0].find_all("p")[1].get_text() == "항아 축제가 열렸다."  # its summary
    assert len(titles) == 4  # PER_PAGE
    assert soup.select_one(".weather p a")["href"] == "2024/06/08/"
    # no numbered pages: older articles are browsed by date (stable pages, see
    # docs/architecture.md), from the archives
    assert soup.select(".pagination") == [] and not (dev_site.output / "page").exists()
    assert soup.select_one(".more-link a")["href"] == "archives/"


def test_section_and_archive_pages(dev_site: Built):
    section = dev_site.html("sections/경제/index.html")
    assert section.find("h1").contents[0].strip() == "경제"
    economy = [a.get_text() for a in section.select(".article-list :is(h2, h3, h4) > a")]
    assert economy[0] == SEED_TITLE and len(economy) == 4
    months = {a.get_text(): a["href"] for a in section.select(".archive-index .month-list a")}
    assert months["6월"] == "2024/06/"  # relative to the section's page
    june = dev_site.html("sections/경제/2024/06/index.html")
    assert [a.get_text() for a in june.select(".article-list :is(h2, h3, h4) > a")] == [SEED_TITLE]
    assert june.select_one(".breadcrumb a").get_text() == "경제"
    year = dev_site.html("2023/index.html")
    assert year.find("h1").contents[0].strip() == "2023년"
    assert [a.get_text() for a in year.select(".month-list a")] == ["12월", "9월", "5월"]
    assert year.select(".article-list") == []  # a year lists its months
    month = dev_site.html("2023/09/index.html")
    assert {a.get_text() for a in month.select(".article-list :is(h2, h3, h4) > a")} == {
        "대학가 AI 인재 양성 경쟁 치열",
        "엘지전자 전장 사업 수주 잔고 100조 돌파",
    }
    archives = dev_site.html("archives/index.html")
    assert [h.a.get_text() for h in archives.select(".archive-year h2")] == ["2024년", "2023년"]


def test_entity_indexes_grouped_by_initial_consonant(dev_site: Built):
    people = dev_site.html("people/index.html")
    initials = [h.get_text() for h in people.select(".initial-group h2")]
    # Hangul initials in ㄱㄴㄷ order, then A–Z, then others
    assert initials == ["ㄱ", "ㅂ", "ㅅ", "ㅇ", "ㅈ", "ㅎ", "T", "기타"]
    jo = people.select_one('.index-list a[href$="cho-joo-wan/"]')
    assert jo.get_text() == "조주완"
    assert jo.find_next_sibling("span").get_text() == "3건"
    companies = dev_site.html("companies/index.html")
    assert [h.get_text() for h in companies.select(".initial-group h2")][-3:] == ["A", "L", "기타"]


def test_entity_page_profile_timeline_and_feed(dev_site: Built):
    soup = dev_site.html("people/cho-joo-wan/index.html")
    assert soup.find("h1").contents[0].strip() == "조주완"
    assert soup.select_one(".profile__description").get_text() == "LG전자 최고경영자"
    roles = [li.get_text(" ", strip=True) for li in soup.select(".profile__roles li")]
    assert roles[1].startswith("CEO · LG전자") and "2021년 12월" in roles[1]
    assert "Cho Joo-wan" in soup.select_one(".profile__aliases").get_text()
    assert soup.select_one(".profile__links a")["href"] == "https://www.lgnewsroom.com/"
    latest = [a.get_text() for a in soup.select(".timeline .article-list :is(h2, h3, h4) > a")]
    assert latest[0] == SEED_TITLE and len(latest) == 3  # all of them: no pages by year
    assert soup.select(".timeline .month-list") == []
    # an entity with more articles than a page holds lists the newest and links its years
    ai = dev_site.html("topics/ai/index.html")
    years = {a.get_text(): a["href"] for a in ai.select(".timeline .month-list a")}
    assert list(years) == ["2024년", "2023년"] and years["2023년"] == "2023/"
    y2023 = dev_site.html("topics/ai/2023/index.html")
    assert y2023.select_one(".breadcrumb a:last-child").get_text() == "인공지능"
    assert len(y2023.select(".article-list li")) >= 1
    seen_with = [a.contents[0].strip() for a in soup.select(".seen-with a")]
    assert seen_with[0] == "LG전자"  # in all three of his articles
    feed = soup.find("link", type="application/atom+xml", title="조주완 관련 기사")["href"]
    assert (dev_site.output / "people/cho-joo-wan" / feed).resolve().is_file()


def test_entity_slugs_never_collide(dev_site: Built):
    # 한가 is both a person and a company (different kinds: same slug is fine); the
    # registry's LG전자 (slug lg-electronics) and the alias 엘지전자 share one page.
    assert (dev_site.output / "people/한가/index.html").is_file()
    assert (dev_site.output / "companies/한가/index.html").is_file()
    lg = dev_site.html("companies/lg-electronics/2023/index.html")
    titles = {a.get_text() for a in lg.select(".article-list :is(h2, h3, h4) > a")}
    assert "엘지전자 전장 사업 수주 잔고 100조 돌파" in titles
    assert all(len(li.find_all("p")) == 1 for li in lg.select(".article-list li"))  # no summaries
    assert not (dev_site.output / "companies/엘지전자").exists()


def test_an_entity_page_lists_every_article_that_fits_before_pages_by_year(tmp_path: Path):
    """Issue 14: an entity's articles fit on its own page up to entity_articles_per_page
    (titles only), not a listing's page of summaries: a person with a few articles more
    than a listing page holds gets no page per year, each with the whole site's chrome."""
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"articles_per_page": 2, "search": False})
    build_site(settings)
    out = settings.output_path
    ai = BeautifulSoup((out / "topics/ai/index.html").read_text(encoding="utf-8"), "html.parser")
    count = int(ai.select_one(".page-title__count").get_text().removesuffix("건"))
    listed = ai.select(".timeline .article-list li")
    assert count > 2 and len(listed) == count  # more than a listing page, all on its page
    assert ai.select(".timeline .month-list") == []
    assert not any(p.is_dir() for p in (out / "topics/ai").iterdir())  # no pages by year
    assert not list(out.glob("*/*/[0-9][0-9][0-9][0-9]/index.html"))
    # past the setting, its years have pages again, each of as many articles
    settings = load_settings(
        root, overrides={"articles_per_page": 2, "entity_articles_per_page": 2, "search": False}
    )
    build_site(settings)
    assert (out / "topics/ai/2023/index.html").is_file()


def test_seo_metadata(pub_site: Built):
    soup = pub_site.html(SEED_PATH)
    url = soup.find("link", rel="canonical")["href"]
    assert url.startswith("https://example.github.io/REPO/2024/06/")
    assert soup.find("meta", property="og:url")["content"] == url
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="og:title")["content"] == SEED_TITLE
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == SEED_TITLE
    assert data["datePublished"] == "2024-06-08"
    assert data["articleSection"] == "경제"


def test_the_head_says_each_thing_once(pub_site: Built):
    """Issue 14: the summary, the URL and the date are said once in an article's head, not
    repeated by Open Graph, article:* tags and the JSON-LD; pages whose Open Graph would be
    its defaults (og:type "website", the <title>, the page's URL) carry none."""
    raw = (pub_site.output / SEED_PATH).read_text(encoding="utf-8")
    head = raw.split("</head>")[0]
    soup = pub_site.html(SEED_PATH)
    summary = soup.find("meta", attrs={"name": "description"})["content"]
    assert len(summary) > 20
    assert head.count(str(escape(summary))) == 1
    # the first paragraph, shortened to what search engines show (the listings show more)
    first = soup.select_one(".article__body p").get_text()
    assert len(first) > 101 and len(summary) <= 101 and summary.endswith("…")
    assert first.startswith(summary.removesuffix("…"))
    # a section's feed is announced on its section's page, the site's on every page
    feeds = [link["href"] for link in soup.find_all("link", type="application/atom+xml")]
    assert [href.rsplit("/", 1)[1] for href in feeds] == ["all.atom.xml"]
    section = pub_site.html("sections/경제/index.html")
    assert section.find("link", type="application/atom+xml", href=re.compile("sections/"))
    url = soup.find("link", rel="canonical")["href"]
    assert head.count(url) == 2  # canonical and og:url
    assert soup.find("meta", property="og:description") is None
    assert soup.find("meta", property=re.compile("^article:")) is None
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert set(data) == {
        "@context",
        "@type",
        "headline",
        "datePublished",
        "articleSection",
        "author",
        "publisher",
    }
    for listing in ("index.html", "2024/06/index.html", "people/cho-joo-wan/index.html"):
        page = pub_site.html(listing)
        assert page.find("meta", property="og:site_name") is not None
        assert page.find("meta", property=re.compile("^og:(type|title|url)$")) is None, listing


def test_about_page(dev_site: Built):
    soup = dev_site.html("about/index.html")
    assert soup.find("h1").get_text() == "이 아카이브에 대하여"
    assert soup.select_one(".article__body strong").get_text() == "아카이브"


def test_weather_icons_and_the_site_icon_come_from_the_theme(dev_site: Built):
    # Every icon class a page uses is drawn by the stylesheet, from a sprite that exists.
    css = (dev_site.output / "theme/css/style.css").read_text(encoding="utf-8")
    assert "url(../img/weather.svg)" in css
    assert (dev_site.output / "theme/img/weather.svg").is_file()
    used = set()
    for page in dev_site.pages():
        soup = dev_site.html(page.relative_to(dev_site.output).as_posix())
        used |= {c for li in soup.select(".weather li") for c in li["class"]}
        # The icon is declared under the site's own path: no request for /favicon.ico.
        icon = soup.find("link", rel="icon")
        assert icon is not None, page
        href = icon["href"]  # 404.html is served at any depth: its links start at the root
        target = dev_site.output / href[1:] if href.startswith("/") else page.parent / href
        assert target.resolve().is_file(), (page, href)
    assert {"o", "c", "u"} <= used
    for name in used:  # each drawn by a rule of its own (a one-letter class: not a prefix)
        assert re.search(rf"\.weather[^{{]*\.{name}(?=[,):])", css), name
