"""scripts/page_weight.py: the parts of an article page and the medians it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
sys.path.insert(0, str(SCRIPTS))

import page_weight  # noqa: E402

BODY = '<p>본문 <b>첫</b> 문단</p>\n<div class="photo"><div>캡션</div></div>\n'
ARTICLE = (
    "<!doctype html><html><head><title>제목</title></head><body>"
    '<header class="site-header"><p>뉴스</p></header>'
    '<main><article><header><h1>제목</h1></header><div class="article__body">'
    + BODY
    + '</div><section class="chips"><ul><li>조주완</li></ul></section></article></main>'
    '<aside class="weather"><ul><li class="wx-sun">서울 <span>맑음</span></li></ul></aside>'
    '<footer class="site-footer"><p>끝</p></footer></body></html>'
)


def test_page_parts_measures_each_part_in_utf8_bytes():
    parts = page_weight.page_parts(ARTICLE)
    assert parts["text"] == len(BODY.encode())  # inner HTML, nested divs included
    assert parts["head"] == len(b"<head><title>") + len("제목".encode()) + len(b"</title></head>")
    chips = '<section class="chips"><ul><li>조주완</li></ul></section>'
    assert parts["chips"] == len(chips.encode())
    assert parts["article header"] == len("<header><h1>제목</h1></header>".encode())
    assert parts["site header"] == len('<header class="site-header"><p>뉴스</p></header>'.encode())
    assert "related" not in parts and "neighbours" not in parts


def test_the_words_and_links_counts_words_and_links_outside_the_text():
    # Words outside the body, whitespace collapsed: 제목, 뉴스, 제목, 조주완, 서울, 맑음, 끝.
    words = "제목뉴스제목조주완서울맑음끝"
    assert page_weight.words_and_links(ARTICLE) == len(words.encode())
    linked = ARTICLE.replace(
        "<p>뉴스</p>", '<p class="x y"><a href="../사람/" aria-label="A &amp; B">뉴스</a></p>'
    ).replace("<p>본문", '<p><a href="../../본문에만/">본문</a>')
    # The header's link adds its href and label (the reference decoded), not its class;
    # the body's link is the page's own text, not counted.
    extra = len("../사람/".encode()) + len(b"A & B")
    assert page_weight.words_and_links(linked) == len(words.encode()) + extra


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_script_prints_medians_for_a_built_site(tmp_path: Path):
    site = tmp_path / "output"
    write(site, "index.html", "<html><body><ul class='article-list'></ul></body></html>")
    for i, extra in enumerate(("", "x" * 100, "y" * 300)):
        write(site, f"2024/06/기사-{i}/index.html", ARTICLE.replace("</body>", extra + "</body>"))
    write(site, "people/조주완/index.html", "<html><body>" + "z" * 1500 + "</body></html>")
    write(site, "feeds/all.atom.xml", "<feed/>")
    # a page that is not an article but has a body (about): its text counts too
    write(
        site, "about/index.html", '<html><body><div class="article__body">소개</div></body></html>'
    )
    figures = page_weight.weigh(site)
    page = len(ARTICLE.encode())
    assert figures["articles"] == 3
    assert figures["article_page_median"] == page + 100
    assert figures["article_text_median"] == len(BODY.encode())
    assert figures["article_overhead_median"] == page + 100 - len(BODY.encode())
    assert figures["article_words_and_links_median"] == page_weight.words_and_links(ARTICLE) + 100
    # words and links of the whole site: each page's text included, other files whole
    kinds = figures["kinds"]
    article_words = 3 * (page_weight.words_and_links(ARTICLE) + page_weight.words_and_links(BODY))
    assert kinds["article"]["words_and_links_bytes"] == article_words + 400
    assert kinds["entity"]["words_and_links_bytes"] == 1500
    assert kinds["feed"]["words_and_links_bytes"] == len(b"<feed/>")
    assert kinds["other"]["words_and_links_bytes"] == len("소개".encode())
    assert figures["words_and_links_bytes"] == (
        article_words + 400 + 1500 + len(b"<feed/>") + len("소개".encode())
    )
    assert figures["groups"]["entity: people"]["pages"] == 1
    assert figures["groups"]["listing: home"]["pages"] == 1
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / "page_weight.py"), str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("article pages: 3\n")
    assert "  entity: people" in done.stdout and "  feeds " in done.stdout
    assert "    of which words and links " in done.stdout


def test_one_page_parts_and_date_pages(tmp_path: Path):
    site = tmp_path / "output"
    write(site, "index.html", "<html><body><ul class='article-list'></ul></body></html>")
    write(site, "2024/06/기사/index.html", ARTICLE)
    write(site, "2024/06/08/index.html", "<html><body>" + "d" * 800 + "</body></html>")
    write(site, "on-this-day/06-08/index.html", "<html><body>o</body></html>")
    write(site, "weather/서울/index.html", "<html><body>w</body></html>")
    groups = page_weight.weigh(site)["groups"]
    assert groups["date: day"]["pages"] == 1 and groups["date: day"]["max"] > 800
    assert groups["date: on this day"]["pages"] == groups["date: station"]["pages"] == 1
    assert page_weight.weigh(site)["articles"] == 1  # a day page is not an article
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "page_weight.py"),
            str(site),
            "--page",
            "2024/06/기사/index.html",
        ],
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    weather = page_weight.page_parts(ARTICLE)["weather"]
    parts = dict(line.rsplit(None, 1) for line in done.stdout.splitlines()[1:])
    assert int(parts["  weather"]) == weather and int(parts["  text"]) == len(BODY.encode())
    assert int(parts["  words and links"]) == page_weight.words_and_links(ARTICLE)
    assert done.stdout.startswith(f"2024/06/기사/index.html: {len(ARTICLE.encode())} bytes\n")
