"""Per-build bookkeeping shared by the reader, the writer and the generators.

Pelican's plugin hooks are process-global signals, so the state of the running build
lives here and is reset by the ``initialized`` signal at the start of every build; this
is what lets :func:`newsarchive.build.build_site` run many times in one process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.errors import NewsArchiveError


@dataclass
class DeferredCall:
    """A writer call that missed the render cache, waiting for parallel rendering."""

    call: str  # render-cache call name (e.g. "file:index.html")
    key: str | None  # render-cache key; None when the cache is off
    write: Callable[[], None]
    # The output file Pelican's writer would check when the call runs, checked (and
    # claimed) when the call is deferred instead; None for our generator's direct writes.
    claimed: str | None = None
    writer: Any = None


@dataclass
class BuildState:
    errors: list[NewsArchiveError] = field(default_factory=list)
    written: set[Path] = field(default_factory=set)  # every output file of this build
    changed: set[Path] = field(default_factory=set)  # files whose bytes differ from before
    removed: list[Path] = field(default_factory=list)  # stale files deleted after the build
    slugs: dict[str, str] = field(default_factory=dict)  # article slug -> source path
    articles: int = 0  # published articles
    pages: int = 0  # static pages (about…)
    # rendercache.RenderCache while Pelican writes; None otherwise (e.g. dev-server replays)
    render_cache: Any = None
    capture: list[Path] | None = None  # files written by the writer call in progress
    # the published articles (Pelican objects) once every file has been read; the build's
    # snapshot (newsarchive.snapshot) records where their bodies landed in output/
    site_articles: list[Any] = field(default_factory=list)
    # --- parallel builds (parallel.py) ---
    jobs: int = 1  # processes this build may use (1: everything in this process)
    # writer calls to render in worker processes; None while calls render as they come
    deferred: list[DeferredCall] | None = None
    # True while a render share runs: the duplicate-output check was made at deferral
    share: bool = False
    # articles parsed ahead by worker processes: source path -> (content stamp, parsed)
    prefetched: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    readers: list[Any] = field(default_factory=list)  # every pelican.readers.Readers
    prefetch_done: bool = False


_current = BuildState()


def reset() -> BuildState:
    global _current
    _current = BuildState()
    return _current


def current() -> BuildState:
    return _current
