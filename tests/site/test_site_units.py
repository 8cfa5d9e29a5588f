"""The building blocks: Markdown rendering, front matter lines, dates, initials, slugs,
safe JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from newsarchive.document import field_line, render_body, summary_text
from newsarchive.entities.registry import parse_registry
from newsarchive.render.filters import href, korean_date, page_url, script_json, temperature
from newsarchive.site.entities import assign_slugs, initial_of, sort_key


def test_markdown_renders_captions_lists_and_escapes():
    html = render_body(
        "첫 문단 \\<b\\>굵게\\</b\\>\n\n- 하나\n- 둘\n\n::: photo-caption\n설명 \\(사진=LG전자\\)\n:::\n"
    )
    assert "<p>첫 문단 &lt;b&gt;굵게&lt;/b&gt;</p>" in html
    assert "<ul>\n<li>하나</li>\n<li>둘</li>\n</ul>" in html
    assert (
        '<figure class="photo-caption"><figcaption>설명 (사진=LG전자)</figcaption></figure>' in html
    )


@pytest.mark.parametrize(
    ("source", "link"),
    [
        ("[a](https://example.com/)", "https://example.com/"),
        ("[a](mailto:x@example.com)", "mailto:x@example.com"),
        ("[a](../about/)", "../about/"),
        ("[a](#top)", "#top"),
        ("[a](javascript:alert(1))", None),
        ("[a](JavaScript:alert(1))", None),
        ("[a](data:text/html,x)", None),
        ("[a](vbscript:x)", None),
        ("[a](file:///etc/passwd)", None),
        ("![a](data:image/png;base64,AAAA)", None),
        ("<javascript:alert(1)>", None),
    ],
)
def test_only_safe_link_schemes(source: str, link: str | None):
    html = render_body(source)
    if link is None:
        assert "href=" not in html and "src=" not in html
    else:
        assert f'href="{link}"' in html


def test_raw_html_is_text():
    html = render_body('<script>alert(1)</script>\n\n<img src=x onerror="a()">\n\ntext <b>b</b>')
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_summary_text_cuts_at_a_word():
    text = summary_text("<p>" + "가나다 " * 100 + "</p>", limit=20)
    assert text.endswith("…") and len(text) <= 21 and "가나다" in text
    assert summary_text("<p>A &amp; B</p>") == "A & B"


def test_field_line_finds_nested_keys():
    yaml_text = "title: t\nweather:\n  stations:\n  - name: a\n    temp_c: 1\n  - name: b\n    temp_c: x\nslug: s\n"
    assert field_line(yaml_text, "weather.stations[1].temp_c") == 7
    assert field_line(yaml_text, "weather.stations[0].name") == 4
    assert field_line(yaml_text, "slug") == 8
    assert field_line(yaml_text, "missing") is None


def test_korean_dates_without_locale():
    assert korean_date(dt.date(2024, 6, 8)) == "2024년 6월 8일 (토)"
    assert korean_date(dt.datetime(2023, 12, 25, 9, 30)) == "2023년 12월 25일 (월)"
    assert korean_date(None) == ""


def test_temperature_and_page_url():
    assert temperature(-8.5) == "−8.5℃"
    assert temperature(0.0) == "0.0℃"
    assert temperature(22.75) == "22.8℃"
    assert page_url("index.html") == ""
    assert page_url("2024/06/x/index.html") == "2024/06/x/"
    assert page_url("404.html") == "404.html"


def test_script_json_cannot_break_out():
    value = {"headline": "</script><script>alert(1)</script><!-- & \u2028"}
    text = str(script_json(value))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


@pytest.mark.parametrize(
    ("name", "initial"),
    [
        ("조주완", "ㅈ"),
        ("쌍용자동차", "ㅅ"),  # doubled consonants fold into their base
        ("까치", "ㄱ"),
        ("똠양꿍", "ㄷ"),
        ("빨강", "ㅂ"),
        ("짜장", "ㅈ"),
        ("한은정", "ㅎ"),
        ("Apple", "A"),
        ("microsoft", "M"),
        ("Émile", "E"),
        ("3M", "기타"),
        ("{{ 회사 }}", "기타"),
        ("", "기타"),
    ],
)
def test_initial_consonants(name: str, initial: str):
    assert initial_of(name) == initial


def test_index_order_is_hangul_then_latin_then_other():
    names = ["Zeta", "3M", "하나", "가나", "apple", "까치"]
    assert sorted(names, key=sort_key) == ["가나", "까치", "하나", "apple", "Zeta", "3M"]


def test_entity_slugs_are_unique_and_stable():
    registry = parse_registry({"companies": [{"name": "마이크로소프트", "slug": "ms"}]})
    names = ["LG 전자", "LG-전자", "마이크로소프트", "MS", "삼성"]
    slugs = assign_slugs(names, "company", registry)
    assert slugs["마이크로소프트"] == "ms"  # the registry's slug wins
    assert slugs["삼성"] == "삼성"
    assert len(set(slugs.values())) == len(names)
    for name in ("LG 전자", "LG-전자", "MS"):
        assert slugs[name].startswith(("lg-전자-", "ms-"))
    assert assign_slugs(list(reversed(names)), "company", registry) == slugs


def test_href_takes_the_shorter_of_relative_and_site_path():
    site = "https://user.github.io/newsarchive"
    article = "2024/03/기사/index.html"
    assert href("2024/03/다른-기사/", article, site) == "../다른-기사/"
    assert href("", article, site) == "../../../"  # 9 characters against 13
    assert href("theme/css/style.css", "index.html", site) == "theme/css/style.css"
    # a short site path wins deep in the site; at a host's root it always does from depth 2
    assert href("people/", article, "https://example.org/r") == "/r/people/"
    assert href("people/", "2024/03/index.html", "https://example.org") == "/people/"
    # 404.html is served at any depth: always from the site's path
    assert href("archives/", "404.html", site) == "/newsarchive/archives/"
    # development builds (a relative SITEURL): always relative
    assert href("people/", article, "../../..") == "../../../people/"


def test_a_site_path_is_encoded_to_stand_unquoted_in_an_attribute():
    """The theme writes links unquoted: a site URL's path with a space, a quote, "=", "&" or
    "<" comes out percent-encoded (tests/site/test_site_safety.py checks every page)."""
    link = href("archives/", "404.html", "https://example.org/a b'c=d&e<f\"g")
    assert link == "/a%20b%27c%3Dd%26e%3Cf%22g/archives/"
