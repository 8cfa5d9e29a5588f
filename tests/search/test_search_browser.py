"""End to end in headless Chromium: the fixture site, published for a /REPO/ subpath."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.pages_server import PagesServer
from newsarchive.search.segment import MARKER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED = "LG전자 조주완 CEO"
# the articles whose text names 조주완 (a third one only lists him as a facet)
CHO_ARTICLES = {"LG전자 1분기 실적 발표…가전 호조"}


@pytest.fixture(scope="module")
def site(search_root):
    settings = load_settings(search_root, overrides={"output_dir": "output-pages"})
    settings.output_path.mkdir(parents=True, exist_ok=True)
    with PagesServer(settings.output_path, base_path="/REPO/") as server:
        build_site(settings, publish=True, site_url=server.url.rstrip("/"))
        yield server, settings


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR")
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    try:
        yield tab
    finally:
        context.close()


def search(page, query):
    """Type *query* into the search page's box; the results' (title, path) in order."""
    page.fill("#search-q", "")
    page.type("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function(
        "q => document.getElementById('search-status').textContent.includes('건')"
        " || document.getElementById('search-status').textContent.includes('없습니다')",
        arg=query,
    )
    page.wait_for_timeout(100)
    links = page.locator(".search-result__title a")
    return [
        (links.nth(i).inner_text(), unquote(links.nth(i).get_attribute("href")))
        for i in range(links.count())
    ]


def test_korean_particles_names_and_english_words(site, page):
    server, _ = site
    page.goto(server.url + "search/")
    with_particle = search(page, "LG전자가")
    bare = search(page, "LG전자")
    assert with_particle and with_particle == bare
    assert "LG전자" in with_particle[0][0]
    assert all(path.startswith("/REPO/") for _, path in with_particle)

    cho = search(page, "조주완")
    assert cho[0][0].startswith(SEED) or cho[0][0] in CHO_ARTICLES
    assert {title for title, _ in cho} >= CHO_ARTICLES
    assert any(t.startswith(SEED) for t, _ in cho)

    ai = search(page, "AI")
    assert "AI" in ai[0][0]
    ces = search(page, "CES")
    assert ces and ces[0][0].startswith(SEED)

    # a part of a compound: 전자 alone finds LG전자 (Pagefind alone matches prefixes only)
    part = search(page, "전자")
    assert any("LG전자" in t for t, _ in part)


def test_excerpt_shows_the_article_text_with_the_match_marked(site, page):
    server, _ = site
    page.goto(server.url + "search/?q=" + "전자")
    page.wait_for_selector(".search-result mark")
    excerpt = page.locator(".search-result__excerpt").first
    assert MARKER not in excerpt.inner_text()
    marks = page.locator(".search-result mark").all_inner_texts()
    assert "전자" in marks


def test_header_box_and_result_links_work_under_the_subpath(site, page):
    server, _ = site
    page.goto(server.url)
    page.fill("#search-box-q", "조주완은")
    page.press("#search-box-q", "Enter")
    page.wait_for_selector(".search-result__title a")
    assert page.input_value("#search-q") == "조주완은"
    page.locator(".search-result__title a").first.click()
    page.wait_for_load_state()
    assert unquote(page.url).startswith(server.url + "20")
    assert page.locator("h1.article__title").count() == 1


def test_filters_narrow_the_results(site, page):
    server, _ = site
    page.goto(server.url + "search/?q=LG전자&year=2023")
    page.wait_for_selector(".search-result__title a")
    titles = page.locator(".search-result__title a").all_inner_texts()
    assert titles and "엘지전자 전장 사업 수주 잔고 100조 돌파" in titles
    assert not any(t.startswith(SEED) for t in titles)
    assert page.input_value("select[name=year]") == "2023"


def test_hostile_article_text_cannot_inject_markup(site, page):
    server, _ = site
    page.goto(server.url + "search/")
    results = search(page, "alert")
    assert any(t.startswith('<script>alert("x")</script>') for t, _ in results)
    assert page.locator("#search-results script, #search-results img").count() == 0
    assert page.locator("#search-results mark").count() >= 1
    # facet names from the hostile article are option text in the filters, not markup
    people = page.locator("select[name=people] option").all_inner_texts()
    assert any(t.startswith("<b>굵은이름</b>") for t in people)
    assert page.locator("#search-filters b, #search-filters script").count() == 0
    assert page.dialogs == []


def test_missing_index_says_so(site, page):
    server, settings = site
    bundle = settings.output_path / "pagefind"
    moved = bundle.with_name("pagefind-away")
    bundle.rename(moved)
    try:
        page.goto(server.url + "search/?q=LG전자")
        page.wait_for_selector("#search-missing:not([hidden])")
        assert page.locator("#search-missing a").get_attribute("href").endswith("/archives/")
    finally:
        moved.rename(bundle)


def test_without_javascript_the_page_says_so(site, browser):
    server, _ = site
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(server.url + "search/?q=LG전자")
        notice = tab.locator("noscript, .search-notice").filter(has_text="자바스크립트")
        assert "자바스크립트" in tab.inner_text("main")
        assert notice.count() >= 1
    finally:
        context.close()
