"""The dependency record: what the last build read and what every output was made from.

One SQLite file per output folder under the cache folder
(``.cache/newsarchive/record-<digest of the output path>.sqlite``); docs/architecture.md
lists its tables. Whole-site values sit in ``meta`` as :mod:`marshal` blobs of plain
tuples, strings and numbers, each read only when first used and written only when set
again; inputs, outputs and articles are rows, of which a build writes the few that
changed; what each output and derived fact read, and its reverse (who reads an article's
field, who reads a fact), are rows too, so an edit finds its outputs without loading them
all. A build writes everything in one transaction at its end: a killed build leaves the
previous record, and the outputs it rewrote meanwhile are found by their size and mtime,
which no longer match the record.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple

from newsarchive.engine.tracking import Reads
from newsarchive.site.articles import ArticleData, PageData

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS output_reads(output INTEGER PRIMARY KEY, reads BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS article_readers(article INTEGER PRIMARY KEY, readers BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fact_readers(fact TEXT PRIMARY KEY, readers BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS derived_reads(fact TEXT PRIMARY KEY, reads BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL, slug TEXT NOT NULL, data BLOB NOT NULL
);
-- (every build reads each article's path and id, a structural edit their slugs too: read
-- from this index, not from the rows, which hold every article's data)
CREATE INDEX IF NOT EXISTS article_paths ON articles(path, slug);
CREATE TABLE IF NOT EXISTS inputs(path TEXT PRIMARY KEY, size INT, mtime_ns INT, digest TEXT);
CREATE TABLE IF NOT EXISTS outputs(
    path TEXT PRIMARY KEY, id INT, kind TEXT, params BLOB, scope TEXT, size INT, mtime_ns INT
);
CREATE TABLE IF NOT EXISTS scope_facts(scope TEXT PRIMARY KEY, facts BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS folders(path TEXT PRIMARY KEY, mtime_ns INT);
"""
log = logging.getLogger(__name__)
_TABLES = (
    "meta",
    "output_reads",
    "article_readers",
    "fact_readers",
    "derived_reads",
    "articles",
    "inputs",
    "outputs",
    "scope_facts",
    "folders",
)


class OutputEntry(NamedTuple):
    id: int
    kind: str
    # the render step's parameters, marshalled: a build unpacks them only for the outputs
    # it lists again or renders (a record holds one entry per output of the site)
    packed_params: bytes
    scope: str  # the scope it belongs to (newsarchive.site.facts.scope_key)
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, output_id: int, out: Any, size: int, mtime_ns: int) -> OutputEntry:
        """The entry of a render step's *out* (an ``Output``) written with this stat."""
        return cls(output_id, out.kind, marshal.dumps(out.params), out.scope, size, mtime_ns)

    @property
    def params(self) -> tuple[Any, ...]:
        return tuple(_loads(self.packed_params))


def record_path(cache: Path, output: Path) -> Path:
    name = hashlib.blake2b(str(output.resolve()).encode(), digest_size=8).hexdigest()
    return cache / f"record-{name}.sqlite"


def _loads(data: bytes) -> Any:
    return marshal.loads(data)  # noqa: S302 - our own record: plain values only


