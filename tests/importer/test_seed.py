"""The real seed dump: every field the issue names, and the committed article in sync."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from import_helpers import REPO_ROOT, SEED_RAW, Project, split_article
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

from newsarchive.model import Article

TITLE = (
    "LG전자 조주완 CEO, 빅테크 격전지서 AI 광폭 행보 "
    "“7억 대 제품과 7천억 시간 고객 사용 데이터로 가속화”"
)
STATIONS = [
    ("동두천", "흐림", 22.8),
    ("강릉", "흐림", 24.0),
    ("서울", None, 24.1),
    ("대전", "흐림", 24.7),
    ("대구", "흐림", 25.3),
    ("울산", "구름조금", 20.9),
    ("광주", "흐림", 23.2),
    ("부산", "흐림", 21.6),
    ("고창", "흐림", 23.1),
    ("제주", "구름많음", 22.8),
    ("강화", "흐림", 20.6),
    ("보은", "흐림", 21.4),
    ("금산", "흐림", 23.5),
    ("강진군", "흐림", 21.7),
    ("경주시", "구름많음", 23.5),
    ("거제", "흐림", 21.5),
]
# Counted by hand in the dump: lines 31..91, every fourth line, between "URL복사" and
# "[출처=LG전자]"; the blank and no-break-space lines between them are separators.
SEED_PARAGRAPHS = 16


def _raw_paragraphs() -> list[str]:
    lines = SEED_RAW.read_text(encoding="utf-8").split("\n")
    start = lines.index("URL복사") + 1
    end = lines.index("[출처=LG전자]")
    return [line.strip() for line in lines[start:end] if line.strip()]


def _import_seed(project: Project) -> Path:
    shutil.copy(SEED_RAW, project.raw / SEED_RAW.name)
    report = project.run()
    assert report.ok and len(report.imported) == 1
    return project.only_article()


def test_seed_front_matter(project: Project) -> None:
    path = _import_seed(project)
    meta, _ = split_article(path)
    assert meta["title"] == TITLE
    assert meta["date"] == "2024-06-08"
    assert meta["date_source"] == "dateline"
    assert meta["section"] == "경제"
    assert meta["source"] == "LG전자"
    assert meta["outlet"] == "시사미래신문"
    assert meta["byline"] is None
    weather = meta["weather"]
    assert weather["observed"] == "2024-06-08"
    assert weather["provider"] == "기상청"
    got = [(s["name"], s["condition"], s["temp_c"]) for s in weather["stations"]]
    assert got == STATIONS
    assert all(isinstance(s["temp_c"], float) for s in weather["stations"])
    assert meta["raw"] == "content/raw/000_6be8f2798757a0e6.txt"
    assert len(meta["raw_sha256"]) == 64
    assert path.parent.name == "2024" and path.stem == meta["slug"]
    assert meta["slug"].startswith("lg전자-조주완-ceo-빅테크")
    article = Article.from_front_matter(meta, path=path)  # the build's validation accepts it
    assert article.title == TITLE and len(article.weather.stations) == 16


def test_seed_body_keeps_every_paragraph_in_order_and_no_chrome(project: Project) -> None:
    raw = _raw_paragraphs()
    assert len(raw) == SEED_PARAGRAPHS
    _, body = split_article(_import_seed(project))
    md = MarkdownIt("commonmark", {"html": False}).use(container_plugin, "photo-caption")
    soup = BeautifulSoup(md.render(body), "html.parser")
    paragraphs = [p.get_text() for p in soup.find_all("p")]
    assert len(paragraphs) == SEED_PARAGRAPHS
    # The dateline "(시사미래신문) " left the first paragraph; the rest is verbatim text.
    expected = [raw[0].removeprefix("(시사미래신문) "), *raw[1:]]
    assert paragraphs == [" ".join(p.split()) for p in expected]
    assert "'가전 No.1'" in paragraphs[7] and "R&D" in paragraphs[4]
    assert "▲B2B(전장" in paragraphs[10]  # an inline ▲ stays inline text
    for chrome in ("URL복사", "배너", "\u00a0", "[출처=", "기상청 제공", "흐림동두천"):
        assert chrome not in body
    assert soup.find(["a", "ul", "h1", "h2", "code", "figure"]) is None


def test_committed_seed_article_is_what_the_importer_writes(project: Project) -> None:
    """content/articles/ is committed: it must match a fresh import (entity lists aside:
    the committed file may have been refreshed with entity extraction on)."""
    fresh = _import_seed(project)
    committed = REPO_ROOT / "content" / "articles" / "2024" / fresh.name
    fresh_meta, fresh_body = split_article(fresh)
    committed_meta, committed_body = split_article(committed)
    for key in ("people", "companies", "topics"):
        fresh_meta.pop(key), committed_meta.pop(key)
    assert committed_meta == fresh_meta
    assert committed_body == fresh_body
