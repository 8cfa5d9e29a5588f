"""The render cache: warm builds skip unchanged pages, yet output equals a cold build.

These builds pass ``reuse=False``: they test Pelican's path, which the build snapshot
(tests/site/test_snapshot.py) would otherwise skip when nothing or only a body changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitehelpers import copy_fixture, render_caches_seen, tree_digests

from newsarchive.build import build_site
from newsarchive.config import load_settings

ARTICLE = "content/articles/2024/lg전자-1분기-실적-발표-가전-호조.md"
ARTICLE_OUT = "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"


def _edit(root: Path, old: str, new: str) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _cold(root: Path, tmp: Path, name: str) -> dict[str, str]:
    """A cold build (no output, no caches) of *root*'s current content."""
    fresh = tmp / name
    shutil.copytree(root / "content", fresh / "content")
    result = build_site(load_settings(fresh, overrides={"search": False}))
    return tree_digests(result.output_path)


@pytest.mark.slow
def test_warm_builds_skip_work_and_match_cold_builds(tmp_path: Path):
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    first = build_site(settings, reuse=False)
    article_out = settings.output_path / ARTICLE_OUT
    index_mtime = (settings.output_path / "index.html").stat().st_mtime_ns

    # Nothing changed: every writer call is skipped, every file is kept.
    with render_caches_seen() as seen:
        second = build_site(settings, reuse=False)
    assert second.written == first.written and second.changed == ()
    assert seen and seen[0].misses == 0 and seen[0].hits > 50
    assert tree_digests(settings.output_path) == _cold(root, tmp_path, "cold0")

    # A body edit after the first paragraph: that article's page (and full-content feeds).
    _edit(root, "AI 가전이 성장을 이끌었다", "AI 가전과 TV가 성장을 이끌었다")
    third = build_site(settings, reuse=False)
    assert article_out in third.changed
    assert "AI 가전과 TV가" in article_out.read_text(encoding="utf-8")
    assert (settings.output_path / "index.html").stat().st_mtime_ns == index_mtime
    assert tree_digests(settings.output_path) == _cold(root, tmp_path, "cold1")

    # The first paragraph is the summary that lists show: those pages follow.
    _edit(root, "LG전자가 1분기 실적을 발표했다.", "LG전자가 1분기 실적을 새로 발표했다.")
    fourth = build_site(settings, reuse=False)
    assert settings.output_path / "index.html" in fourth.changed
    assert tree_digests(settings.output_path) == _cold(root, tmp_path, "cold2")

    # Metadata (a title), and a hand-edited output file: both rebuilt.
    _edit(root, "title: LG전자 1분기 실적 발표", "title: LG전자 1분기 실적 공개")
    (settings.output_path / "about" / "index.html").write_text("tampered", encoding="utf-8")
    build_site(settings, reuse=False)
    assert tree_digests(settings.output_path) == _cold(root, tmp_path, "cold3")


def test_a_corrupt_manifest_is_ignored(tmp_path: Path):
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    build_site(settings)
    manifests = list(settings.cache_path.rglob("manifest-*.json"))
    assert len(manifests) == 1
    manifests[0].write_text("{not json", encoding="utf-8")
    (settings.output_path / "index.html").unlink()
    build_site(settings, reuse=False)
    assert (settings.output_path / "index.html").is_file()


def test_a_recorded_build_renders_every_page(tmp_path: Path):
    """The dev server learns which pages show an article by watching them render: a warm
    build it records must not skip any page."""
    from newsarchive.devserver.incremental import Recorder

    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    build_site(settings)
    recorder = Recorder()
    with recorder.recording():
        build_site(settings, reuse=False)
    source = str(root / ARTICLE)
    outputs = {output for _call, output in recorder.deps[source]}
    assert str(settings.output_path / ARTICLE_OUT) in outputs
    assert str(settings.output_path / "index.html") in outputs
