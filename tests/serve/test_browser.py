"""A real headless Chromium on the dev server: reload after an edit, CSS swap, error overlay."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def test_page_reloads_after_edit_and_swaps_css_in_place(fake_session, page):
    article = fake_session.settings.articles_path / "2024" / "first.md"
    page.goto(fake_session.url + "first/")
    assert page.inner_text("main") == "첫 기사 본문"
    page.evaluate("window.__survivor = 42")

    article.write_text("브라우저에서 고친 본문\n", encoding="utf-8")
    page.wait_for_function(
        "document.querySelector('main').textContent.includes('브라우저에서 고친 본문')",
        timeout=15000,
    )
    # a real reload: page state is gone
    assert page.evaluate("window.__survivor") is None

    page.evaluate("window.__survivor = 7")
    css = fake_session.settings.theme_path / "static" / "style.css"
    css.write_text("main { color: rgb(200, 0, 0); }\n", encoding="utf-8")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('main')).color === 'rgb(200, 0, 0)'",
        timeout=15000,
    )
    # CSS-only: same document, state survived, stylesheet href cache-busted
    assert page.evaluate("window.__survivor") == 7
    assert "__reload=" in page.get_attribute('link[rel="stylesheet"]', "href")
    assert page.locator('link[rel="stylesheet"]').count() == 1


def test_failed_build_shows_overlay_and_fix_removes_it(fake_session, page):
    article = fake_session.settings.articles_path / "2024" / "first.md"
    page.goto(fake_session.url + "first/")
    article.write_text("좋은 줄\nBROKEN\n", encoding="utf-8")
    overlay = page.locator("#__newsarchive-error")
    overlay.wait_for(state="visible", timeout=15000)
    assert overlay.locator(".location").inner_text() == "content/articles/2024/first.md:2"
    # the message is shown as text: its angle brackets did not become an element
    assert overlay.locator(".message").inner_text() == "cannot parse <front matter>"
    assert page.locator("front").count() == 0
    # the last good page is still there under the overlay
    assert page.inner_text("main") == "첫 기사 본문"

    # a page opened while the build is broken shows the overlay straight away
    page.reload()
    overlay.wait_for(state="visible", timeout=5000)

    article.write_text("고쳐진 본문\n", encoding="utf-8")
    page.wait_for_function(
        "document.querySelector('main').textContent.includes('고쳐진 본문')", timeout=15000
    )
    assert overlay.count() == 0


@pytest.mark.slow
def test_real_site_reloads_after_article_edit_and_swaps_theme_css(real_session, page):
    from urllib.parse import quote

    article = real_session.settings.articles_path / "2024" / "lg전자-1분기-실적-발표-가전-호조.md"
    page.goto(real_session.url + quote("2024/04/lg전자-1분기-실적-발표-가전-호조/"))
    assert "LG전자가 1분기 실적을 발표했다." in page.inner_text("body")
    page.evaluate("window.__survivor = 1")

    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n브라우저가 새로 읽은 문단.\n", encoding="utf-8")
    page.wait_for_function(
        "document.body.innerText.includes('브라우저가 새로 읽은 문단.')", timeout=30000
    )
    assert page.evaluate("window.__survivor") is None

    page.evaluate("window.__survivor = 2")
    css = real_session.settings.theme_path / "static" / "css" / "style.css"
    css.write_text(
        css.read_text(encoding="utf-8") + "\n:root { --live-probe: 7px; }\n", encoding="utf-8"
    )
    page.wait_for_function(
        "getComputedStyle(document.documentElement).getPropertyValue('--live-probe').trim()"
        " === '7px'",
        timeout=30000,
    )
    assert page.evaluate("window.__survivor") == 2
