"""Build the site: Pelican with newsarchive's plugin and theme, as one function call.

``build_site`` can run many times in one process (the dev server rebuilds on every
save): plugin registration is idempotent and per-build state is reset at the start of
each run. Pelican logs most problems and carries on; here every error it logs, every
reader error and every template error fails the build with a message naming the file
(and line where known).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive import snapshot
from newsarchive.config import Settings
from newsarchive.errors import BuildError, NewsArchiveError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildResult:
    output_path: Path
    articles: int
    pages: int
    # every file of this build, sorted (a tuple, or snapshot.OutputFiles: Paths on demand)
    written: Sequence[Path]
    changed: tuple[Path, ...]  # files whose bytes changed (or are new)
    removed: tuple[Path, ...]  # stale files deleted from output/
    seconds: float = field(compare=False, default=0.0)
    # "full" (Pelican ran), "unchanged" (nothing to do) or "bodies" (new article bodies
    # spliced into the pages printing them); see newsarchive.snapshot
    mode: str = field(compare=False, default="full")


class _QuietDevFeeds(logging.Filter):
    """Development builds have no SITEURL on purpose; Pelican's warning about it is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Feeds generated without SITEURL" not in record.getMessage()


class _QuietReaderErrors(logging.Filter):
    """Pelican logs 'Could not process FILE' for reader errors we raise ourselves with a
    better message (field and line): drop the duplicate."""

    def filter(self, record: logging.LogRecord) -> bool:
        from newsarchive.pelican_plugin import state

        if not str(record.msg).startswith("Could not process"):
            return True
        name = str(record.args[0]) if record.args else ""
        return not any(
            e.path is not None and e.path.as_posix().endswith(name) for e in state.current().errors
        )


