"""Telling open browser tabs that the site changed: build epochs, long-poll, injected script.

The design follows MkDocs' livereload: every finished build (good or failed) gets a new
*epoch*; each served HTML page carries the epoch it was served at, and its script long-polls
``/__newsarchive/poll?epoch=N``. The request is held open until a newer epoch exists (or a
timeout, after which the script simply asks again), then answered with JSON saying what to do:

- ``reload``: content changed, reload the page;
- ``unchanged``: builds finished, none of which changed this page's bytes (a page tells
  the server which output it is): keep it, clear an error overlay, wait for the next;
- ``css``: only stylesheets changed since the page's epoch, swap them in place (cache-busting
  query) so scroll position and page state survive;
- ``error``: the last build failed; show an overlay naming file, line and message (inserted
  as text, never as HTML: messages can quote content from raw dumps). The site on disk is
  still the last good one, so the page itself stays usable underneath.

Long-poll rather than SSE: one short-lived request per change needs no extra thread per tab
that would have to be interrupted at shutdown, and works through any proxy.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Under a prefix no site page can use: Pelican never writes a folder starting with "__".
PREFIX = "/__newsarchive/"
POLL_PATH = PREFIX + "poll"
SCRIPT_PATH = PREFIX + "livereload.js"
# Keep the history of recent builds so a tab that missed several can still tell whether
# all of them were CSS-only; older tabs just reload.
_HISTORY = 64

_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class BuildFailure:
    """What the overlay shows: which file, which line, what went wrong."""

    message: str
    path: str | None = None
    line: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "file": self.path, "line": self.line}


@dataclass(frozen=True)
class _Build:
    epoch: int
    css_only: bool
    failure: BuildFailure | None
    # the output files whose bytes changed or that were removed (None: not known, every
    # page reloads); a tab on another page keeps its page
    changed: frozenset[str] | None = None


class ReloadHub:
    """The shared state between the rebuild loop (publishes) and the HTTP handlers (wait)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        # Wall-clock milliseconds, so that a tab opened against a previous server process
        # (lower epoch) reloads once the restarted server builds, instead of waiting forever.
        self._epoch = _now_ms()
        self._start = self._epoch
        self._forgotten = 0  # epoch of the newest build dropped from the history
        self._history: list[_Build] = []
        self._failure: BuildFailure | None = None
        self._closed = False
        self._watched: dict[str, int] = {}  # output file -> tabs waiting on it now

    @property
    def epoch(self) -> int:
        with self._cond:
            return self._epoch

    @property
    def failure(self) -> BuildFailure | None:
        with self._cond:
            return self._failure

    def publish(
        self,
        *,
        css_only: bool = False,
        failure: BuildFailure | None = None,
        changed: frozenset[str] | None = None,
    ) -> int:
        """Record a finished build (``failure`` set when it failed; *changed*: the output
        files it changed or removed, if known) and wake every waiting tab."""
        with self._cond:
            self._epoch = max(self._epoch + 1, _now_ms())
            self._failure = failure
            build = _Build(self._epoch, css_only and failure is None, failure, changed)
            self._history.append(build)
            if len(self._history) > _HISTORY:
                self._forgotten = self._history[-_HISTORY - 1].epoch
                del self._history[:-_HISTORY]
            self._cond.notify_all()
            return self._epoch

    def close(self) -> None:
        """Release every waiting poll (server shutdown)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def wait(self, epoch: int, timeout: float, page: str | None = None) -> dict[str, Any]:
        """Block until a build newer than ``epoch`` exists (or timeout); say what the tab
        showing the output file *page* (None: not known) should do."""
        with self._cond:
            if page is not None:
                self._watched[page] = self._watched.get(page, 0) + 1
            try:
                self._cond.wait_for(lambda: self._epoch > epoch or self._closed, timeout=timeout)
            finally:
                if page is not None:
                    left = self._watched[page] - 1
                    if left:
                        self._watched[page] = left
                    else:
                        del self._watched[page]
            return self._answer(epoch, page)

    def watched(self) -> frozenset[str]:
        """The output files open tabs are showing (those waiting for a build now)."""
        with self._cond:
            return frozenset(self._watched)

    def _answer(self, epoch: int, page: str | None = None) -> dict[str, Any]:
        current = self._epoch
        if current <= epoch:
            return {"epoch": current, "action": "none"}
        if self._failure is not None:
            return {"epoch": current, "action": "error", "error": self._failure.as_json()}
        # A tab from before this server started, or older than the remembered history,
        # cannot know what it missed: reload to be safe.
        if epoch < self._start or (self._forgotten and epoch < self._forgotten):
            return {"epoch": current, "action": "reload"}
        newer = [b for b in self._history if b.epoch > epoch]
        if newer and all(b.css_only for b in newer):
            return {"epoch": current, "action": "css"}
        if page is not None and all(
            b.css_only or (b.changed is not None and page not in b.changed) for b in newer
        ):
            action = "css" if any(b.css_only for b in newer) else "unchanged"
            return {"epoch": current, "action": action}
        return {"epoch": current, "action": "reload"}

    def page_state(self, page: str | None = None) -> dict[str, Any]:
        """What a freshly served page must know: its epoch, the current failure, if any,
        and which output file it is (None: the 404 page, which any build may replace)."""
        with self._cond:
            failure = self._failure.as_json() if self._failure else None
            state = {"epoch": self._epoch, "error": failure, "poll": POLL_PATH}
            if page is not None:
                state["page"] = page
            return state


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _script_json(value: Any) -> str:
    """JSON that is safe inside an inline <script>: no `</script>` or `<!--` can form."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def inject(html: bytes, state: dict[str, Any]) -> bytes:
    """Insert the reload script before the last ``</body>`` (or at the end) of a page.

    Only the dev server calls this, on the bytes it sends: nothing is written to disk, so a
    real build never carries the script.
    """
    snippet = (
        f"<script>window.__newsarchiveReload={_script_json(state)};</script>"
        f'<script src="{SCRIPT_PATH}"></script>'
    ).encode()
    last = None
    for last in _BODY_END.finditer(html):  # noqa: B007 (we want the last match)
        pass
    if last is None:
        return html + snippet
    return html[: last.start()] + snippet + html[last.start() :]


def script_bytes() -> bytes:
    return resources.files("newsarchive.devserver").joinpath("livereload.js").read_bytes()
