"""The real dev-server builder: import new dumps, build, publish only a complete site.

A failed build must leave the site the browser sees untouched. Pelican reads everything
before writing, but a template error surfaces while pages are being written, half-way
through ``output/``. So the dev server builds into a private staging folder under the
cache dir and, only when the build succeeds, mirrors the difference into ``output/`` under
the server's ``site_lock`` (no request sees a half-synced site). The staging folder persists
between builds and the build writes only files whose bytes changed, so the mirror step
copies just what changed: a one-article edit copies a handful of files.

The build runs in this process: Pelican, Jinja2 and markdown-it stay imported and warm
between builds (a subprocess would pay their import, about a second, on every save).
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

from newsarchive.config import Settings

log = logging.getLogger(__name__)

STAGE_NAME = "serve-site"

# settings, changed dumps -> None (writes articles under content/)
Importer = Callable[[Settings, list[Path]], object]


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


class SiteBuilder:
    """The :data:`~newsarchive.devserver.rebuild.Builder` used by ``newsarchive serve``."""

    def __init__(
        self,
        settings: Settings,
        site_lock: threading.RLock,
        *,
        importer: Importer | None = None,
    ) -> None:
        self.settings = settings
        self.site_lock = site_lock
        self.importer = importer
        self.stage = settings.cache_path / STAGE_NAME
        self.stage_settings = settings.replace(
            output_dir=str(self.stage.relative_to(settings.root))
        )
        self._synced_once = False
        self._previous_written: set[Path] | None = None
        self.last_stats = MirrorStats()

    def __call__(self, changes: frozenset[Path]) -> None:
        from newsarchive.build import build_site  # heavy: Pelican

        dumps = [p for p in changes if p.is_relative_to(self.settings.raw_path) and p.is_file()]
        if dumps and self.importer is not None:
            self.importer(self.settings, sorted(dumps))
        elif dumps:
            log.warning("a raw dump changed but no importer is available; run `newsarchive import`")
        self.stage.mkdir(parents=True, exist_ok=True)
        if any(not self._is_content(p) for p in changes):
            # themes, settings, registry: rare, and static files may not be in the build's
            # list of written files; compare the whole tree once.
            self._synced_once = False
        try:
            result = build_site(self.stage_settings)
        except BaseException:
            # The stage may now hold part of a failed build that output/ never got:
            # the next good build must compare everything, not just what it rewrote.
            self._synced_once = False
            raise
        self._publish(result)

    def _is_content(self, path: Path) -> bool:
        return path.suffix == ".md" and (
            path.is_relative_to(self.settings.articles_path)
            or path.is_relative_to(self.settings.pages_path)
        )

    def _publish(self, result: object) -> None:
        """Bring output/ in line with the freshly built stage, under the site lock."""
        output = self.settings.output_path
        written = getattr(result, "written", None)
        changed = getattr(result, "changed", None)
        with self.site_lock:
            output.mkdir(parents=True, exist_ok=True)
            if (
                self._synced_once
                and self._previous_written is not None
                and written is not None
                and changed is not None
            ):
                gone = self._previous_written - set(written)
                self.last_stats = mirror_paths(self.stage, output, changed, gone)
            else:
                self.last_stats = mirror(self.stage, output)
            self._synced_once = True
        self._previous_written = set(written) if written is not None else None
        log.debug("output: %d copied, %d deleted", self.last_stats.copied, self.last_stats.deleted)
