"""The real dev-server builder: import new dumps, build, publish only a complete site.

A failed build must leave the site the browser sees untouched. Pelican reads everything
before writing, but a template error surfaces while pages are being written, half-way
through ``output/``. So the dev server builds into a private staging folder under the
cache dir and, only when the build succeeds, mirrors the difference into ``output/`` under
the server's ``site_lock`` (no request sees a half-synced site). The staging folder persists
between builds and the build writes only files whose bytes changed, so the mirror step
copies just what changed: a one-article edit copies a handful of files.

The build runs in this process: Pelican, Jinja2 and markdown-it stay imported and warm
between builds. A subprocess per save would pay their import first (measured here: 1.7-1.9 s,
more than the whole incremental rebuild) and could not keep the recording that incremental
rebuilds replay (:mod:`newsarchive.devserver.incremental`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.config import CONFIG_FILENAME, Settings, load_settings
from newsarchive.devserver.incremental import Recorder, Unsupported
from newsarchive.errors import ImportError_

if TYPE_CHECKING:
    from newsarchive.build import BuildResult

log = logging.getLogger(__name__)

STAGE_NAME = "serve-site"

# settings, dumps (None: all of content/raw/) -> (problems as (display, reason), files written)
Importer = Callable[[Settings, list[Path] | None], tuple[list[tuple[str, str]], list[Path]]]


def run_importer(
    settings: Settings, dumps: list[Path] | None
) -> tuple[list[tuple[str, str]], list[Path]]:
    """The project's importer, quiet (no progress bar) and in this process."""
    from newsarchive.importer import ImportOptions, run_import

    report = run_import(settings, dumps, ImportOptions(progress=False))
    if report.imported:
        log.info("imported %d dump(s)", len(report.imported))
    return [*report.failed, *report.conflicts], list(report.written)


@dataclass
class MirrorStats:
    copied: int = 0
    deleted: int = 0


def _listing(root: Path) -> dict[str, tuple[int, int]]:
    """relative path -> (size, mtime_ns) of every regular file below root."""
    found: dict[str, tuple[int, int]] = {}
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                rel = os.path.relpath(entry.path, root)
                found[rel] = (st.st_size, st.st_mtime_ns)
    return found


