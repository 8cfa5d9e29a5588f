"""The dependency record: what invalidates it, and that a build recovers from losing it,
from a kill, or from a record that is not one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sites import cold_tree, fixture_site, tree

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.engine import inputs, planner, runner
from newsarchive.engine.record import Record, record_path
from newsarchive.errors import BuildError


def _build(root: Path):
    return build_site(load_settings(root))


def test_a_change_of_the_code_renders_every_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = fixture_site(tmp_path / "site")
    first = _build(root)
    assert _build(root).rendered == 0
    package = tmp_path / "package"
    shutil.copytree(inputs._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    with (package / "render" / "steps.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# an upgrade of newsarchive\n")
    monkeypatch.setattr(inputs, "_PACKAGE", package)
    key = inputs.build_key(load_settings(root), False, "")
    # a process keeps the code it started with: files upgraded under it change nothing
    assert inputs.build_key(load_settings(root), False, "") == key
    inputs.package_digest.cache_clear()  # a new process, running the upgraded code
    try:
        again = _build(root)
    finally:
        inputs.package_digest.cache_clear()
    assert again.rendered == first.outputs  # every output, though no byte differs
    assert again.changed_files == ()


def test_a_new_version_of_a_library_renders_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = fixture_site(tmp_path / "site")
    first = _build(root)
    versions = inputs.library_versions()
    assert any(v.startswith("jinja2-") for v in versions)
    bumped = [
        v.replace("jinja2-", "jinja2-99.") if v.startswith("jinja2-") else v for v in versions
    ]
    monkeypatch.setattr(inputs, "library_versions", lambda names=None: bumped)
    assert _build(root).rendered == first.outputs


def test_a_killed_build_leaves_a_record_the_next_build_trusts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = fixture_site(tmp_path / "site")
    _build(root)
    article = root / "content/articles/2024/항아-축제-개막.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("title: 항아", "title: 새 항아"), "utf-8"
    )
    render, calls = runner.render, []

    def dies_midway(site, out, renderer):
        calls.append(out.path)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as a kill would stop it: nothing saved after this
        render(site, out, renderer)

    monkeypatch.setattr(runner, "render", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        _build(root)
    monkeypatch.setattr(runner, "render", render)
    _build(root)
    expected, _ = cold_tree(root, tmp_path / "cold")
    assert tree(root / "output") == expected


def test_a_failed_render_is_done_again_by_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = fixture_site(tmp_path / "site")
    _build(root)
    css = root / "themes/newsroom/templates/partials/footer.html"
    css.write_text(css.read_text(encoding="utf-8") + "<!-- new footer -->\n", encoding="utf-8")
    render, calls = runner.render, []

    def fails_once(site, out, renderer):
        calls.append(out.path)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        render(site, out, renderer)

    monkeypatch.setattr(runner, "render", fails_once)
    with pytest.raises(BuildError, match="disk full"):
        _build(root)
    monkeypatch.setattr(runner, "render", render)
    _build(root)
    expected, _ = cold_tree(root, tmp_path / "cold")
    assert tree(root / "output") == expected


def test_a_damaged_or_lost_record_costs_a_full_render_only(tmp_path: Path):
    root = fixture_site(tmp_path / "site")
    first = _build(root)
    settings = load_settings(root)
    path = record_path(settings.cache_path, settings.output_path)
    path.write_bytes(b"not a database at all")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    again = _build(root)
    assert again.rendered == first.outputs and again.changed_files == ()
    shutil.rmtree(settings.cache_path)
    assert _build(root).changed_files == ()
    assert _build(root).rendered == 0


def _stray_in_a_page_folder(root: Path) -> Path:
    """A file put by hand into an article's folder, the folder's mtime set back to what
    it was (so only a walk of output/ can find it)."""
    page = next((root / "output" / "2024").glob("*/*/index.html"))
    folder = page.parent
    stamp = folder.stat()
    stray = folder / "notes.txt"
    stray.write_text("by hand", encoding="utf-8")
    os.utime(folder, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    return stray


def test_a_file_added_to_output_by_hand_is_removed_by_the_next_build(tmp_path: Path):
    root = fixture_site(tmp_path / "site")
    _build(root)
    page = next((root / "output" / "2024").glob("*/*/index.html"))
    strays = [page.parent / "notes.txt", root / "output" / "2024" / "new" / "x.html"]
    for stray in strays:
        stray.parent.mkdir(exist_ok=True)
        stray.write_text("by hand", encoding="utf-8")
    result = _build(root)
    assert result.rendered == 0
    assert set(result.removed) == set(strays)
    assert not any(p.exists() for p in strays) and page.exists()
    expected, _ = cold_tree(root, tmp_path / "cold")
    assert tree(root / "output") == expected


def test_after_a_build_killed_while_writing_the_next_one_walks_output(tmp_path: Path):
    """A killed build may have written files it never recorded: the next build does not
    trust the record's list of outputs and walks output/. Without the kill, a stray whose
    folder's mtime is unchanged goes unseen (a plain build stats, ``--full`` walks)."""
    root = fixture_site(tmp_path / "site")
    _build(root)
    unseen = _stray_in_a_page_folder(root)
    assert _build(root).removed == ()
    assert unseen.exists()
    assert build_site(load_settings(root), full=True).removed == (unseen,)

    stray = _stray_in_a_page_folder(root)
    settings = load_settings(root)
    record = Record(
        record_path(settings.cache_path, settings.output_path),
        inputs.build_key(settings, False, ""),
    )
    assert record.trusted
    record.begin_writing()  # and the build is killed: nothing saved
    record.close()
    assert _build(root).removed == (stray,)
    expected, _ = cold_tree(root, tmp_path / "cold")
    assert tree(root / "output") == expected
    assert _stray_in_a_page_folder(root) and _build(root).removed == ()  # trusted again


def test_full_finds_an_edit_that_kept_size_and_mtime_and_parses_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A plain build trusts a file's size and mtime; ``--full`` hashes every file again,
    so it finds an edit that kept both, and reads (parses) only the file whose bytes
    changed: any other parses to what the record holds."""
    root = fixture_site(tmp_path / "site")
    _build(root)
    article = root / "content" / "articles" / "2024" / "apple-wwdc에서-ai-기능-공개.md"
    stamp = article.stat()
    text = article.read_text(encoding="utf-8")
    edited = text.replace("새로운 AI 기능을", "새로운 XR 기능을")
    assert edited != text and len(edited.encode()) == len(text.encode())
    article.write_text(edited, encoding="utf-8")
    os.utime(article, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert _build(root).rendered == 0  # size and mtime as recorded: not read

    read: list[str] = []  # the files the build read to find what changed
    read_each = planner.read_each

    def recording_read_each(read_one):
        read_all = read_each(read_one)

        def read_and_record(paths: list[str]):
            read.extend(Path(p).name for p in paths)
            return read_all(paths)

        return read_and_record

    monkeypatch.setattr(planner, "read_each", recording_read_each)
    result = build_site(load_settings(root), full=True)
    assert read == [article.name]
    assert any(name.startswith("2024/06/apple-wwdc") for name in result.changed_files)
    expected, _ = cold_tree(root, tmp_path / "cold")
    assert tree(root / "output") == expected
