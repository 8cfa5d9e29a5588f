"""The files of ``output/search-index/``: their names, the manifest, and writing them.

Every file but the manifest is named by a hash of its content or by a document number, so
a reader holding one manifest never mixes its files with another build's; the manifest is
written last and files it no longer names are deleted after it (:class:`Files`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive.fsutil import atomic_write
from newsarchive.search import chunks
from newsarchive.search.scoring import FILTER_MARK, FILTERS

FORMAT = 2  # of the files; the browser refuses another (search-engine.js FORMAT)
MANIFEST = "manifest.json.gz"
TERMS = "t"
DOCS = "d"


def json_gz(data: Any) -> bytes:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return chunks.compress(raw.encode("utf-8"))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def fragment_file(number: int) -> str:
    return f"{DOCS}/{number}.json.gz"


def chunk_file(name: str) -> str:
    return f"{TERMS}/{name}.bin"


def norms_file(name: str) -> str:
    return f"norms-{name}.bin.gz"


def filters_file(name: str) -> str:
    return f"filters-{name}.json.gz"


def filter_values(df: Mapping[str, int]) -> dict[str, list[list[Any]]]:
    """``{filter: [[value, count], …]}`` sorted by value, from the filter terms' df."""
    found: dict[str, list[list[Any]]] = {name: [] for name in FILTERS}
    for term in sorted(df):
        name, _, value = term[1:].partition(FILTER_MARK)
        if name in found and df[term] > 0:
            found[name].append([value, df[term]])
    return found


class Files:
    """Writes into the index folder, keeping only bytes that changed, and lists changes.

    Deletions wait for :meth:`finish` (after the manifest): a reader holding the old
    manifest can still fetch the files it names. *delta* is how much the index's size
    changed, *offered* the size of every file passed to :meth:`write` (all of them, in a
    rebuild): the index's size is kept without a stat call per file.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.changed: list[str] = []
        self.removed: list[str] = []
        self.pending: list[str] = []
        self.delta = 0
        self.offered = 0

    def write(self, rel: str, data: bytes) -> None:
        path = self.folder / rel
        self.offered += len(data)
        old = 0
        try:
            old = path.stat().st_size
            if old == len(data) and path.read_bytes() == data:
                return
        except FileNotFoundError:
            pass
        atomic_write(path, data)
        self.changed.append(rel)
        self.delta += len(data) - old

    def delete_later(self, rel: str) -> None:
        self.pending.append(rel)

    def delete(self, rel: str, *, part_of_index: bool = True) -> None:
        """Delete *rel*; a stray file (*part_of_index* false) never counted in the size."""
        path = self.folder / rel
        try:
            size = path.lstat().st_size
            path.unlink()
        except FileNotFoundError:
            return
        self.removed.append(rel)
        if part_of_index:
            self.delta -= size

    def finish(self) -> None:
        for rel in self.pending:
            self.delete(rel)
        self.pending.clear()


@dataclass
class Manifest:
    documents: int
    length: int
    chunks: list[list[str]]  # [first term, file name]
    norms: str
    filters: str

    def to_bytes(self) -> bytes:
        return json_gz(
            {
                "format": FORMAT,
                "documents": self.documents,
                "length": self.length,
                "chunks": self.chunks,
                "norms": self.norms,
                "filters": self.filters,
            }
        )

    @classmethod
    def parse(cls, data: bytes) -> Manifest:
        raw = json.loads(gzip.decompress(data))
        return cls(
            documents=int(raw["documents"]),
            length=int(raw["length"]),
            chunks=[[str(first), str(name)] for first, name in raw["chunks"]],
            norms=str(raw["norms"]),
            filters=str(raw["filters"]),
        )
