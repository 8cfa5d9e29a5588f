"""The build on several processes: forked workers read and render shares, and the result
is the one-process build's, byte for byte, errors included."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import pytest
from sites import fixture_site, tree

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.engine import parallel, runner
from newsarchive.errors import BuildError, ConfigError

pytestmark = pytest.mark.slow


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forks even for the small fixture and despite threads other tests left behind;
    records how many processes each split used."""
    monkeypatch.setattr(runner, "MIN_PER_PROCESS", 1)
    monkeypatch.setattr(parallel, "MIN_READS_PER_PROCESS", 1)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    seen: list[int] = []
    run_shares = parallel.run_shares

    def spy(jobs: int, share: Any) -> list[Any]:
        seen.append(jobs)
        return run_shares(jobs, share)

    monkeypatch.setattr(parallel, "run_shares", spy)
    return seen


def _pair(tmp_path: Path, jobs: int) -> tuple[Path, Path]:
    one = fixture_site(tmp_path / "one", "build_jobs = 1\n")
    many = fixture_site(tmp_path / "many", f"build_jobs = {jobs}\n")
    return one, many


def test_two_processes_build_the_one_process_site(tmp_path: Path, forks: list[int]):
    one, two = _pair(tmp_path, 2)
    build_site(load_settings(one))
    assert forks == []
    build_site(load_settings(two))
    assert forks == [2, 2]  # reading, then rendering
    assert tree(two / "output") == tree(one / "output")
    # the record a parallel build leaves is as good: an edit re-renders as few outputs
    for root in (one, two):
        article = root / "content/articles/2024/항아-축제-개막.md"
        article.write_text(article.read_text(encoding="utf-8") + "\n덧붙임.\n", "utf-8")
    first, second = build_site(load_settings(one)), build_site(load_settings(two))
    assert first.rendered == second.rendered and first.changed_files == second.changed_files
    assert tree(two / "output") == tree(one / "output")


def test_a_template_error_in_a_worker_names_the_template_and_line(tmp_path: Path, forks: list[int]):
    one, two = _pair(tmp_path, 2)
    for root in (one, two):
        chips = root / "themes/newsroom/templates/partials/chips.html"
        lines = chips.read_text(encoding="utf-8").split("\n")
        lines.insert(2, "{{ groups.nope() }}")
        chips.write_text("\n".join(lines), encoding="utf-8")
    errors = []
    for root in (one, two):
        with pytest.raises(BuildError) as caught:
            build_site(load_settings(root))
        errors.append(caught.value)
    assert errors[1].path is not None and errors[1].path.name == "chips.html"
    assert (errors[1].path.name, errors[1].line, errors[1].message) == (
        errors[0].path.name,
        errors[0].line,
        errors[0].message,
    )


def test_a_killed_worker_fails_the_build_and_the_next_build_recovers(
    tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
):
    _, two = _pair(tmp_path, 2)
    parent = os.getpid()
    render = runner.render

    def dying(site: Any, out: Any, renderer: Any) -> None:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        render(site, out, renderer)

    monkeypatch.setattr(runner, "render", dying)
    with pytest.raises(
        BuildError, match=r"build worker 1 of 2 \(pid \d+\) was killed by signal SIGKILL"
    ):
        build_site(load_settings(two))
    monkeypatch.setattr(runner, "render", render)
    build_site(load_settings(two))
    one = fixture_site(tmp_path / "cold", "build_jobs = 1\n")
    build_site(load_settings(one))
    assert tree(two / "output") == tree(one / "output")


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        thread.join()


def test_jobs_settings(tmp_path: Path):
    assert parallel.resolve_jobs(3) == 3
    assert parallel.resolve_jobs(0) == min(os.cpu_count() or 1, len(os.sched_getaffinity(0)))
    with pytest.raises(ConfigError, match="build_jobs"):
        load_settings(tmp_path, overrides={"build_jobs": -1})
