"""The import run: gather every dump, decide what each one needs, then write.

Phase one reads, decodes and parses every dump (in worker processes for large batches)
and plans every write (:mod:`.plan`: slugs, target paths, conflicts, duplicates). Nothing is
written until the plan is complete, so a problem found late (a conflict, a slug clash) never
leaves a half-updated archive. Phase two writes the planned files atomically, each only if
the file it replaces still holds the bytes the plan saw (a writer saving meanwhile wins),
then the manifest.

The whole run holds the project's import lock (:mod:`.lock`), so it may remove what killed
runs left: their temporary files. An interrupted run needs no other repair: the next one
recognises the articles it wrote by their bytes (see :mod:`.plan`).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive.config import Settings
from newsarchive.errors import ConfigError
from newsarchive.fsutil import atomic_write
from newsarchive.importer.articles import ArticleIndex
from newsarchive.importer.lock import import_lock, stale_temps
from newsarchive.importer.plan import DumpInput, Plan, Planner
from newsarchive.importer.report import ImportReport
from newsarchive.importer.state import IMPORTER_VERSION, Entry, ImportState
from newsarchive.importer.worker import Job, Outcome, init_worker, process
from newsarchive.importer.write import backup_target, sha256_bytes, sha256_file

log = logging.getLogger(__name__)

STATE_FILE = ".import-state.json"  # inside content/
REPLACED_DIR = "replaced"  # inside content/: writers' edits --force replaced
PARALLEL_THRESHOLD = 50  # with extraction on, fewer articles do not repay loading Kiwi per worker


@dataclass(frozen=True)
class ImportOptions:
    force: bool = False
    extract_entities: bool = True
    # Builds the extractor in each process; None: newsarchive.entities.extract when present.
    # Must be picklable (a module-level function or functools.partial of one).
    extractor_factory: Callable[[], Any] | None = None
    jobs: int | None = None  # worker processes; None: automatic (see _run_jobs)
    progress: bool | None = None  # None: a bar only when stderr is a terminal


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def _display(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _walk(folder: Path) -> Iterator[Path]:
    """Every ``*.txt`` below *folder*, hidden files and folders skipped, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".txt") and not name.startswith("."):
                yield Path(dirpath) / name


def gather(
    paths: Sequence[Path] | None, settings: Settings, report: ImportReport
) -> list[DumpInput]:
    root = settings.root
    sources = list(paths) if paths else [settings.raw_path]
    inputs: dict[Path, DumpInput] = {}
    keys: dict[str, Path] = {}
    for given in sources:
        given = given if given.is_absolute() else Path.cwd() / given
        if not given.exists():
            if paths:  # the default content/raw/ may simply not exist yet
                report.failed.append((str(given), "no such file or folder"))
            continue
        for path in _walk(given) if given.is_dir() else [given]:
            resolved = path.resolve()
            if resolved in inputs or not resolved.is_file():
                continue
            item = DumpInput(resolved, _relative(resolved, root), _display(resolved, root))
            if item.key in keys:
                report.failed.append(
                    (
                        item.display,
                        f"another dump named {item.key!r} is in this import "
                        "(dumps outside the project are known by their file name)",
                    )
                )
                continue
            keys[item.key] = resolved
            inputs[resolved] = item
    return list(inputs.values())


def default_extractor_factory(settings: Settings) -> Callable[[], Any] | None:
    """The entity extractor when ``newsarchive.entities.extract`` is installed, else None."""
    try:
        from newsarchive.entities import extract  # noqa: F401 - probing availability
    except ImportError:
        return None
    return functools.partial(_make_extractor, settings.entities_path)


def _make_extractor(entities_path: Path) -> Any:
    from newsarchive.entities.extract import Extractor
    from newsarchive.entities.registry import load_registry

    return Extractor(load_registry(entities_path))


