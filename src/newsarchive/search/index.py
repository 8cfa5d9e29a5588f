"""The search index in ``output/search-index/``: built whole, or updated document by document.

Files (docs/search.md describes the formats):

- ``manifest.json.gz``: the number of documents and their total length, the first term and
  file name of every term chunk, the names of the norms and filter files. Written last, so
  a reader never sees a manifest naming a file not yet there; every other name is a hash of
  the content or a document number, so a reader never mixes an old file with a new one.
- ``t/<hash>.bin``: term chunks (chunks.py).
- ``d/<number>.json.gz``: one fragment per document (what a result shows of its
  :class:`SearchDocument`: URL, headline, date, section), named by its number (docids.py).
- ``norms-<hash>.bin.gz``: every document's number and body length (norms.py).
- ``filters-<hash>.json.gz``: every filter value with its count, for the search form.

Every file is a pure function of the current set of documents, so an update writes the
bytes a cold build would (the tests compare trees). An update reads what it changes from
``output/`` itself, checked against the state in the cache (state.py): one changed document
costs its fragment, the chunks of the terms whose counts changed, the norms and the
manifest, not the archive, and loads nothing heavy. Anything missing, damaged or from
another version turns the update into a rebuild from ``every_document()``.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.config import Settings
from newsarchive.errors import BuildError
from newsarchive.search import INDEX_DIR, chunks, docids, postings
from newsarchive.search.chunks import Entry
from newsarchive.search.documents import SearchDocument, checked, fragment_bytes, rest_bytes
from newsarchive.search.layout import (
    DOCS,
    FORMAT,
    MANIFEST,
    TERMS,
    Files,
    Manifest,
    chunk_file,
    digest,
    filter_values,
    filters_file,
    fragment_file,
    json_gz,
    norms_file,
)
from newsarchive.search.norms import Norms
from newsarchive.search.scoring import document_terms, is_filter
from newsarchive.search.state import Row, State, StateError

log = logging.getLogger(__name__)

# Bump when tokens, weights, chunking or the state change: the index is then rebuilt.
STATE_VERSION = f"{FORMAT}.5"


@dataclass
class IndexChanges:
    written: list[str] = field(default_factory=list)  # every file of the index now, sorted
    changed: list[str] = field(default_factory=list)  # files whose bytes changed (or are new)
    removed: list[str] = field(default_factory=list)  # files deleted
    bytes: int = 0  # the size of the index's files now (kept in the state: no stat calls)


class _Stale(Exception):
    """The saved state does not describe output/: rebuild from every document."""


def state_dir(settings: Settings, output: Path) -> Path:
    """The cache folder of the search state of one output folder (the dev server builds
    into its own stage folder while ``newsarchive build`` may build ``output/``)."""
    key = hashlib.sha256(str(output.resolve()).encode("utf-8")).hexdigest()[:12]
    return settings.cache_path / "search-index" / key


# ---------------------------------------------------------------------------- the index
class SearchIndex:
    """The index of one output folder (``output/search-index/``) and its state in the cache."""

    def __init__(self, settings: Settings, output: Path) -> None:
        self.output = output
        self.folder = output / INDEX_DIR
        self.state_path = state_dir(settings, output) / "state.sqlite"
        self.legacy_cache = settings.cache_path / "search"  # the Pagefind indexer's

    def update(
        self,
        changed: Mapping[str, SearchDocument],
        removed: Collection[str],
        every_document: Callable[[], Iterable[SearchDocument]],
    ) -> IndexChanges:
        """Bring the index up to date with documents added or modified (*changed*, by key)
        and keys gone (*removed*) since the last update.

        *every_document* is called only when the saved state is missing, stale or from
        another version: the index is then rebuilt from all the documents it yields (with
        *changed* and *removed* applied on top). Either way, afterwards the index folder
        equals a cold index of the current set byte for byte, and only files whose bytes
        changed were rewritten (atomically).
        """
        started = time.perf_counter()
        for key, document in changed.items():
            if document.key != key:
                raise BuildError(f"search document {document.key!r} passed under key {key!r}")
        try:
            result, mode = self._incremental(changed, removed), "updated"
        except _Stale as why:
            log.info("search index rebuilt: %s", why)
            result, mode = self._rebuild(changed, removed, every_document), "rebuilt"
        log.info(
            "search index %s: %d files changed, %d removed in %.2f s",
            mode,
            len(result.changed),
            len(result.removed),
            time.perf_counter() - started,
        )
        return result

    def remove(self) -> IndexChanges:
        """Delete the index (search turned off): a stale one would mislead readers."""
        removed = []
        if self.folder.is_dir():
            removed = sorted(
                p.relative_to(self.output).as_posix() for p in self.folder.rglob("*") if p.is_file()
            )
            shutil.rmtree(self.folder)
        shutil.rmtree(self.state_path.parent, ignore_errors=True)
        return IndexChanges(removed=removed)

    # ------------------------------------------------------------------ reading output/
    def _read(self, rel: str) -> bytes:
        try:
            return (self.folder / rel).read_bytes()
        except OSError as exc:
            raise _Stale(f"{rel}: {exc}") from None

    def _old_document(self, key: str, row: Row) -> SearchDocument:
        data = self._read(fragment_file(row.number))
        if digest(data) != row.digest:
            raise _Stale(f"the fragment of {key} changed outside the index")
        try:
            return SearchDocument.from_fragment(key, json.loads(gzip.decompress(data)), row.rest)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise _Stale(f"the fragment of {key}: {exc}") from None

    def _read_chunk(self, name: str) -> list[Entry]:
        raw = self._read(chunk_file(name))
        if chunks.name_of(raw) != name:
            raise _Stale(f"chunk {name} changed outside the index")
        try:
            return chunks.decode(raw)
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise _Stale(f"chunk {name}: {exc}") from None

    def _read_norms(self, name: str) -> Norms:
        data = self._read(norms_file(name))
        if digest(data) != name:
            raise _Stale("the norms changed outside the index")
        try:
            return Norms.parse(data)
        except (OSError, EOFError, zlib.error, ValueError) as exc:
            raise _Stale(f"the norms: {exc}") from None

    def _check_listing(self, numbers: list[int], manifest: Manifest, files: Files) -> None:
        """Every file the manifest and state name is there; strays are deleted."""
        expected = {
            TERMS: {f"{name}.bin" for _first, name in manifest.chunks},
            DOCS: {f"{n}.json.gz" for n in numbers},
        }
        for folder, wanted in expected.items():
            try:
                names = set(os.listdir(self.folder / folder))  # noqa: PTH208 (50,000 names)
            except FileNotFoundError:
                names = set()
            if not wanted <= names:
                raise _Stale(f"{len(wanted - names)} index files missing in {folder}/")
            for stray in sorted(names - wanted):
                self._delete_stray(files, f"{folder}/{stray}")
        top = {MANIFEST, filters_file(manifest.filters), norms_file(manifest.norms)}
        for name in sorted(os.listdir(self.folder)):  # noqa: PTH208
            if name not in top and name not in expected:
                self._delete_stray(files, name)
        if not (self.folder / filters_file(manifest.filters)).is_file():
            raise _Stale("the filter list is missing")

    def _delete_stray(self, files: Files, rel: str) -> None:
        path = self.folder / rel
        if path.is_dir() and not path.is_symlink():
            for sub in sorted(path.rglob("*")):
                if sub.is_file() or sub.is_symlink():
                    files.delete(sub.relative_to(self.folder).as_posix(), part_of_index=False)
            shutil.rmtree(path, ignore_errors=True)
        else:
            files.delete(rel, part_of_index=False)

    # ------------------------------------------------------------------ incremental
    def _incremental(
        self, changed: Mapping[str, SearchDocument], removed: Collection[str]
    ) -> IndexChanges:
        try:
            state = State.open(self.state_path, STATE_VERSION)
        except StateError as exc:
            raise _Stale(str(exc)) from None
        try:
            return self._apply_changes(state, changed, removed)
        except sqlite3.Error as exc:
            raise _Stale(f"unreadable state: {exc}") from None
        finally:
            state.close()

    def _apply_changes(
        self, state: State, changed: Mapping[str, SearchDocument], removed: Collection[str]
    ) -> IndexChanges:
        manifest_bytes = self._read(MANIFEST)
        if digest(manifest_bytes) != state.get("manifest"):
            raise _Stale("the manifest changed outside the index")
        try:
            manifest = Manifest.parse(manifest_bytes)
        except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError) as exc:
            raise _Stale(f"unreadable manifest: {exc}") from None
        files = Files(self.folder)
        numbers = state.numbers()
        self._check_listing(numbers, manifest, files)

        new_docs = {key: checked(doc) for key, doc in changed.items()}
        rows = state.rows({*new_docs, *removed})
        old_docs = {key: self._old_document(key, row) for key, row in rows.items()}
        for key in [k for k, doc in new_docs.items() if old_docs.get(k) == doc]:
            del new_docs[key], old_docs[key], rows[key]  # passed as changed, but the same
        gone = {key for key in removed if key in rows and key not in new_docs}
        if not new_docs and not gone:
            files.finish()
            return self._result(files, numbers, manifest, int(state.get("bytes") or 0))

        # numbers: the days touched are renumbered (a day's numbers depend on it alone)
        new_days = {key: docids.day_of(doc.date) for key, doc in new_docs.items()}
        touched = {row.day for row in rows.values()} | set(new_days.values())
        on_days = state.on_days(touched)
        old_rows = {**on_days, **rows}
        keys_by_day: dict[int, list[str]] = defaultdict(list)
        for key, row in on_days.items():
            if key not in new_docs and key not in gone:
                keys_by_day[row.day].append(key)
        for key, day in new_days.items():
            keys_by_day[day].append(key)
        for day in touched:
            keys_by_day.setdefault(day, [])
        renumbered = None if state.overflowed() else docids.renumber(keys_by_day)
        if renumbered is None:
            raise _Stale("a day holds too many articles to renumber it alone")
        moved = [k for k, n in renumbered.items() if k not in new_docs and n != on_days[k].number]
        for key in moved:
            old_docs[key] = new_docs[key] = self._old_document(key, on_days[key])
            new_days[key] = on_days[key].day

        # posting changes, term by term; lengths and fragments
        removes: dict[str, list[int]] = defaultdict(list)
        adds: dict[str, list[tuple[int, int]]] = defaultdict(list)
        filter_delta: dict[str, int] = defaultdict(int)
        norms = self._read_norms(manifest.norms)
        new_rows: dict[str, Row] = {}
        for key in sorted({*new_docs, *gone}):
            old_row = old_rows.get(key)
            before = document_terms(old_docs[key])[0] if key in old_docs else {}
            if old_row is not None:
                norms.remove(old_row.number)
            after: dict[str, int] = {}
            number = renumbered.get(key)
            if key in new_docs:
                after, length = document_terms(new_docs[key])
                data = chunks.compress(fragment_bytes(new_docs[key]))
                files.write(fragment_file(number), data)  # type: ignore[arg-type]
                rest = rest_bytes(new_docs[key])
                new_rows[key] = Row(number, new_days[key], length, digest(data), rest)  # type: ignore[arg-type]
            old_number = None if old_row is None else old_row.number
            for term in before.keys() | after.keys():
                if old_number == number and before.get(term) == after.get(term):
                    continue
                if term in before:
                    removes[term].append(old_number)  # type: ignore[arg-type]
                if term in after:
                    adds[term].append((number, after[term]))  # type: ignore[arg-type]
            for term in before.keys() ^ after.keys():
                if is_filter(term):
                    filter_delta[term] += 1 if term in after else -1
        for row in new_rows.values():
            norms.add(row.number, row.length)
        freed = {old_rows[k].number for k in (*gone, *moved, *new_docs) if k in old_rows}
        freed -= {row.number for row in new_rows.values()}
        for number in sorted(freed):
            files.delete_later(fragment_file(number))

        manifest.chunks = self._update_chunks(manifest.chunks, removes, adds, files)
        state.delete(gone | set(new_rows))
        state.put(new_rows)
        state.add_filters(filter_delta)
        self._write_lists(files, manifest, state, norms)
        files.finish()
        size = int(state.get("bytes") or 0) + files.delta
        state.set("bytes", str(size))
        state.commit()
        return self._result(files, state.numbers(), manifest, size)

    def _update_chunks(
        self,
        chunk_list: list[list[str]],
        removes: Mapping[str, list[int]],
        adds: Mapping[str, list[tuple[int, int]]],
        files: Files,
    ) -> list[list[str]]:
        """Apply posting changes to the chunks holding their terms; re-cut around them.

        A chunk's start depends on its first term and the one before it (chunks.starts),
        so the chunks touched are re-cut together with their neighbours: the run starts
        where an untouched chunk starts and ends where one ends, and :func:`chunks.cut` of
        the run gives what the whole list would there.
        """
        terms = sorted(removes.keys() | adds.keys())
        if not terms:
            return chunk_list
        firsts = [first for first, _name in chunk_list]
        by_chunk: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            by_chunk[max(bisect.bisect_right(firsts, term) - 1, 0)].append(term)
        last = max(len(chunk_list), 1)
        wanted = sorted({j for i in by_chunk for j in (i - 1, i, i + 1) if 0 <= j < last})
        runs: list[list[int]] = []
        for i in wanted:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        result: list[list[str]] = []
        done = 0
        for run in runs:
            result.extend(chunk_list[done : run[0]])
            done = run[-1] + 1
            old_names = [chunk_list[i][1] for i in run if i < len(chunk_list)]
            entries: list[Entry] = []
            for name in old_names:
                entries.extend(self._read_chunk(name))
            todo = [t for i in run for t in by_chunk.get(i, [])]
            new_names = []
            for piece in chunks.cut(_apply(entries, todo, removes, adds)):
                raw = chunks.encode(piece)
                name = chunks.name_of(raw)
                files.write(chunk_file(name), raw)
                result.append([piece[0].term, name])
                new_names.append(name)
            for name in sorted(set(old_names) - set(new_names)):
                files.delete_later(chunk_file(name))
        result.extend(chunk_list[done:])
        return result

    # ------------------------------------------------------------------ rebuild
    def _rebuild(
        self,
        changed: Mapping[str, SearchDocument],
        removed: Collection[str],
        every_document: Callable[[], Iterable[SearchDocument]],
    ) -> IndexChanges:
        gone = set(removed)
        keys: list[str] = []
        days: list[int] = []
        lengths: list[int] = []
        fragments: list[bytes] = []
        rests: list[bytes] = []
        terms: dict[str, array] = {}  # term -> (sequence << 8 | weight), in input order
        seen: set[str] = set()

        def add(document: SearchDocument) -> None:
            document = checked(document)
            if document.key in seen:
                raise BuildError(f"two search documents have the key {document.key!r}")
            seen.add(document.key)
            sequence = len(keys)
            keys.append(document.key)
            days.append(docids.day_of(document.date))
            fragments.append(chunks.compress(fragment_bytes(document)))
            rests.append(rest_bytes(document))
            found, length = document_terms(document)
            lengths.append(length)
            base = sequence << 8
            for term, weight in found.items():
                postings_of = terms.get(term)
                if postings_of is None:
                    postings_of = terms[term] = array("Q")
                postings_of.append(base | weight)

        for document in every_document():
            if document.key not in gone and document.key not in changed:
                add(document)
        for key in sorted(changed):
            if key not in gone:
                add(changed[key])

        numbers_by_key = docids.assign(dict(zip(keys, days, strict=True)))
        number_of = [numbers_by_key[key] for key in keys]
        files = Files(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        chunk_list: list[list[str]] = []
        filters: dict[str, int] = {}
        entries: list[Entry] = []
        for term in sorted(terms):
            values = terms.pop(term)
            packed = sorted([number_of[v >> 8] << 8 | (v & 0xFF) for v in values])
            data = postings.encode_packed(packed, not is_filter(term))
            entries.append(Entry(term, len(packed), data))
            if is_filter(term):
                filters[term] = len(packed)
        for piece in chunks.cut(entries):
            raw = chunks.encode(piece)
            name = chunks.name_of(raw)
            files.write(chunk_file(name), raw)
            chunk_list.append([piece[0].term, name])
        entries.clear()
        rows: dict[str, Row] = {}
        for key, day, number, data, length, rest in zip(
            keys, days, number_of, fragments, lengths, rests, strict=True
        ):
            files.write(fragment_file(number), data)
            rows[key] = Row(number, day, length, digest(data), rest)
        fragments.clear()
        rests.clear()
        state = State.create(self.state_path, STATE_VERSION)
        try:
            state.put(rows)
            state.set_filters(filters)
            manifest = Manifest(0, 0, chunk_list, "", "")
            norms = Norms.of((row.number, row.length) for row in rows.values())
            self._write_lists(files, manifest, state, norms)
            # everything else in the folder is stale
            keep = {MANIFEST, filters_file(manifest.filters), norms_file(manifest.norms)}
            keep |= {chunk_file(name) for _first, name in chunk_list}
            keep |= {fragment_file(row.number) for row in rows.values()}
            for path in sorted(self.folder.rglob("*")):
                rel = path.relative_to(self.folder).as_posix()
                if (path.is_file() or path.is_symlink()) and rel not in keep:
                    files.delete(rel)
            for path in sorted(self.folder.iterdir()):
                if path.is_dir() and (path.name not in (TERMS, DOCS) or not any(path.iterdir())):
                    shutil.rmtree(path)
            state.set("bytes", str(files.offered))
            state.commit()
        finally:
            state.close()
        shutil.rmtree(self.legacy_cache, ignore_errors=True)
        numbers = sorted(row.number for row in rows.values())
        return self._result(files, numbers, manifest, files.offered)

    # ------------------------------------------------------------------ writing
    def _write_lists(self, files: Files, manifest: Manifest, state: State, norms: Norms) -> None:
        """Write the filter list, the norms and, last, the manifest naming them."""
        old_filters, old_norms = manifest.filters, manifest.norms
        data = json_gz(filter_values(state.filters()))
        manifest.filters = digest(data)
        files.write(filters_file(manifest.filters), data)
        data = norms.to_bytes()
        manifest.norms = digest(data)
        files.write(norms_file(manifest.norms), data)
        manifest.documents = state.count()
        manifest.length = state.total_length()
        data = manifest.to_bytes()
        files.write(MANIFEST, data)
        state.set("manifest", digest(data))
        if old_filters and old_filters != manifest.filters:
            files.delete_later(filters_file(old_filters))
        if old_norms and old_norms != manifest.norms:
            files.delete_later(norms_file(old_norms))

    def _result(
        self, files: Files, numbers: list[int], manifest: Manifest, size: int
    ) -> IndexChanges:
        base = INDEX_DIR + "/"
        written = [
            base + MANIFEST,
            base + filters_file(manifest.filters),
            base + norms_file(manifest.norms),
        ]
        written += [base + chunk_file(name) for _first, name in manifest.chunks]
        written += [base + fragment_file(n) for n in numbers]
        return IndexChanges(
            written=sorted(written),
            changed=sorted(base + rel for rel in files.changed),
            removed=sorted(base + rel for rel in files.removed),
            bytes=size,
        )


def _apply(
    entries: list[Entry],
    todo: Iterable[str],
    removes: Mapping[str, list[int]],
    adds: Mapping[str, list[tuple[int, int]]],
) -> list[Entry]:
    """*entries* (one run of chunks, sorted) with the posting changes of the terms *todo*."""
    by_term = {entry.term: entry for entry in entries}
    for term in todo:
        entry = by_term.get(term)
        old = entry.postings if entry is not None else b""
        weighted = not is_filter(term)
        data = postings.splice(old, weighted, removes.get(term, ()), adds.get(term, ()))
        if data:
            by_term[term] = Entry(term, postings.count(data, weighted), data)
        else:
            by_term.pop(term, None)
    return [by_term[term] for term in sorted(by_term)]
