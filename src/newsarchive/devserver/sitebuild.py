"""The real dev-server builder: import new dumps, then build, the same build as the CLI's.

``newsarchive serve`` builds into ``output/`` with the same function, settings and
dependency record as ``newsarchive build``: a site that ``make html`` has just built is
current, so the server serves at once; each save renders only what the save made stale.
The build runs in this process (Pelican, Jinja2 and markdown-it stay imported and warm),
except a change that re-renders most pages of a large site (a template, the settings, the
registry: see :meth:`SiteBuilder.is_wide`): that is a ``newsarchive build`` child process,
which renders on every core, as this process cannot (its server threads rule out forking
workers). The child's build is the CLI's, so its output is the same bytes.

A build that fails before rendering (a broken front matter, registry or template) writes
nothing: the site in the browser stays the last good one, with the error over it. The
search index is brought up to date after the pages, by a separate process (see
:mod:`newsarchive.devserver.searchrefresh`), so a save made meanwhile is built at once.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from newsarchive.config import CONFIG_FILENAME, Settings, load_settings
from newsarchive.engine.options import FirstPass, Session
from newsarchive.errors import ImportFailed, NewsArchiveError

log = logging.getLogger(__name__)

# Sites with at least this many outputs build a wide change in a child process; below it,
# the child's start (imports, the record) costs more than rendering in one process saves.
WIDE_SITE_OUTPUTS = 2_000

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


def page_changes(paths: Iterable[str]) -> frozenset[str] | None:
    """Output files changed, as open tabs are told (a tab reloads if its page is one):
    None, every tab reloads, when one is not a page, feed or sitemap (a script or an
    image a page uses may have changed)."""
    found = frozenset(paths)
    if all(p.endswith((".html", ".xml")) for p in found):
        return found
    return None


def _mtimes(paths: Iterable[Path]) -> dict[Path, int]:
    found: dict[Path, int] = {}
    for path in paths:
        try:
            found[Path(path)] = Path(path).stat().st_mtime_ns
        except OSError:
            continue
    return found


class SiteBuilder:
    """The :data:`~newsarchive.devserver.rebuild.Builder` used by ``newsarchive serve``."""

    def __init__(
        self,
        settings: Settings,
        site_lock: threading.RLock,
        *,
        importer: Importer | None = None,
        search: Callable[[Settings], None] | None = None,
    ) -> None:
        from newsarchive.devserver.searchrefresh import SearchRefresh

        self.settings = settings
        self.site_lock = site_lock
        self.importer = importer or run_importer
        self.search = search or SearchRefresh()
        self.own_writes: dict[Path, int] = {}  # sources this builder wrote (see Debouncer)
        self.last_result = None  # the BuildResult of the last successful build
        self.wide_site_outputs = WIDE_SITE_OUTPUTS
        # Set by the rebuild loop: tells open tabs which output files changed, and which
        # output files open tabs show. Those and the edited articles' pages are rendered
        # first and announced at once; the rest of the build follows.
        self.announce: Callable[[frozenset[str] | None], None] | None = None
        self.watched: Callable[[], frozenset[str]] = frozenset
        # the output files the last build changed or removed that no announcement named
        # yet (None: not known, e.g. a child process built)
        self.last_changed: frozenset[str] | None = None
        self.child_builds = 0  # wide changes built by a child process
        self.builds = 0
        # the record and the site's structure, kept open between this server's builds
        self.session = Session()

    def _reload_settings(self) -> None:
        """newsarchive.toml changed: read it again (a mistake shows in the overlay)."""
        fresh = load_settings(self.settings.root)
        self.session.forget()
        if fresh.output_path != self.settings.output_path:
            log.warning("output_dir changed: restart `newsarchive serve` to serve the new folder")
            fresh = fresh.replace(output_dir=self.settings.output_dir)
        self.settings = fresh

    def __call__(self, changes: frozenset[Path]) -> None:
        from newsarchive.build import build_site  # heavy: Pelican

        if any(p.name == CONFIG_FILENAME and p.parent == self.settings.root for p in changes):
            self._reload_settings()
        dumps = [p for p in changes if p.is_relative_to(self.settings.raw_path) and p.is_file()]
        self.own_writes = {}
        problems: list[tuple[str, str]] = []
        if dumps:
            problems, written = self.importer(self.settings, sorted(dumps))
            self.own_writes = _mtimes(written)
        # The first build checks output/ against the record (it may have been touched while
        # no server ran); later ones know it is theirs.
        announced: set[str] = set()
        self.last_changed = None
        try:
            child = self.is_wide(changes) and self._child_build()
            if child:
                self.session.forget()  # the record on disk is the child's now
            result = build_site(
                self.settings,
                verify=self.builds == 0,
                index=False,
                session=self.session,
                first_pass=None if child else self._first_pass(announced),
            )
        finally:
            self.search(self.settings)  # the index catches up in the background
        self.builds += 1
        self.last_result = result
        if not child:
            done = {*result.changed_files, *result.removed_files} - announced
            self.last_changed = page_changes(done)
        if problems:
            # The site is rebuilt with everything that did import; the overlay names the dump.
            display, reason = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ImportFailed(f"{reason}{more}", path=display)

    def _first_pass(self, announced: set[str]) -> FirstPass | None:
        announce = self.announce
        if announce is None:
            return None
        watched = self.watched()

        def done(changed: frozenset[str], removed: frozenset[str]) -> None:
            paths = changed | removed
            announced.update(paths)
            announce(page_changes(paths))

        return FirstPass(watched, done)

    def is_wide(self, changes: frozenset[Path]) -> bool:
        """Whether *changes* re-render most pages of a site large enough for a child build
        to pay: a template, the settings file or the registry changed."""
        last = self.last_result
        if last is None or len(last.files) < self.wide_site_outputs:
            return False
        settings = self.settings
        theme = settings.build_theme_path
        templates = None if theme is None else theme / "templates"
        return any(
            p == settings.entities_path
            or (p.name == CONFIG_FILENAME and p.parent == settings.root)
            or (templates is not None and p.is_relative_to(templates))
            for p in changes
        )

    def _child_build(self) -> bool:
        """``newsarchive build`` in a child process; False when it failed (the build in
        this process that follows then reports why, with file and line) or when this
        server's settings are not those the child would read (an output folder kept
        after the settings changed it)."""
        settings = self.settings
        try:
            if load_settings(settings.root) != settings:
                return False
        except NewsArchiveError:  # the build in this process reports it
            return False
        log.info("a wide change: building in a child process, on every core")
        command = [sys.executable, "-m", "newsarchive", "build", "--root", str(settings.root), "-q"]
        done = subprocess.run(command, capture_output=True, check=False)
        self.child_builds += 1
        if done.returncode != 0:
            log.debug("the child build failed: %s", done.stderr.decode("utf-8", "replace"))
            return False
        return True

    def import_all(self) -> None:
        """Import every new or changed dump before the first build; problems are logged."""
        if self.settings.raw_path.is_dir():
            problems, _written = self.importer(self.settings, None)
            for display, reason in problems:
                log.error("%s: %s", display, reason)

    def stop(self) -> None:
        self.session.forget()
        stop = getattr(self.search, "stop", None)
        if stop is not None:
            stop()
