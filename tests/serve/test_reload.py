"""Edits reach the browser: reload events, CSS-only swaps, the error overlay, debouncing.

These run the real server and the real watchdog observer on a temporary project; only the
builder is a fake (see test_real_build.py for the same flow on the real build).
"""

from __future__ import annotations

import json
import os

from serve_helpers import atomic_write, get, page_epoch, poll, wait_for

from newsarchive.devserver.reload import BuildFailure, ReloadHub
from newsarchive.devserver.watcher import is_editor_noise


def _article(session):
    return session.settings.articles_path / "2024" / "first.md"


def test_edit_sends_reload_and_serves_new_html(fake_session):
    _, _, body = get(fake_session.url + "first/")
    epoch = page_epoch(body)
    _article(fake_session).write_text("고친 본문\n", encoding="utf-8")
    answer = poll(fake_session.url, epoch)
    assert answer["action"] == "reload"
    assert answer["epoch"] > epoch
    _, _, body = get(fake_session.url + "first/")
    assert "고친 본문".encode() in body
    assert page_epoch(body) == answer["epoch"]


def test_new_article_is_built_and_served(fake_session):
    epoch = fake_session.hub.epoch
    (fake_session.settings.articles_path / "2024" / "second.md").write_text("둘째\n", "utf-8")
    assert poll(fake_session.url, epoch)["action"] == "reload"
    status, _, body = get(fake_session.url + "second/")
    assert status == 200
    assert "둘째".encode() in body


def test_broken_file_shows_overlay_and_keeps_old_page(fake_session):
    article = _article(fake_session)
    epoch = fake_session.hub.epoch
    article.write_text("첫 줄\nBROKEN <b>here</b>\n", encoding="utf-8")
    answer = poll(fake_session.url, epoch)
    assert answer["action"] == "error"
    error = answer["error"]
    assert error["file"] == "content/articles/2024/first.md"
    assert error["line"] == 2
    assert error["message"] == "cannot parse <front matter>"
    # the last good page is still served, and a fresh load carries the error to show
    status, _, body = get(fake_session.url + "first/")
    assert status == 200
    assert "첫 기사 본문".encode() in body
    assert b"cannot parse \\u003cfront matter\\u003e" in body
    # fixing the file reloads and clears the error
    article.write_text("고쳤다\n", encoding="utf-8")
    answer = poll(fake_session.url, answer["epoch"])
    assert answer["action"] == "reload"
    _, _, body = get(fake_session.url + "first/")
    assert "고쳤다".encode() in body
    assert b'"error": null' in body


def test_css_only_change_asks_for_a_stylesheet_swap(fake_session):
    epoch = fake_session.hub.epoch
    css = fake_session.settings.theme_path / "static" / "style.css"
    css.write_text("main { color: rgb(200, 0, 0); }\n", encoding="utf-8")
    answer = poll(fake_session.url, epoch)
    assert answer["action"] == "css"
    _, _, body = get(fake_session.url + "theme/style.css")
    assert b"200, 0, 0" in body
    # a tab that also missed a content change must reload instead
    _article(fake_session).write_text("다른 본문\n", encoding="utf-8")
    assert poll(fake_session.url, answer["epoch"])["action"] == "reload"
    assert poll(fake_session.url, epoch)["action"] == "reload"


def test_editor_save_dance_gives_one_rebuild(fake_session):
    builder = fake_session.builder
    before = len(builder.calls)
    article = _article(fake_session)
    folder = article.parent
    # vim: probe file, swap file, backup, write, rename; plus a plain atomic rename
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    (folder / ".first.md.swp").write_bytes(b"\0" * 64)
    (folder / "first.md~").write_text("old", encoding="utf-8")
    atomic_write(article, "한 번만\n")
    with article.open("a", encoding="utf-8") as handle:
        handle.write("추가\n")
    (folder / ".first.md.swp").unlink()
    assert wait_for(lambda: len(builder.calls) > before)
    assert fake_session.wait_idle()
    # give a straggling event the chance to cause a second build (it must not)
    assert not wait_for(lambda: len(builder.calls) > before + 1, timeout=0.6)
    assert len(builder.calls) == before + 1
    changed = {p.name for p in builder.calls[-1]}
    assert "first.md" in changed
    assert not any(is_editor_noise(p) for p in builder.calls[-1])


