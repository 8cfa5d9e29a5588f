"""The build's search step on the fixture site: what is indexed, caching, settings, pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import build_site
from newsarchive.search.indexer import ENTRY_FILE, work_dir
from newsarchive.search.pages import ARTICLE_PATH, read_article
from newsarchive.search.segment import MARKER, TermCache, kiwi_tokenizer
from testtools import require_tool

pytestmark = pytest.mark.slow


def records(output: Path):
    found = []
    for path in sorted(output.rglob("index.html")):
        rel = path.relative_to(output).as_posix()
        if ARTICLE_PATH.match(rel) and (record := read_article(path, rel)):
            found.append(record)
    return found


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_kiwi_terms_close_the_particle_and_compound_gaps():
    cache = TermCache(lambda: kiwi_tokenizer(["LG전자"]))
    assert {"lg전자", "전자"} <= set(cache.terms_of("LG전자가"))
    assert "서울" in cache.terms_of("서울에서")
    assert "데이터센터" in cache.terms_of("데이터센터를") or "센터" in cache.terms_of(
        "데이터센터를"
    )


def test_only_headline_body_and_facets_are_indexed(search_site):
    settings, result = search_site
    found = {r.title: r for r in records(settings.output_path)}
    assert len(found) == result.articles == 11
    seed = next(r for t, r in found.items() if t.startswith("LG전자 조주완 CEO"))
    assert seed.date == "2024-06-08" and seed.section == "경제"
    assert "조주완" in seed.people and "LG전자" in seed.companies
    text = " ".join(seed.paragraphs)
    assert "LG전자" in text
    # chrome is not article text: navigation, related articles, weather, footer
    for chrome in ("관련 기사", "본문 바로가기", "지난 기사", "기상청"):
        assert chrome not in text
    assert all(not re.search(r"\s{2}", p) for p in seed.paragraphs)


def test_hostile_article_is_indexed_as_text(search_site):
    settings, _ = search_site
    hostile = next(r for r in records(settings.output_path) if r.url == "/2024/02/hostile-article/")
    assert hostile.title.startswith('<script>alert("x")</script>')
    assert '<script>alert("body")</script>' in hostile.paragraphs
    doc = (work_dir(settings) / "docs" / "00" / "2024/02/hostile-article/index.html").read_text(
        encoding="utf-8"
    )
    parsed = BeautifulSoup(doc, "html.parser")
    assert parsed.find("script") is None and parsed.find("img") is None
    assert '<script>alert("body")</script>' in parsed.get_text()


def test_index_bundle_is_written_and_listed_in_the_result(search_site):
    settings, result = search_site
    bundle = settings.output_path / "pagefind"
    assert (bundle / ENTRY_FILE).is_file() and (bundle / "pagefind.js").is_file()
    assert json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))["languages"].keys() == {
        "ko"
    }
    assert not list(bundle.glob("pagefind-ui*")), "the unused ready-made UI is not shipped"
    assert bundle / ENTRY_FILE in result.written and bundle / ENTRY_FILE in result.changed


def test_search_page_and_box(search_site):
    settings, _ = search_site
    page = soup(settings.output_path / "search" / "index.html")
    assert page.find("script", src="../theme/js/search.js", type="module")
    noscript = page.find("noscript")
    assert "자바스크립트" in noscript.get_text() and noscript.find("a", href="../archives/")
    missing = page.find(id="search-missing")
    assert missing.has_attr("hidden") and missing.find("a", href="../archives/")
    article = next(settings.output_path.glob("2024/06/*/index.html"))
    box = soup(article).find("form", class_="search-box")
    assert box["action"] == "../../../search/" and box["method"] == "get"
    assert box.find("input", attrs={"name": "q", "type": "search"})
    assert (settings.output_path / "theme" / "js" / "search.js").is_file()


def test_unchanged_rebuild_leaves_the_index_untouched(search_site):
    settings, _ = search_site
    bundle = settings.output_path / "pagefind"
    before = {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}
    result = build_site(settings)
    assert not [p for p in result.changed if p.is_relative_to(bundle)]
    assert {p: p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()} == before


def test_edit_reindexes_only_what_changed(search_root, search_site):
    settings, _ = search_site
    article = next((search_root / "content" / "articles" / "2024").glob("서울시*.md"))
    original = article.read_text(encoding="utf-8")
    docs_dir = work_dir(settings) / "docs"
    before = {p: p.stat().st_mtime_ns for p in docs_dir.rglob("index.html")}
    try:
        article.write_text(
            original.rstrip("\n") + "\n\n새로운낱말검색시험입니다.\n", encoding="utf-8"
        )
        result = build_site(settings)
        # only the edited article's document is rebuilt; the others are reused as staged
        after = {p: p.stat().st_mtime_ns for p in docs_dir.rglob("index.html")}
        assert after.keys() == before.keys()
        rewritten = [p for p in after if after[p] != before[p]]
        assert len(rewritten) == 1 and "서울시" in str(rewritten[0])
        bundle = settings.output_path / "pagefind"
        assert bundle / ENTRY_FILE in result.changed
        terms = json.loads(
            (settings.cache_path / "search" / "terms.json").read_text(encoding="utf-8")
        )["terms"]
        assert "새로운낱말검색시험입니다." in terms
        docs = (work_dir(settings) / "docs").rglob("index.html")
        assert any("새로운낱말검색시험입니다." in p.read_text(encoding="utf-8") for p in docs)
    finally:
        article.write_text(original, encoding="utf-8")
        build_site(settings)


def test_search_off_removes_the_index(tmp_path, search_root):
    import shutil

    from newsarchive.config import load_settings

    root = tmp_path / "site"
    shutil.copytree(search_root / "content", root / "content")
    settings = load_settings(root)
    build_site(settings)
    assert (settings.output_path / "pagefind" / ENTRY_FILE).is_file()
    (root / "newsarchive.toml").write_text("search = false\n", encoding="utf-8")
    off = load_settings(root)
    assert off.search is False
    result = build_site(off)
    assert not (off.output_path / "pagefind").exists()
    assert off.output_path / "pagefind" / ENTRY_FILE in result.removed
    assert (off.output_path / "search" / "index.html").is_file()  # says the index is missing


def test_marker_text_in_index_documents(search_site):
    settings, _ = search_site
    seed_doc = next((work_dir(settings) / "docs" / "00" / "2024" / "06").glob("lg*/index.html"))
    text = (
        BeautifulSoup(seed_doc.read_text(encoding="utf-8"), "html.parser")
        .find("main")
        .get_text(" ")
    )
    assert f"{MARKER}전자" in text
    originals = [w for w in text.split() if not w.startswith(MARKER)]
    assert "LG전자가" in originals or "LG전자는" in originals


def test_search_page_validates_and_links_check_clean(search_site):
    import shutil as sh
    import subprocess

    from newsarchive.checker import check_site

    settings, _ = search_site
    report = check_site(settings.output_path)  # a development build: relative links
    assert report.ok, report.broken
    vnu = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
    java = sh.which("java")
    require_tool(
        java is not None and vnu.is_file(),
        "java or node_modules/vnu-jar is missing (make test-deps installs them)",
    )
    run = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", str(settings.output_path / "search/index.html")],
        capture_output=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def test_archive_without_articles_builds_without_an_index(tmp_path, search_root):
    import shutil

    from newsarchive.config import load_settings

    root = tmp_path / "site"
    shutil.copytree(search_root / "content", root / "content")
    shutil.rmtree(root / "content" / "articles")
    (root / "content" / "articles").mkdir()
    settings = load_settings(root)
    result = build_site(settings)
    assert result.articles == 0
    assert not (settings.output_path / "pagefind").exists()
    assert (settings.output_path / "search" / "index.html").is_file()


def test_page_cache_holds_stamps_and_hashes_not_text(search_site):
    """Indexing streams pages: the cache must not grow with the archive's text."""
    settings, _ = search_site
    cache = json.loads((work_dir(settings) / "pages.json").read_text(encoding="utf-8"))
    entries = cache["pages"]
    assert entries and all(set(e) == {"stamp", "url", "doc"} for e in entries.values())
    first = records(settings.output_path)[0]
    assert first.paragraphs[0] not in json.dumps(cache, ensure_ascii=False)


def test_only_the_article_element_is_read(tmp_path):
    """Chips and text after the article (related articles, footer) are not indexed."""
    page = tmp_path / "index.html"
    page.write_text(
        '<html><head><script data-x="1" type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "제목", "datePublished": "2024-06-01",'
        ' "articleSection": "경제"}</script></head><body><header><p>머리말</p></header>'
        '<article><div class="article__body"><p>본문 <b>첫</b> 문단</p><div><p>둘째</p></div>'
        '</div><div class="chips__group chips__group--person"><a class="chip" href="#">'
        '김철수<span class="chip__role">기자</span></a></div></article>'
        '<aside class="related"><div class="chips__group chips__group--person">'
        '<a class="chip" href="#">이영희</a></div><p>관련 기사</p></aside></body></html>',
        encoding="utf-8",
    )
    record = read_article(page, "2024/06/slug/index.html")
    assert record is not None
    assert (record.title, record.date, record.section) == ("제목", "2024-06-01", "경제")
    assert record.paragraphs == ("본문 첫 문단", "둘째")
    assert record.people == ("김철수",)
    page.write_text(page.read_text(encoding="utf-8").replace("article__body", "x"), "utf-8")
    assert read_article(page, "2024/06/slug/index.html") is None
