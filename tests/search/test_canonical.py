"""Pagefind's bundle is byte-identical for identical content (canonical.py)."""

from __future__ import annotations

import gzip
import random
import shutil
from pathlib import Path

import pytest

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.search.canonical import SIGNATURE, canonicalise, decode_file, encode_file

pytestmark = pytest.mark.slow

FIXTURE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def fresh_build(base: Path) -> Path:
    root = base / "site"
    shutil.copytree(FIXTURE_SITE, root)
    settings = load_settings(root)
    build_site(settings)
    return settings.output_path / "pagefind"


def test_two_fresh_builds_give_the_same_index_bytes(tmp_path, search_site):
    # search_site is a third build (shared fixture) with its own cache dir
    first = fresh_build(tmp_path / "a")
    second = fresh_build(tmp_path / "b")
    files = tree_bytes(first)
    assert any(name.startswith("filter/") for name in files), "the fixture has filters"
    assert files == tree_bytes(second)
    assert files == tree_bytes(search_site[0].output_path / "pagefind")


def test_codec_round_trips_pagefind_files_exactly(search_site):
    bundle = search_site[0].output_path / "pagefind"
    files = [*bundle.glob("*.pf_meta"), *bundle.glob("filter/*.pf_filter")]
    assert files
    for path in files:
        raw = gzip.decompress(path.read_bytes())
        assert gzip.decompress(encode_file(decode_file(path))) == raw
        assert raw.startswith(SIGNATURE)


def test_shuffled_filter_order_canonicalises_to_the_same_bundle(tmp_path, search_site):
    """What Pagefind's HashMaps do between runs: same content, other order, other names."""
    bundle = search_site[0].output_path / "pagefind"
    shuffled = tmp_path / "shuffled"
    shutil.copytree(bundle, shuffled)
    rng = random.Random(7)
    (meta_path,) = shuffled.glob("*.pf_meta")
    meta = decode_file(meta_path)
    for pair in meta[3]:
        path = shuffled / "filter" / f"{pair[1]}.pf_filter"
        index = decode_file(path)
        index[1].reverse()
        rng.shuffle(index[1])
        path.unlink()
        pair[1] = pair[1][:-1] + ("0" if pair[1][-1] != "0" else "1")
        (shuffled / "filter" / f"{pair[1]}.pf_filter").write_bytes(encode_file(index))
    meta[3].reverse()
    meta_path.write_bytes(encode_file(meta))
    assert tree_bytes(shuffled) != tree_bytes(bundle)
    canonicalise(shuffled)
    assert tree_bytes(shuffled) == tree_bytes(bundle)


def test_unexpected_bundle_is_a_build_error(tmp_path):
    from newsarchive.errors import BuildError

    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"ko": {"hash": "ko_1"}}}')
    with pytest.raises(BuildError, match="Pagefind bundle"):
        canonicalise(tmp_path)
