"""What the cache remembers of an index in output/: one SQLite file per output folder.

For each document: its key, number, day, body length, a digest of its fragment file and
what the fragment leaves out (the body's paragraphs, its facets; compressed);
for each filter value: how many documents have it; and the digest of the manifest the
state belongs to. An update reads the rows it needs and changes the rows of the documents
it touched, in one transaction, instead of loading and rewriting a map of the whole
archive (50,000 rows) on every edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    key TEXT PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    day INTEGER NOT NULL,
    length INTEGER NOT NULL,
    digest TEXT NOT NULL,
    rest BLOB NOT NULL
);
CREATE INDEX documents_day ON documents (day);
CREATE TABLE filters (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
"""


@dataclass(frozen=True)
class Row:
    number: int
    day: int
    length: int
    digest: str
    rest: bytes  # documents.rest_bytes: what the fragment leaves out


class StateError(Exception):
    """The state is missing, unreadable or from another version."""


class State:
    """One SQLite connection; changes are committed by :meth:`commit`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path, version: str) -> State:
        if not path.is_file():
            raise StateError("no saved state")
        try:
            db = sqlite3.connect(path, isolation_level="DEFERRED")
            found = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        except sqlite3.Error as exc:
            raise StateError(f"unreadable state: {exc}") from None
        if found is None or found[0] != version:
            db.close()
            raise StateError("state from another version")
        return cls(db)

    @classmethod
    def create(cls, path: Path, version: str) -> State:
        """A new, empty state (any old one is deleted)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
        db = sqlite3.connect(path, isolation_level="DEFERRED")
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('version', ?)", (version,))
        return cls(db)

    def close(self) -> None:
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    # ------------------------------------------------------------------ meta
    def get(self, name: str) -> str | None:
        found = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if found is None else str(found[0])

    def set(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    # ------------------------------------------------------------------ documents
    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def total_length(self) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(length), 0) FROM documents").fetchone()[0])

    def numbers(self) -> list[int]:
        return [n for (n,) in self.db.execute("SELECT number FROM documents ORDER BY number")]

    def rows(self, keys: Iterable[str]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        with closing(self.db.cursor()) as cursor:
            for key in keys:
                row = cursor.execute(
                    "SELECT number, day, length, digest, rest FROM documents WHERE key = ?",
                    (key,),
                ).fetchone()
                if row is not None:
                    found[key] = Row(*row)
        return found

    def on_days(self, days: Iterable[int]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        with closing(self.db.cursor()) as cursor:
            for day in sorted(set(days)):
                for key, *values in cursor.execute(
                    "SELECT key, number, day, length, digest, rest FROM documents WHERE day = ?",
                    (day,),
                ):
                    found[key] = Row(*values)
        return found

    def overflowed(self) -> bool:
        """Whether a document's number lies outside its day (a day had too many)."""
        from newsarchive.search.docids import SLOTS

        query = "SELECT 1 FROM documents WHERE number / ? != day LIMIT 1"
        return self.db.execute(query, (SLOTS,)).fetchone() is not None

    def put(self, rows: Mapping[str, Row]) -> None:
        # delete first: a number may pass from one key to another in the same update
        self.db.executemany("DELETE FROM documents WHERE key = ?", [(k,) for k in rows])
        self.db.executemany(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)",
            [(k, r.number, r.day, r.length, r.digest, r.rest) for k, r in rows.items()],
        )

    def delete(self, keys: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM documents WHERE key = ?", [(k,) for k in keys])

    # ------------------------------------------------------------------ filters
    def filters(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT term, df FROM filters"))

    def set_filters(self, df: Mapping[str, int]) -> None:
        self.db.execute("DELETE FROM filters")
        self.db.executemany("INSERT INTO filters VALUES (?, ?)", sorted(df.items()))

    def add_filters(self, delta: Mapping[str, int]) -> None:
        for term, change in delta.items():
            self.db.execute(
                "INSERT INTO filters VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + ?",
                (term, change, change),
            )
        self.db.execute("DELETE FROM filters WHERE df <= 0")
