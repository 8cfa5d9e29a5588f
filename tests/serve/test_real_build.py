"""The dev server on the real build (Pelican + our theme) over a copy of the fixture site."""

from __future__ import annotations

import filecmp
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from serve_helpers import get, page_epoch, poll, wait_for

pytestmark = pytest.mark.slow

ARTICLE = Path("content/articles/2024/lg전자-1분기-실적-발표-가전-호조.md")
ARTICLE_URL = quote("2024/04/lg전자-1분기-실적-발표-가전-호조/")


def _page(session, url: str = ARTICLE_URL) -> tuple[int, bytes]:
    status, _, body = get(session.url + url)
    return status, body


def _assert_same_as_full_build(session) -> None:
    """What the dev server published equals a fresh full build of the same sources."""
    from newsarchive.build import build_site

    fresh = session.settings.replace(output_dir="fresh-build")
    build_site(fresh)
    served, full = session.settings.output_path, fresh.output_path

    def files(root):
        # Pagefind's bundle differs between two full builds of the same site (file names are
        # content hashes of an unordered index), so it is left out of the byte comparison.
        return sorted(
            p.relative_to(root)
            for p in root.rglob("*")
            if p.is_file() and p.relative_to(root).parts[0] != "pagefind"
        )

    served_files, full_files = files(served), files(full)
    assert served_files == full_files
    _match, mismatch, errors = filecmp.cmpfiles(served, full, served_files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_edit_reloads_with_new_text_and_matches_full_build(real_session):
    status, body = _page(real_session)
    assert status == 200
    epoch = page_epoch(body)
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n실시간으로 고친 문단이다.\n", encoding="utf-8")
    answer = poll(real_session.url, epoch, timeout=60)
    assert answer["action"] == "reload", answer
    status, body = _page(real_session)
    soup = BeautifulSoup(body, "html.parser")
    assert "실시간으로 고친 문단이다." in soup.get_text()
    on_disk = (
        real_session.settings.output_path / "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"
    )
    assert "__newsarchive" not in on_disk.read_text(encoding="utf-8")
    # a body edit re-renders only the pages that show the article
    assert real_session.builder.last_mode == "incremental"
    assert 0 < real_session.builder.last_stats.copied < 40
    _assert_same_as_full_build(real_session)


def test_successive_body_edits_stay_identical_to_a_full_build(real_session):
    # an article deep in the paginated listings, edited twice, then another one
    articles = sorted(real_session.settings.articles_path.rglob("*.md"))
    for article, text in (
        (articles[0], "첫 수정"),
        (articles[0], "두 번째 수정"),
        (articles[-1], "셋째"),
    ):
        epoch = real_session.hub.epoch
        body = article.read_text(encoding="utf-8")
        article.write_text(body + f"\n{text} 문단입니다.\n", encoding="utf-8")
        assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
        real_session.wait_idle(timeout=60)
        assert real_session.builder.last_mode == "incremental"
    _assert_same_as_full_build(real_session)


def test_front_matter_edit_falls_back_to_a_full_build(real_session):
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    epoch = real_session.hub.epoch
    article.write_text(text.replace("가전 호조", "가전 대호조", 1), encoding="utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60)
    assert real_session.builder.last_mode == "full"
    _assert_same_as_full_build(real_session)
    # and the next body edit is incremental again, on the new recording
    epoch = real_session.hub.epoch
    article.write_text(article.read_text(encoding="utf-8") + "\n덧붙임.\n", encoding="utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60)
    assert real_session.builder.last_mode == "incremental"
    _assert_same_as_full_build(real_session)


def test_deleting_an_article_is_a_full_build_without_its_page(real_session):
    article = real_session.settings.root / ARTICLE
    epoch = real_session.hub.epoch
    article.unlink()
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60)
    assert real_session.builder.last_mode == "full"
    status, _ = _page(real_session)
    assert status == 404
    _assert_same_as_full_build(real_session)


def test_bad_front_matter_shows_error_and_keeps_the_last_good_site(real_session):
    output = real_session.settings.output_path
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: LG전자", "title: [LG전자", 1), encoding="utf-8")
    answer = poll(real_session.url, real_session.hub.epoch, timeout=60)
    assert answer["action"] == "error", answer
    assert answer["error"]["file"] == ARTICLE.as_posix()
    assert isinstance(answer["error"]["line"], int)
    # not one byte of the served site changed
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    status, body = _page(real_session)
    assert status == 200
    assert "LG전자 1분기 실적 발표" in BeautifulSoup(body, "html.parser").get_text()
    # fixing it reloads and clears the error
    article.write_text(text, encoding="utf-8")
    answer = poll(real_session.url, answer["epoch"], timeout=60)
    assert answer["action"] == "reload"
    assert real_session.hub.failure is None


def test_template_error_names_the_template_and_line(real_session):
    template = real_session.settings.theme_path / "templates" / "base.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("</body>", "{% if %}</body>", 1), encoding="utf-8")
    answer = poll(real_session.url, real_session.hub.epoch, timeout=60)
    assert answer["action"] == "error", answer
    assert answer["error"]["file"].endswith("base.html")
    assert answer["error"]["line"]
    status, _ = _page(real_session)
    assert status == 200
    template.write_text(good, encoding="utf-8")
    assert poll(real_session.url, answer["epoch"], timeout=60)["action"] == "reload"
    _assert_same_as_full_build(real_session)


def test_css_change_is_css_only(real_session):
    css_files = sorted((real_session.settings.theme_path / "static").rglob("*.css"))
    assert css_files
    css = css_files[0]
    css.write_text(css.read_text(encoding="utf-8") + "\n.live-reload-probe{color:red}\n", "utf-8")
    answer = poll(real_session.url, real_session.hub.epoch, timeout=60)
    assert answer["action"] == "css", answer
    served = [p for p in real_session.settings.output_path.rglob(css.name)]
    assert any(".live-reload-probe" in p.read_text(encoding="utf-8") for p in served)


def test_raw_dump_dropped_in_is_imported_and_built(real_session, seed_raw_path):
    articles = real_session.settings.articles_path
    before = set(articles.rglob("*.md"))
    builds = real_session.rebuilder.builds
    # the fixture already holds the seed's article: drop in a variant of it (new headline)
    text = seed_raw_path.read_bytes().decode("utf-8").replace("조주완 CEO", "조주완 사장")
    (real_session.settings.raw_path / "001_variant.txt").write_bytes(text.encode("utf-8"))
    answer = poll(real_session.url, real_session.hub.epoch, timeout=90)
    assert answer["action"] == "reload", answer
    new = set(articles.rglob("*.md")) - before
    assert len(new) == 1
    real_session.wait_idle(timeout=60)
    # the importer's own writes did not cause a second, identical build
    time.sleep(0.5)
    real_session.wait_idle(timeout=60)
    assert real_session.rebuilder.builds == builds + 1
    # the new article is served
    year = new.pop().parent.name
    listing = [p for p in (real_session.settings.output_path / year).rglob("index.html")]
    assert any("조주완-사장" in str(p) for p in listing)
    _assert_same_as_full_build(real_session)


def test_missing_page_is_the_sites_404(real_session):
    status, body = _page(real_session, "no/such/page/")
    assert status == 404
    site_404 = (real_session.settings.output_path / "404.html").read_bytes()
    title = BeautifulSoup(site_404, "html.parser").title
    assert BeautifulSoup(body, "html.parser").title.get_text() == title.get_text()


def test_search_index_follows_an_edit(real_session):
    settings = real_session.settings
    (settings.root / "newsarchive.toml").write_text("articles_per_page = 2\n", encoding="utf-8")
    # the settings file changed: a full build, which now writes the search index
    real_session.wait_idle(timeout=120)
    assert wait_for(lambda: (settings.output_path / "pagefind").is_dir(), timeout=120)
    # (the session's Settings object is fixed at start; the file is re-read by the build)
    builder = real_session.builder
    article = settings.root / ARTICLE
    entry = settings.output_path / "pagefind" / "pagefind-entry.json"
    epoch = real_session.hub.epoch
    article.write_text(article.read_text(encoding="utf-8") + "\n검색어반딧불이.\n", "utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=120)
    assert builder.last_mode == "incremental"
    assert entry.is_file()
    assert builder._search_stale is False


def test_rejected_dump_is_reported_with_its_name(real_project):
    import threading

    from newsarchive.config import load_settings
    from newsarchive.devserver.rebuild import describe_failure
    from newsarchive.devserver.sitebuild import SiteBuilder
    from newsarchive.errors import ImportError_

    settings = load_settings(real_project)
    dump = settings.raw_path / "broken.txt"
    dump.write_bytes(b"\xff\xfe\x00garbage")

    def rejecting(_settings, dumps):
        return [("content/raw/broken.txt", "cannot decode the dump")], []

    builder = SiteBuilder(settings, threading.RLock(), importer=rejecting)
    with pytest.raises(ImportError_) as caught:
        builder(frozenset({dump}))
    failure = describe_failure(caught.value, settings.root)
    assert (failure.path, failure.message) == ("content/raw/broken.txt", "cannot decode the dump")
    # the rest of the site was still built and published
    assert (settings.output_path / "index.html").is_file()


def test_editing_the_lead_paragraph_updates_listings_and_feeds(real_session):
    # the first paragraph is the summary: listings, section/entity pages and feeds show it
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    lead = "LG전자가 1분기 실적을 발표했다."
    assert lead in text
    epoch = real_session.hub.epoch
    article.write_text(text.replace(lead, "LG전자가 1분기 깜짝 실적을 발표했다.", 1), "utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60)
    assert real_session.builder.last_mode == "incremental"
    assert real_session.builder.last_stats.copied > 1
    _assert_same_as_full_build(real_session)


def test_an_output_the_recording_misses_turns_incremental_off(real_project, monkeypatch):
    import threading

    from newsarchive.config import load_settings
    from newsarchive.devserver import incremental
    from newsarchive.devserver.sitebuild import SiteBuilder

    # pretend the entity feeds were a new kind of output the recorder does not know about
    monkeypatch.setattr(incremental, "DIRECT_WRITERS", ())
    settings = load_settings(real_project)
    builder = SiteBuilder(settings, threading.RLock(), importer=lambda _s, _d: ([], []))
    builder(frozenset())
    assert builder.recorder.unsafe and "summary" in builder.recorder.unsafe
    article = real_project / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\n더.\n", encoding="utf-8")
    builder(frozenset({article}))
    assert builder.last_mode == "full"  # correct, just not fast
