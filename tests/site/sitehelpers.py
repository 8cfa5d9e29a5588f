"""Shared helpers of the site tests (imported by name: tests/site is on sys.path)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.build import BuildResult
from newsarchive.config import Settings

FIXTURE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
BASE_URL = "https://example.github.io/REPO"
SEED_SLUG = (
    "lg전자-조주완-ceo-빅테크-격전지서-ai-광폭-행보-7억-대-제품과-7천억-시간-고객-사용-데이터로"
)
SEED_PATH = f"2024/06/{SEED_SLUG}/index.html"
PER_PAGE = 4  # small, so the fixture has paginated listings


@dataclass
class Built:
    settings: Settings
    result: BuildResult

    @property
    def output(self) -> Path:
        return self.result.output_path

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE_SITE, target)
    return target


def record_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every output check splits with a child, however small the site, unless a thread
    starts meanwhile (threads earlier tests left, such as tqdm's monitor, do not count);
    the list collects the children's pids (the check looks ``os.fork`` up when it runs)."""
    import threading

    from newsarchive import outputcheck

    threads_before = threading.active_count()
    monkeypatch.setattr(
        outputcheck, "other_threads", lambda: threading.active_count() > threads_before
    )

    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(outputcheck, "MIN_SPLIT", 0)
    monkeypatch.setattr(os, "fork", fork)
    return pids


def tree_digests(output: Path) -> dict[str, str]:
    """Every file under *output* -> its SHA-256: equal trees are equal byte for byte."""
    return {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


@contextmanager
def render_caches_seen() -> Iterator[list[object]]:
    """Collects the render cache every build inside the block sets on its BuildState."""
    from newsarchive.pelican_plugin import state

    seen: list[object] = []
    original = state.BuildState

    class Spy(original):  # type: ignore[misc, valid-type]
        def __setattr__(self, name: str, value: object) -> None:
            if name == "render_cache" and value is not None:
                seen.append(value)
            super().__setattr__(name, value)

    state.BuildState = Spy
    try:
        yield seen
    finally:
        state.BuildState = original