class ArticleStore(MutableMapping[int, ArticleData]):
    """Every article's record, by id, read from the ``articles`` table as asked: an edit
    reads the few it shows; deriving the site's structure reads them all."""

    def __init__(self, db: sqlite3.Connection, ids: set[int]) -> None:
        self._db = db
        self._ids = set(ids)
        self._cache: dict[int, ArticleData] = {}
        self._dirty: set[int] = set()
        self._complete = False

    def __getitem__(self, article_id: int) -> ArticleData:
        found = self._cache.get(article_id)
        if found is not None:
            return found
        if article_id not in self._ids:
            raise KeyError(article_id)
        row = self._db.execute("SELECT data FROM articles WHERE id=?", (article_id,)).fetchone()
        found = self._cache[article_id] = ArticleData._make(_loads(row[0]))
        return found

    def __setitem__(self, article_id: int, data: ArticleData) -> None:
        self._ids.add(article_id)
        self._cache[article_id] = data
        self._dirty.add(article_id)

    def __delitem__(self, article_id: int) -> None:
        self._ids.remove(article_id)
        self._cache.pop(article_id, None)
        self._dirty.add(article_id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def load_all(self) -> None:
        if self._complete:
            return
        cache = self._cache
        for article_id, data in self._db.execute("SELECT id, data FROM articles"):
            if article_id in self._ids and article_id not in cache:
                cache[article_id] = ArticleData._make(_loads(data))
        self._complete = True

    def slugs(self) -> list[tuple[int, str, str]]:
        """(id, path, slug) of every article, unmarshalling none that is not loaded: all
        the check for duplicate slugs after a structural edit needs."""
        found = {i: (data.path, data.slug) for i, data in self._cache.items() if i in self._ids}
        for article_id, path, slug in self._db.execute("SELECT id, path, slug FROM articles"):
            if article_id in self._ids and article_id not in found:
                found[article_id] = (path, slug)
        return [(i, path, slug) for i, (path, slug) in found.items()]

    def loaded(self) -> dict[int, ArticleData]:
        """The articles read so far (what a closed record can still tell)."""
        return {i: data for i, data in self._cache.items() if i in self._ids}

    def items(self) -> Any:
        self.load_all()
        return {i: self._cache[i] for i in self._ids}.items()

    def values(self) -> Any:
        return dict(self.items()).values()

    def save(self, db: sqlite3.Connection) -> None:
        for article_id in sorted(self._dirty):
            if article_id in self._ids:
                article = self._cache[article_id]
                data = marshal.dumps(tuple(article))
                db.execute(
                    "INSERT OR REPLACE INTO articles VALUES(?, ?, ?, ?)",
                    (article_id, article.path, article.slug, data),
                )
            else:
                db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        self._dirty.clear()


class _Meta:
    """A value of the ``meta`` table, read (and unmarshalled) only when first used."""

    def __init__(self, default: Callable[[], Any]) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, record: Record, owner: type) -> Any:
        return record._value(self.name, self.default())

    def __set__(self, record: Record, value: Any) -> None:
        record._set(self.name, value)


class _MetaBlobs:
    """The ``meta`` table's blobs by name: the names are read at open, each blob when it is
    first asked for (the structure alone is megabytes, which a build that finds nothing to
    do never needs). *read*: False for a table known to be empty."""

    def __init__(self, db: sqlite3.Connection, *, read: bool = True) -> None:
        self._db = db
        self._names = {name for (name,) in db.execute("SELECT name FROM meta")} if read else set()
        self._blobs: dict[str, bytes] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def get(self, name: str) -> bytes | None:
        if name not in self._names:
            return None
        blob = self._blobs.get(name)
        if blob is None:
            row = self._db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
            if row is None:  # (not ours to lose: a name read at open is never deleted)
                return None
            blob = self._blobs[name] = row[0]
        return blob

    def __setitem__(self, name: str, blob: bytes) -> None:
        self._names.add(name)
        self._blobs[name] = blob


