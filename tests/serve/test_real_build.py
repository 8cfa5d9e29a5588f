"""The dev server on the real build (Pelican + our theme) over a copy of the fixture site."""

from __future__ import annotations

import contextlib
import filecmp
import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from serve_helpers import get, page_epoch, poll

from newsarchive.errors import NewsArchiveError
from newsarchive.search import INDEX_DIR

pytestmark = pytest.mark.slow

ARTICLE = Path("content/articles/2024/lg전자-1분기-실적-발표-가전-호조.md")
ARTICLE_URL = quote("2024/04/lg전자-1분기-실적-발표-가전-호조/")


def _page(session, url: str = ARTICLE_URL) -> tuple[int, bytes]:
    status, _, body = get(session.url + url)
    return status, body


def _assert_same_as_full_build(session) -> None:
    """What the dev server wrote equals a build of the same sources from nothing."""
    import shutil

    from newsarchive.build import build_site
    from newsarchive.config import load_settings

    root = session.settings.root
    fresh = root.parent / "fresh-build"
    if fresh.exists():
        shutil.rmtree(fresh)
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("output", ".cache"))
    with contextlib.suppress(NewsArchiveError):  # a file that cannot be built is left out alike
        build_site(load_settings(fresh))
    served, full = session.settings.output_path, fresh / "output"

    def files(top):  # the search index included: a pure function of the articles too
        return sorted(p.relative_to(top) for p in top.rglob("*") if p.is_file())

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
    # a body edit re-renders only the pages that show the article's body (the page is
    # announced first, the site feed follows)
    real_session.wait_idle(timeout=60, deferred=False)
    result = real_session.builder.last_result
    assert 0 < result.rendered < 5 and len(result.changed_files) < 5
    _assert_same_as_full_build(real_session)


def test_successive_edits_of_every_kind_stay_identical_to_a_full_build(real_session):
    articles = sorted(real_session.settings.articles_path.rglob("*.md"))
    edits = [
        (articles[0], lambda t: t + "\n첫 수정 문단입니다.\n"),
        (articles[0], lambda t: t + "\n두 번째 수정 문단입니다.\n"),
        (articles[-1], lambda t: t.replace("title: ", "title: (수정) ", 1)),
        (articles[1], lambda t: t.replace("section: 경제", "section: 사회", 1)),
        (articles[2], lambda t: t.replace("people:\n", "people:\n- name: 새인물\n", 1)),
    ]
    for article, change in edits:
        epoch = real_session.hub.epoch
        article.write_text(change(article.read_text(encoding="utf-8")), encoding="utf-8")
        assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
        real_session.wait_idle(timeout=60, deferred=False)
        _assert_same_as_full_build(real_session)


def test_deleting_an_article_removes_its_page(real_session):
    article = real_session.settings.root / ARTICLE
    epoch = real_session.hub.epoch
    article.unlink()
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60, deferred=False)
    status, _ = _page(real_session)
    assert status == 404
    assert real_session.builder.last_result.removed_files
    _assert_same_as_full_build(real_session)


