"""The sharded search index: layout, incremental re-indexing, determinism, browser search.

The fixture site (11 articles) is forced into four shards by lowering the shard size, and
its results are compared with the same site indexed as one bundle.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.pages_server import PagesServer
from newsarchive.search import shards
from newsarchive.search.indexer import ENTRY_FILE, SHARDS_FILE, build_index, work_dir

FIXTURE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SMALL = 3  # 11 articles / 3 -> 4 shards


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fragments(bundle: Path) -> int:
    return len(list((bundle / "fragment").glob("*.pf_fragment")))


def fresh_site(tmp: Path, name: str) -> Path:
    root = tmp / name
    shutil.copytree(FIXTURE_SITE, root)
    return root


# ---------------------------------------------------------------------------- shard math
def test_shard_count_is_a_power_of_two_bounding_each_shard():
    assert shards.shard_count(0) == shards.shard_count(1000) == 1
    assert shards.shard_count(1001) == 2
    assert shards.shard_count(10_000) == 16
    assert shards.shard_count(50_000) == 64
    for n in (1, 999, 5000, 12_345, 70_000):
        k = shards.shard_count(n)
        assert k & (k - 1) == 0 and n / k <= shards.SHARD_SIZE and (k == 1 or n / (k // 2) > 1000)


def test_doubling_splits_each_shard_in_two():
    urls = [f"/2024/06/{quote(f'기사-{i}')}/" for i in range(500)]
    for k in (1, 2, 4, 8):
        for url in urls:
            assert shards.shard_of(url, 2 * k) % k == shards.shard_of(url, k)
    counts = [sum(shards.shard_of(u, 8) == s for u in urls) for s in range(8)]
    assert min(counts) > 40  # a hash, not a clump


def test_fit_count_never_leaves_a_shard_empty():
    urls = ["/a/", "/b/", "/c/"]
    k = shards.fit_count([shards.url_hash(u) for u in urls], 1)
    assert 1 <= k <= 2 and len({shards.shard_of(u, k) for u in urls}) == k


# ---------------------------------------------------------------------------- builds
@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """The fixture site built in four shards (development build)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_SIZE", SMALL)
        root = fresh_site(tmp_path_factory.mktemp("shards"), "site")
        settings = load_settings(root)
        result = build_site(settings)
    return settings, result


def test_bundles_are_laid_out_and_listed(sharded):
    settings, result = sharded
    pagefind = settings.output_path / "pagefind"
    listed = json.loads((pagefind / SHARDS_FILE).read_text(encoding="utf-8"))["shards"]
    assert listed == ["shard-01/", "shard-02/", "shard-03/"]
    assert (pagefind / "pagefind.js").is_file() and (pagefind / ENTRY_FILE).is_file()
    bundles = [pagefind, *(pagefind / s for s in listed)]
    for bundle in bundles[1:]:
        assert (bundle / ENTRY_FILE).is_file()
        # a merged shard is loaded by the primary's Pagefind: no JS, no WebAssembly
        assert not list(bundle.glob("*.js")) and not list(bundle.glob("wasm.*"))
    # every article in exactly one shard, none empty
    per_shard = [fragments(b) for b in bundles]
    assert sum(per_shard) == result.articles == 11 and min(per_shard) >= 1
    assert pagefind / SHARDS_FILE in result.written
    assert all(b / ENTRY_FILE in result.written for b in bundles)


def test_unchanged_rebuild_runs_no_pagefind(sharded):
    settings, _ = sharded
    pagefind = settings.output_path / "pagefind"
    before = {p: p.stat().st_mtime_ns for p in pagefind.rglob("*") if p.is_file()}
    caches = [work_dir(settings) / "pages.json", work_dir(settings) / "index.json"]
    caches.append(settings.cache_path / "search" / "terms.json")
    cached = [c.stat().st_mtime_ns for c in caches]
    report = build_index(settings, shard_size=SMALL)
    assert (report.shards, report.shards_indexed, report.read) == (4, 0, 0)
    assert report.changed == [] and report.removed == []
    assert set(report.written) == set(before)
    assert {p: p.stat().st_mtime_ns for p in pagefind.rglob("*") if p.is_file()} == before
    assert [c.stat().st_mtime_ns for c in caches] == cached  # no cache rewritten


def test_damaged_output_is_repaired_without_pagefind(sharded):
    settings, _ = sharded
    victim = settings.output_path / "pagefind" / "shard-02" / ENTRY_FILE
    victim.unlink()
    report = build_index(settings, shard_size=SMALL)
    assert report.shards_indexed == 0 and victim in report.changed and victim.is_file()


