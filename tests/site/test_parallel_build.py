"""Parallel builds (pelican_plugin/parallel.py): forked workers parse and render, and the
result is the serial build's, byte for byte, errors included."""

from __future__ import annotations

import inspect
import json
import os
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest
from sitehelpers import copy_fixture, render_caches_seen, tree_digests

from newsarchive.build import BuildResult, build_site
from newsarchive.config import BUNDLED_THEME, Settings, load_settings
from newsarchive.errors import BuildError, ConfigError
from newsarchive.pelican_plugin import parallel, state

pytestmark = pytest.mark.slow

ARTICLE = "content/articles/2024/lg전자-1분기-실적-발표-가전-호조.md"
ARTICLE_OUT = "2024/04/lg전자-1분기-실적-발표-가전-호조/index.html"
OTHER_THREADS = parallel.other_threads


@pytest.fixture(autouse=True)
def _fork_even_for_the_small_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fixture has 11 articles: below the thresholds that make forking pay.
    monkeypatch.setattr(parallel, "MIN_PREFETCH", 1)
    monkeypatch.setattr(parallel, "MIN_CALLS", 1)
    # Threads other test modules leave behind (an asyncio child watcher) would make
    # every build here run in one process; test_no_fork_while_another_thread_runs
    # covers that rule.
    monkeypatch.setattr(parallel, "other_threads", lambda: False)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """What the parallel paths did: share counts and every share's result."""
    seen: dict[str, list[Any]] = {"jobs": [], "results": [], "prefetched": []}
    run_shares, merge, prefetch = parallel.run_shares, parallel._merge, parallel.prefetch

    def spy_run_shares(jobs: int, share: Any) -> list[Any]:
        seen["jobs"].append(jobs)
        return run_shares(jobs, share)

    def spy_merge(calls: Any, jobs: int, results: list[Any]) -> None:
        seen["results"].append(results)
        merge(calls, jobs, results)

    def spy_prefetch(readers: Any) -> None:
        prefetch(readers)
        seen["prefetched"].append(len(state.current().prefetched))

    monkeypatch.setattr(parallel, "run_shares", spy_run_shares)
    monkeypatch.setattr(parallel, "_merge", spy_merge)
    monkeypatch.setattr(parallel, "prefetch", spy_prefetch)
    return seen


def _settings(root: Path, jobs: int) -> Settings:
    return load_settings(root, overrides={"search": False, "build_jobs": jobs})


def _full(settings: Settings) -> BuildResult:
    """A build that runs Pelican even when the build's fast path could skip it."""
    if "reuse" in inspect.signature(build_site).parameters:
        return build_site(settings, reuse=False)
    return build_site(settings)


def _relative(result: BuildResult, paths: tuple[Path, ...]) -> list[str]:
    return sorted(p.relative_to(result.output_path).as_posix() for p in paths)


def _manifest(settings: Settings) -> dict[str, Any]:
    """The render cache's manifest, without the per-file stamps and the site's location."""
    (path,) = (settings.cache_path).glob("render-*/manifest-*.json")
    calls = json.loads(path.read_text(encoding="utf-8"))["calls"]
    prefix = str(settings.output_path) + os.sep
    return {
        call: [key, [name.removeprefix(prefix) for name, _size, _mtime in files]]
        for call, (key, files) in calls.items()
    }


def _edit(root: Path, old: str, new: str) -> None:
    path = root / ARTICLE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pair(tmp_path: Path) -> tuple[Settings, Settings]:
    return (
        _settings(copy_fixture(tmp_path / "serial"), 1),
        _settings(copy_fixture(tmp_path / "parallel"), 2),
    )


