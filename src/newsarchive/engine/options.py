"""What a build is asked to do and what it reports: the values passed between the CLI or
the dev server (:mod:`newsarchive.build`) and the engine (:mod:`.incremental`).

Kept apart from the engine so that a build with nothing to do, which stops before
Pelican starts, imports none of the engine, Jinja2 or markdown-it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsarchive.engine.precheck import Opened
from newsarchive.engine.progress import Progress
from newsarchive.engine.record import Record
from newsarchive.engine.verify import OutputCheck
from newsarchive.errors import NewsArchiveError

if TYPE_CHECKING:
    from newsarchive.entities.registry import Registry
    from newsarchive.site.structure import Structure


@dataclass
class Session:
    """What a long-lived process (the dev server) keeps from one build to the next: the
    open record, the site's structure and the registry, as its last build left them.
    Used only while the record on disk is still the one this process saved last."""

    record: Record | None = None
    structure: Structure | None = None
    registry: tuple[str | None, Registry] | None = None  # (registry file digest, registry)

    def forget(self) -> None:
        if self.record is not None:
            self.record.close()
        self.record, self.structure, self.registry = None, None, None


@dataclass
class BuildOptions:
    """How to build (none of it changes an output byte)."""

    full: bool = False  # hash every input again and walk output/, trusting no stat
    # check every output file's stat against the record (None: trust it)
    verify: OutputCheck | None = None
    # the record and input scan the check before Pelican started read (engine/precheck)
    opened: Opened | None = None
    jobs: int = 0  # processes (0: every core)
    progress: Progress | None = None
    # called with the report once the build is done (how the Pelican generator hands it
    # back to newsarchive.build.build_site)
    done: Callable[[BuildReport], None] | None = None
    session: Session | None = None  # kept between builds by a long-lived process
    first_pass: FirstPass | None = None  # outputs to render (and announce) first


@dataclass
class FirstPass:
    """Outputs rendered before the rest, announced when done: the edited articles' own
    pages and *pages*. The dev server names the pages open tabs show, so the page a writer looks at
    reloads without waiting for the listings, indexes and sitemaps that also show the edit
    (the build, and what it writes, are the same: only the order differs)."""

    pages: frozenset[str]  # output files rendered first, with the edited articles' pages
    done: Callable[[frozenset[str], frozenset[str]], None]  # (changed, removed) so far


@dataclass
class BuildReport:
    """What a build did, for the caller (the CLI's summary, the dev server, tests)."""

    articles: int = 0
    pages: int = 0
    outputs: int = 0
    rendered: list[str] = field(default_factory=list)  # output-relative paths
    changed: list[str] = field(default_factory=list)  # output-relative paths
    removed: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # every output file of the site
    size: int = 0  # bytes of every output file
    errors: list[NewsArchiveError] = field(default_factory=list)
    # the record as the build left it (closed; its maps stay readable): what the search
    # step takes its stamps from
    record: Record | None = None

    def take_outputs(self, record: Record) -> None:
        """The site's outputs as *record* holds them: their count, paths and bytes."""
        self.record = record
        self.written, self.size = record.output_files()
        self.outputs = len(self.written)