def test_editor_noise_alone_builds_nothing(fake_session):
    builder = fake_session.builder
    before = len(builder.calls)
    folder = _article(fake_session).parent
    for name in (".first.md.swp", "4913", "first.md~", ".#first.md", "x.tmp"):
        (folder / name).write_text("x")
    # output/ and .cache/ are written by the build itself and must never trigger one
    (fake_session.settings.output_path / "stray.html").write_text("x")
    (fake_session.settings.root / ".cache").mkdir(exist_ok=True)
    (fake_session.settings.root / ".cache" / "x").write_text("x")
    assert not wait_for(lambda: len(builder.calls) > before, timeout=0.8)


def test_settings_file_and_registry_trigger_a_rebuild(fake_session):
    builder = fake_session.builder
    before = len(builder.calls)
    (fake_session.settings.root / "newsarchive.toml").write_text('site_name = "x"\n')
    assert wait_for(lambda: len(builder.calls) > before)
    fake_session.wait_idle()
    before = len(builder.calls)
    fake_session.settings.entities_path.write_text("people: []\n", encoding="utf-8")
    assert wait_for(lambda: len(builder.calls) > before)


def test_deleting_an_article_rebuilds(fake_session):
    builder = fake_session.builder
    before = len(builder.calls)
    os.remove(_article(fake_session))
    assert wait_for(lambda: len(builder.calls) > before)


def test_is_editor_noise():
    from pathlib import Path

    for name in (".a.md.swp", "a.md~", ".#a.md", "4913", "a.md.tmp", ".goutputstream-X1"):
        assert is_editor_noise(Path(name)), name
    for name in ("a.md", "style.css", "entities.yaml", "newsarchive.toml", "2024"):
        assert not is_editor_noise(Path(name)), name


def test_hub_answers():
    hub = ReloadHub()
    start = hub.epoch
    assert hub.wait(start, timeout=0.01)["action"] == "none"
    css = hub.publish(css_only=True)
    assert hub.wait(start, timeout=0)["action"] == "css"
    hub.publish()
    assert hub.wait(css, timeout=0)["action"] == "reload"
    assert hub.wait(start, timeout=0)["action"] == "reload"
    # a tab from an earlier server process (older epoch) reloads
    assert hub.wait(start - 1000, timeout=0)["action"] == "reload"


def test_a_tab_reloads_only_when_its_page_changed():
    hub = ReloadHub()
    start = hub.epoch
    edited = "2024/04/slug/index.html"
    first = hub.publish(changed=frozenset({edited, "index.html"}))
    assert hub.wait(start, timeout=0, page=edited)["action"] == "reload"
    other = hub.wait(start, timeout=0, page="about/index.html")
    assert other == {"epoch": first, "action": "unchanged"}
    assert hub.wait(start, timeout=0)["action"] == "reload"  # a tab that did not say
    # the rest of the build: the home page's tab reloaded at the first announcement
    second = hub.publish(changed=frozenset({"2024/index.html"}))
    assert hub.wait(first, timeout=0, page="index.html")["action"] == "unchanged"
    assert hub.wait(first, timeout=0, page="2024/index.html")["action"] == "reload"
    # not known what changed (a child build, a changed script): every tab reloads
    hub.publish(changed=None)
    assert hub.wait(second, timeout=0, page="about/index.html")["action"] == "reload"
    # a failure is shown everywhere; the build that fixes it clears every overlay
    failed = hub.publish(failure=BuildFailure("broken"))
    assert hub.wait(failed - 1, timeout=0, page="about/index.html")["action"] == "error"
    hub.publish(changed=frozenset({edited}))
    assert hub.wait(failed, timeout=0, page="about/index.html")["action"] == "unchanged"
    css = hub.publish(css_only=True, changed=frozenset())
    assert hub.wait(css - 1, timeout=0, page="about/index.html")["action"] == "css"


def test_the_hub_knows_which_pages_tabs_are_waiting_on():
    import threading

    hub = ReloadHub()
    epoch = hub.epoch
    waiter = threading.Thread(target=hub.wait, args=(epoch, 5.0, "a/index.html"))
    waiter.start()
    assert wait_for(lambda: hub.watched() == frozenset({"a/index.html"}))
    hub.publish()
    waiter.join()
    assert hub.watched() == frozenset()


def test_a_served_page_says_which_output_it_is(fake_session):
    _, _, body = get(fake_session.url + "first/")
    marker = b"window.__newsarchiveReload="
    start = body.index(marker) + len(marker)
    state = json.loads(body[start : body.index(b";</script>", start)])
    assert state["page"] == "first/index.html"