def test_two_jobs_build_the_serial_site_byte_for_byte(tmp_path: Path, spy: dict[str, Any]):
    root = copy_fixture(tmp_path / "site")
    serial = build_site(_settings(root, 1))
    assert spy["jobs"] == []  # one job: nothing forks
    tree, manifest = tree_digests(serial.output_path), _manifest(_settings(root, 1))
    shutil.rmtree(root / "output")
    shutil.rmtree(root / ".cache")

    both = build_site(_settings(root, 2))
    assert spy["jobs"] == [2, 2]  # articles parsed, then pages rendered, on two processes
    assert spy["prefetched"] == [0, 11]  # every article parsed ahead (by the parallel build)
    child = spy["results"][0][1]
    assert child["files"] and child["written"]  # the forked worker rendered its share

    assert tree_digests(both.output_path) == tree
    assert both.written == serial.written and both.changed == serial.changed
    assert (both.articles, both.pages) == (serial.articles, serial.pages)
    # the workers' render-cache records reach the manifest, as a serial build writes it
    assert _manifest(_settings(root, 2)) == manifest


def test_publish_builds_match_too(tmp_path: Path, spy: dict[str, Any]):
    # Absolute URLs: Pelican renders without its per-page relative SITEURL.
    serial, both = (
        build_site(settings, publish=True, site_url="https://example.github.io/REPO")
        for settings in _pair(tmp_path)
    )
    assert spy["jobs"] == [2, 2]
    assert tree_digests(both.output_path) == tree_digests(serial.output_path)
    assert _relative(both, both.written) == _relative(serial, serial.written)


def test_a_warm_build_after_a_parallel_cold_build_renders_nothing(
    tmp_path: Path, spy: dict[str, Any]
):
    settings = _settings(copy_fixture(tmp_path / "site"), 2)
    first = build_site(settings)
    before = tree_digests(settings.output_path)
    mtimes = {p: p.stat().st_mtime_ns for p in first.written}
    with render_caches_seen() as caches:
        second = _full(settings)
    assert caches and caches[0].misses == 0 and caches[0].hits > 50
    assert second.changed == () and second.written == first.written
    assert {p: p.stat().st_mtime_ns for p in second.written} == mtimes
    assert tree_digests(settings.output_path) == before
    assert spy["jobs"] == [2, 2]  # the cold build; the warm one had nothing to parse or render


def test_an_edited_body_re_renders_only_its_pages(tmp_path: Path):
    results = []
    for settings in _pair(tmp_path):
        build_site(settings)
        _edit(settings.root, "AI 가전이 성장을 이끌었다", "AI 가전과 TV가 성장을 이끌었다")
        results.append(_full(settings))
    serial, both = results
    changed = _relative(both, both.changed)
    assert ARTICLE_OUT in changed
    assert "index.html" not in changed  # lists print summaries, not bodies
    assert changed == _relative(serial, serial.changed)
    assert tree_digests(both.output_path) == tree_digests(serial.output_path)


def _break_template(root: Path) -> Path:
    """A copy of the theme whose article template fails at run time on line 4."""
    theme = root / "themes" / "newsroom"
    shutil.copytree(BUNDLED_THEME, theme)
    template = theme / "templates" / "article.html"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[3].startswith("{% block title %}")
    lines[3] = "{% block title %}{{ article.no_such_field.boom }}{% endblock %}\n"
    template.write_text("".join(lines), encoding="utf-8")
    return template


def test_a_template_error_in_a_worker_names_the_template_and_line(
    tmp_path: Path, spy: dict[str, Any]
):
    messages = []
    for settings in _pair(tmp_path):
        template = _break_template(settings.root)
        with pytest.raises(BuildError) as caught:
            build_site(settings)
        assert caught.value.path == template and caught.value.line == 4
        assert "no_such_field" in str(caught.value)
        messages.append(str(caught.value).replace(str(settings.root), "ROOT"))
    assert messages[0] == messages[1]
    # the forked worker met the error too (every article page fails) and sent it back
    child = spy["results"][0][1]
    assert child["error"] is not None and child["error"][1][1:] == (
        caught.value.message,
        str(caught.value.path),
        4,
    )


