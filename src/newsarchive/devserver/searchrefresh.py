"""Bringing the search index up to date in the background, in a process of its own.

The dev server renders pages in its own process and must answer the next save at once;
indexing (Korean analysis, the index files) is CPU work that would hold Python's lock
meanwhile. So each refresh runs ``newsarchive index`` as a child process: a save made
during a refresh is built at once by the server, and the index catches up after (a
refresh asked for while one runs makes one more run when it ends).
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time

from newsarchive.config import Settings

log = logging.getLogger(__name__)


class SearchRefresh:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._wanted: Settings | None = None
        self._running = False
        self._stopped = False
        self._process: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.last_seconds = 0.0
        self.last_error: str | None = None

    def __call__(self, settings: Settings) -> None:
        """Ask for a refresh of *settings*' index (returns at once)."""
        if not settings.search:
            return
        with self._cond:
            if self._stopped:
                return
            self._wanted = settings
            if not self._running:
                self._running = True
                threading.Thread(target=self._loop, name="search-refresh", daemon=True).start()

    def _loop(self) -> None:
        while True:
            with self._cond:
                settings, self._wanted = self._wanted, None
                if settings is None or self._stopped:
                    self._running = False
                    self._cond.notify_all()
                    return
            self._run(settings)

    def _run(self, settings: Settings) -> None:
        started = time.perf_counter()
        command = [sys.executable, "-m", "newsarchive", "index", "--root", str(settings.root), "-q"]
        try:
            process = subprocess.Popen(command, stderr=subprocess.PIPE)
        except OSError as exc:
            self.last_error = str(exc)
            log.error("search index refresh could not start: %s", exc)
            return
        with self._cond:
            self._process = process
        _, errors = process.communicate()
        with self._cond:
            self._process = None
        self.runs += 1
        self.last_seconds = time.perf_counter() - started
        if process.returncode not in (0, -9):
            self.last_error = errors.decode("utf-8", "replace").strip()
            log.error("search index refresh failed: %s", self.last_error)
        else:
            self.last_error = None
            log.debug("search index refreshed in %.2f s", self.last_seconds)

    def idle(self) -> bool:
        with self._cond:
            return not self._running and self._wanted is None

    def wait(self, timeout: float) -> bool:
        """Wait until no refresh runs or is wanted (tests, benchmarks)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running and self._wanted is None, timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._wanted = None
            process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