def _copy_atomic(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copy2(source, temp)  # keeps mtime: the next comparison sees them equal
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def mirror(source: Path, target: Path) -> MirrorStats:
    """Make ``target`` hold exactly the files of ``source`` (copy differing, delete extra)."""
    stats = MirrorStats()
    have = _listing(target)
    want = _listing(source)
    for rel, stamp in want.items():
        if have.get(rel) != stamp:
            _copy_atomic(source / rel, target / rel)
            stats.copied += 1
    for rel in have.keys() - want.keys():
        (target / rel).unlink(missing_ok=True)
        stats.deleted += 1
    if stats.deleted:
        _prune_empty(target)
    return stats


def mirror_paths(
    source: Path, target: Path, changed: Iterable[Path], gone: Iterable[Path]
) -> MirrorStats:
    """Copy only ``changed`` (absolute paths below source) and delete ``gone``."""
    stats = MirrorStats()
    for path in changed:
        rel = Path(path).relative_to(source)
        _copy_atomic(source / rel, target / rel)
        stats.copied += 1
    for path in gone:
        rel = Path(path).relative_to(source)
        (target / rel).unlink(missing_ok=True)
        stats.deleted += 1
    if stats.deleted:
        _prune_empty(target)
    return stats


def _prune_empty(root: Path) -> None:
    for folder, _dirs, _files in os.walk(root, topdown=False):
        if Path(folder) != root:
            with contextlib.suppress(OSError):  # not empty
                Path(folder).rmdir()


def _mtimes(paths: Iterable[Path]) -> dict[Path, int]:
    found: dict[Path, int] = {}
    for path in paths:
        with contextlib.suppress(OSError):
            found[Path(path)] = Path(path).stat().st_mtime_ns
    return found


class SiteBuilder:
    """The :data:`~newsarchive.devserver.rebuild.Builder` used by ``newsarchive serve``."""

    def __init__(
        self,
        settings: Settings,
        site_lock: threading.RLock,
        *,
        importer: Importer | None = None,
        incremental: bool = True,
    ) -> None:
        self.settings = settings
        self.site_lock = site_lock
        self.importer = importer or run_importer
        self._use(settings)
        self._synced_once = False
        self.last_stats = MirrorStats()
        self.incremental = incremental
        self.recorder = Recorder()
        self.last_mode = ""  # "full" or "incremental": what the last successful build did
        self.own_writes: dict[Path, int] = {}  # sources this builder wrote (see Debouncer)
        self._search_stale = False

    def _use(self, settings: Settings) -> None:
        self.settings = settings
        self.stage = settings.cache_path / STAGE_NAME
        self.stage_settings = settings.replace(
            output_dir=str(self.stage.relative_to(settings.root))
        )

    def _reload_settings(self) -> None:
        """newsarchive.toml changed: read it again (a mistake shows in the overlay)."""
        fresh = load_settings(self.settings.root)
        if fresh.output_path != self.settings.output_path:
            log.warning("output_dir changed: restart `newsarchive serve` to serve the new folder")
            fresh = fresh.replace(output_dir=self.settings.output_dir)
        self._use(fresh)
        self._synced_once = False

    def __call__(self, changes: frozenset[Path]) -> None:
        from newsarchive.build import build_site  # heavy: Pelican

        if any(p.name == CONFIG_FILENAME and p.parent == self.settings.root for p in changes):
            self.recorder.invalidate()
            self._reload_settings()

        dumps = [p for p in changes if p.is_relative_to(self.settings.raw_path) and p.is_file()]
        self.own_writes = {}
        problems: list[tuple[str, str]] = []
        if dumps:
            problems, written = self.importer(self.settings, sorted(dumps))
            self.own_writes = _mtimes(written)
        self.stage.mkdir(parents=True, exist_ok=True)
        if not dumps and self._synced_once and self.incremental:
            try:
                changed = self.recorder.rebuild(changes, self.settings.articles_path)
            except Unsupported as why:
                log.debug("full build: %s", why)
            except Exception:
                # never trust a half-done incremental pass: the full build decides
                log.debug("incremental rebuild failed; full build", exc_info=True)
            else:
                self.last_mode = "incremental"
                self.last_stats = self._publish_paths(changed, ())
                # The search index is refreshed after the browsers reload (see follow_up).
                self._search_stale = True
                return
        self.recorder.invalidate()
        try:
            with self.recorder.recording():
                result = build_site(self.stage_settings, reuse=False, record=False)
        except BaseException:
            # The stage may now hold part of a failed build that output/ never got:
            # the next good build must compare everything, not just what it rewrote.
            self._synced_once = False
            self.recorder.invalidate()
            raise
        self.last_mode = "full"
        self._search_stale = False  # build_site indexed the whole site
        self._publish(result)
        if problems:
            # The site is rebuilt with everything that did import; the overlay names the dump.
            display, reason = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ImportError_(f"{reason}{more}", path=display)

    def import_all(self) -> None:
        """Import every new or changed dump before the first build; problems are logged."""
        if self.settings.raw_path.is_dir():
            problems, _written = self.importer(self.settings, None)
            for display, reason in problems:
                log.error("%s: %s", display, reason)

    def _publish_paths(self, changed: Iterable[Path], removed: Iterable[Path]) -> MirrorStats:
        with self.site_lock:
            return mirror_paths(self.stage, self.settings.output_path, changed, removed)

    def follow_up(self) -> None:
        """Bring the search index up to date after an incremental rebuild.

        A full build indexes as part of ``build_site``; an incremental one leaves it to
        this step, which the rebuild loop runs right after telling the browsers to reload
        (the index is cached per page, so only the edited pages are read again).
        """
        if not self._search_stale:
            return
        from newsarchive.build import BuildResult
        from newsarchive.search import index_search

        empty = BuildResult(self.stage, 0, 0, written=(), changed=(), removed=())
        try:
            result = index_search(self.stage_settings, empty)
        except BaseException:
            self._synced_once = False  # the stage may be ahead of output/: compare all next
            self.recorder.invalidate()
            raise
        self._search_stale = False
        self._publish_paths(result.changed, result.removed)

    def _publish(self, result: BuildResult) -> None:
        """Bring output/ in line with the freshly built stage, under the site lock."""
        output = self.settings.output_path
        with self.site_lock:
            output.mkdir(parents=True, exist_ok=True)
            if self._synced_once:
                try:
                    stats = mirror_paths(self.stage, output, result.changed, result.removed)
                except ValueError:  # a path outside the stage: compare everything instead
                    stats = mirror(self.stage, output)
            else:
                stats = mirror(self.stage, output)
            self._synced_once = True
        self.last_stats = stats
        log.debug("output: %d copied, %d deleted", stats.copied, stats.deleted)