def test_two_pages_for_one_file_still_fail(tmp_path: Path):
    messages = []
    for settings in _pair(tmp_path):
        # "sections/index.html" is the sections index as well
        page = settings.root / "content" / "pages" / "sections.md"
        page.write_text("---\ntitle: 섹션\nslug: sections\n---\n\n본문.\n", encoding="utf-8")
        with pytest.raises(BuildError, match="two pages want the same output file") as caught:
            build_site(settings)
        messages.append(str(caught.value).replace(str(settings.root), "ROOT"))
    assert messages[0] == messages[1]
    assert "ROOT/output/sections/index.html" in messages[0]


def test_files_a_call_writes_beyond_its_claim_are_checked_in_call_order():
    from pelican.writers import FileOverwriteFailedError

    class Writer:
        _written_files: set[str] = {"/out/a.html", "/out/b.html"}  # noqa: RUF012

    writer = Writer()
    calls = [
        state.DeferredCall("file:a", None, lambda: None, "/out/a.html", writer),
        state.DeferredCall("file:b", None, lambda: None, "/out/b.html", writer),
    ]

    def result(files: list[list[str]]) -> dict[str, Any]:
        return {"files": files, "written": [], "changed": [], "records": {}, "error": None}

    # call 0 (share 0) also wrote page 2 of its listing; call 1 (share 1) wrote it too
    results = [result([["/out/a.html", "/out/page/2.html"]]), result([["/out/b.html", "/x"]])]
    parallel._merge(calls, 2, results)
    assert writer._written_files == {"/out/a.html", "/out/b.html", "/out/page/2.html", "/x"}
    results = [result([["/out/a.html"]]), result([["/out/b.html", "/out/page/2.html"]])]
    with pytest.raises(FileOverwriteFailedError, match=r"page/2\.html"):
        parallel._merge(calls, 2, results)


def test_a_killed_worker_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    render_share = parallel._render_share

    def dying(calls: Any, k: int, jobs: int, theme: Path, *, child: bool) -> Any:
        if child:
            os.kill(os.getpid(), signal.SIGKILL)
        return render_share(calls, k, jobs, theme, child=child)

    monkeypatch.setattr(parallel, "_render_share", dying)
    settings = _settings(copy_fixture(tmp_path / "site"), 2)
    with pytest.raises(
        BuildError, match=r"build worker 1 of 2 \(pid \d+\) was killed by signal SIGKILL"
    ):
        build_site(settings)


def test_a_lost_parsing_worker_costs_time_not_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from newsarchive import document

    parse = document.parse_article
    parent = os.getpid()

    def dying(path: Path) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return parse(path)

    monkeypatch.setattr(document, "parse_article", dying)
    serial_settings, parallel_settings = _pair(tmp_path)
    serial = build_site(serial_settings)
    both = build_site(parallel_settings)
    assert tree_digests(both.output_path) == tree_digests(serial.output_path)


def test_no_fork_while_another_thread_runs(
    tmp_path: Path, spy: dict[str, Any], monkeypatch: pytest.MonkeyPatch
):
    import threading

    monkeypatch.setattr(parallel, "other_threads", OTHER_THREADS)  # the real rule
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert parallel.other_threads()
        serial_settings, parallel_settings = _pair(tmp_path)
        serial, both = build_site(serial_settings), build_site(parallel_settings)
    finally:
        stop.set()
        thread.join()
    assert spy["jobs"] == []  # two jobs asked for, one process used
    assert tree_digests(both.output_path) == tree_digests(serial.output_path)


def test_jobs_settings(tmp_path: Path):
    assert parallel.resolve_jobs(3) == 3
    assert parallel.resolve_jobs(0) == min(os.cpu_count() or 1, len(os.sched_getaffinity(0)))
    with pytest.raises(ConfigError, match="build_jobs"):
        load_settings(tmp_path, overrides={"build_jobs": -1})