class Record:
    """The record of one output folder, loaded; changes are staged until :meth:`save`."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        path.parent.mkdir(parents=True, exist_ok=True)
        self.fresh = False  # True: no usable record, every output is made anew
        try:
            self._db = self._connect(path)
            self._raw = _MetaBlobs(self._db)  # name -> marshal bytes, each read when first used
        except sqlite3.DatabaseError as exc:  # not a database (damaged, or another file)
            log.warning("the build record %s is damaged (%s): starting afresh", path, exc)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._db = self._connect(path)
            self._raw = _MetaBlobs(self._db, read=False)
        self._values: dict[str, Any] = {}
        self._dirty_meta: set[str] = set()  # meta values set since the last save
        if self._raw.get("key") != marshal.dumps(key):
            self._reset()
        db = self._db
        # per-row tables, loaded whole; a save writes the rows that differ from these
        self._saved_inputs: dict[str, tuple[int, int, str | None]] = {
            path: (size, mtime, digest)
            for path, size, mtime, digest in db.execute("SELECT * FROM inputs")
        }
        self.inputs: dict[str, tuple[int, int, str | None]] = dict(self._saved_inputs)
        # the outputs, loaded when first asked (see :attr:`outputs`)
        self._saved_outputs: dict[str, OutputEntry] = {}
        self._outputs: dict[str, OutputEntry] | None = None
        self._by_scope: dict[str, set[str]] | None = None  # scope -> its outputs' paths
        self._by_id: dict[int, str] | None = None  # output id -> path
        # each scope's facts, as loaded or set (None: no facts)
        self._scope_facts: dict[str, dict[str, Any] | None] = {}
        self._staged_scopes: set[str] = set()
        self.article_ids: dict[str, int] = dict(db.execute("SELECT path, id FROM articles"))
        self.articles = ArticleStore(db, set(self.article_ids.values()))
        self.pages: dict[str, PageData] = {
            p: PageData._make(t) for p, t in self._value("pages", {}).items()
        }
        # a build that was killed while writing output/ may have left files no record lists
        self.interrupted: bool = bool(self._value("writing", False))
        self.next_id: int = self._value("next_id", 1)
        self.generation: int = self._value("generation", 0)
        self._instance: str = self._value("instance", "")
        # staged changes of the per-output rows
        self._reads: dict[int, Reads | None] = {}  # output id -> new reads (None: gone)
        self._derived: dict[str, Reads | None] = {}
        # output folders' mtimes after this build wrote in them (None: gone), and whether
        # they replace all the recorded ones
        self._folders: dict[str, int | None] = {}
        self._all_folders = False

    def _value(self, name: str, default: Any) -> Any:
        if name not in self._values:
            raw = self._raw.get(name)
            self._values[name] = default if raw is None else _loads(raw)
        return self._values[name]

    def _set(self, name: str, value: Any) -> None:
        self._values[name] = value
        self._dirty_meta.add(name)

    # whole-site values kept in ``meta``, unmarshalled on first use
    facts = _Meta(dict)  # digests of input facts (file:, template:, page:) and derived facts
    structure = _Meta(lambda: None)  # the site's structure, plain (Structure.to_plain)
    listed = _Meta(int)  # articles the site shows, as of that structure
    registry = _Meta(lambda: None)  # (digest of the registry file, the registry, plain)
    dirty = _Meta(set)  # outputs a failed build planned but did not render

    @property
    def state(self) -> str:
        """Names what this record says, as saved: equal only between loads of the same
        record file (made anew, it has a new name) after the same number of saves. What
        was worked out from a record (the search step's stamps) still holds while it is."""
        return f"{self._instance}.{self.generation}"

    @property
    def trusted(self) -> bool:
        """Whether the outputs listed are all the files builds put in output/."""
        return not self.fresh and not self.interrupted

    def folders(self) -> dict[str, int]:
        """Each folder of output/ that holds outputs ("" for output/ itself) -> its mtime
        when the last build had written in it."""
        return dict(self._db.execute("SELECT path, mtime_ns FROM folders").fetchall())

    def set_folders(self, stamps: Mapping[str, int | None], *, every: bool) -> None:
        """Record folders' mtimes as this build left them (*every*: these are all)."""
        if every:
            self._folders, self._all_folders = {}, True
        self._folders.update(stamps)

    def begin_writing(self) -> None:
        """Say, at once and on disk, that a build writes output/ now; :meth:`save` says it
        is done. A build killed in between leaves the next one a record that is not
        :attr:`trusted` (it walks output/ for the files this one wrote and never listed)."""
        blob = self._raw["writing"] = marshal.dumps(True)
        self._db.execute("INSERT OR REPLACE INTO meta VALUES('writing', ?)", (blob,))
        self._set("writing", False)

    @property
    def has_structure(self) -> bool:
        return "structure" in self._raw or "structure" in self._values

    # ------------------------------------------------------------------ opening
    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=30000")
        db.executescript(_SCHEMA)
        return db

    def _reset(self) -> None:
        self.fresh = True
        self._raw = _MetaBlobs(self._db, read=False)
        # a record made anew is told apart from every earlier one, whose generations it
        # counts again from 0 (see :attr:`state`)
        self._values = {"instance": os.urandom(8).hex()}
        self._dirty_meta = {"key", "instance"}
        with self._transaction():  # tables of an older format may differ: made anew
            for table in _TABLES:
                self._db.execute(f"DROP TABLE IF EXISTS {table}")
        self._db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _transaction(self) -> Any:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # ------------------------------------------------------------------ ids
    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def article_id(self, path: str) -> int:
        found = self.article_ids.get(path)
        if found is None:
            found = self.article_ids[path] = self.new_id()
        return found

    # ------------------------------------------------------------------ queries
    def fact_readers(self, keys: Iterable[str]) -> tuple[set[int], set[str]]:
        """Outputs and derived facts that read any of the facts *keys*."""
        outputs: set[int] = set()
        derived: set[str] = set()
        for key in keys:
            row = self._db.execute(
                "SELECT readers FROM fact_readers WHERE fact=?", (key,)
            ).fetchone()
            if row:
                ids, names = _loads(row[0])
                outputs.update(ids)
                derived.update(names)
        return outputs, derived

    def article_readers(self, changes: Mapping[int, int]) -> tuple[set[int], set[str]]:
        """Outputs and derived facts that read a changed field (*changes*: id -> bits)."""
        outputs: set[int] = set()
        derived: set[str] = set()
        for article, bits in changes.items():
            row = self._db.execute(
                "SELECT readers FROM article_readers WHERE article=?", (article,)
            ).fetchone()
            if row:
                ids, names = _loads(row[0])
                outputs.update(o for o, mask in ids.items() if mask & bits)
                derived.update(n for n, mask in names.items() if mask & bits)
        return outputs, derived

    # ------------------------------------------------------------------ outputs
    @property
    def outputs(self) -> dict[str, OutputEntry]:
        """Every output, by output-relative path; changed through :meth:`put_output` and
        :meth:`drop_output`, which keep the indexes. Loaded when first asked: a build that
        finds nothing to do asks only how many there are and how large
        (:meth:`output_files`)."""
        if self._outputs is None:
            self._saved_outputs = {
                path: OutputEntry(i, kind, params, scope, size, mtime)
                for path, i, kind, params, scope, size, mtime in self._db.execute(
                    "SELECT * FROM outputs"
                )
            }
            self._outputs = dict(self._saved_outputs)
        return self._outputs

    def output_count(self) -> int:
        if self._outputs is not None:
            return len(self._outputs)
        return int(self._db.execute("SELECT count(*) FROM outputs").fetchone()[0])

    def output_files(self) -> tuple[list[str], int]:
        """The path of every output, sorted, and their bytes in all."""
        if self._outputs is not None:
            return sorted(self._outputs), sum(entry.size for entry in self._outputs.values())
        cursor = self._db.execute("SELECT path FROM outputs ORDER BY path")
        paths = [path for (path,) in cursor]
        (total,) = self._db.execute("SELECT total(size) FROM outputs").fetchone()
        return paths, int(total)

    def put_output(self, path: str, entry: OutputEntry) -> None:
        old = self.outputs.get(path)
        if old is not None:
            self._unindex(path, old)
        self.outputs[path] = entry
        if self._by_scope is not None:
            self._by_scope.setdefault(entry.scope, set()).add(path)
        if self._by_id is not None:
            self._by_id[entry.id] = path

    def drop_output(self, path: str) -> OutputEntry:
        entry = self.outputs.pop(path)
        self._unindex(path, entry)
        return entry

    def _unindex(self, path: str, entry: OutputEntry) -> None:
        if self._by_scope is not None:
            self._by_scope.get(entry.scope, set()).discard(path)
        if self._by_id is not None:
            self._by_id.pop(entry.id, None)

    def outputs_of(self, scope: str) -> set[str]:
        """The paths of the outputs that belong to *scope*."""
        if self._by_scope is None:
            by_scope: dict[str, set[str]] = {}
            for path, entry in self.outputs.items():
                by_scope.setdefault(entry.scope, set()).add(path)
            self._by_scope = by_scope
        return set(self._by_scope.get(scope, ()))

    def output_path(self, output_id: int) -> str | None:
        if self._by_id is None:
            self._by_id = {entry.id: path for path, entry in self.outputs.items()}
        return self._by_id.get(output_id)

    # ------------------------------------------------------------------ scope facts
    def scope_facts(self, scopes: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """The facts the last build recorded for *scopes* (None: every scope that has
        any); a scope without facts is left out."""
        found: dict[str, dict[str, Any]] = {}
        if scopes is None:
            if not self.fresh:
                for scope, data in self._db.execute("SELECT scope, facts FROM scope_facts"):
                    self._scope_facts.setdefault(scope, _loads(data))
                for scope in self._staged_scopes:
                    self._scope_facts.setdefault(scope, None)
            scopes = list(self._scope_facts)
        for scope in scopes:
            if scope not in self._scope_facts:
                row = None
                if not self.fresh:
                    row = self._db.execute(
                        "SELECT facts FROM scope_facts WHERE scope=?", (scope,)
                    ).fetchone()
                self._scope_facts[scope] = None if row is None else _loads(row[0])
            value = self._scope_facts[scope]
            if value:
                found[scope] = value
        return found

    def set_scope_facts(self, scope: str, facts: dict[str, Any] | None) -> None:
        self._scope_facts[scope] = facts or None
        self._staged_scopes.add(scope)

    # ------------------------------------------------------------------ staging
    def set_reads(self, output_id: int, reads: Reads | None) -> None:
        """What an output read in this build (None: the output is gone)."""
        self._reads[output_id] = reads

    def set_derived(self, key: str, reads: Reads | None, digest: bytes | None) -> None:
        self._derived[key] = reads
        facts = self.facts
        if digest is None:
            facts.pop(key, None)
        else:
            facts[key] = digest
        self._dirty_meta.add("facts")

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        """Write everything staged and the whole-site maps, in one transaction."""
        db = self._db
        with self._transaction():
            fact_changes: dict[str, tuple[dict[Any, bool], ...]] = defaultdict(lambda: ({}, {}))
            article_changes: dict[int, tuple[dict[Any, int | None], ...]] = defaultdict(
                lambda: ({}, {})
            )

            def old_reads(table: str, column: str, key: Any) -> Reads | None:
                row = db.execute(
                    f"SELECT reads FROM {table} WHERE {column}=?",  # noqa: S608 - fixed names
                    (key,),
                ).fetchone()
                return None if row is None else Reads.loads(row[0])

            for slot, (staged, table, column) in enumerate(
                ((self._reads, "output_reads", "output"), (self._derived, "derived_reads", "fact"))
            ):
                for reader, reads in staged.items():
                    old = None if self.fresh else old_reads(table, column, reader)
                    if (
                        old is not None
                        and reads is not None
                        and old.facts == reads.facts
                        and old.articles == reads.articles
                    ):
                        continue  # read the same as before (most recomputed derived facts)
                    if old is not None:
                        for fact in old.facts:
                            fact_changes[fact][slot][reader] = False
                        for article in old.articles:
                            article_changes[article][slot][reader] = None
                    if reads is None:
                        db.execute(f"DELETE FROM {table} WHERE {column}=?", (reader,))  # noqa: S608
                        continue
                    for fact in reads.facts:
                        fact_changes[fact][slot][reader] = True
                    for article, bits in reads.articles.items():
                        article_changes[article][slot][reader] = bits
                    db.execute(
                        f"INSERT OR REPLACE INTO {table} VALUES(?, ?)",
                        (reader, reads.dumps()),
                    )
            for fact, (outputs, derived) in fact_changes.items():
                row = db.execute(
                    "SELECT readers FROM fact_readers WHERE fact=?", (fact,)
                ).fetchone()
                ids, names = (set(), set()) if row is None else map(set, _loads(row[0]))
                for reader, present in outputs.items():
                    (ids.add if present else ids.discard)(reader)
                for reader, present in derived.items():
                    (names.add if present else names.discard)(reader)
                if ids or names:
                    value = marshal.dumps((sorted(ids), sorted(names)))
                    db.execute("INSERT OR REPLACE INTO fact_readers VALUES(?, ?)", (fact, value))
                else:
                    db.execute("DELETE FROM fact_readers WHERE fact=?", (fact,))
            for article, (outputs, derived) in article_changes.items():
                row = db.execute(
                    "SELECT readers FROM article_readers WHERE article=?", (article,)
                ).fetchone()
                id_masks, name_masks = ({}, {}) if row is None else _loads(row[0])
                for table, changes in ((id_masks, outputs), (name_masks, derived)):
                    for reader, bits in changes.items():
                        if bits is None:
                            table.pop(reader, None)
                        else:
                            table[reader] = bits
                if id_masks or name_masks:
                    value = marshal.dumps((id_masks, name_masks))
                    db.execute(
                        "INSERT OR REPLACE INTO article_readers VALUES(?, ?)", (article, value)
                    )
                else:
                    db.execute("DELETE FROM article_readers WHERE article=?", (article,))
            for name, value in (
                ("key", self.key),
                ("pages", {p: tuple(v) for p, v in self.pages.items()}),
                ("next_id", self.next_id),
                ("generation", self.generation + 1),
            ):
                self._set(name, value)
            rows = []
            for name in sorted(self._dirty_meta):  # values set since the last save
                data = marshal.dumps(self._values[name])
                if self._raw.get(name) != data:
                    rows.append((name, data))
                    self._raw[name] = data
            db.executemany("INSERT OR REPLACE INTO meta VALUES(?, ?)", rows)
            self._dirty_meta.clear()
            if self._all_folders:
                db.execute("DELETE FROM folders")
            db.executemany(
                "DELETE FROM folders WHERE path=?",
                [(p,) for p, m in sorted(self._folders.items()) if m is None],
            )
            db.executemany(
                "INSERT OR REPLACE INTO folders VALUES(?, ?)",
                sorted((p, m) for p, m in self._folders.items() if m is not None),
            )
            self._folders, self._all_folders = {}, False
            self._save_rows(db)
            for scope in sorted(self._staged_scopes):
                facts = self._scope_facts[scope]
                if facts is None:
                    db.execute("DELETE FROM scope_facts WHERE scope=?", (scope,))
                else:
                    db.execute(
                        "INSERT OR REPLACE INTO scope_facts VALUES(?, ?)",
                        (scope, marshal.dumps(facts)),
                    )
            self._staged_scopes.clear()
            self.articles.save(db)
        self._reads.clear()
        self._derived.clear()
        self.fresh = False
        self.generation += 1

    def _save_rows(self, db: sqlite3.Connection) -> None:
        """The rows of ``inputs`` and ``outputs`` that differ from those last saved."""
        tables: list[tuple[str, Mapping[str, Any], Mapping[str, Any]]] = [
            ("inputs", self.inputs, self._saved_inputs)
        ]
        if self._outputs is not None:  # (not loaded: not changed)
            tables.append(("outputs", self._outputs, self._saved_outputs))
        for table, now, saved in tables:
            gone = [(path,) for path in saved.keys() - now.keys()]
            db.executemany(f"DELETE FROM {table} WHERE path=?", gone)  # noqa: S608
            if table == "inputs":
                rows = [(p, *v) for p, v in now.items() if saved.get(p) != v]
                db.executemany("INSERT OR REPLACE INTO inputs VALUES(?, ?, ?, ?)", rows)
            else:
                rows = [
                    (p, e.id, e.kind, e.packed_params, e.scope, e.size, e.mtime_ns)
                    for p, e in now.items()
                    if saved.get(p) != e
                ]
                db.executemany("INSERT OR REPLACE INTO outputs VALUES(?, ?, ?, ?, ?, ?, ?)", rows)
        self._saved_inputs = dict(self.inputs)
        if self._outputs is not None:
            self._saved_outputs = dict(self._outputs)

    def is_current(self, key: str) -> bool:
        """Whether this loaded record is still the one on disk (a long-lived process keeps
        it between builds; another process that saved one since makes it stale)."""
        if key != self.key:
            return False
        try:
            row = self._db.execute("SELECT value FROM meta WHERE name='generation'").fetchone()
        except sqlite3.DatabaseError:
            return False
        return row is not None and _loads(row[0]) == self.generation
