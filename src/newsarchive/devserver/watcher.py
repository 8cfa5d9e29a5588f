"""Watching the sources and turning bursts of file events into one rebuild.

An editor's save is rarely one event: vim writes ``4913`` and ``.swp`` files and renames,
Emacs writes ``.#lock`` links and ``file~`` backups, others write ``*.tmp`` then rename over
the target, and inotify reports modify + close for every write. The :class:`Debouncer`
collects paths until the file system has been quiet for ``delay`` seconds, then calls the
rebuild callback once with the set of changed paths, on its own thread, one call at a time.
Events that arrive during a rebuild start the next quiet period, except events for files the
rebuild wrote itself and nobody touched since (the importer writing articles from a new
dump): those would only trigger a second, identical build.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from newsarchive.config import CONFIG_FILENAME, Settings

log = logging.getLogger(__name__)

# Files at the project root whose change affects the build.
ROOT_FILES = (CONFIG_FILENAME, "pelicanconf.py", "publishconf.py")
_IGNORED_DIRS = {".git", ".cache", ".venv", "__pycache__", ".pytest_cache", "node_modules"}
_IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", "~", ".pyc")


def is_editor_noise(path: Path) -> bool:
    """Temp, swap, lock and backup files editors write around a save, and hidden files.

    Hidden files are never build input (Pelican and the theme copy skip them); the importer
    keeps its manifest in ``content/.import-state.json``.
    """
    name = path.name
    return (
        name == "4913"  # vim's "can I write here?" probe
        or name.startswith((".#", "#"))  # Emacs lock files and auto-saves
        or name.endswith(_IGNORED_SUFFIXES)
        or name.startswith(".")  # swap files, the importer's manifest, OS metadata
        or name.startswith(".goutputstream-")  # GNOME's atomic save temp
        or name == "Thumbs.db"
    )


class Debouncer:
    """Coalesce changed paths; call ``callback(paths)`` after ``delay`` seconds of quiet.

    ``callback`` may return the files it wrote itself (path -> ``st_mtime_ns`` right after
    writing); their pending events are dropped while the file still has that mtime.
    """

    def __init__(
        self,
        callback: Callable[[frozenset[Path]], Mapping[Path, int] | None],
        delay: float = 0.08,
        max_wait: float = 2.0,
    ) -> None:
        self.callback = callback
        self.delay = delay
        self.max_wait = max_wait  # a file written continuously still gets built now and then
        self._cond = threading.Condition()
        self._pending: set[Path] = set()
        self._first = 0.0
        self._last = 0.0
        self._stopped = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="devserver-rebuild", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout)

    def add(self, paths: Iterable[Path]) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.update(paths)
            self._last = now
            self._cond.notify_all()

    def idle(self) -> bool:
        """Nothing pending and no rebuild running."""
        with self._cond:
            return not self._pending and not self._busy

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopped)
                if self._stopped:
                    return
            with self._cond:
                # Wait for a quiet period, bounded by max_wait since the first event.
                while not self._stopped:
                    now = time.monotonic()
                    quiet_left = self._last + self.delay - now
                    cap_left = self._first + self.max_wait - now
                    left = min(quiet_left, cap_left)
                    if left <= 0:
                        break
                    self._cond.wait(timeout=left)
                if self._stopped:
                    return
                batch = frozenset(self._pending)
                self._pending.clear()
                self._busy = True
            own: Mapping[Path, int] | None = None
            try:
                own = self.callback(batch)
            except Exception:  # the loop must survive any bug in one rebuild
                log.exception("rebuild failed unexpectedly")
            finally:
                with self._cond:
                    self._busy = False
                    if own:
                        self._pending = {p for p in self._pending if not _unchanged(p, own)}
                    self._cond.notify_all()


def _unchanged(path: Path, own: Mapping[Path, int]) -> bool:
    """Whether ``path`` is a file the rebuild wrote and nobody has touched since."""
    if path not in own:
        return False
    try:
        return path.stat().st_mtime_ns == own[path]
    except OSError:
        return False


class _Handler(FileSystemEventHandler):
    def __init__(self, sink: Callable[[list[Path]], None], ignore: Callable[[Path], bool]):
        self.sink = sink
        self.ignore = ignore

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a folder's mtime changes with every file in it: the file event suffices
        paths = [Path(_text(event.src_path))]
        if getattr(event, "dest_path", ""):
            paths.append(Path(_text(event.dest_path)))
        relevant = [p for p in paths if not self.ignore(p)]
        if relevant:
            self.sink(relevant)


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


class SourceWatcher:
    """A watchdog observer on everything a build reads, feeding a :class:`Debouncer`."""

    def __init__(self, settings: Settings, debouncer: Debouncer) -> None:
        self.settings = settings
        self.debouncer = debouncer
        self.observer = Observer(timeout=0.2)
        root = settings.root
        self._excluded = [settings.output_path, settings.cache_path, root / ".cache"]
        handler = _Handler(debouncer.add, self.ignored)
        # content/ covers articles, pages, entities.yaml and raw/ (when raw is inside it).
        trees = [settings.content_path, settings.raw_path, root / "themes", settings.theme_path]
        scheduled: list[Path] = []
        for tree in trees:
            if tree.is_dir() and not any(tree.is_relative_to(s) for s in scheduled):
                self.observer.schedule(handler, str(tree), recursive=True)
                scheduled.append(tree)
        # The root itself, non-recursively, for the settings files.
        self.observer.schedule(handler, str(root), recursive=False)
        self.watched = [*scheduled, root]

    def ignored(self, path: Path) -> bool:
        if is_editor_noise(path):
            return True
        try:
            parts = path.relative_to(self.settings.root).parts
        except ValueError:
            parts = path.parts
        if any(part in _IGNORED_DIRS for part in parts):
            return True
        if any(path.is_relative_to(ex) for ex in self._excluded):
            return True
        if path.parent == self.settings.root:
            return path.name not in ROOT_FILES
        return False

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
