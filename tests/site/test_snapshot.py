"""The build snapshot: builds that skip Pelican write exactly what a full build writes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sitehelpers import copy_fixture, record_forks, tree_digests

from newsarchive import snapshot
from newsarchive.build import BuildResult, build_site
from newsarchive.config import Settings, load_settings

ARTICLE = "content/articles/2024/lg전자-1분기-실적-발표-가전-호조.md"
ARTICLE_OUT = "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"
OTHER = "content/articles/2023/엘지전자-전장-사업-수주-잔고-100조-돌파.md"
ALL_FEED = "feeds/all.atom.xml"
SECTION_FEED = "feeds/sections/경제.atom.xml"


def _cold(root: Path, tmp: Path, overrides: dict | None = None) -> dict[str, str]:
    """What a cold full build (no output, no caches, no snapshot) of *root* writes."""
    fresh = tmp / f"cold{len(list(tmp.glob('cold*')))}"
    shutil.copytree(root / "content", fresh / "content")
    settings = load_settings(fresh, overrides={"search": False, **(overrides or {})})
    return tree_digests(build_site(settings, reuse=False).output_path)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(root: Path, rel: str, paragraph: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n{paragraph}\n", "utf-8")


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Settings, BuildResult]:
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    first = build_site(settings)
    assert first.mode == "full"
    return root, settings, first


def _no_pelican(monkeypatch: pytest.MonkeyPatch) -> None:
    import pelican

    def refuse(self: object) -> None:
        raise AssertionError("Pelican ran")

    monkeypatch.setattr(pelican.Pelican, "run", refuse)


def test_an_unchanged_build_does_nothing(site, monkeypatch):
    _root, settings, first = site
    mtimes = {p: p.stat().st_mtime_ns for p in first.written}
    _no_pelican(monkeypatch)
    again = build_site(settings)
    assert again.mode == "unchanged"
    assert again.written == first.written
    assert again.changed == () and again.removed == ()
    assert (again.articles, again.pages) == (first.articles, first.pages)
    assert {p: p.stat().st_mtime_ns for p in again.written} == mtimes


def test_a_touched_file_with_the_same_bytes_changes_nothing(site, monkeypatch):
    root, settings, _first = site
    article = root / ARTICLE
    stat = article.stat()
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    _no_pelican(monkeypatch)
    assert build_site(settings).mode == "unchanged"
    assert build_site(settings).mode == "unchanged"


def test_body_edits_are_spliced_and_equal_a_full_build(site, tmp_path, monkeypatch):
    root, settings, _first = site
    output = settings.output_path
    index_mtime = (output / "index.html").stat().st_mtime_ns
    _no_pelican(monkeypatch)

    # Hostile text too: it must stay text in the page and escaped in the feeds.
    _append(root, ARTICLE, "추가 문단 <script>alert(1)</script> & </content> ]]> {{ x }}")
    result = build_site(settings)
    assert result.mode == "bodies"
    assert {p.relative_to(output).as_posix() for p in result.changed} == {
        ARTICLE_OUT,
        ALL_FEED,
        SECTION_FEED,
    }
    page = (output / ARTICLE_OUT).read_text(encoding="utf-8")
    assert "추가 문단 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;/content&gt;" in page
    assert "<script>alert" not in page
    assert (output / "index.html").stat().st_mtime_ns == index_mtime
    monkeypatch.undo()
    assert tree_digests(output) == _cold(root, tmp_path)

    # Again in the same article (its slots moved), then in another one, then both.
    _no_pelican(monkeypatch)
    _edit(root, ARTICLE, "추가 문단", "더 길게 고친 추가 문단")
    assert build_site(settings).mode == "bodies"
    _append(root, OTHER, "다른 기사의 새 문단.")
    assert build_site(settings).mode == "bodies"
    _append(root, ARTICLE, "세 번째.")
    _append(root, OTHER, "네 번째.")
    assert build_site(settings).mode == "bodies"
    monkeypatch.undo()
    assert tree_digests(output) == _cold(root, tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        "summary",
        "title",
        "new-article",
        "deleted-article",
        "registry",
        "page",
        "tampered-output",
        "missing-output",
        "foreign-file",
        "settings",
    ],
)
def test_other_changes_take_a_full_build(site, tmp_path, change):
    root, settings, _first = site
    output = settings.output_path
    overrides: dict = {}
    if change == "summary":  # the first paragraph is what lists and feeds show
        _edit(root, ARTICLE, "LG전자가 1분기 실적을 발표했다.", "LG전자가 1분기 실적을 공개했다.")
    elif change == "title":
        _edit(root, ARTICLE, "title: LG전자 1분기 실적 발표", "title: LG전자 1분기 실적 공개")
    elif change == "new-article":
        text = (root / ARTICLE).read_text(encoding="utf-8")
        text = text.replace("slug: lg전자-1분기-실적-발표-가전-호조", "slug: 새-기사")
        (root / "content/articles/2024/새-기사.md").write_text(text, encoding="utf-8")
    elif change == "deleted-article":
        (root / OTHER).unlink()
    elif change == "registry":
        path = root / "content/entities.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\n# 주석\n", encoding="utf-8")
    elif change == "page":
        _append(root, "content/pages/about.md", "새 문단.")
    elif change == "tampered-output":
        (output / "about" / "index.html").write_text("tampered", encoding="utf-8")
    elif change == "missing-output":
        (output / ARTICLE_OUT).unlink()
    elif change == "foreign-file":  # swept by a full build, as ever
        (output / "2024" / "stray.html").write_text("not ours", encoding="utf-8")
    elif change == "settings":
        overrides = {"articles_per_page": 2}
        settings = load_settings(root, overrides={"search": False, **overrides})
    result = build_site(settings)
    assert result.mode == "full"
    assert tree_digests(output) == _cold(root, tmp_path, overrides)
    assert build_site(settings).mode == "unchanged"


def test_a_file_rewritten_within_the_scan_tick_is_read_again(site, tmp_path):
    """Stat proves nothing for a file written in the clock tick of the scan (git's
    'racily clean' entries): the snapshot keeps no hash for it, so a later write with the
    same size and mtime is still seen."""
    root, settings, _first = site
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert "가전 호조" in text
    path.write_text(text.replace("가전 호조", "가전 선전", 1), encoding="utf-8")
    stamp = path.stat().st_mtime_ns
    assert build_site(settings).mode == "full"  # a title edit; recorded with no hash
    snap = snapshot.Snapshot.load(snapshot.snapshot_path(settings))
    assert snap.inputs[ARTICLE][2] is None
    path.write_text(text.replace("가전 호조", "가전 순항", 1), encoding="utf-8")  # same size
    os.utime(path, ns=(stamp, stamp))
    assert build_site(settings).mode == "full"
    assert tree_digests(settings.output_path) == _cold(root, tmp_path)


def test_publish_and_development_builds_never_reuse_each_other(site):
    _root, settings, _first = site
    url = "https://example.github.io/REPO"
    assert build_site(settings, publish=True, site_url=url).mode == "full"
    assert build_site(settings, publish=True, site_url=url).mode == "unchanged"
    assert build_site(settings).mode == "full"


def test_a_snapshot_of_another_python_or_version_is_not_read(site):
    _root, settings, _first = site
    path = snapshot.snapshot_path(settings)
    path.write_bytes(b"newsarchive-snapshot 1 2.7\n" + path.read_bytes().split(b"\n", 1)[1])
    assert build_site(settings).mode == "full"


def test_a_corrupt_snapshot_means_a_full_build(site):
    _root, settings, _first = site
    path = snapshot.snapshot_path(settings)
    path.write_bytes(path.read_bytes()[:-100])  # cut short
    assert build_site(settings).mode == "full"
    assert build_site(settings).mode == "unchanged"


def test_a_slot_that_does_not_hold_the_recorded_body_stops_the_splice(site, tmp_path):
    """Belt and braces: if output/ and the snapshot disagree in a way stat cannot see, the
    fast path refuses before writing anything, and a full build repairs the site."""
    root, settings, _first = site
    path = snapshot.snapshot_path(settings)
    data = snapshot.Snapshot.load(path)
    slot = data.feeds[ALL_FEED][0]
    slot[3] = "0" * 32
    path.write_bytes(data.dumps())
    _append(root, slot[0], "새 문단.")
    assert build_site(settings).mode == "full"
    assert tree_digests(settings.output_path) == _cold(root, tmp_path)


def test_builds_that_do_not_record_forget_the_snapshot(site):
    _root, settings, _first = site
    assert snapshot.snapshot_path(settings).is_file()
    assert build_site(settings, reuse=False, record=False).mode == "full"
    assert not snapshot.snapshot_path(settings).exists()
    assert build_site(settings).mode == "full"


def test_build_full_runs_pelican_and_records(site, capfd):
    from newsarchive.cli import main

    root, _settings, _first = site
    (root / "newsarchive.toml").write_text("search = false\n", encoding="utf-8")
    assert main(["build", "--root", str(root), "--full"]) == 0
    err = capfd.readouterr().err
    assert "built 11 articles" in err and "nothing to do" not in err
    assert main(["build", "--root", str(root)]) == 0
    assert "nothing to do: built 11 articles" in capfd.readouterr().err


def test_every_published_article_has_a_body_slot(site):
    _root, settings, first = site
    data = snapshot.Snapshot.load(snapshot.snapshot_path(settings))
    articles = [entry for entry in data.inputs.values() if entry[5]]
    assert len(articles) == first.articles
    output = settings.output_path
    for _size, _mtime, _hash, _structure, body, page, start, end in articles:
        assert snapshot._digest((output / page).read_bytes()[start:end]) == body
    assert {ALL_FEED, SECTION_FEED} <= set(data.feeds)
    for feed, slots in data.feeds.items():
        data_bytes = (output / feed).read_bytes()
        for owner, start, end, digest in slots:
            assert snapshot._digest(data_bytes[start:end]) == digest
            assert data.inputs[owner][5]


def test_full_content_rss_disables_splicing():
    assert snapshot.feeds_with_bodies({"FEED_ALL_RSS": "all.rss"}, []) is None
    assert snapshot.feeds_with_bodies(
        {"FEED_ALL_RSS": "all.rss", "RSS_FEED_SUMMARY_ONLY": True, "FEED_ALL_ATOM": "a.xml"}, []
    ) == ["a.xml"]


def test_bodies_with_intra_site_link_markup_are_not_spliced():
    assert snapshot._INTRASITE.search('<a href="{filename}/x.md">x</a>')
    assert snapshot._INTRASITE.search("<img src='|static|/a.png'>")
    assert not snapshot._INTRASITE.search('<a href="%7Bfilename%7D/x.md">x</a>')


def test_with_search_a_body_edit_reindexes_and_the_next_build_has_nothing_to_do(tmp_path):
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": True})
    build_site(settings)
    _append(root, ARTICLE, "검색색인확인용낱말 문단.")
    result = build_site(settings)
    assert result.mode == "bodies"
    changed = {p.relative_to(settings.output_path).parts[0] for p in result.changed}
    assert "pagefind" in changed
    assert all(p.exists() for p in result.written)
    again = build_site(settings)
    assert again.mode == "unchanged"
    assert set(again.written) == set(result.written)


def test_the_key_is_the_same_in_every_process(tmp_path):
    """Nothing in the key may depend on the process (hash seeds, set order): a project with
    its own theme beside the bundled one once got a different key every other run."""
    import subprocess
    import sys

    from newsarchive.config import BUNDLED_THEME

    root = copy_fixture(tmp_path / "site")
    shutil.copytree(BUNDLED_THEME, root / "themes" / "newsroom")
    code = (
        "import sys; from pathlib import Path; from newsarchive.config import load_settings; "
        "from newsarchive.snapshot import build_key; "
        "print(build_key(load_settings(Path(sys.argv[1])), False, None))"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", code, str(root)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(keys) == 1


@pytest.mark.parametrize("tamper", [False, True])
def test_the_output_check_split_with_a_child_decides_as_one_process(
    site, tmp_path, monkeypatch, tamper
):
    root, settings, first = site
    output = settings.output_path
    forks = record_forks(monkeypatch)
    _append(root, ARTICLE, "갈라진 검사 뒤의 새 문단.")
    if tamper:  # early in the list: in the child's part
        first_page = sorted(first.written)[0]
        first_page.write_bytes(first_page.read_bytes() + b"<!-- tampered -->")
    result = build_site(settings)
    assert forks, "the check did not fork"
    assert result.mode == ("full" if tamper else "bodies")
    monkeypatch.undo()
    assert tree_digests(output) == _cold(root, tmp_path)