def _run_jobs(
    jobs: list[Job], factory: Callable[[], Any] | None, options: ImportOptions
) -> Iterator[Outcome]:
    parse_count = sum(1 for job in jobs if job.skip_if_sha is None)
    if options.jobs is None:
        # Measured (scripts/bench_import.py): without entity extraction a dump costs ~2 ms
        # and worker processes did not pay on a shared 2-core machine; extraction costs
        # ~75 ms an article and parallelises well.
        workers = min(os.cpu_count() or 1, 4) if factory is not None else 1
        minimum = PARALLEL_THRESHOLD
    else:
        workers, minimum = options.jobs, 2
    if workers > 1 and parse_count >= minimum:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent may hold threads (tqdm's monitor) and a loaded Kiwi.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, context, init_worker, (factory,)) as pool:
            chunk = max(1, min(64, len(jobs) // (workers * 8)))
            yield from pool.map(process, jobs, chunksize=chunk)  # input order: deterministic
        return
    init_worker(factory)
    for job in jobs:
        yield process(job)


def _progress(items: Iterable[Outcome], total: int, options: ImportOptions) -> Iterable[Outcome]:
    show = sys.stderr.isatty() if options.progress is None else options.progress
    if not show or total < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, unit="dump", file=sys.stderr, leave=False)


class Importer:
    """One import run: :meth:`plan` (read, parse, decide), then :meth:`write`."""

    def __init__(self, settings: Settings, options: ImportOptions):
        self.settings = settings
        self.options = options
        self.root = settings.root
        self.articles = settings.articles_path
        if not self.articles.is_relative_to(settings.content_path):
            raise ConfigError("articles_dir must be inside content_dir")
        self.replaced = settings.content_path / REPLACED_DIR
        self.state = ImportState.load(settings.content_path / STATE_FILE)
        self.report = ImportReport()
        self.plans: list[Plan] = []
        self.factory: Callable[[], Any] | None = None
        if options.extract_entities:
            self.factory = options.extractor_factory or default_extractor_factory(settings)
            if self.factory is None:
                log.info(
                    "entity extraction unavailable (newsarchive.entities.extract is missing): "
                    "people, companies and topics stay empty"
                )
        self.report.entities = self.factory is not None

    def _stale(self, entry: Entry) -> bool:
        return entry.importer != IMPORTER_VERSION or (self.report.entities and not entry.entities)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    # ----------------------------------------------------------------- housekeeping
    def remove_stale_temps(self, index: ArticleIndex) -> None:
        """Temporary files of killed runs (under the import lock: none is in flight)."""
        content = self.settings.content_path
        temps = [
            *index.temps,
            *stale_temps(content, suffix=STATE_FILE, recursive=False),
            *stale_temps(self.replaced, suffix=".md", recursive=True),
        ]
        for temp in temps:
            temp.unlink(missing_ok=True)
            self.report.temps_removed.append(temp)
        if temps:
            log.info("removed %d temporary file(s) an interrupted import left", len(temps))

    # ----------------------------------------------------------------- phase one
    def plan(self, paths: Sequence[Path] | None) -> None:
        index = ArticleIndex(self.articles)
        self.remove_stale_temps(index)
        inputs = gather(paths, self.settings, self.report)
        by_key = {item.key: item for item in inputs}
        jobs = []
        for item in inputs:
            entry = self.state.entries.get(item.key)
            fresh = entry is not None and not self.options.force and not self._stale(entry)
            jobs.append(Job(item.path, item.key, entry.raw_sha256 if fresh else None))
        outcomes = list(
            _progress(_run_jobs(jobs, self.factory, self.options), len(jobs), self.options)
        )
        index.exclude(self.root / entry.output for entry in self.state.entries.values())
        planner = Planner(
            root=self.root,
            articles=self.articles,
            state=self.state,
            report=self.report,
            index=index,
            force=self.options.force,
            display=lambda key: by_key[key].display if key in by_key else key,
            slug_max_length=self.settings.slug_max_length,
        )
        planner.plan([(by_key[outcome.key], outcome) for outcome in outcomes])
        self.plans = planner.plans

    # ----------------------------------------------------------------- phase two
    def _write_one(self, plan: Plan) -> None:
        """Write one planned article, unless a file it replaces changed since it was planned
        (a writer saved meanwhile: the writer wins)."""
        checks = [(plan.target, plan.expect)]
        if plan.remove is not None:
            checks.append((plan.remove, plan.remove_expect))
        changed = next((path for path, sha in checks if sha256_file(path) != sha), None)
        if changed is not None:
            self.report.conflicts.append(
                (
                    plan.display,
                    f"conflict: {self._rel(changed)} changed while this import ran; "
                    "it is left as it is (import again)",
                )
            )
            return
        if plan.edit is not None:
            edited = plan.edit.read_bytes()
            backup = backup_target(self.replaced, self.articles, plan.edit, sha256_bytes(edited))
            # the only copy of a writer's text: on disk before the article is replaced
            atomic_write(backup, edited, durable=True)
            self.report.backups.append(backup)
            self.report.replaced.append(
                (
                    plan.display,
                    f"--force replaced {self._rel(plan.edit)}, which a writer had edited; "
                    f"the edited text is kept in {self._rel(backup)}",
                )
            )
        atomic_write(plan.target, plan.data)
        self.report.written.append(plan.target)
        if plan.remove is not None:
            plan.remove.unlink(missing_ok=True)
            self.report.removed.append(plan.remove)
        self.state.entries[plan.key] = plan.entry
        self.report.imported.append(plan.display)

    def write(self) -> None:
        for plan in sorted(self.plans, key=lambda p: p.key):
            self._write_one(plan)
        before = self.state.path.read_text(encoding="utf-8") if self.state.path.exists() else None
        if (self.state.entries or before is not None) and self.state.to_json() != before:
            self.state.save()


def run_import(
    settings: Settings, paths: Sequence[Path] | None = None, options: ImportOptions | None = None
) -> ImportReport:
    """Import dumps (default: everything under ``content/raw/``); see the module docstring."""
    importer = Importer(settings, options or ImportOptions())
    with import_lock(settings.content_path):
        importer.plan(paths)
        importer.write()
    return importer.report