def test_one_edit_reindexes_only_its_shard(sharded):
    settings, _ = sharded
    article = next((settings.content_path / "articles" / "2024").glob("서울시*.md"))
    original = article.read_text(encoding="utf-8")
    page = next(settings.output_path.glob("2024/*/서울시*/index.html"))
    url = "/" + quote(page.parent.relative_to(settings.output_path).as_posix(), safe="/") + "/"
    shard = shards.shard_of(url, 4)
    own = settings.output_path / "pagefind" / shards.shard_dir(shard)
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(shards, "SHARD_SIZE", SMALL)
            article.write_text(original.rstrip("\n") + "\n\n샤드편집시험낱말.\n", encoding="utf-8")
            result = build_site(settings)
        index_changes = [p for p in result.changed if "pagefind" in p.parts]
        assert index_changes and own / ENTRY_FILE in index_changes
        for path in index_changes:
            rel = path.relative_to(settings.output_path / "pagefind")
            if shard == 0:
                assert not rel.parts[0].startswith("shard-")
            else:
                assert rel.parts[0] == shards.shard_dir(shard)
        # the same edit seen by the indexer alone: one page read, one Pagefind run
        page.write_text(
            page.read_text(encoding="utf-8").replace("샤드편집시험낱말", "샤드두번째낱말"),
            encoding="utf-8",
        )
        report = build_index(settings, shard_size=SMALL)
        assert (report.read, report.shards_indexed, report.shards) == (1, 1, 4)
    finally:
        article.write_text(original, encoding="utf-8")
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(shards, "SHARD_SIZE", SMALL)
            build_site(settings)


def test_two_fresh_sharded_builds_are_byte_identical(sharded, tmp_path):
    settings, _ = sharded
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_SIZE", SMALL)
        other = load_settings(fresh_site(tmp_path, "again"))
        build_site(other)
    assert tree(other.output_path / "pagefind") == tree(settings.output_path / "pagefind")


def test_fewer_shards_remove_the_stale_bundles(tmp_path):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shards, "SHARD_SIZE", SMALL)
        settings = load_settings(fresh_site(tmp_path, "shrink"))
        build_site(settings)
    pagefind = settings.output_path / "pagefind"
    assert (pagefind / "shard-03" / ENTRY_FILE).is_file()

    report = build_index(settings, shard_size=6)  # 11 / 6 -> 2 shards
    assert report.shards == 2 and report.shards_indexed == 2
    assert not (pagefind / "shard-02").exists() and not (pagefind / "shard-03").exists()
    assert pagefind / "shard-03" / ENTRY_FILE in report.removed
    listed = json.loads((pagefind / SHARDS_FILE).read_text(encoding="utf-8"))["shards"]
    assert listed == ["shard-01/"]
    assert fragments(pagefind) + fragments(pagefind / "shard-01") == 11
    staged = sorted(p.name for p in (work_dir(settings) / "docs").iterdir())
    assert staged == ["00", "01"]

    report = build_index(settings, shard_size=100)  # one bundle again
    assert report.shards == 1 and not list(pagefind.glob("shard-*"))
    assert json.loads((pagefind / SHARDS_FILE).read_text(encoding="utf-8")) == {"shards": []}
    # the same bytes as a site that was never sharded
    single = load_settings(fresh_site(tmp_path, "single"))
    build_site(single)
    assert tree(pagefind) == tree(single.output_path / "pagefind")

    # growing again moves the staged documents instead of reading the pages again
    report = build_index(settings, shard_size=SMALL)
    assert (report.shards, report.shards_indexed, report.read) == (4, 4, 0)
    assert sum(fragments(pagefind / shards.shard_dir(i)) for i in range(4)) == 11


# ---------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The fixture site published under /REPO/ twice: in four shards and in one bundle."""
    base = tmp_path_factory.mktemp("shards-served")
    sites = {}
    with pytest.MonkeyPatch.context() as mp:
        for name, size in (("sharded", SMALL), ("single", shards.SHARD_SIZE)):
            mp.setattr(shards, "SHARD_SIZE", size)
            settings = load_settings(fresh_site(base, name))
            settings.output_path.mkdir(parents=True, exist_ok=True)
            server = PagesServer(settings.output_path, base_path="/REPO/")
            server.__enter__()
            build_site(settings, publish=True, site_url=server.url.rstrip("/"))
            sites[name] = server
    try:
        yield sites
    finally:
        for server in sites.values():
            server.__exit__(None, None, None)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ko-KR")
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on(
        "console",
        lambda m: (
            tab.errors.append(f"{m.text} {m.location['url']}")
            if m.type in ("error", "warning") and "favicon" not in m.location["url"]
            else None
        ),
    )
    try:
        yield tab
    finally:
        context.close()


