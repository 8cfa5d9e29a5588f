"""Publishing a staged build into output/: copies what differs, deletes what is gone."""

from __future__ import annotations

import os

from newsarchive.devserver.sitebuild import mirror, mirror_paths


def _tree(root):
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_mirror_makes_target_equal_to_source(tmp_path):
    stage, out = tmp_path / "stage", tmp_path / "out"
    (stage / "a").mkdir(parents=True)
    (stage / "a" / "index.html").write_text("new", encoding="utf-8")
    (stage / "same.css").write_text("x", encoding="utf-8")
    (out / "gone" / "deep").mkdir(parents=True)
    (out / "gone" / "deep" / "old.html").write_text("old", encoding="utf-8")
    stats = mirror(stage, out)
    assert _tree(out) == _tree(stage)
    assert not (out / "gone").exists()  # emptied folders are pruned
    assert (stats.copied, stats.deleted) == (2, 1)
    # nothing changed: nothing copied, and mtimes are preserved
    before = os.stat(out / "same.css").st_mtime_ns
    assert mirror(stage, out).copied == 0
    assert os.stat(out / "same.css").st_mtime_ns == before


def test_mirror_paths_copies_only_the_named_files(tmp_path):
    stage, out = tmp_path / "stage", tmp_path / "out"
    stage.mkdir()
    out.mkdir()
    (stage / "a.html").write_text("A2", encoding="utf-8")
    (stage / "b.html").write_text("B2", encoding="utf-8")
    (out / "a.html").write_text("A1", encoding="utf-8")
    (out / "b.html").write_text("B1", encoding="utf-8")
    (out / "c.html").write_text("C1", encoding="utf-8")
    mirror_paths(stage, out, [stage / "a.html"], [stage / "c.html"])
    assert _tree(out) == {"a.html": b"A2", "b.html": b"B1"}
