"""Use every core on a full build: parse articles and render pages in forked workers.

Pelican reads and renders in one process. A cold build at 10,000 articles spends about a
third of its time parsing Markdown and YAML and most of the rest rendering ~25,000 pages,
and both are independent per file. Workers are *forked* (never spawned): they inherit
the whole build (settings, articles, taxonomies, compiled templates) copy-on-write, so
nothing is pickled on the way in; only small results come back through a pipe.

Parsing: on the first article Pelican's reader must parse (a miss in Pelican's content
cache), every article file missing from that cache is parsed ahead, one share per
process, and :func:`parse_article` (which the reader calls) hands each result over once
its content stamp matches the file's bytes.

Rendering: while the generators run, the writer calls that miss the render cache are
queued (``state.deferred``) with their output file checked and claimed; when Pelican
finishes, :func:`render_deferred` splits the queue into interleaved shares (call i goes to
share i mod N), runs share 0 here and the others in children, and merges what each one
wrote, changed and recorded. Output and bookkeeping equal those of a serial build.

Nothing forks when one job is asked for, when another thread runs (a dev server: a fork
copies only the calling thread, and locks held elsewhere would never be released) or
while the dev server's recorder observes rendering.
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import hashlib
import logging
import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from newsarchive.errors import BuildError, NewsArchiveError
from newsarchive.forking import ForkedChild, other_threads
from newsarchive.pelican_plugin import state

log = logging.getLogger(__name__)

# Below these, a fork costs more than it saves.
MIN_PREFETCH = 64  # article files missing from Pelican's content cache
MIN_CALLS = 16  # deferred writer calls per extra process


def resolve_jobs(setting: int) -> int:
    """``build_jobs``: 0 means every core this process may run on."""
    if setting > 0:
        return setting
    cores = os.cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may use
        cores = min(cores, len(os.sched_getaffinity(0)))
    return max(1, cores)


def can_fork() -> bool:
    from newsarchive.pelican_plugin import _rendering_observed

    return hasattr(os, "fork") and not other_threads() and not _rendering_observed()


# --------------------------------------------------------------------------- fork pool
def run_shares(jobs: int, share: Callable[[int], Any]) -> list[Any]:
    """``[share(0), ..., share(jobs - 1)]``: share 0 runs here, the others in forked
    children whose results come back pickled. A child that dies (killed, out of memory)
    fails the build with a BuildError; an exception in share 0 stops the children."""
    children: list[tuple[int, ForkedChild]] = []  # (share, child)
    # Objects that exist now are never collected by the children: frozen, their garbage
    # collector neither scans them (time) nor touches them (pages stay shared).
    gc.freeze()
    try:
        for k in range(1, jobs):
            child = ForkedChild.start(
                functools.partial(_child_payload, k, share),
                close_in_child=[other.read_fd for _, other in children],
            )
            children.append((k, child))
        results = [share(0)]
        while children:
            k, child = children[0]
            data, status = child.join()
            children.pop(0)
            results.append(_child_result(k, jobs, child.pid, data, status))
        return results
    finally:
        gc.unfreeze()
        for _, child in children:  # only left on an error: stop and reap them
            child.stop()


def _child_payload(
    k: int, share: Callable[[int], Any]
) -> bytes:  # pragma: no cover - runs in a forked child (coverage does not follow)
    records = _capture_logs()
    try:
        payload: tuple[str, Any] = ("ok", share(k))
    except BaseException:
        payload = ("crash", traceback.format_exc())
    return pickle.dumps((payload, records), protocol=pickle.HIGHEST_PROTOCOL)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.records.append((record.name, record.levelno, record.getMessage()))
        except Exception:
            self.handleError(record)


def _capture_logs() -> list[tuple[str, int, str]]:  # pragma: no cover - in a child
    """A child's log records go to the parent, which logs them again: its handlers
    (console, the build's error collector) see them as if logged there."""
    handler = _Records()
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            for old in list(logger.handlers):
                logger.removeHandler(old)
    logging.getLogger().addHandler(handler)
    return handler.records


def _child_result(k: int, jobs: int, pid: int, data: bytes, status: int) -> Any:
    payload = None
    if data:
        try:
            payload, records = pickle.loads(data)  # noqa: S301 - our own child's bytes
        except Exception:
            payload = None
        else:
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
    if payload is None or os.waitstatus_to_exitcode(status) != 0:
        code = os.waitstatus_to_exitcode(status)
        how = (
            f"was killed by signal {signal.Signals(-code).name}"
            if code < 0
            else f"exited with status {code}"
        )
        raise BuildError(
            f"build worker {k} of {jobs} (pid {pid}) {how} before finishing; "
            "build again with --jobs 1 to build in one process"
        )
    kind, value = payload
    if kind == "crash":
        last = value.strip().splitlines()[-1] if value.strip() else "unknown error"
        raise BuildError(f"build worker {k} of {jobs} failed: {last}\n{value}")
    return value


# --------------------------------------------------------------------------- errors
def _as_build_error(exc: BaseException, theme: Path) -> NewsArchiveError:
    """What :func:`newsarchive.build.build_site` makes of an exception out of Pelican."""
    import jinja2

    from newsarchive.build import _template_error

    if isinstance(exc, NewsArchiveError):
        return exc
    frames = traceback.extract_tb(exc.__traceback__)
    if isinstance(exc, jinja2.TemplateError) or any(f.filename.endswith(".html") for f in frames):
        return _template_error(exc, theme)
    return BuildError(f"the build failed: {type(exc).__name__}: {exc}")


def _pack_error(exc: NewsArchiveError) -> tuple[str, str, str | None, int | None]:
    return type(exc).__name__, exc.message, None if exc.path is None else str(exc.path), exc.line


def _unpack_error(packed: tuple[str, str, str | None, int | None]) -> NewsArchiveError:
    from newsarchive import errors

    name, message, path, line = packed
    cls = getattr(errors, name, BuildError)
    if not (isinstance(cls, type) and issubclass(cls, NewsArchiveError)):
        cls = BuildError
    return cls(message, path=path, line=line)


# --------------------------------------------------------------------------- rendering
def begin_deferring() -> None:
    """Called once the generators' context is ready: queue writer calls from now on."""
    st = state.current()
    if st.jobs > 1 and can_fork():
        st.deferred = []


def render_deferred(settings: dict[str, Any]) -> None:
    """Render the queued calls on ``state.jobs`` processes and merge their bookkeeping."""
    st = state.current()
    calls, st.deferred = st.deferred, None
    if not calls:
        return
    jobs = max(1, min(st.jobs, len(calls) // MIN_CALLS))
    theme = Path(settings["THEME"])

    def share(k: int) -> dict[str, Any]:
        return _render_share(calls[k::jobs], k, jobs, theme, child=k > 0)

    started = time.perf_counter()
    results = run_shares(jobs, share)
    _merge(calls, jobs, results)
    log.debug(
        "rendered %d calls on %d processes in %.2f s (shares: %s s)",
        len(calls),
        jobs,
        time.perf_counter() - started,
        ", ".join(f"{r['seconds']:.2f}" for r in results),
    )


def _render_share(
    calls: Sequence[state.DeferredCall], k: int, jobs: int, theme: Path, *, child: bool
) -> dict[str, Any]:
    st = state.current()
    cache = st.render_cache
    if child:  # report only what this share adds
        st.written, st.changed = set(), set()
    st.share = True
    started = time.perf_counter()
    done: list[list[str]] = []
    records: dict[str, Any] = {}
    error = None
    try:
        for position, deferred in enumerate(calls):
            outer, st.capture = st.capture, []
            try:
                deferred.write()
                files = st.capture
            except Exception as exc:
                error = (k + position * jobs, _pack_error(_as_build_error(exc, theme)))
                break
            finally:
                st.capture = outer
            if cache is not None and deferred.key is not None:
                cache.record(deferred.call, deferred.key, files)
                entry = cache.recorded(deferred.call)
                if entry is not None:
                    records[deferred.call] = entry
            done.append([str(p) for p in files])
    finally:
        st.share = False
    return {
        "files": done,  # per call of this share, in order
        "written": sorted(str(p) for p in st.written) if child else [],
        "changed": sorted(str(p) for p in st.changed) if child else [],
        "records": records if child else {},
        "error": error,
        "seconds": time.perf_counter() - started,
    }


def _merge(calls: Sequence[state.DeferredCall], jobs: int, results: list[dict[str, Any]]) -> None:
    from pelican.writers import FileOverwriteFailedError

    from newsarchive.pelican_plugin.writer import overwrite_message

    st = state.current()
    errors = [r["error"] for r in results if r["error"] is not None]
    if errors:
        raise _unpack_error(min(errors)[1])  # the error a serial build meets first
    for result in results:
        st.written.update(Path(p) for p in result["written"])
        st.changed.update(Path(p) for p in result["changed"])
        if st.render_cache is not None:
            st.render_cache.merge(result["records"])
    # The writer's duplicate-output check, in call order, for the files a call wrote
    # besides the one it claimed when deferred (later pages of a paginated listing).
    for index, deferred in enumerate(calls):
        if deferred.claimed is None or deferred.writer is None:
            continue
        files = results[index % jobs]["files"][index // jobs]
        for name in files:
            if name == deferred.claimed:
                continue
            if name in deferred.writer._written_files:
                raise FileOverwriteFailedError(overwrite_message(name))
            deferred.writer._written_files.add(name)


# --------------------------------------------------------------------------- parsing
def _stamp(path: str) -> bytes:
    # Pelican's own content stamp (CHECK_MODIFIED_METHOD = "blake2b").
    with open(path, "rb") as handle:  # noqa: PTH123
        return hashlib.blake2b(handle.read()).digest()


def parse_article(path: Path) -> Any:
    """:func:`newsarchive.document.parse_article`, answered from the parallel prefetch
    when it parsed these very bytes."""
    from newsarchive import document

    st = state.current()
    if not st.prefetch_done:
        st.prefetch_done = True
        prefetch(_articles_readers(st.readers))
    entry = st.prefetched.pop(str(path), None)
    if entry is not None:
        stamp, parsed = entry
        try:
            if _stamp(str(path)) == stamp:
                return parsed
        except OSError:
            pass
    return document.parse_article(path)


def _articles_readers(readers: list[Any]) -> Any:
    """The ArticlesGenerator's Readers (its content cache holds the articles)."""
    for candidate in readers:
        if str(getattr(candidate, "_cache_path", "")).endswith("ArticlesGenerator-Readers"):
            return candidate
    return readers[0] if readers else None


def _article_files(settings: dict[str, Any]) -> list[str]:
    """The article files Pelican's ArticlesGenerator reads (its get_files, simplified)."""
    base = settings["PATH"]
    ignores = settings.get("IGNORE_FILES") or []
    files: list[str] = []
    for folder in settings["ARTICLE_PATHS"]:
        root = os.path.abspath(os.path.join(base, folder))  # noqa: PTH100, PTH118
        for current, dirs, names in os.walk(root, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores))
            for name in sorted(names):
                if name.endswith(".md") and not any(fnmatch.fnmatch(name, i) for i in ignores):
                    files.append(os.path.join(current, name))  # noqa: PTH118
    return files


def prefetch(readers: Any) -> None:
    """Parse, on every job, the article files Pelican's content cache does not hold."""
    st = state.current()
    if readers is None or st.jobs < 2 or not can_fork():
        return
    cached = getattr(readers, "_cache", {})
    missing = [p for p in _article_files(readers.settings) if p not in cached]
    if len(missing) < MIN_PREFETCH:
        return
    jobs = st.jobs

    def share(k: int) -> list[tuple[str, bytes, Any]]:
        from newsarchive import document

        parsed = []
        for path in missing[k::jobs]:
            try:
                stamp = _stamp(path)
                parsed.append((path, stamp, document.parse_article(Path(path))))
            except Exception:  # noqa: S112 - the reader parses it again and reports
                continue
        return parsed

    started = time.perf_counter()
    try:
        results = run_shares(jobs, share)
    except BuildError as exc:  # a lost worker costs time, never correctness
        log.warning("parallel parsing stopped (%s); parsing in one process", exc)
        return
    for result in results:
        for path, stamp, parsed in result:
            st.prefetched[path] = (stamp, parsed)
    log.debug(
        "parsed %d articles on %d processes in %.2f s",
        len(st.prefetched),
        jobs,
        time.perf_counter() - started,
    )