def results(page, server, query: str) -> list[tuple[str, str, str]]:
    """(title, site path, meta line) of every result of /search/?QUERY, all pages shown."""
    page.goto(server.url + "search/?" + query)
    # the count is printed before the first results are rendered: wait for both
    total = page.wait_for_function(
        """() => {
          const status = document.getElementById('search-status').textContent;
          if (/없습니다/.test(status)) return [0];  // truthy: the wait is over
          const found = status.match(/([0-9,]+)건/);
          if (!found) return null;
          const total = Number(found[1].replace(/,/g, ''));
          const shown = document.querySelectorAll('.search-result').length;
          return shown >= Math.min(total, 10) ? [total] : null;
        }"""
    ).json_value()[0]
    while page.locator("#search-more:not([hidden])").count():
        shown = page.locator(".search-result").count()
        page.click("#search-more")
        page.wait_for_function(
            f"() => document.querySelectorAll('.search-result').length > {shown}"
        )
    links = page.locator(".search-result__title a")
    metas = page.locator(".search-result__meta")
    assert links.count() == total
    return [
        (
            links.nth(i).inner_text(),
            unquote(links.nth(i).get_attribute("href")).removeprefix("/REPO"),
            metas.nth(i).inner_text(),
        )
        for i in range(links.count())
    ]


def shard_of_path(path: str) -> int:
    return shards.shard_of(quote(path, safe="/"), 4)


@pytest.mark.browser
@pytest.mark.slow
def test_search_spans_every_shard_like_one_index(served, page):
    seen_shards: set[int] = set()
    for query in ("q=LG전자가", "q=AI", "q=조주완", "q=발표", "q=전자"):
        sharded = results(page, served["sharded"], query)
        single = results(page, served["single"], query)
        assert sharded, (query, page.errors)
        assert sorted(sharded) == sorted(single), query  # the same articles, all found
        assert all(path.startswith("/20") for _, path, _ in sharded)
        seen_shards |= {shard_of_path(path) for _, path, _ in sharded}
    assert len(seen_shards) >= 3  # hits came from different bundles
    assert page.errors == [], "\n".join(page.errors)


@pytest.mark.browser
@pytest.mark.slow
def test_filters_and_counts_cover_every_shard(served, page):
    for name in ("sharded", "single"):
        page.goto(served[name].url + "search/")
        page.wait_for_selector("select[name=section]", state="attached")
        options = {
            key: page.locator(f"select[name={key}] option").all_inner_texts()
            for key in ("section", "year", "people", "companies", "topics")
        }
        if name == "sharded":
            sharded_options = options
    assert sharded_options == options  # the same values with the same article counts
    assert not any("shard" in o for values in sharded_options.values() for o in values)
    filtered = results(page, served["sharded"], "q=LG전자&year=2023")
    assert filtered and all(meta.startswith("2023") for _, _, meta in filtered)
    assert "엘지전자 전장 사업 수주 잔고 100조 돌파" in {t for t, _, _ in filtered}
    section = results(page, served["sharded"], "section=경제")
    assert sorted(section) == sorted(results(page, served["single"], "section=경제"))
    assert len({shard_of_path(p) for _, p, _ in section}) >= 2
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_newest_first_is_merged_by_date_across_shards(served, page):
    for query in ("q=발표&sort=date", "q=AI&sort=date", "section=경제&sort=date"):
        sharded = results(page, served["sharded"], query)
        dates = [meta.split(" · ")[0] for _, _, meta in sharded]
        assert len(sharded) >= 2 and dates == sorted(dates, reverse=True), query
        single = results(page, served["single"], query)
        assert [m.split(" · ")[0] for _, _, m in single] == dates
        assert sorted(sharded) == sorted(single)
    assert page.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_missing_shard_list_says_the_index_is_missing(served, page):
    server = served["sharded"]
    listing = Path(server.root) / "pagefind" / SHARDS_FILE
    moved = listing.with_name("away.json")
    listing.rename(moved)
    try:
        page.goto(server.url + "search/?q=LG전자")
        page.wait_for_selector("#search-missing:not([hidden])")
    finally:
        moved.rename(listing)