def test_bad_front_matter_shows_error_and_builds_the_rest(real_session):
    """A broken front matter is named (file and line) over the page; the rest of the site
    is built without that article (as a build from nothing would), and fixing the file
    brings it back."""
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title: LG전자", "title: [LG전자", 1), encoding="utf-8")
    answer = poll(real_session.url, real_session.hub.epoch, timeout=60)
    assert answer["action"] == "error", answer
    assert answer["error"]["file"] == ARTICLE.as_posix()
    assert isinstance(answer["error"]["line"], int)
    status, body = _page(real_session, "")
    assert status == 200  # the rest of the site is served
    _assert_same_as_full_build(real_session)
    # fixing it reloads, clears the error and brings the article back
    article.write_text(text, encoding="utf-8")
    answer = poll(real_session.url, answer["epoch"], timeout=60)
    assert answer["action"] == "reload"
    assert real_session.hub.failure is None
    status, body = _page(real_session)
    assert status == 200
    assert "LG전자 1분기 실적 발표" in BeautifulSoup(body, "html.parser").get_text()
    _assert_same_as_full_build(real_session)


def test_template_error_names_the_template_and_line_and_writes_nothing(real_session):
    output = real_session.settings.output_path
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    template = real_session.settings.theme_path / "templates" / "base.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("</body>", "{% if %}</body>", 1), encoding="utf-8")
    answer = poll(real_session.url, real_session.hub.epoch, timeout=60)
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before  # a template that does not compile stops the build first
    assert answer["action"] == "error", answer
    assert answer["error"]["file"].endswith("base.html")
    assert answer["error"]["line"]
    status, _ = _page(real_session)
    assert status == 200
    template.write_text(good, encoding="utf-8")
    assert poll(real_session.url, answer["epoch"], timeout=60)["action"] == "reload"
    _assert_same_as_full_build(real_session)


def test_a_template_edit_on_a_large_site_is_built_by_a_child_process(real_session):
    builder = real_session.builder
    builder.wide_site_outputs = 0  # the fixture site counts as large
    template = real_session.settings.theme_path / "templates" / "partials" / "footer.html"
    good = template.read_text(encoding="utf-8")
    epoch = real_session.hub.epoch
    template.write_text(good.replace("</footer>", "<p>자식 빌드</p></footer>", 1), "utf-8")
    assert poll(real_session.url, epoch, timeout=120)["action"] == "reload"
    real_session.wait_idle(timeout=120, deferred=False)
    assert builder.child_builds == 1
    assert builder.last_result.rendered_files == ()  # the child rendered every page
    status, body = _page(real_session)
    assert status == 200 and "자식 빌드" in BeautifulSoup(body, "html.parser").get_text()
    _assert_same_as_full_build(real_session)
    # an article edit afterwards is built in this process again, from the child's record
    article = real_session.settings.root / ARTICLE
    epoch = real_session.hub.epoch
    article.write_text(article.read_text(encoding="utf-8") + "\n자식 다음 문단.\n", "utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60, deferred=False)
    assert builder.child_builds == 1 and 0 < len(builder.last_result.rendered_files) < 5
    _assert_same_as_full_build(real_session)


def test_a_broken_template_on_a_large_site_still_names_its_line(real_session):
    real_session.builder.wide_site_outputs = 0
    output = real_session.settings.output_path
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    template = real_session.settings.theme_path / "templates" / "base.html"
    template.write_text(
        template.read_text(encoding="utf-8").replace("</body>", "{% if %}</body>", 1), "utf-8"
    )
    answer = poll(real_session.url, real_session.hub.epoch, timeout=120)
    assert answer["action"] == "error", answer
    assert answer["error"]["file"].endswith("base.html") and answer["error"]["line"]
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_the_edited_page_is_announced_before_the_rest_of_the_build(real_session):
    builder = real_session.builder
    announced: list[frozenset[str] | None] = []
    publish = builder.announce
    builder.announce = lambda changed: (announced.append(changed), publish(changed))
    page = "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"
    article = real_session.settings.root / ARTICLE
    epoch = real_session.hub.epoch
    article.write_text(
        article.read_text(encoding="utf-8").replace("title: ", "title: (속보) ", 1), "utf-8"
    )
    answer = get(f"{real_session.url}__newsarchive/poll?epoch={epoch}&page={quote(page)}")
    assert json.loads(answer[2])["action"] == "reload"
    real_session.wait_idle(timeout=60, deferred=False)
    (first,) = announced
    month = "2024/04/index.html"  # its month lists it
    assert first is not None and page in first and month not in first
    rest = builder.last_changed
    assert rest is not None and month in rest and page not in rest
    # a tab on a page the edit did not change keeps its page
    about = json.loads(
        get(f"{real_session.url}__newsarchive/poll?epoch={epoch}&page=about/index.html")[2]
    )
    assert about["action"] == "unchanged"
    status, body = _page(real_session)
    assert status == 200 and "(속보)" in BeautifulSoup(body, "html.parser").get_text()
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
    result = real_session.builder.last_result
    assert result.changed_files == (f"theme/css/{css.name}",)  # nothing else is rendered


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
    """The index is refreshed by a process of its own after the pages: the reload does not
    wait for it, and the edited text is found once it has run."""
    settings = real_session.settings
    epoch = real_session.hub.epoch
    (settings.root / "newsarchive.toml").write_text("articles_per_page = 2\n", encoding="utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    assert real_session.wait_idle(timeout=180)  # the settings changed: pages, then the index
    assert (settings.output_path / INDEX_DIR / "manifest.json.gz").is_file()
    article = settings.root / ARTICLE
    epoch = real_session.hub.epoch
    article.write_text(article.read_text(encoding="utf-8") + "\n검색어반딧불이.\n", "utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    assert real_session.wait_idle(timeout=180)
    refresh = real_session.builder.search
    assert refresh.runs >= 2 and refresh.last_error is None
    # the refresh put the new word in the index the browser reads
    import jsengine

    (found,) = jsengine.search(settings.output_path / INDEX_DIR, [{"q": "검색어반딧불이"}])
    assert found["total"] == 1


def test_rejected_dump_is_reported_with_its_name(real_project):
    import threading

    from newsarchive.config import load_settings
    from newsarchive.devserver.rebuild import describe_failure
    from newsarchive.devserver.sitebuild import SiteBuilder
    from newsarchive.errors import ImportFailed

    settings = load_settings(real_project)
    dump = settings.raw_path / "broken.txt"
    dump.write_bytes(b"\xff\xfe\x00garbage")

    def rejecting(_settings, dumps):
        return [("content/raw/broken.txt", "cannot decode the dump")], []

    builder = SiteBuilder(settings, threading.RLock(), importer=rejecting)
    with pytest.raises(ImportFailed) as caught:
        builder(frozenset({dump}))
    failure = describe_failure(caught.value, settings.root)
    assert (failure.path, failure.message) == ("content/raw/broken.txt", "cannot decode the dump")
    # the rest of the site was still built and published
    assert (settings.output_path / "index.html").is_file()
    builder.stop()


def test_editing_the_lead_paragraph_updates_listings_and_feeds(real_session):
    # the first paragraph is the summary: listings, section/entity pages and feeds show it
    article = real_session.settings.root / ARTICLE
    text = article.read_text(encoding="utf-8")
    lead = "LG전자가 1분기 실적을 발표했다."
    assert lead in text
    epoch = real_session.hub.epoch
    article.write_text(text.replace(lead, "LG전자가 1분기 깜짝 실적을 발표했다.", 1), "utf-8")
    assert poll(real_session.url, epoch, timeout=60)["action"] == "reload"
    real_session.wait_idle(timeout=60, deferred=False)
    assert len(real_session.builder.last_result.changed_files) > 3
    _assert_same_as_full_build(real_session)


def test_serve_starts_from_a_built_site_without_rendering(real_project):
    """`make html` then `make serve`: the site is current, the first build renders nothing."""
    import threading

    from newsarchive.build import build_site
    from newsarchive.config import load_settings
    from newsarchive.devserver.sitebuild import SiteBuilder

    settings = load_settings(real_project)
    build_site(settings)
    builder = SiteBuilder(settings, threading.RLock(), importer=lambda _s, _d: ([], []))
    try:
        builder(frozenset())
        assert builder.last_result.rendered == 0 and builder.last_result.changed_files == ()
    finally:
        builder.stop()
