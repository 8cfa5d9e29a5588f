"""Hostile text from a dump is shown as text only: no markup, script or template runs."""

from __future__ import annotations

import json
import re

from sitehelpers import FIXTURE_SITE, Built

HOSTILE = "2024/02/hostile-article/index.html"
HOSTILE_TITLE = '<script>alert("x")</script> {{ 7*7 }} {% if true %}해킹{% endif %} <img src=x onerror=alert(1)>'


# The theme's own scripts (the header search box; the home page's link to on this day):
# fixed files, never page content.
THEME_SCRIPTS = ("theme/js/search-box.js", "theme/js/on-this-day.js")


def _assert_inert(built: Built, relative: str) -> None:
    soup = built.html(relative)
    for script in soup.find_all("script"):
        if script.get("src", "").endswith(THEME_SCRIPTS):
            assert script.get("type") == "module" or script.has_attr("defer"), script
            assert not script.get_text(), script
            continue
        assert script.get("type") == "application/ld+json", script
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            assert not attr.lower().startswith("on"), (tag.name, attr)
            if attr in ("href", "src", "action"):
                assert (
                    not str(value).strip().lower().startswith(("javascript:", "data:", "vbscript:"))
                )
    assert soup.find("img") is None and soup.find("iframe") is None


# A start tag, and its attributes in order (a quoted value is taken whole, so text inside
# it that looks like an attribute is not one).
_START_TAG = re.compile(r"<[a-zA-Z][^\s/>]*([^<>]*)>")
_ATTRIBUTE = re.compile(r"""\s([^\s"'>/=]+)(?:=("[^"]*"|'[^']*'|[^\s>]*))?""")


def test_unquoted_attribute_values_cannot_change_the_markup(dev_site: Built, pub_site: Built):
    """The theme leaves plain attribute values unquoted (links among them): none may hold a
    character that would end the value or start another attribute or a reference, whatever
    the dumps, the registry or the site's URL hold."""
    unquoted = 0
    for built in (dev_site, pub_site):
        for page in built.pages():
            # the article text and JSON-LD hold no "<" of their own (escaped): tags only
            for tag in _START_TAG.finditer(page.read_text(encoding="utf-8")):
                for name, value in _ATTRIBUTE.findall(tag.group(1)):
                    if value[:1] in ('"', "'"):
                        continue
                    unquoted += bool(value)
                    assert not set(value) & set("\"'=<>`&"), (page, name, tag.group(0))
    assert unquoted > 10_000  # the theme's links, classes and ids are checked, not skipped


def test_hostile_article_is_text_only(dev_site: Built, pub_site: Built):
    for built in (dev_site, pub_site):
        _assert_inert(built, HOSTILE)
    soup = dev_site.html(HOSTILE)
    assert soup.find("h1").get_text() == HOSTILE_TITLE  # template syntax shown literally
    assert HOSTILE_TITLE in soup.title.get_text()
    body = soup.select_one(".article__body")
    text = body.get_text()
    assert '<script>alert("body")</script>' in text
    assert '<img src="x" onerror="alert(2)">' in text
    assert "[눌러보세요](javascript:alert(3))" in text
    assert '{{ SITEURL }} {% include "base.html" %} {# 주석 #}' in text
    links = [a["href"] for a in body.find_all("a")]
    assert links == ["https://example.com/ok", "https://example.com/"]
    chips = [a.get_text() for a in soup.select(".chips a.chip")]
    assert chips == ["<b>굵은이름</b>", "{{ 회사 }}", "<script>태그</script>"]


def test_hostile_text_is_inert_on_every_listing(dev_site: Built):
    for relative in (
        "index.html",
        "2024/02/index.html",
        "sections/사회/index.html",
        "topics/script-태그-script/index.html",
        "companies/index.html",
    ):
        _assert_inert(dev_site, relative)


def test_json_ld_cannot_close_its_script(pub_site: Built):
    raw = (pub_site.output / HOSTILE).read_text(encoding="utf-8")
    start = raw.index("<script type=application/ld+json>") + len(
        "<script type=application/ld+json>"
    )
    payload = raw[start : raw.index("</script>", start)]
    assert "<" not in payload and ">" not in payload and "&" not in payload
    assert "\\u003c/script\\u003e" in payload
    assert json.loads(payload)["headline"] == HOSTILE_TITLE


def test_hostile_title_in_feeds_is_escaped_text(pub_site: Built):
    """The headline arrives in every feed as the text it is, all of it (issue 15: feeds
    used to strip whatever looked like a tag, dropping words), escaped in the XML."""
    import xml.etree.ElementTree as ET

    import yaml

    source = FIXTURE_SITE / "content/articles/2024/hostile-article.md"
    headline = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])["title"]
    ns = "{http://www.w3.org/2005/Atom}"
    for name in ("feeds/all.atom.xml", "feeds/sections/사회.atom.xml"):
        raw = (pub_site.output / name).read_text(encoding="utf-8")
        assert "<script" not in raw and "<img" not in raw  # only ever escaped
        feed = ET.fromstring(raw)
        titles = [e.findtext(f"{ns}title") for e in feed.iter(f"{ns}entry")]
        assert headline in titles, name
        for entry in feed.iter(f"{ns}entry"):
            for tag in ("summary", "content"):
                element = entry.find(f"{ns}{tag}")
                if element is not None and element.get("type") == "html":
                    # HTML in the feed: the dump's <script> must arrive escaped, i.e. as text
                    assert "<script" not in element.text
