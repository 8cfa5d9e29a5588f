"""Build the site: Pelican with newsarchive's plugin and theme, as one function call.

``build_site`` runs Pelican, whose one content generator is ours
(:mod:`newsarchive.pelican_plugin.generator`): it reads what changed since the last build,
plans from the dependency record which outputs are stale and renders only those (see
:mod:`newsarchive.engine`). Every build goes through it: ``newsarchive build``,
``--full``, each rebuild of ``newsarchive serve``. It can run many times in one process.

Problems with single files (a bad front matter, two articles with one URL) do not stop
the build: the rest of the site is built, then :class:`BuildError` names every such file
(sorted by path). Template errors stop the build, naming the template and line.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.config import Settings
from newsarchive.engine.options import BuildOptions, BuildReport, FirstPass, Session
from newsarchive.engine.precheck import Opened, check
from newsarchive.engine.progress import Progress
from newsarchive.engine.record import Record, record_path
from newsarchive.engine.verify import OutputCheck
from newsarchive.errors import BuildError, NewsArchiveError

if TYPE_CHECKING:
    from newsarchive.search.sources import Stamps

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    """What a build did. Paths are kept relative to the output folder (tens of thousands
    of Path objects cost a fast build more than its work); ``written``, ``changed`` and
    ``removed`` give Paths."""

    output_path: Path
    articles: int
    pages: int
    rendered_files: tuple[str, ...]  # outputs rendered by this build (others were up to date)
    files: tuple[str, ...]  # every file of the site (search index included), sorted
    changed_files: tuple[str, ...]  # files whose bytes changed (or are new)
    removed_files: tuple[str, ...]  # files deleted from output/
    size: int = 0  # bytes of the site
    seconds: float = field(compare=False, default=0.0)

    @property
    def rendered(self) -> int:
        return len(self.rendered_files)

    @property
    def outputs(self) -> int:
        return len(self.files)

    @property
    def written(self) -> tuple[Path, ...]:
        return tuple(self.output_path / p for p in self.files)

    @property
    def changed(self) -> tuple[Path, ...]:
        return tuple(self.output_path / p for p in self.changed_files)

    @property
    def removed(self) -> tuple[Path, ...]:
        return tuple(self.output_path / p for p in self.removed_files)

    def summary(self) -> str:
        from newsarchive.engine.progress import human_size

        unchanged = self.outputs - len(self.changed_files)
        return (
            f"built {self.articles:,} articles into {self.output_path.name}/: "
            f"{len(self.changed_files):,} outputs written, {unchanged:,} unchanged, "
            f"{len(self.removed_files):,} removed ({self.rendered:,} rendered) "
            f"in {self.seconds:.2f} s; site {human_size(self.size)} in {self.outputs:,} files"
        )


class _QuietDevFeeds(logging.Filter):
    """Development builds have no SITEURL on purpose; Pelican's warning about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Feeds generated without SITEURL" not in record.getMessage()


