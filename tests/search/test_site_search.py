"""The build's search step on the fixture site: what is indexed, updates, settings, pages."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import jsengine
from newsarchive.build import build_site, update_search
from newsarchive.config import load_settings
from newsarchive.engine.record import record_path
from newsarchive.search import INDEX_DIR, SearchDocument, SearchIndex, sources
from newsarchive.search.pages import BLOCKS, read_page
from testtools import require_tool

pytestmark = pytest.mark.slow


def fragments(settings) -> dict[str, SearchDocument]:
    """The documents in the index, by URL: each fragment with the rest from the state."""
    state = SearchIndex(settings, settings.output_path).state_path
    with closing(sqlite3.connect(state)) as db:
        rests = dict(db.execute("SELECT number, rest FROM documents"))
    found = {}
    for path in (settings.output_path / INDEX_DIR / "d").iterdir():
        data = json.loads(gzip.decompress(path.read_bytes()))
        assert sorted(data) == ["date", "section", "title", "url"]  # what a result shows
        doc = SearchDocument.from_fragment("?", data, rests[int(path.name.split(".")[0])])
        found[doc.url] = doc
    return found


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_copy(source: Path, root: Path):
    """The settings of a new project at *root* holding a copy of *source*'s content."""
    shutil.copytree(source / "content", root / "content")
    return load_settings(root)


def fresh_index(source: Path, scratch: Path) -> dict[str, str]:
    """The search index a build from nothing makes of *source*'s content."""
    settings = site_copy(source, scratch)
    build_site(settings)
    return tree(settings.output_path / INDEX_DIR)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_only_headline_body_and_facets_are_indexed(search_site):
    settings, result = search_site
    docs = fragments(settings)
    assert len(docs) == result.articles == 11
    seed = next(d for d in docs.values() if d.title.startswith("LG전자 조주완 CEO"))
    assert seed.date == "2024-06-08" and seed.section == "경제"
    assert seed.url.startswith("2024/06/") and seed.url.endswith("/")
    assert "조주완" in seed.people and "LG전자" in seed.companies
    text = " ".join(seed.paragraphs)
    assert "LG전자" in text
    # chrome is not article text: navigation, related articles, weather, footer
    for chrome in ("관련 기사", "본문 바로가기", "지난 기사", "기상청"):
        assert chrome not in text
    assert all("  " not in p for p in seed.paragraphs)


def test_hostile_article_is_indexed_as_text(search_site):
    settings, _ = search_site
    hostile = fragments(settings)["2024/02/hostile-article/"]
    assert hostile.title.startswith('<script>alert("x")</script>')
    assert '<script>alert("body")</script>' in hostile.paragraphs
    # what the browser reads is JSON data: the engine finds the article by its words
    (result,) = jsengine.search(settings.output_path / INDEX_DIR, [{"q": "alert"}])
    assert result["total"] >= 1


def test_the_index_is_listed_in_the_build_result(search_site):
    settings, result = search_site
    folder = settings.output_path / INDEX_DIR
    manifest = folder / "manifest.json.gz"
    assert manifest in result.written and manifest in result.changed
    assert {p for p in result.written if p.is_relative_to(folder)} == {
        p for p in folder.rglob("*") if p.is_file()
    }
    assert not (settings.output_path / "pagefind").exists()


def test_search_page_and_box(search_site):
    settings, _ = search_site
    page = soup(settings.output_path / "search" / "index.html")
    assert page.find("script", src="../theme/js/search.js", type="module")
    assert page.find("link", rel="modulepreload", href="../theme/js/search-engine.js")
    assert not page.find("link", rel="preload")  # the index may be off: no dangling link
    noscript = page.find("noscript")
    assert "자바스크립트" in noscript.get_text() and noscript.find("a", href="../archives/")
    missing = page.find(id="search-missing")
    assert missing.has_attr("hidden") and missing.find("a", href="../archives/")
    assert page.find(id="search-status")["role"] == "status"
    article = next(settings.output_path.glob("2024/06/*/index.html"))
    box = soup(article).find("form", class_="search-box")
    assert box["action"] == "../../../search/" and box.get("method", "get") == "get"
    assert box.find("input", attrs={"name": "q", "type": "search"})
    # the box's script is small and loads the engine only when used (tests/search browser)
    assert soup(article).find("script", src="../../../theme/js/search-box.js", type="module")
    js = settings.output_path / "theme" / "js"
    assert {"search.js", "search-engine.js", "search-box.js"} <= {p.name for p in js.iterdir()}
    assert (js / "search-box.js").stat().st_size < 8000


def test_unchanged_rebuild_leaves_the_index_untouched(search_site):
    settings, _ = search_site
    folder = settings.output_path / INDEX_DIR
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    result = build_site(settings)
    assert not [p for p in result.changed if p.is_relative_to(folder)]
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} == before


def test_an_edit_is_indexed_and_equals_a_fresh_build(search_root, search_site, tmp_path):
    settings, _ = search_site
    article = next((search_root / "content" / "articles" / "2024").glob("서울시*.md"))
    original = article.read_text(encoding="utf-8")
    folder = settings.output_path / INDEX_DIR
    try:
        article.write_text(original.rstrip("\n") + "\n\n새로운낱말검색시험입니다.\n", "utf-8")
        before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
        result = build_site(settings)
        changed = [p for p in result.changed if p.is_relative_to(folder)]
        assert 2 <= len(changed) < len(before) / 2  # a fragment, a few chunks, the lists
        (found,) = jsengine.search(folder, [{"q": "새로운낱말검색시험"}])
        assert found["total"] == 1
        assert tree(folder) == fresh_index(search_root, tmp_path / "fresh")
    finally:
        article.write_text(original, encoding="utf-8")
        build_site(settings)


