"""The term dictionary, cut into chunk files the browser fetches one at a time.

Terms are sorted (by code point) and cut into chunks; the manifest lists each chunk's first
term, so the browser finds a term's chunk by binary search and fetches that file only.

Where a chunk starts depends only on the terms themselves (content-defined chunking), never
on where earlier builds cut: a chunk starts at a term whose hash is 0 modulo
:data:`SPREAD`, at a *big* term (a posting list over :data:`BIG` bytes, which gets a chunk of
its own), and after one. So the same terms always give the same chunks, and adding or
removing a term changes its own chunk and at most its neighbours, whatever the history of
updates (index.py re-cuts only that neighbourhood: :func:`cut` of a run of chunks gives what
it gives inside the whole list).

File layout (gzip of): ``varint(count)``, then per term ``varint(len) utf-8 varint(df)
varint(len(postings))``, then every term's postings (postings.py), in order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsarchive.fsutil import gzip_bytes
from newsarchive.search.postings import get_varint, put_varint

SPREAD = 64  # terms per chunk on average (small ones)
BIG = 6000  # posting bytes from which a term is a chunk of its own
GZIP_LEVEL = 6  # of fragments and lists (chunks are not compressed)


@dataclass(frozen=True)
class Entry:
    term: str
    df: int  # documents holding the term
    postings: bytes


def _hashed_start(term: str) -> bool:
    digest = hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big") % SPREAD == 0


def starts(entry: Entry, previous: Entry | None) -> bool:
    """Whether a chunk starts at *entry*, the one after *previous* in term order."""
    if previous is None:
        return True
    return len(entry.postings) > BIG or len(previous.postings) > BIG or _hashed_start(entry.term)


def cut(entries: Sequence[Entry], previous: Entry | None = None) -> list[list[Entry]]:
    """*entries* (sorted) cut into chunks; *previous* is the entry before them, if any.

    The first entry always starts a chunk: callers pass a run that starts where a chunk
    of the whole list starts.
    """
    chunks: list[list[Entry]] = []
    for entry in entries:
        if not chunks or starts(entry, previous):
            chunks.append([])
        chunks[-1].append(entry)
        previous = entry
    return chunks


def encode(chunk: Iterable[Entry]) -> bytes:
    head = bytearray()
    body = bytearray()
    items = list(chunk)
    put_varint(head, len(items))
    for entry in items:
        raw = entry.term.encode("utf-8")
        put_varint(head, len(raw))
        head += raw
        put_varint(head, entry.df)
        put_varint(head, len(entry.postings))
        body += entry.postings
    return bytes(head + body)


def decode(raw: bytes) -> list[Entry]:
    count, pos = get_varint(raw, 0)
    heads: list[tuple[str, int, int]] = []
    for _ in range(count):
        size, pos = get_varint(raw, pos)
        term = raw[pos : pos + size].decode("utf-8")
        pos += size
        df, pos = get_varint(raw, pos)
        length, pos = get_varint(raw, pos)
        heads.append((term, df, length))
    entries = []
    for term, df, length in heads:
        entries.append(Entry(term, df, raw[pos : pos + length]))
        pos += length
    if pos != len(raw):
        raise ValueError("trailing bytes after the last posting list")
    return entries


def name_of(raw: bytes) -> str:
    """A chunk's file name: a hash of its bytes (a changed chunk is a new file)."""
    return hashlib.sha256(raw).hexdigest()[:16]


def compress(raw: bytes) -> bytes:
    """A fragment or list file's bytes (fsutil.gzip_bytes at the index's level)."""
    return gzip_bytes(raw, GZIP_LEVEL)
