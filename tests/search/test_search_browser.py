"""End to end in headless Chromium: the fixture site, published for a /REPO/ subpath."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.pages_server import PagesServer
from newsarchive.search import INDEX_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED = "LG전자 조주완 CEO"
# the articles whose text names 조주완 (a third one only lists him as a facet)
CHO_ARTICLES = {"LG전자 1분기 실적 발표…가전 호조"}
DONE = (
    "() => { const s = document.getElementById('search-status').textContent;"
    " return s.includes('건') || s.includes('없습니다'); }"
)
# Results appear one by one; the status says how many once they are all shown.
SHOWN = (
    "() => document.getElementById('search-status').textContent.includes('건')"
    " && document.querySelector('.search-result__title a') !== null"
)


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
    tab.errors = []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    try:
        yield tab
    finally:
        context.close()


def results(page):
    links = page.locator(".search-result__title a")
    return [
        (links.nth(i).inner_text(), unquote(links.nth(i).get_attribute("href")))
        for i in range(links.count())
    ]


def search(page, query):
    """Type *query* into the search page's box and press Enter: the results' (title, URL)."""
    page.fill("#search-q", "")
    page.evaluate("document.getElementById('search-status').textContent = ''")
    page.type("#search-q", query)
    page.press("#search-q", "Enter")
    page.wait_for_function(DONE)
    return results(page)


def test_korean_particles_names_and_english_words(site, page):
    server, _ = site
    page.goto(server.url + "search/")
    with_particle = search(page, "LG전자가")
    bare = search(page, "LG전자")
    assert with_particle and with_particle == bare
    assert "LG전자" in with_particle[0][0]
    assert all(url.startswith(server.url + "20") for _, url in with_particle)

    cho = search(page, "조주완")
    assert cho[0][0].startswith(SEED) or cho[0][0] in CHO_ARTICLES
    assert {title for title, _ in cho} >= CHO_ARTICLES
    assert any(t.startswith(SEED) for t, _ in cho)
    assert search(page, "조주완은") == cho

    ai = search(page, "AI")
    assert "AI" in ai[0][0]
    ces = search(page, "CES")
    assert ces and ces[0][0].startswith(SEED)

    # a part of a compound: 전자 alone finds LG전자 (Pagefind alone matched prefixes only)
    assert any("LG전자" in t for t, _ in search(page, "전자"))
    assert any("데이터센터" in t for t, _ in search(page, "센터"))
    assert page.errors == []


def test_excerpt_shows_the_article_text_with_the_match_marked(site, page):
    server, _ = site
    page.goto(server.url + "search/?q=" + "데이터센터를")
    page.wait_for_selector(".search-result mark")
    marks = page.locator(".search-result mark").all_inner_texts()
    assert "데이터센터" in marks
    excerpt = page.locator(".search-result__excerpt").first.inner_text()
    assert "데이터센터를" in excerpt or "데이터센터" in excerpt


def test_results_appear_as_you_type_and_the_query_stays_in_the_address(site, page):
    server, _ = site
    page.goto(server.url + "search/")
    page.type("#search-q", "조주완", delay=30)  # no Enter: results after a pause
    page.wait_for_function(SHOWN)
    assert "q=%EC%A1%B0%EC%A3%BC%EC%99%84" in page.url
    first = results(page)
    page.reload()
    page.wait_for_function(SHOWN)
    assert page.input_value("#search-q") == "조주완"
    assert results(page) == first


def test_arrows_and_escape_move_between_the_box_and_the_results(site, page):
    server, _ = site
    page.goto(server.url + "search/?q=LG전자")
    page.wait_for_function(SHOWN)
    page.focus("#search-q")
    page.keyboard.press("ArrowDown")
    titles = page.locator(".search-result__title a")
    assert page.evaluate("document.activeElement.textContent") == titles.nth(0).inner_text()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == titles.nth(1).inner_text()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "search-q"


def test_header_box_answers_in_place_and_loads_the_engine_only_when_used(site, page):
    server, _ = site
    requested = []
    page.on("request", lambda r: requested.append(unquote(r.url)))
    page.goto(server.url)
    page.wait_for_load_state("networkidle")
    assert any(u.endswith("/theme/js/search-box.js") for u in requested)
    assert not any("search-engine" in u or INDEX_DIR in u for u in requested)
    box = page.locator("#search-box-q")
    assert box.get_attribute("role") == "combobox"
    page.click("#search-box-q")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.includes('manifest'))"
    )
    page.keyboard.type("조주완은")
    page.wait_for_selector("#search-box-list:not([hidden]) [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    options = page.locator("#search-box-list [role=option]")
    titles = options.all_inner_texts()
    assert any(t.startswith(SEED) for t in titles)
    assert "모두 보기" in titles[-1]
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    assert options.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # opens the list again
    page.keyboard.press("ArrowDown")
    href = unquote(options.nth(0).get_attribute("data-href"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: unquote(url) == href)
    assert page.locator("h1.article__title").count() == 1


def test_header_box_enter_opens_the_search_page_with_the_query(site, page):
    server, _ = site
    page.goto(server.url + "2024/")
    page.fill("#search-box-q", "조주완은")
    page.press("#search-box-q", "Enter")
    page.wait_for_function(SHOWN)
    assert page.input_value("#search-q") == "조주완은"
    page.locator(".search-result__title a").first.click()
    page.wait_for_load_state()
    assert unquote(page.url).startswith(server.url + "20")
    assert page.locator("h1.article__title").count() == 1


def test_filters_and_newest_first_are_kept_in_the_address(site, page):
    server, _ = site
    page.goto(server.url + "search/?q=LG전자&year=2023")
    page.wait_for_function(SHOWN)
    titles = [t for t, _ in results(page)]
    assert titles and "엘지전자 전장 사업 수주 잔고 100조 돌파" in titles
    assert not any(t.startswith(SEED) for t in titles)
    page.wait_for_selector("select[name=year]")
    assert page.input_value("select[name=year]") == "2023"
    page.select_option("select[name=year]", "")
    page.select_option("select[name=sort]", "date")
    page.wait_for_function("() => location.search.includes('sort=date')")
    page.wait_for_function(DONE)
    assert "year=" not in page.url
    metas = page.locator(".search-result__meta").all_inner_texts()
    dates = [tuple(int(n) for n in re.findall(r"\d+", m.split(" · ")[0])) for m in metas]
    assert len(dates) > 2 and dates == sorted(dates, reverse=True)
    # a filter alone, no words: every article of the section, newest first
    page.goto(server.url + "search/?section=경제&sort=date")
    page.wait_for_function(SHOWN)
    assert all("경제" in m for m in page.locator(".search-result__meta").all_inner_texts())


def test_hostile_article_text_cannot_inject_markup(site, page):
    server, _ = site
    page.goto(server.url + "search/")
    found = search(page, "alert")
    assert any(t.startswith('<script>alert("x")</script>') for t, _ in found)
    assert page.locator("#search-results script, #search-results img").count() == 0
    assert page.locator("#search-results mark").count() >= 1
    # facet names from the hostile article are option text in the filters, not markup
    page.wait_for_selector("select[name=people]")
    people = page.locator("select[name=people] option").all_inner_texts()
    assert any(t.startswith("<b>굵은이름</b>") for t in people)
    assert page.locator("#search-filters b, #search-filters script").count() == 0
    page.goto(server.url)
    page.fill("#search-box-q", "alert")
    page.wait_for_selector("#search-box-list [role=option]")
    assert page.locator("#search-box-list script, #search-box-list img").count() == 0
    assert page.dialogs == []


def test_missing_index_says_so(site, page):
    server, settings = site
    folder = settings.output_path / INDEX_DIR
    moved = folder.with_name("search-index-away")
    folder.rename(moved)
    try:
        page.goto(server.url + "search/?q=LG전자")
        page.wait_for_selector("#search-missing:not([hidden])")
        assert page.locator("#search-missing a").get_attribute("href").endswith("/archives/")
    finally:
        moved.rename(folder)


def test_without_javascript_the_page_says_so(site, browser):
    server, _ = site
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(server.url + "search/?q=LG전자")
        notice = tab.locator("noscript, .search-notice").filter(has_text="자바스크립트")
        assert "자바스크립트" in tab.inner_text("main")
        assert notice.count() >= 1
        # the header box is a plain GET form to the search page
        tab.goto(server.url)
        tab.fill("#search-box-q", "조주완")
        tab.press("#search-box-q", "Enter")
        tab.wait_for_load_state()
        assert unquote(tab.url) == server.url + "search/?q=조주완"
    finally:
        context.close()