class _ErrorCollector(logging.Handler):
    """Pelican reports many failures only as log records: keep them to fail the build."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _template_error(exc: BaseException, theme: Path) -> BuildError:
    """A Jinja error as 'templates/x.html:LINE: message'."""
    import jinja2

    filename, line = None, None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename or exc.name, exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml")) and "templates" in frame.filename:
                filename, line = frame.filename, frame.lineno
    message = f"template error: {type(exc).__name__}: {exc}"
    return BuildError(message, path=filename or theme, line=line)


def _fast_build(
    settings: Settings, work: snapshot.Plan, scan: dict[str, Any], scanned_ns: int, started: float
) -> BuildResult:
    """The build when only article bodies changed, or nothing did (see newsarchive.snapshot)."""
    from newsarchive.search import index_search

    changed = snapshot.apply(settings, work) if work.bodies else []
    result = BuildResult(
        output_path=settings.output_path,
        articles=work.snapshot.articles,
        pages=work.snapshot.pages,
        written=snapshot.written_files(settings, work.snapshot),
        changed=tuple(sorted(changed)),
        removed=(),
        mode="bodies" if work.bodies else "unchanged",
    )
    if changed and settings.search:
        result = index_search(settings, result, release_memory=True)
        gone = set(result.removed)
        result = dataclasses.replace(
            result, written=tuple(p for p in result.written if p not in gone)
        )
    if work.digests or changed:
        snapshot.save_after(
            settings,
            work,
            scan,
            scanned_ns,
            changed=result.changed,
            removed=result.removed,
        )
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


def build_site(
    settings: Settings,
    publish: bool = False,
    site_url: str | None = None,
    *,
    reuse: bool = True,
    record: bool = True,
) -> BuildResult:
    """Build ``settings.output_path``; raises BuildError / FrontMatterError on any error.

    With *reuse* (the default) a build whose inputs did not change, or changed only in
    article bodies, skips Pelican (see :mod:`newsarchive.snapshot`); without it Pelican
    always runs (``build --full``). With *record* (the default) a full build leaves the
    snapshot the next build starts from. The dev server passes neither: it watches what
    Pelican renders, and its builds go to a stage folder no other build reads.
    """
    started = time.perf_counter()
    key, scan, scanned_ns, previous, hashed = "", {}, 0, None, {}
    if record:
        key = snapshot.build_key(settings, publish, site_url)
        scanned_ns = snapshot.now_ns()  # before the scan: later writes count as changes
        previous = snapshot.Snapshot.load(snapshot.snapshot_path(settings))
        outputs = None
        if reuse and previous is not None and previous.key == key:
            outputs = snapshot.output_check(settings, previous)  # runs during the scan
        try:
            scan = snapshot.scan_inputs(settings)
            if reuse:
                work = snapshot.plan(settings, key, scan, previous, outputs)
                return _fast_build(settings, work, scan, scanned_ns, started)
        except snapshot.NeedsFullBuild as why:
            # raised before anything is written (apply checks every slot first)
            log.info("full build: %s", why)
        finally:
            if outputs is not None:
                outputs.close()
        hashed = snapshot.hash_before_build(settings, scan, previous)
    else:
        snapshot.forget(settings)

    import jinja2
    from pelican import Pelican
    from pelican.settings import read_settings

    from newsarchive.pelican_plugin import state
    from newsarchive.pelican_plugin.settings import pelican_settings

    overrides = pelican_settings(settings, publish=publish, site_url=site_url)
    if not settings.content_path.is_dir():
        raise BuildError("the content folder does not exist", path=settings.content_path)
    settings.output_path.mkdir(parents=True, exist_ok=True)
    settings.cache_path.mkdir(parents=True, exist_ok=True)
    quiet = _QuietDevFeeds()
    settings_log = logging.getLogger("pelican.settings")
    settings_log.addFilter(quiet)
    try:
        pelican_config = read_settings(path=None, override=overrides)
    finally:
        settings_log.removeFilter(quiet)

    from pelican.log import console

    collector = _ErrorCollector()
    pelican_log = logging.getLogger("pelican")
    pelican_log.addHandler(collector)
    reader_errors = _QuietReaderErrors()
    generators_log = logging.getLogger("pelican.generators")
    generators_log.addFilter(reader_errors)
    was_quiet, console.quiet = console.quiet, True  # Pelican prints a summary to stdout
    try:
        site = Pelican(pelican_config)
        site.run()
    except NewsArchiveError:
        raise
    except jinja2.TemplateError as exc:
        raise _template_error(exc, Path(pelican_config["THEME"])) from exc
    except Exception as exc:
        if any(f.filename.endswith(".html") for f in traceback.extract_tb(exc.__traceback__)):
            raise _template_error(exc, Path(pelican_config["THEME"])) from exc
        raise BuildError(f"the build failed: {type(exc).__name__}: {exc}") from exc
    finally:
        pelican_log.removeHandler(collector)
        generators_log.removeFilter(reader_errors)
        console.quiet = was_quiet
    if collector.records:
        messages = "\n  ".join(record.getMessage() for record in collector.records)
        raise BuildError(f"the build reported errors:\n  {messages}")

    st = state.current()
    output = settings.output_path
    result = BuildResult(
        output_path=output,
        articles=st.articles,
        pages=st.pages,
        written=tuple(sorted(st.written)),
        changed=tuple(sorted(st.changed)),
        removed=tuple(st.removed),
        seconds=time.perf_counter() - started,
    )
    observed = None
    if record:
        observed = snapshot.observe(
            settings,
            key=key,
            scan=scan,
            scanned_ns=scanned_ns,
            articles=st.site_articles,
            pages=st.pages,
            feeds=snapshot.feeds_with_bodies(pelican_config, st.site_articles),
            written=result.written,
            previous=previous,
            hashed=hashed,
        )
    del site, pelican_config
    _release_site()
    from newsarchive.search import index_search  # Pagefind + Kiwi, loaded only when used

    result = index_search(settings, result, release_memory=record)
    if observed is not None:
        snapshot.save(settings, observed, result.written)
    return result


def _release_site() -> None:
    """Give back the memory of Pelican's objects before the search step loads Kiwi and
    runs Pagefind, so the build's peak is the larger of the two, not their sum."""
    import contextlib
    import ctypes
    import gc

    from pelican.contents import Content

    from newsarchive.pelican_plugin import state

    state.current().site_articles = []
    # Pelican memoises get_content/get_summary per (object, siteurl) in a class-level
    # dict: every article of every build in this process would stay alive.
    for name in ("get_content", "get_summary"):
        cache = getattr(vars(Content).get(name), "cache", None)
        if isinstance(cache, dict):
            cache.clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        # freed memory stays in glibc's arenas for reuse: hand it back to the system
        ctypes.CDLL("libc.so.6").malloc_trim(0)
