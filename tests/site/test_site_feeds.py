"""Atom feeds and the sitemap parse and point at absolute URLs in publish builds."""

from __future__ import annotations

import gzip
import re
import xml.etree.ElementTree as ET

from sitehelpers import BASE_URL, Built, copy_fixture

from newsarchive.build import build_site
from newsarchive.checker import check_site
from newsarchive.config import load_settings

ATOM = "{http://www.w3.org/2005/Atom}"


def test_all_feeds_parse_with_absolute_links(pub_site: Built):
    feeds = sorted(pub_site.output.rglob("*.atom.xml"))
    names = {f.relative_to(pub_site.output).as_posix() for f in feeds}
    assert "feeds/all.atom.xml" in names
    assert "feeds/sections/경제.atom.xml" in names
    assert "feeds/people/cho-joo-wan.atom.xml" in names
    assert "feeds/companies/microsoft.atom.xml" in names
    assert "feeds/topics/ai.atom.xml" in names
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{ATOM}feed"
        entries = list(root.iter(f"{ATOM}entry"))
        assert entries, feed
        for link in root.iter(f"{ATOM}link"):
            assert link.get("href").startswith(BASE_URL + "/"), (feed, link.get("href"))
        # updated comes from the content, never from the clock
        newest = max(e.findtext(f"{ATOM}published") for e in entries)
        assert root.findtext(f"{ATOM}updated") == newest


def test_site_feed_lists_newest_first(pub_site: Built):
    root = ET.parse(pub_site.output / "feeds/all.atom.xml").getroot()
    entries = list(root.iter(f"{ATOM}entry"))
    assert len(entries) == 11
    assert entries[0].findtext(f"{ATOM}title") == "항아 축제 개막"


def test_entity_feed_holds_its_articles(pub_site: Built):
    root = ET.parse(pub_site.output / "feeds/companies/microsoft.atom.xml").getroot()
    titles = {e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")}
    # front matter says MS, Microsoft and 마이크로소프트 in different articles: one entity
    assert {
        "마이크로소프트, 국내 AI 데이터센터 투자 발표",
        "Apple, WWDC에서 AI 기능 공개",
    } <= titles
    assert len(titles) == 3


def test_sitemap_lists_every_kind_of_page(pub_site: Built):
    """sitemap.xml indexes the sitemaps in sitemaps/ (search engines read 50,000 URLs from
    one file at most); together they list every page once, with absolute ASCII URLs."""
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(pub_site.output / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    children = [loc.text for loc in index.iter(f"{ns}loc")]
    assert BASE_URL + "/sitemaps/pages.xml.gz" in children
    assert BASE_URL + "/sitemaps/articles-2024.xml.gz" in children
    locs = []
    for child in children:
        assert child.startswith(BASE_URL + "/sitemaps/") and child.endswith(".xml.gz")
        with gzip.open(pub_site.output / child.removeprefix(BASE_URL + "/")) as stream:
            tree = ET.parse(stream).getroot()
        assert tree.tag == f"{ns}urlset"
        locs += [loc.text for loc in tree.iter(f"{ns}loc")]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(BASE_URL + "/") and loc.isascii() for loc in locs)
    for expected in (
        "/",
        "/2023/",
        "/2023/09/",
        "/people/",
        "/people/cho-joo-wan/",
        "/sections/%EA%B2%BD%EC%A0%9C/",
        "/about/",
        "/2024/06/08/",
        "/on-this-day/",
        "/on-this-day/02-29/",
        "/weather/",
        "/weather/%EC%84%9C%EC%9A%B8/",
    ):
        assert BASE_URL + expected in locs, expected
    article_url = re.compile(re.escape(BASE_URL) + r"/\d{4}/\d{2}/[^/]+/")
    day_url = re.compile(re.escape(BASE_URL) + r"/\d{4}/\d{2}/\d{2}/")
    articles = [
        loc
        for loc in locs
        if article_url.fullmatch(loc) and "/page/" not in loc and not day_url.fullmatch(loc)
    ]
    assert len(articles) == 11


def test_without_entity_feeds_no_page_links_to_one(tmp_path):
    """The default (issue 14): no entity feeds, and no page announces one."""
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    build_site(settings)
    output = settings.output_path
    assert sorted(p.name for p in (output / "feeds").iterdir()) == ["all.atom.xml", "sections"]
    person = (output / "people" / "cho-joo-wan" / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" in person  # the site-wide feed is still announced
    main = person.split("<main")[1].split("</main>")[0]
    assert "feeds/people/" not in person and "Atom 피드" not in main
    report = check_site(output)
    assert report.broken == []
