"""The norms file: every document's number and body length, for BM25's length factor.

Layout (gzip of): ``u32 count``, ``count × u32`` number differences (the first from 0),
``count × u8`` length codes, all little-endian. A length code keeps 4 significant bits of
the length (:func:`length_code`), which is all BM25 needs and keeps the file at about
2.5 bytes a document once compressed. Fixed-width arrays let an update insert and remove
documents with C-level list operations instead of re-encoding 50,000 entries in Python.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import operator
import struct
import sys
from array import array
from collections.abc import Iterable

from newsarchive.search import chunks


def length_code(length: int) -> int:
    """0-15 as such; above, 16 + 8·exponent + mantissa (3 bits after the leading one)."""
    if length < 16:
        return length
    exponent = length.bit_length() - 4
    return min(255, 16 + 8 * exponent + (length >> exponent) - 8)


def code_length(code: int) -> int:
    """The middle of the lengths a code stands for (search-engine.js decodes alike)."""
    if code < 16:
        return code
    exponent, mantissa = divmod(code - 16, 8)
    return ((8 + mantissa) << exponent) + (1 << exponent) // 2


def _u32(values: Iterable[int]) -> array:
    out = array("I", values)
    if sys.byteorder != "little":  # pragma: no cover - every CI machine is little-endian
        out.byteswap()
    return out


class Norms:
    """Numbers (sorted) and length codes, loaded from or written to the norms file."""

    def __init__(self, numbers: list[int], codes: bytearray) -> None:
        self.numbers = numbers
        self.codes = codes

    @classmethod
    def of(cls, pairs: Iterable[tuple[int, int]]) -> Norms:
        """From (number, body length) pairs."""
        ordered = sorted(pairs)
        return cls([n for n, _ in ordered], bytearray(length_code(n) for _, n in ordered))

    @classmethod
    def parse(cls, data: bytes) -> Norms:
        raw = gzip.decompress(data)
        (count,) = struct.unpack_from("<I", raw)
        if len(raw) != 4 + 5 * count:
            raise ValueError("the norms file has the wrong size")
        deltas = array("I")
        deltas.frombytes(raw[4 : 4 + 4 * count])
        if sys.byteorder != "little":  # pragma: no cover
            deltas.byteswap()
        return cls(list(itertools.accumulate(deltas)), bytearray(raw[4 + 4 * count :]))

    def remove(self, number: int) -> None:
        i = bisect.bisect_left(self.numbers, number)
        if i < len(self.numbers) and self.numbers[i] == number:
            del self.numbers[i]
            del self.codes[i]

    def add(self, number: int, length: int) -> None:
        i = bisect.bisect_left(self.numbers, number)
        if i < len(self.numbers) and self.numbers[i] == number:
            self.codes[i] = length_code(length)
        else:
            self.numbers.insert(i, number)
            self.codes.insert(i, length_code(length))

    def to_bytes(self) -> bytes:
        numbers = self.numbers
        deltas = _u32(itertools.chain(numbers[:1], map(operator.sub, numbers[1:], numbers)))
        raw = struct.pack("<I", len(numbers)) + deltas.tobytes() + bytes(self.codes)
        return chunks.compress(raw)
