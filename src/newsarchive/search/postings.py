"""Posting lists: which documents hold a term, and how much it weighs in each.

A document is a number (see docids.py: its date times 4,096 plus a slot). A posting list
is sorted by number and stored in *blocks* of one 65,536-number range each (16 days):

    block   = varint(key - previous key) varint(count) count × u16 offset [count × u8 weight]
    number  = key × 65,536 + offset

Filter terms (section, year, people...) have no weights. Fixed-width entries inside a block
let one document be added or removed by slicing bytes (:func:`splice`), without decoding
the rest of the list: a common term is in most of the archive's documents, and an update
must not cost in proportion to that. The browser decodes the same layout (search-engine.js).
"""

from __future__ import annotations

import bisect
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence

BLOCK_BITS = 16
BLOCK_MASK = (1 << BLOCK_BITS) - 1


def put_varint(out: bytearray, value: int) -> None:
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def encode(entries: Sequence[tuple[int, int]], weighted: bool) -> bytes:
    """A posting list from (number, weight) pairs sorted by number (unique numbers)."""
    return encode_packed([n << 8 | w for n, w in entries], weighted)


def encode_packed(packed: Sequence[int], weighted: bool) -> bytes:
    """A posting list from ``number << 8 | weight`` values, sorted (unique numbers).

    Whole-list operations (array conversions, one comprehension per list) rather than a loop
    per posting: a cold index of 50,000 articles encodes about 14 million postings.
    """
    if not packed:
        return b""
    offsets = array("H", [(v >> 8) & BLOCK_MASK for v in packed])
    if sys.byteorder == "little":
        offsets.byteswap()  # big-endian in the file
    raw = offsets.tobytes()
    weights = bytes([v & 0xFF for v in packed]) if weighted else b""
    keys = [v >> (8 + BLOCK_BITS) for v in packed]
    starts = [0, *(i for i in range(1, len(keys)) if keys[i] != keys[i - 1])]
    out = bytearray()
    previous = 0
    for a, b in zip(starts, [*starts[1:], len(keys)], strict=True):
        put_varint(out, keys[a] - previous)
        put_varint(out, b - a)
        out += raw[2 * a : 2 * b]
        out += weights[a:b]
        previous = keys[a]
    return bytes(out)


def decode(data: bytes, weighted: bool) -> list[tuple[int, int]]:
    """The (number, weight) pairs of a posting list (weight 0 when unweighted)."""
    entries: list[tuple[int, int]] = []
    pos = key = 0
    while pos < len(data):
        delta, pos = get_varint(data, pos)
        count, pos = get_varint(data, pos)
        key += delta
        base = key << BLOCK_BITS
        offsets = struct.unpack_from(f">{count}H", data, pos)
        pos += 2 * count
        if weighted:
            weights = data[pos : pos + count]
            pos += count
        else:
            weights = bytes(count)
        entries.extend(zip((base + o for o in offsets), weights, strict=True))
    return entries


def count(data: bytes, weighted: bool) -> int:
    """How many documents a posting list holds (block headers only)."""
    total = pos = 0
    width = 3 if weighted else 2
    while pos < len(data):
        _, pos = get_varint(data, pos)
        n, pos = get_varint(data, pos)
        total += n
        pos += width * n
    return total


class _Block:
    __slots__ = ("key", "offsets", "weights")

    def __init__(self, key: int, offsets: list[int], weights: bytearray) -> None:
        self.key, self.offsets, self.weights = key, offsets, weights


def splice(
    data: bytes, weighted: bool, remove: Iterable[int], add: Iterable[tuple[int, int]]
) -> bytes:
    """*data* without the numbers in *remove* and with the (number, weight) pairs of *add*.

    Only the blocks the numbers fall in are decoded; the others are copied as bytes. A number
    both removed and added ends up with the added weight.
    """
    width = 3 if weighted else 2
    # (key, start, end) of each block's bytes, its header included
    spans: list[tuple[int, int, int, int, int]] = []  # key, start, body, end, count
    pos = key = 0
    while pos < len(data):
        start = pos
        delta, pos = get_varint(data, pos)
        n, pos = get_varint(data, pos)
        key += delta
        spans.append((key, start, pos, pos + width * n, n))
        pos += width * n
    keys = [s[0] for s in spans]
    touched: dict[int, _Block] = {}

    def block(k: int) -> _Block:
        found = touched.get(k)
        if found is None:
            i = bisect.bisect_left(keys, k)
            if i < len(keys) and keys[i] == k:
                _, _, body, _, n = spans[i]
                offsets = list(struct.unpack_from(f">{n}H", data, body))
                weights = bytearray(data[body + 2 * n : body + 3 * n]) if weighted else bytearray()
            else:
                offsets, weights = [], bytearray()
            found = touched[k] = _Block(k, offsets, weights)
        return found

    for number in remove:
        b = block(number >> BLOCK_BITS)
        i = bisect.bisect_left(b.offsets, number & BLOCK_MASK)
        if i < len(b.offsets) and b.offsets[i] == number & BLOCK_MASK:
            del b.offsets[i]
            if weighted:
                del b.weights[i]
    for number, weight in add:
        b = block(number >> BLOCK_BITS)
        offset = number & BLOCK_MASK
        i = bisect.bisect_left(b.offsets, offset)
        if i < len(b.offsets) and b.offsets[i] == offset:
            if weighted:
                b.weights[i] = weight
            continue
        b.offsets.insert(i, offset)
        if weighted:
            b.weights.insert(i, weight)
    # Rebuild: untouched blocks keep their bodies; every header is rewritten (key deltas).
    out = bytearray()
    previous = 0
    old = {s[0]: s for s in spans}
    for k in sorted(set(keys) | touched.keys()):
        changed = touched.get(k)
        if changed is not None:
            if not changed.offsets:
                continue
            put_varint(out, k - previous)
            put_varint(out, len(changed.offsets))
            out += struct.pack(f">{len(changed.offsets)}H", *changed.offsets)
            out += changed.weights
        else:
            _, _, body, end, n = old[k]
            put_varint(out, k - previous)
            put_varint(out, n)
            out += data[body:end]
        previous = k
    return bytes(out)