def test_the_builds_stamps_and_the_file_systems_agree(tmp_path, search_root):
    """The build's search step takes the sources' and pages' stamps from its record; the
    dev server's search process reads them off the disk. Either one, run after the other,
    finds nothing to do, and an index each makes from nothing is the same."""
    settings = site_copy(search_root, tmp_path / "site")
    build_site(settings)  # stamps from the build's record
    folder = settings.output_path / INDEX_DIR
    built = tree(folder)
    files, changed, removed, _size = update_search(settings)  # stamps from the disk
    assert not changed and not removed and files
    assert tree(folder) == built
    shutil.rmtree(settings.cache_path / "search-index")
    shutil.rmtree(folder)
    update_search(settings)  # every document read again, from the disk's stamps
    assert tree(folder) == built
    result = build_site(settings)  # the build's stamps find what the disk's saved current
    assert not [p for p in result.changed if p.is_relative_to(folder)]


def test_an_edit_built_without_the_search_step_is_indexed_by_the_next_build(tmp_path, search_root):
    """The search state can lag the build (a build run without its search step): the next
    build's step finds the edited article although that build read nothing."""
    root = tmp_path / "site"
    settings = site_copy(search_root, root)
    build_site(settings)
    article = next((root / "content" / "articles" / "2024").glob("서울시*.md"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip("\n") + "\n\n뒤늦은색인시험입니다.\n", encoding="utf-8")
    build_site(settings, index=False)
    folder = settings.output_path / INDEX_DIR
    (missing,) = jsengine.search(folder, [{"q": "뒤늦은색인시험"}])
    assert missing["total"] == 0
    result = build_site(settings)
    assert result.rendered == 0
    (found,) = jsengine.search(folder, [{"q": "뒤늦은색인시험"}])
    assert found["total"] == 1
    assert tree(folder) == fresh_index(root, tmp_path / "fresh")


def test_a_build_with_nothing_to_do_does_not_look_at_the_sources_again(
    tmp_path, search_root, monkeypatch
):
    """The search step keeps the name of the record its stamps came from: while the
    record is unchanged it has nothing to compare. A record made anew (the cache folder's
    record deleted) counts its saves from 0 again, yet is never taken for the old one."""
    root = tmp_path / "site"
    settings = site_copy(search_root, root)
    build_site(settings)
    looked: list[int] = []
    load = sources.Sources._load

    def counting_load(self):
        looked.append(1)
        return load(self)

    monkeypatch.setattr(sources.Sources, "_load", counting_load)
    assert build_site(settings).rendered == 0
    assert looked == []

    record = record_path(settings.cache_path, settings.output_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{record}{suffix}").unlink(missing_ok=True)
    article = next((root / "content" / "articles" / "2024").glob("서울시*.md"))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip("\n") + "\n\n새기록색인시험입니다.\n", encoding="utf-8")
    build_site(settings)
    assert looked == [1]
    folder = settings.output_path / INDEX_DIR
    (found,) = jsengine.search(folder, [{"q": "새기록색인시험"}])
    assert found["total"] == 1
    assert tree(folder) == fresh_index(root, tmp_path / "fresh")


def test_an_index_deleted_by_hand_is_made_again_by_a_build_with_nothing_else_to_do(
    tmp_path, search_root
):
    root = tmp_path / "site"
    settings = site_copy(search_root, root)
    build_site(settings)
    folder = settings.output_path / INDEX_DIR
    shutil.rmtree(folder)
    result = build_site(settings)
    assert result.rendered == 0
    assert tree(folder) == fresh_index(root, tmp_path / "fresh")


def test_search_off_removes_the_index(tmp_path, search_root):
    root = tmp_path / "site"
    settings = site_copy(search_root, root)
    build_site(settings)
    manifest = settings.output_path / INDEX_DIR / "manifest.json.gz"
    assert manifest.is_file()
    (root / "newsarchive.toml").write_text("search = false\n", encoding="utf-8")
    off = load_settings(root)
    assert off.search is False
    result = build_site(off)
    assert not (off.output_path / INDEX_DIR).exists()
    assert manifest in result.removed
    assert (off.output_path / "search" / "index.html").is_file()  # says the index is missing


def test_archive_without_articles_has_an_empty_index(tmp_path, search_root):
    root = tmp_path / "site"
    settings = site_copy(search_root, root)
    shutil.rmtree(root / "content" / "articles")
    (root / "content" / "articles").mkdir()
    result = build_site(settings)
    assert result.articles == 0
    (found,) = jsengine.search(settings.output_path / INDEX_DIR, [{"q": "LG전자"}])
    assert found["total"] == 0
    assert (settings.output_path / "search" / "index.html").is_file()


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
    doc = read_page(page, key="content/articles/x.md", url="2024/06/slug/")
    assert doc is not None
    assert (doc.title, doc.date, doc.section) == ("제목", "2024-06-01", "경제")
    assert doc.paragraphs == ("본문 첫 문단", "둘째")
    assert doc.people == ("김철수",)
    page.write_text(page.read_text(encoding="utf-8").replace("article__body", "x"), "utf-8")
    assert read_page(page, key="content/articles/x.md", url="2024/06/slug/") is None


def test_search_page_reads_the_excerpt_with_the_indexer_s_blocks():
    """search.js reads a result's excerpt from the article's page one paragraph per block
    element, as pages.py reads the body it indexes: one rule in two languages."""
    source = (jsengine.ENGINE.parent / "search.js").read_text(encoding="utf-8")
    block = re.search(r"const BLOCKS = new Set\(\[(.*?)\]\);", source, re.S).group(1)
    assert {name.lower() for name in re.findall(r'"([^"]+)"', block)} == set(BLOCKS)
