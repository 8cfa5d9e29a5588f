"""The import run: gather every dump, decide what each one needs, then write.

Phase one reads, decodes and parses every dump (in worker processes for large batches)
and plans every write: slugs, target paths, conflicts. Nothing is written until the plan is
complete, so a problem found late (a conflict, a slug clash) never leaves a half-updated
archive. Phase two writes the planned files atomically, then the manifest.

Per dump, with the manifest entry recorded at the last import:

- bytes unchanged -> nothing is written (``unchanged``);
- no entry -> a new article with a fresh slug (``imported``); if an article already names
  this dump in its ``raw`` field (a lost manifest) it is adopted, not duplicated;
- bytes changed, article unedited -> rewritten in place, same slug (``imported``);
- bytes changed, article edited by a writer -> left alone (``conflict``, exit 1);
- article deleted by a writer -> not re-created (``skipped``).
``--force`` makes the raw dump win in the last two cases.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.config import Settings
from newsarchive.errors import ConfigError
from newsarchive.fsutil import atomic_write
from newsarchive.importer.slugs import SlugAllocator
from newsarchive.importer.state import IMPORTER_VERSION, Entry, ImportState
from newsarchive.importer.worker import Job, Outcome, init_worker, process
from newsarchive.importer.write import safe_target, sha256_bytes, sha256_file
from newsarchive.model import SLUG_RE

log = logging.getLogger(__name__)

STATE_FILE = ".import-state.json"  # inside content/
PARALLEL_THRESHOLD = 50  # with extraction on, fewer articles do not repay loading Kiwi per worker
_RAW_FIELD = re.compile(r"^raw: (.+)$", re.MULTILINE)
_RAW_SHA_FIELD = re.compile(r"^raw_sha256: '?([0-9a-f]{64})'?$", re.MULTILINE)
_SLUG_FIELD = re.compile(r"^slug: (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class ImportOptions:
    force: bool = False
    extract_entities: bool = True
    # Builds the extractor in each process; None: newsarchive.entities.extract when present.
    # Must be picklable (a module-level function or functools.partial of one).
    extractor_factory: Callable[[], Any] | None = None
    jobs: int | None = None  # worker processes; None: automatic (see _run_jobs)
    progress: bool | None = None  # None: a bar only when stderr is a terminal


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    bytes_read: int = 0
    entities: bool = False  # whether entity extraction ran

    @property
    def ok(self) -> bool:
        return not self.failed and not self.conflicts

    def summary(self) -> str:
        line = (
            f"imported {len(self.imported)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)}, failed {len(self.failed)}"
        )
        return line + (f", conflicts {len(self.conflicts)}" if self.conflicts else "")


@dataclass(frozen=True)
class _Input:
    path: Path  # resolved
    key: str  # provenance and manifest key
    display: str  # what messages call it


@dataclass
class _Plan:
    key: str
    display: str
    target: Path
    data: bytes
    entry: Entry
    remove: Path | None = None  # the previous file when the article moved (its year changed)


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


def gather(paths: Sequence[Path] | None, settings: Settings, report: ImportReport) -> list[_Input]:
    root = settings.root
    sources = list(paths) if paths else [settings.raw_path]
    inputs: dict[Path, _Input] = {}
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
            item = _Input(resolved, _relative(resolved, root), _display(resolved, root))
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


class _Adoption:
    """Articles that name their dump in ``raw`` but are missing from the manifest."""

    def __init__(self, articles: Path, root: Path):
        self.articles = articles
        self.root = root
        self._index: dict[str, tuple[Path, str, str | None]] | None = None

    def find(self, key: str) -> tuple[Path, str, str | None] | None:
        if self._index is None:
            self._index = {}
            for path in sorted(self.articles.rglob("*.md")):
                head = path.read_text(encoding="utf-8", errors="replace")[:20_000]
                raw, slug = _RAW_FIELD.search(head), _SLUG_FIELD.search(head)
                slug_value = slug[1].strip().strip("'\"") if slug else ""
                if raw and SLUG_RE.match(slug_value):  # a writer's slug must still be safe
                    sha = _RAW_SHA_FIELD.search(head)
                    value = raw[1].strip().strip("'\"")
                    self._index.setdefault(value, (path, slug_value, sha[1] if sha else None))
        return self._index.get(key)


class Importer:
    def __init__(self, settings: Settings, options: ImportOptions):
        self.settings = settings
        self.options = options
        self.root = settings.root
        self.articles = settings.articles_path
        if not self.articles.is_relative_to(settings.content_path):
            raise ConfigError("articles_dir must be inside content_dir")
        self.state = ImportState.load(settings.content_path / STATE_FILE)
        self.report = ImportReport()
        self.plans: list[_Plan] = []
        self.adoption = _Adoption(self.articles, self.root)
        self.factory: Callable[[], Any] | None = None
        if options.extract_entities:
            self.factory = options.extractor_factory or default_extractor_factory(settings)
            if self.factory is None:
                log.info(
                    "entity extraction unavailable (newsarchive.entities.extract is missing): "
                    "people, companies and topics stay empty"
                )
        self.report.entities = self.factory is not None

    # ----------------------------------------------------------------- phase one
    def _stale(self, entry: Entry) -> bool:
        return entry.importer != IMPORTER_VERSION or (self.report.entities and not entry.entities)

    def _target(self, year: int, slug: str) -> Path:
        rel = f"{year:04d}/{slug}.md"
        return safe_target(self.articles, rel)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def plan(self, paths: Sequence[Path] | None) -> None:
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
        new: list[Outcome] = []
        for outcome in outcomes:
            item = by_key[outcome.key]
            self.report.bytes_read += outcome.size
            entry = self.state.entries.get(item.key)
            problem = None if entry is None else self._entry_problem(entry)
            if outcome.error is not None:
                self.report.failed.append((item.display, outcome.error))
            elif problem is not None:
                self.report.failed.append((item.display, problem))
            elif outcome.same:
                self._plan_same(item, self.state.entries[item.key])
            elif item.key in self.state.entries:
                self._plan_known(item, outcome, self.state.entries[item.key])
            elif not self._plan_adopted(item, outcome):
                new.append(outcome)
        self._plan_new(new, by_key)

    def _entry_problem(self, entry: Entry) -> str | None:
        """A hand-edited manifest must not steer writes or deletions out of the articles."""
        output = (self.root / entry.output).resolve()
        if not SLUG_RE.match(entry.slug):
            return f"its manifest entry has an invalid slug {entry.slug!r}; fix or delete the entry"
        if not output.is_relative_to(self.articles) or output.suffix != ".md":
            return (
                f"its manifest entry points outside {self._rel(self.articles)}/ "
                f"({entry.output!r}); fix or delete the entry"
            )
        return None

    def _plan_same(self, item: _Input, entry: Entry) -> None:
        if (self.root / entry.output).is_file():
            self.report.unchanged.append(item.display)
        else:
            self.report.skipped.append(
                (item.display, f"{entry.output} was deleted; --force re-creates it")
            )

    def _render(self, item: _Input, outcome: Outcome, slug: str) -> bytes:
        assert outcome.parts is not None
        return outcome.parts.assemble(slug)

    def _entry(self, outcome: Outcome, slug: str, target: Path, data: bytes) -> Entry:
        assert outcome.sha256 is not None
        return Entry(
            raw_sha256=outcome.sha256,
            slug=slug,
            output=self._rel(target),
            md_sha256=sha256_bytes(data),
            importer=IMPORTER_VERSION,
            entities=outcome.entities_extracted,
        )

    def _plan_known(self, item: _Input, outcome: Outcome, entry: Entry) -> None:
        assert outcome.parts is not None
        force = self.options.force
        old = (self.root / entry.output).resolve()
        disk_sha = sha256_file(old)
        raw_changed = outcome.sha256 != entry.raw_sha256
        if disk_sha is None and not force:
            self.report.skipped.append(
                (item.display, f"{entry.output} was deleted; --force re-creates it")
            )
            return
        edited = disk_sha is not None and disk_sha != entry.md_sha256
        if edited and not force:
            if raw_changed:
                self.report.conflicts.append(
                    (
                        item.display,
                        f"conflict: the dump changed but {entry.output} was edited since the "
                        "last import; the edit is kept (--force overwrites it)",
                    )
                )
            else:  # only the importer changed: the writer's version stands
                self.report.unchanged.append(item.display)
            return
        target = self._target(outcome.parts.date.year, entry.slug)
        data = self._render(item, outcome, entry.slug)
        new_entry = self._entry(outcome, entry.slug, target, data)
        if target == old and disk_sha == new_entry.md_sha256:
            self.state.entries[item.key] = new_entry  # same bytes: refresh the record only
            self.report.unchanged.append(item.display)
            return
        remove = old if target != old and disk_sha is not None else None
        self.plans.append(_Plan(item.key, item.display, target, data, new_entry, remove))

    def _plan_adopted(self, item: _Input, outcome: Outcome) -> bool:
        found = self.adoption.find(item.key)
        if found is None:
            return False
        path, slug, recorded_sha = found
        disk_sha = sha256_file(path)
        rel = self._rel(path)
        assert outcome.sha256 is not None and disk_sha is not None
        if recorded_sha == outcome.sha256:
            self.state.entries[item.key] = Entry(
                outcome.sha256, slug, rel, disk_sha, IMPORTER_VERSION, outcome.entities_extracted
            )
            self.report.unchanged.append(item.display)
        elif self.options.force:
            assert outcome.parts is not None
            target = self._target(outcome.parts.date.year, slug)
            data = self._render(item, outcome, slug)
            entry = self._entry(outcome, slug, target, data)
            remove = path if target != path else None
            self.plans.append(_Plan(item.key, item.display, target, data, entry, remove))
        else:
            self.report.conflicts.append(
                (
                    item.display,
                    f"conflict: {rel} comes from this dump but is not in the import manifest "
                    "and the dump changed; --force overwrites it",
                )
            )
        return True

    def _plan_new(self, outcomes: list[Outcome], by_key: dict[str, _Input]) -> None:
        if not outcomes:
            return
        taken = {entry.slug for entry in self.state.entries.values()}
        if self.articles.is_dir():
            taken.update(path.stem for path in self.articles.rglob("*.md"))
        allocator = SlugAllocator(taken)
        # Oldest first: the first article with a headline keeps the plain slug.
        for outcome in sorted(outcomes, key=lambda o: (o.parts.date, o.key)):  # type: ignore[union-attr]
            assert outcome.parts is not None
            item = by_key[outcome.key]
            slug = allocator.allocate(outcome.parts.title, outcome.parts.date)
            target = self._target(outcome.parts.date.year, slug)
            data = self._render(item, outcome, slug)
            self.plans.append(
                _Plan(
                    item.key, item.display, target, data, self._entry(outcome, slug, target, data)
                )
            )

    # ----------------------------------------------------------------- phase two
    def write(self) -> None:
        for plan in sorted(self.plans, key=lambda p: p.key):
            atomic_write(plan.target, plan.data)
            self.report.written.append(plan.target)
            if plan.remove is not None and plan.remove.exists():
                plan.remove.unlink()
                self.report.removed.append(plan.remove)
            self.state.entries[plan.key] = plan.entry
            self.report.imported.append(plan.display)
        before = self.state.path.read_text(encoding="utf-8") if self.state.path.exists() else None
        if self.state.entries and self.state.to_json() != before:
            self.state.save()


def run_import(
    settings: Settings, paths: Sequence[Path] | None = None, options: ImportOptions | None = None
) -> ImportReport:
    """Import dumps (default: everything under ``content/raw/``); see the module docstring."""
    importer = Importer(settings, options or ImportOptions())
    importer.plan(paths)
    importer.write()
    return importer.report
