"""One rebuild: run the builder on a batch of changed paths, then tell the browsers.

The :data:`Builder` is any callable taking the changed paths and raising on failure; the
real one (:mod:`newsarchive.devserver.sitebuild`) imports new dumps and builds the site,
tests use fakes. Whatever the builder raises becomes the overlay: file and line come from
:class:`NewsArchiveError`, Jinja2's template errors and YAML's marked errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from newsarchive.devserver.reload import BuildFailure, ReloadHub
from newsarchive.errors import NewsArchiveError

log = logging.getLogger(__name__)

# changed paths -> None; raises on a failed build and must then leave the served site as it was.
# A builder may expose ``own_writes`` (path -> st_mtime_ns of sources it wrote itself, e.g.
# imported articles) so their file events do not trigger another build, and ``announce``,
# ``watched`` and ``last_changed`` (see SiteBuilder): then a tab reloads only when its page
# changed, and the pages tabs show are announced before the rest of the build is done.
Builder = Callable[[frozenset[Path]], None]


def is_css_only(changes: frozenset[Path]) -> bool:
    """Whether the browser can keep the page and just swap stylesheets."""
    return bool(changes) and all(p.suffix == ".css" for p in changes)


def describe_failure(exc: BaseException, root: Path) -> BuildFailure:
    """File, line and message of a failed build, however the failure was raised."""
    path: Path | str | None = None
    line: int | None = None
    message = str(exc)
    if isinstance(exc, NewsArchiveError):
        path, line, message = exc.path, exc.line, exc.message
    else:
        # Jinja2 TemplateSyntaxError / TemplateNotFound carry filename + lineno;
        # PyYAML's MarkedYAMLError carries a 0-based problem_mark.
        path = getattr(exc, "filename", None) or None
        line = getattr(exc, "lineno", None)
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
            path = path or getattr(mark, "name", None)
        message = f"{type(exc).__name__}: {getattr(exc, 'message', None) or message}"
    shown = None
    if path is not None:
        candidate = Path(path)
        try:
            shown = str(candidate.resolve().relative_to(root))
        except (ValueError, OSError):
            shown = str(candidate)
    return BuildFailure(message=message, path=shown, line=line if isinstance(line, int) else None)


class Rebuilder:
    """The Debouncer's callback: build, publish the outcome, report how long it took."""

    def __init__(self, builder: Builder, hub: ReloadHub, root: Path) -> None:
        self.builder = builder
        self.hub = hub
        self.root = root
        self.last_duration = 0.0
        self.builds = 0
        if hasattr(builder, "announce"):
            builder.announce = lambda changed: hub.publish(changed=changed)
            builder.watched = hub.watched

    def __call__(self, changes: frozenset[Path]) -> Mapping[Path, int]:
        started = time.perf_counter()
        self.last_duration = 0.0
        shown = ", ".join(sorted(_rel(p, self.root) for p in changes)[:3])
        if changes:
            more = f" (+{len(changes) - 3} more)" if len(changes) > 3 else ""
            log.info("changed: %s%s", shown, more)
        try:
            self.builder(changes)
        except Exception as exc:  # every failure must reach the overlay, not kill the loop
            failure = describe_failure(exc, self.root)
            if not isinstance(exc, NewsArchiveError):
                log.debug("build failed", exc_info=exc)
            where = f"{failure.path}:{failure.line}: " if failure.path and failure.line else ""
            log.error("build failed: %s%s (serving the last good site)", where, failure.message)
            self.hub.publish(failure=failure)
        else:
            changed = getattr(self.builder, "last_changed", None)
            self.hub.publish(css_only=is_css_only(changes), changed=changed)
            log.info("rebuilt in %.2f s", time.perf_counter() - started)
            self.last_duration = time.perf_counter() - started
        self.last_duration = self.last_duration or time.perf_counter() - started
        self.builds += 1
        return dict(getattr(self.builder, "own_writes", None) or {})


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