class _ErrorCollector(logging.Handler):
    """Pelican reports some failures only as log records: keep them to fail the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def describe_exception(exc: BaseException, where: str | Path | None = None) -> NewsArchiveError:
    """Any exception out of a build as a NewsArchiveError; a Jinja error as
    ``templates/x.html:LINE: message``."""
    import jinja2

    if isinstance(exc, NewsArchiveError):
        return exc
    filename, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename or exc.name, exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml")) and "templates" in frame.filename:
                filename, line = frame.filename, frame.lineno
    if filename is not None or isinstance(exc, jinja2.TemplateError):
        suffix = f" (rendering {where})" if where else ""
        return BuildError(
            f"template error: {type(exc).__name__}: {exc}{suffix}", path=filename, line=line
        )
    return BuildError(f"the build failed: {type(exc).__name__}: {exc}", path=where)


def build_site(
    settings: Settings,
    publish: bool = False,
    site_url: str | None = None,
    *,
    full: bool = False,
    verify: bool = True,
    index: bool = True,
    progress: Progress | None = None,
    session: Session | None = None,
    first_pass: FirstPass | None = None,
) -> BuildResult:
    """Build ``settings.output_path``; raises BuildError naming every file that failed.

    *full* hashes every input again and walks every output, trusting no stat the record
    kept (a file whose bytes are those recorded is not parsed again; what changed is
    still all that is rendered; to render everything, delete the cache folder);
    *verify* checks every output file against the record (the dev server, which owns its
    output folder, checks only on its first build); *index* runs the search step (the
    dev server runs it in the background instead, see :func:`update_search`);
    *session* keeps the record and the site's structure open between the builds of a
    long-lived process (the dev server); *first_pass* renders some outputs before the
    rest and is told when they are done (the dev server's open pages).
    """
    started = time.perf_counter()
    if not settings.content_path.is_dir():
        raise BuildError("the content folder does not exist", path=settings.content_path)
    base_url = (site_url or settings.site_url or "").rstrip("/")
    # --full walks output/ (strays too); otherwise each recorded output is stat-ed
    look = (
        OutputCheck(
            settings.output_path,
            None if full else record_path(settings.cache_path, settings.output_path),
        )
        if verify or full
        else None
    )
    opened: Opened | None = None
    try:
        if look is not None and not full:  # (the dev server, not verifying, knows it changed)
            opened = check(settings, publish, base_url if publish else "", look)
        if opened is not None and opened.current:  # Pelican need not even start
            record = opened.record
            report = BuildReport(articles=record.listed, pages=len(record.pages))
            report.take_outputs(record)
        else:
            options = BuildOptions(
                full=full,
                verify=look,
                opened=opened,
                jobs=settings.build_jobs,
                progress=progress,
                session=session,
                first_pass=first_pass,
            )
            report = _run_pelican(settings, publish, site_url, options)
        # (before the record is closed: a build that found nothing to do has not loaded
        # every output's entry, and its search step may ask for some)
        return _finish(settings, report, started, index=index)
    finally:
        if look is not None:
            look.close()
        if opened is not None and (session is None or session.record is not opened.record):
            opened.close()  # (the build closed it already, unless it failed before taking it)


def _run_pelican(
    settings: Settings, publish: bool, site_url: str | None, options: BuildOptions
) -> BuildReport:
    """Pelican's run: our generator (pelican_plugin) builds through the engine."""
    import jinja2
    from pelican import Pelican
    from pelican.settings import read_settings

    from newsarchive.pelican_plugin.settings import pelican_settings

    reports: list[BuildReport] = []
    options.done = reports.append
    overrides = pelican_settings(settings, publish=publish, site_url=site_url)
    overrides["NEWSARCHIVE_BUILD"] = options
    settings.output_path.mkdir(parents=True, exist_ok=True)
    settings.cache_path.mkdir(parents=True, exist_ok=True)
    quiet = _QuietDevFeeds()
    settings_log = logging.getLogger("pelican.settings")
    settings_log.addFilter(quiet)
    try:
        pelican_config = read_settings(path=None, override=overrides)
    finally:
        settings_log.removeFilter(quiet)
    collector = _ErrorCollector()
    pelican_log = logging.getLogger("pelican")
    pelican_log.addHandler(collector)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Pelican prints its own summary
            Pelican(pelican_config).run()
    except NewsArchiveError:
        raise
    except (jinja2.TemplateError, Exception) as exc:
        raise describe_exception(exc) from exc
    finally:
        pelican_log.removeHandler(collector)
    if collector.records:
        messages = "\n  ".join(record.getMessage() for record in collector.records)
        raise BuildError(f"the build reported errors:\n  {messages}")
    (report,) = reports
    return report


def _finish(settings: Settings, report: BuildReport, started: float, *, index: bool) -> BuildResult:
    """The search step (unless the caller runs it itself), then the result; raises the
    errors of files that could not be built, once the rest of the site is."""
    files, changed, removed, size = report.written, report.changed, report.removed, report.size
    if index:
        stamps = None if report.record is None else _search_stamps(settings, report.record)
        index_files, index_changed, index_removed, index_size = update_search(settings, stamps)
        # (the index's files are none of the build's outputs: two sorted runs, merged)
        files = sorted([*files, *index_files])
        changed = sorted([*changed, *index_changed])
        removed = sorted([*removed, *index_removed])
        size += index_size
    result = BuildResult(
        output_path=settings.output_path,
        articles=report.articles,
        pages=report.pages,
        rendered_files=tuple(report.rendered),
        files=tuple(files),
        changed_files=tuple(changed),
        removed_files=tuple(removed),
        size=size,
        seconds=time.perf_counter() - started,
    )
    if report.errors:
        _raise_collected(report.errors)
    return result


def _search_stamps(settings: Settings, record: Record) -> Stamps:
    """What the search step needs to know of the sources and pages, as the build left them
    in its record (no stat of the tens of thousands of files the build just scanned)."""
    from newsarchive.engine.inputs import InputRoots, absolute
    from newsarchive.search.sources import BuildStamps, DiskStamps

    placed = {data.path: (data.save_as, data.url) for data in record.articles.loaded().values()}
    article_ids = record.article_ids

    def page_of(key: str, name: str) -> tuple[str, str] | None:
        found = placed.get(name)
        if found is None and name in article_ids:  # built, but not read by this build
            found = DiskStamps(settings).page_of(key, absolute(settings, name))
        return found

    return BuildStamps(
        settings,
        InputRoots.of(settings).articles,
        record.inputs,
        page_of,
        lambda: record.outputs,
        record.state,
    )


def update_search(
    settings: Settings, stamps: Stamps | None = None
) -> tuple[list[str], list[str], list[str], int]:
    """The search step: bring output/'s index up to date (or remove it with ``search =
    false``), from the build's *stamps* or, without, the file system's. Returns the
    index's files, those changed, those removed (output-relative) and its size in bytes."""
    from newsarchive.search import update_index

    changes = update_index(settings, stamps)
    return list(changes.written), list(changes.changed), list(changes.removed), changes.bytes


def _raise_collected(errors: list[NewsArchiveError]) -> None:
    ordered = sorted(errors, key=lambda e: (str(e.path or ""), e.line or 0, e.message))
    if len(ordered) == 1:
        raise ordered[0]
    listing = "\n  ".join(str(e) for e in ordered)
    raise BuildError(
        f"{len(ordered)} files cannot be built (the rest of the site is):\n  {listing}"
    )
