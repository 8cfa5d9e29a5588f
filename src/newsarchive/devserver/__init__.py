"""The live-reload development server behind ``newsarchive serve``.

Pieces, each with one job:

- :mod:`.server`: HTTP, path safety, 404 page, script injection (in memory only);
- :mod:`.reload`: build epochs, the long-poll endpoint's answers, the injected script;
- :mod:`.watcher`: watchdog observer + debouncer (one rebuild per save);
- :mod:`.rebuild`: run a :data:`Builder`, turn failures into the error overlay;
- :mod:`.sitebuild`: the real builder (import new dumps, build; the CLI's build);
- :mod:`.searchrefresh`: the search index, brought up to date by a background process.

:class:`LiveSession` wires them together; it is what the command and the tests start.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from newsarchive.config import Settings
from newsarchive.devserver.rebuild import Builder, Rebuilder
from newsarchive.devserver.reload import ReloadHub
from newsarchive.devserver.server import DevServer
from newsarchive.devserver.watcher import Debouncer, SourceWatcher

__all__ = ["Builder", "LiveSession"]

log = logging.getLogger(__name__)


class LiveSession:
    """Server + watcher + rebuild loop for one project."""

    def __init__(
        self,
        settings: Settings,
        builder: Builder,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.08,
        poll_timeout: float = 25.0,
        site_lock: threading.RLock | None = None,
        watch: bool = True,
    ) -> None:
        self.settings = settings
        self.hub = ReloadHub()
        self.site_lock = site_lock or threading.RLock()
        self.rebuilder = Rebuilder(builder, self.hub, settings.root)
        self.builder = builder
        self.debouncer = Debouncer(self.rebuilder, delay=delay)
        self.server = DevServer(
            settings.output_path,
            self.hub,
            host,
            port,
            site_lock=self.site_lock,
            poll_timeout=poll_timeout,
        )
        self.watcher = SourceWatcher(settings, self.debouncer) if watch else None

    @property
    def url(self) -> str:
        return self.server.url

    def initial_build(self) -> bool:
        """Build once before serving; a failure still serves (with the overlay).

        Runs on a thread of its own, like every later rebuild: the build may use asyncio
        (the search indexer does), which fails in a thread whose event loop is running.
        """
        worker = threading.Thread(
            target=self.rebuilder, args=(frozenset(),), name="devserver-initial-build"
        )
        worker.start()
        worker.join()
        return self.hub.failure is None

    def start(self, *, initial_build: bool = False) -> bool:
        """Start watching, optionally build once, then serve; False if that build failed.

        The watcher starts before the initial build so a save made while it runs is not
        lost: it is queued and rebuilt as soon as the rebuild loop starts.
        """
        if self.watcher is not None:
            self.watcher.start()
        ok = self.initial_build() if initial_build else True
        self.debouncer.start()
        self.server.start()
        return ok

    def changed(self, *paths: Path) -> None:
        """Report changes by hand (what the watcher does on file events)."""
        self.debouncer.add(paths)

    def wait_idle(self, timeout: float = 30.0, *, deferred: bool = True) -> bool:
        """Wait until no change is pending and no rebuild runs (tests, benchmarks).

        ``deferred=False`` does not wait for background work (the search index refresh).
        """
        deadline = time.monotonic() + timeout
        search = getattr(self.builder, "search", None)
        while time.monotonic() < deadline:
            if self.debouncer.idle() and (
                not deferred or search is None or not hasattr(search, "idle") or search.idle()
            ):
                return True
            time.sleep(0.01)
        return False

    def stop(self) -> None:
        """Stop watching, finish the rebuild in flight, release polls, close the socket."""
        if self.watcher is not None:
            self.watcher.stop()
        self.debouncer.stop()
        stop = getattr(self.builder, "stop", None)
        if stop is not None:
            stop()
        self.server.stop()

    def __enter__(self) -> LiveSession:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
