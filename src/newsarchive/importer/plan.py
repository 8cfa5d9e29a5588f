"""What an import does with each dump, decided before anything is written.

**Ownership by bytes.** An article file is the importer's own only if its bytes are exactly
bytes the importer wrote: those the manifest recorded (``md_sha256``), or those it would
write now for the same dump (what a run killed before saving the manifest left, or what a
lost manifest no longer records). Any other bytes are a writer's edit: never overwritten,
never adopted as the importer's; only ``--force`` replaces one, and keeps a copy first.

Per dump, with its manifest entry (if any) and the article file on disk:

- bytes unchanged since the entry -> nothing to do (``unchanged``; ``skipped`` when a
  writer deleted the article: it is retired);
- an entry, and the file is the importer's own -> rewritten with the dump's current
  rendering if that differs (``imported``), else the record is brought up to date;
- an entry, and the file is a writer's edit -> kept. If the edit is of what this dump gives
  (the dump did not change, or the file says it was written from these very bytes) the
  writer's version stands (``unchanged``); otherwise the dump changed under the edit:
  ``conflict``;
- no entry, and an article names the dump in ``raw`` -> its own bytes are adopted; any
  other bytes are a writer's edit: kept, reported as a ``conflict`` naming the file;
- no entry, and the dump has the bytes of a dump whose file is gone -> a rename: the record
  (and the article) follow the new name;
- no entry, and the bytes of another dump of the archive or of this run -> a ``duplicate``:
  not imported again;
- otherwise a new article with a fresh slug.

A dump the manifest knows whose file is gone is reported; its article is kept (it belongs to
the writers now) and its record dropped: the manifest describes dumps that exist, and no
import will write to that article again unless the dump comes back (it is then matched to
its article by bytes, as above).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsarchive.importer.articles import ArticleIndex, read_provenance
from newsarchive.importer.report import ImportReport
from newsarchive.importer.slugs import SlugAllocator
from newsarchive.importer.state import IMPORTER_VERSION, Entry, ImportState
from newsarchive.importer.worker import Outcome
from newsarchive.importer.write import safe_target, sha256_bytes, sha256_file
from newsarchive.model import SLUG_RE


@dataclass(frozen=True)
class DumpInput:
    path: Path  # resolved
    key: str  # provenance and manifest key
    display: str  # what messages call it


@dataclass
class Plan:
    """One article to write. ``expect`` is the SHA-256 of the bytes at ``target`` when the
    plan was made (None: no file there); the write happens only if they are still there."""

    key: str
    display: str
    target: Path
    data: bytes
    entry: Entry
    expect: str | None
    remove: Path | None = None  # the previous file, when the article moved (its year changed)
    remove_expect: str | None = None
    # the writer's edit this write replaces (--force): copied to content/replaced/ first
    edit: Path | None = None


class Planner:
    def __init__(
        self,
        *,
        root: Path,
        articles: Path,
        state: ImportState,
        report: ImportReport,
        index: ArticleIndex,
        force: bool,
        display: Callable[[str], str],
        slug_max_length: int,
    ) -> None:
        self.root = root
        self.articles = articles
        self.state = state
        self.report = report
        self.index = index
        self.force = force
        self.display = display  # a manifest key as messages show it
        self.slug_max_length = slug_max_length
        self.plans: list[Plan] = []

    # ------------------------------------------------------------------ helpers
    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _target(self, year: int, slug: str) -> Path:
        return safe_target(self.articles, f"{year:04d}/{slug}.md")

    def _entry(self, outcome: Outcome, slug: str, output: Path, data: bytes) -> Entry:
        assert outcome.sha256 is not None
        return Entry(
            raw_sha256=outcome.sha256,
            slug=slug,
            output=self._rel(output),
            md_sha256=sha256_bytes(data),
            importer=IMPORTER_VERSION,
            entities=outcome.entities_extracted,
        )

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

    # ------------------------------------------------------------------ the run
    def plan(self, outcomes: list[tuple[DumpInput, Outcome]]) -> None:
        unrecorded: list[tuple[DumpInput, Outcome]] = []
        for item, outcome in outcomes:
            self.report.bytes_read += outcome.size
            entry = self.state.entries.get(item.key)
            problem = None if entry is None else self._entry_problem(entry)
            if outcome.error is not None:
                self.report.failed.append((item.display, outcome.error))
            elif problem is not None:
                self.report.failed.append((item.display, problem))
            elif entry is None:
                unrecorded.append((item, outcome))
            elif outcome.same:
                self._same(item, entry)
            else:
                self._known(item, outcome, entry)
        present = {item.key: outcome.sha256 for item, outcome in outcomes if outcome.sha256}
        vanished = self._vanished(present)
        fresh: list[tuple[DumpInput, Outcome]] = []
        for item, outcome in unrecorded:
            if not (self._renamed(item, outcome, vanished) or self._adopted(item, outcome)):
                fresh.append((item, outcome))
        kept, duplicates = self._split_duplicates(fresh, present, vanished)
        self._new(kept)
        self._report_duplicates(duplicates)
        self._forget(vanished)

    def _same(self, item: DumpInput, entry: Entry) -> None:
        if (self.root / entry.output).is_file():
            self.report.unchanged.append(item.display)
        else:
            self.report.skipped.append(
                (item.display, f"{entry.output} was deleted; --force re-creates it")
            )

    def _known(self, item: DumpInput, outcome: Outcome, entry: Entry) -> None:
        assert outcome.parts is not None and outcome.sha256 is not None
        target = self._target(outcome.parts.date.year, entry.slug)
        data = outcome.parts.assemble(entry.slug)
        fresh_sha = sha256_bytes(data)
        old = (self.root / entry.output).resolve()
        # The article as it stands: where the manifest says, or where an interrupted run
        # moved it (its year changed) before it could save the manifest.
        path = old if old.is_file() else target if target.is_file() else None
        if path is None:
            if not self.force:
                self.report.skipped.append(
                    (item.display, f"{entry.output} was deleted; --force re-creates it")
                )
                return
            new_entry = self._entry(outcome, entry.slug, target, data)
            self.plans.append(Plan(item.key, item.display, target, data, new_entry, None))
            return
        disk_sha = sha256_file(path)
        if disk_sha == fresh_sha and path == target:
            # up to date (an interrupted run wrote it): bring the record up to date only
            self.state.entries[item.key] = self._entry(outcome, entry.slug, target, data)
            self.report.unchanged.append(item.display)
            return
        if disk_sha in (entry.md_sha256, fresh_sha) or self.force:
            edit = None if disk_sha in (entry.md_sha256, fresh_sha) else path
            self._replace(item, outcome, entry.slug, path, disk_sha, edit=edit)
            return
        # a writer's edit
        written_from = _written_from(path)
        if outcome.sha256 in (entry.raw_sha256, written_from):
            # an edit of what this very dump gives: the writer's version stands
            edited = Entry(
                outcome.sha256,
                entry.slug,
                self._rel(path),
                fresh_sha,
                IMPORTER_VERSION,
                outcome.entities_extracted,
            )
            self.state.entries[item.key] = edited
            self.report.unchanged.append(item.display)
            return
        interrupted = ""
        if path != target and sha256_file(target) == fresh_sha:
            interrupted = (
                f"; an interrupted import had already written the dump's new version to "
                f"{self._rel(target)}: keep one of the two files"
            )
        self.report.conflicts.append(
            (
                item.display,
                f"conflict: the dump changed but {self._rel(path)} was edited since the last "
                f"import; the edit is kept (--force overwrites it, keeping a copy){interrupted}",
            )
        )

    def _replace(
        self,
        item: DumpInput,
        outcome: Outcome,
        slug: str,
        path: Path,
        disk_sha: str | None,
        *,
        edit: Path | None,
    ) -> None:
        """Write the dump's rendering for the article now at *path* (moving it to its year's
        folder when needed); *edit* is set when those bytes are a writer's (--force)."""
        assert outcome.parts is not None
        target = self._target(outcome.parts.date.year, slug)
        data = outcome.parts.assemble(slug)
        entry = self._entry(outcome, slug, target, data)
        if target == path:
            plan = Plan(item.key, item.display, target, data, entry, disk_sha)
        else:
            there = sha256_file(target)
            if there not in (None, entry.md_sha256):
                # the article moves to its new year's folder, where another file has its name
                self.report.conflicts.append(
                    (
                        item.display,
                        f"conflict: {self._rel(path)} would move to {self._rel(target)}, which "
                        "holds another file; both are left as they are",
                    )
                )
                return
            plan = Plan(item.key, item.display, target, data, entry, there, path, disk_sha)
        plan.edit = edit
        self.plans.append(plan)

    def _adopted(self, item: DumpInput, outcome: Outcome) -> bool:
        """An article names this dump but no manifest entry records it (a lost manifest, or
        an import killed before saving it): adopt it if its bytes are the importer's."""
        found = self.index.provenance(item.key)
        if found is None:
            return False
        assert outcome.parts is not None and outcome.sha256 is not None
        path, slug = found.path, found.slug
        data = outcome.parts.assemble(slug)
        disk_sha = sha256_file(path)
        entry = self._entry(outcome, slug, path, data)
        if disk_sha == entry.md_sha256:
            self.state.entries[item.key] = entry
            self.report.unchanged.append(item.display)
        elif self.force:
            self._replace(item, outcome, slug, path, disk_sha, edit=path)
        else:
            if found.raw_sha256 == outcome.sha256:
                # edited from these very dump bytes: record it as an uninterrupted import
                # would have, so that the edit is protected like any other from now on
                self.state.entries[item.key] = entry
                why = "is not what the importer writes for it"
            else:
                why = "was written from other bytes of it and edited, or the dump changed since"
            self.report.conflicts.append(
                (
                    item.display,
                    f"conflict: {self._rel(path)} names this dump but {why}, and no import "
                    "manifest records it: it is kept as a writer's edit (--force replaces it, "
                    "keeping a copy)",
                )
            )
        return True

    # ------------------------------------------------------------------ dumps gone or twice
    def _vanished(self, present: dict[str, str | None]) -> dict[str, Entry]:
        """Manifest entries whose dump file no longer exists (dumps known by a project
        path only: one from outside the project is recorded by file name alone)."""
        return {
            key: entry
            for key, entry in sorted(self.state.entries.items())
            if key not in present and "/" in key and not (self.root / key).exists()
        }

    def _renamed(self, item: DumpInput, outcome: Outcome, vanished: dict[str, Entry]) -> bool:
        old_key = next((k for k, e in vanished.items() if e.raw_sha256 == outcome.sha256), None)
        if old_key is None:
            return False
        entry = vanished.pop(old_key)
        del self.state.entries[old_key]
        self.state.entries[item.key] = entry
        problem = self._entry_problem(entry)
        if problem is not None:
            self.report.failed.append((item.display, problem))
            return True
        self.report.renamed.append(
            (
                item.display,
                f"renamed from {self.display(old_key)}: its article {entry.output} follows it",
            )
        )
        self._known(item, outcome, entry)
        return True

    def _split_duplicates(
        self,
        fresh: list[tuple[DumpInput, Outcome]],
        present: dict[str, str | None],
        vanished: dict[str, Entry],
    ) -> tuple[list[Outcome], list[tuple[DumpInput, str]]]:
        """New dumps, and those with the bytes of another dump (one known to the manifest,
        or an earlier one of this run in path order) paired with that dump's key."""
        owner: dict[str, str] = {}
        for key, entry in sorted(self.state.entries.items()):
            if key not in vanished:
                owner.setdefault(present.get(key) or entry.raw_sha256, key)
        kept: list[Outcome] = []
        duplicates: list[tuple[DumpInput, str]] = []
        for item, outcome in sorted(fresh, key=lambda pair: pair[0].key):
            assert outcome.sha256 is not None
            first = owner.setdefault(outcome.sha256, item.key)
            if first == item.key:
                kept.append(outcome)
            else:
                duplicates.append((item, first))
        return kept, duplicates

    def _report_duplicates(self, duplicates: list[tuple[DumpInput, str]]) -> None:
        planned = {plan.key: plan.entry for plan in self.plans}
        for item, first in duplicates:
            entry = planned.get(first) or self.state.entries.get(first)
            where = f" (its article: {entry.output})" if entry else ""
            self.report.duplicates.append(
                (
                    item.display,
                    f"duplicate: the same bytes as {self.display(first)}{where}; not imported "
                    "a second time (delete one of the two dumps)",
                )
            )

    def _forget(self, vanished: dict[str, Entry]) -> None:
        for key, entry in vanished.items():
            del self.state.entries[key]
            if (self.root / entry.output).is_file():
                why = (
                    f"the dump was deleted; its article {entry.output} is kept and belongs to "
                    "the writers now (the import manifest forgets the dump)"
                )
            else:
                why = "the dump and its article were both deleted; the import manifest forgets them"
            self.report.deleted_dumps.append((self.display(key), why))

    # ------------------------------------------------------------------ new articles
    def _new(self, outcomes: list[Outcome]) -> None:
        if not outcomes:
            return
        taken = {entry.slug for entry in self.state.entries.values()} | self.index.stems()
        allocator = SlugAllocator(taken, max_length=self.slug_max_length)
        # Oldest first: the first article with a headline keeps the plain slug.
        for outcome in sorted(outcomes, key=lambda o: (o.parts.date, o.key)):  # type: ignore[union-attr]
            assert outcome.parts is not None
            slug = allocator.allocate(outcome.parts.title, outcome.parts.date)
            target = self._target(outcome.parts.date.year, slug)
            data = outcome.parts.assemble(slug)
            entry = self._entry(outcome, slug, target, data)
            self.plans.append(
                Plan(outcome.key, self.display(outcome.key), target, data, entry, None)
            )


def _written_from(path: Path) -> str | None:
    """The dump hash an article's front matter says it was written from."""
    found = read_provenance(path)
    return None if found is None else found[1].raw_sha256
