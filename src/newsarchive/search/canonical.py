"""Make Pagefind's bundle byte-identical for identical input (the project's determinism rule).

Pagefind 1.5 builds its filter indexes from Rust ``HashMap``s (randomly seeded per run):
the values inside each ``filter/*.pf_filter`` file and the list of filters in the
``pf_meta`` file come out in a different order on every run, so their content hashes, the
file names made from them, and the entry file that names the meta file differ too. The
order carries no meaning (the search code reads them into maps), so this step sorts them:

1. each filter file: its values sorted by value; renamed after the hash of its new bytes;
2. the meta file (``pagefind.<lang>_<hash>.pf_meta``): its filter list sorted by name,
   pointing at the new filter names; renamed after its new hash;
3. ``pagefind-entry.json``: the meta file's new hash.

The files are gzip streams of ``pagefind_dcd`` + CBOR (minicbor: definite-length arrays,
shortest integers). The tiny codec below covers exactly the CBOR items Pagefind writes and
re-encodes an untouched item to the same bytes (checked by the tests).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

from newsarchive.errors import BuildError

SIGNATURE = b"pagefind_dcd"


class _Simple:
    """A CBOR simple value or float, kept as its raw bytes (Pagefind's are null/bools)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw


def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    head = data[pos]
    major, info = head >> 5, head & 0x1F
    pos += 1
    if major == 7:
        size = {24: 1, 25: 2, 26: 4, 27: 8}.get(info, 0)
        return _Simple(data[pos - 1 : pos + size]), pos + size
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    else:
        raise ValueError(f"unsupported CBOR item 0x{head:02x}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return bytes(data[pos : pos + arg]), pos + arg
    if major == 3:
        return data[pos : pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, pos = _decode(data, pos)
            value, pos = _decode(data, pos)
            pairs.append((key, value))
        return _Map(pairs), pos
    raise ValueError(f"unsupported CBOR major type {major}")


class _Map(list):  # type: ignore[type-arg]
    """A CBOR map as its (key, value) pairs, in file order."""


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise ValueError("integer too large for CBOR")


def _encode(item: Any, out: bytearray) -> None:
    if isinstance(item, _Simple):
        out += item.raw
    elif isinstance(item, bool):
        out += b"\xf5" if item else b"\xf4"
    elif isinstance(item, int):
        out += _head(0, item) if item >= 0 else _head(1, -1 - item)
    elif isinstance(item, bytes):
        out += _head(2, len(item)) + item
    elif isinstance(item, str):
        raw = item.encode("utf-8")
        out += _head(3, len(raw)) + raw
    elif isinstance(item, _Map):
        out += _head(5, len(item))
        for key, value in item:
            _encode(key, out)
            _encode(value, out)
    elif isinstance(item, list):
        out += _head(4, len(item))
        for sub in item:
            _encode(sub, out)
    else:
        raise TypeError(f"cannot encode {type(item).__name__}")


def decode_file(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a pagefind_dcd file")
    item, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError("trailing bytes after the CBOR item")
    return item


def encode_file(item: Any) -> bytes:
    out = bytearray(SIGNATURE)
    _encode(item, out)
    # mtime=0 and no file name: the same content always gives the same gzip bytes.
    return gzip.compress(bytes(out), compresslevel=9, mtime=0)


def _rehash(old: str, data: bytes) -> str:
    """``ko_17cde2d`` -> ``ko_`` + as many hex digits of the new bytes' hash."""
    prefix, _, digits = old.rpartition("_")
    new = hashlib.sha256(data).hexdigest()[: max(len(digits), 7)]
    return f"{prefix}_{new}" if prefix else new


def canonicalise(bundle: Path) -> None:
    """Rewrite *bundle*'s filter, meta and entry files in a run-independent order."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for _language, info in sorted(entry["languages"].items()):
            _canonicalise_language(bundle, info)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise BuildError(f"unexpected Pagefind bundle layout: {exc}", path=bundle) from exc
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _canonicalise_language(bundle: Path, info: dict[str, Any]) -> None:
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta = decode_file(meta_path)
    filters = _filter_list(meta)
    renamed: dict[str, str] = {}
    for pair in filters:
        old = pair[1]
        path = bundle / "filter" / f"{old}.pf_filter"
        index = decode_file(path)
        index[1].sort(key=lambda value: value[0])  # [filter name, [[value, pages], ...]]
        data = encode_file(index)
        new = _rehash(old, data)
        path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[old] = new
    for pair in filters:
        pair[1] = renamed[pair[1]]
    filters.sort(key=lambda pair: pair[0])
    data = encode_file(meta)
    new_meta = _rehash(info["hash"], data)
    meta_path.unlink()
    (bundle / f"pagefind.{new_meta}.pf_meta").write_bytes(data)
    info["hash"] = new_meta


def _filter_list(meta: Any) -> list[list[Any]]:
    """The meta index's ``filters`` field: a list of [name, hash] pairs."""
    # MetaIndex = [version, pages, index_chunks, filters, (sorts, ...)]
    filters = meta[3]
    if not (isinstance(filters, list) and all(_is_pair(p) for p in filters)):
        raise ValueError("pf_meta has no filter list where Pagefind 1.5 writes it")
    return filters


def _is_pair(item: Any) -> bool:
    return isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
