"""Shards of the search index: which article goes where, and publishing each bundle.

Pagefind holds every document of a run in memory (about 0.36 MB per article here), so one
run over the whole archive does not fit the memory budget at 10,000+ articles. The staged
documents are split into ``K`` shards by a hash of the article URL; Pagefind runs once per
shard, one after another, so its peak follows :data:`SHARD_SIZE`, not the archive.

- ``K`` is the smallest power of two that keeps every shard at or under ``SHARD_SIZE``
  documents (1 for small sites). Doubling ``K`` splits each shard in two (bucket ``b``
  becomes ``b`` or ``b + K``), so growth moves documents between few bundles.
- A shard's bundle is re-made only when its staged documents changed: a one-article edit
  re-runs Pagefind on one shard.
- Layout under ``output/pagefind/``: shard 0 is the primary bundle (with Pagefind's
  ``pagefind.js``, worker and WebAssembly), shard ``i`` > 0 lives in ``shard-NN/`` (index
  files only: the browser loads it into the primary's Pagefind with ``mergeIndex``), and
  :data:`SHARDS_FILE` lists the shard folders for the search page (written after them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Collection
from pathlib import Path

from newsarchive.fsutil import atomic_write

SHARD_SIZE = 1000  # most documents one Pagefind run may see (~0.36 GB of Pagefind memory)
SHARDS_FILE = "newsarchive-shards.json"  # below output/pagefind/: the list the browser merges
SHARD_PREFIX = "shard-"
# Pagefind's entry file names every other file: written last so a reader never loads an
# entry that points at files not yet there.
ENTRY_FILE = "pagefind-entry.json"
# Pagefind also writes its ready-made UIs; the search page uses only the JS API. A merged
# shard needs neither the JS nor the WebAssembly (the primary's Pagefind searches it).
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
_PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js", "wasm.")


def shard_count(documents: int, shard_size: int = SHARD_SIZE) -> int:
    """The smallest power of two ``K`` with ``documents / K <= shard_size`` (at least 1)."""
    count = 1
    while documents > count * shard_size:
        count *= 2
    return count


def url_hash(url: str) -> int:
    """A stable 64-bit hash of an article URL; its low bits pick the shard."""
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")


def shard_of(url: str, count: int) -> int:
    """The shard of an article URL: stable across builds and across ``count`` doublings."""
    return url_hash(url) & (count - 1)


def fit_count(hashes: Collection[int], shard_size: int = SHARD_SIZE) -> int:
    """``shard_count`` of the URLs with *hashes*, halved until no shard is empty.

    Pagefind refuses an empty site; only tiny archives with a lowered shard size ever need
    the halving.
    """
    count = shard_count(len(hashes), shard_size)
    while count > 1 and len({h & (count - 1) for h in hashes}) < count:
        count //= 2
    return count


def shard_key(index: int) -> str:
    """The shard's name in caches and in the browser's synthetic filter: ``00``, ``01``…"""
    return f"{index:02d}"


def shard_dir(index: int) -> str:
    """The bundle's folder below ``output/pagefind/`` ("" for the primary)."""
    return "" if index == 0 else SHARD_PREFIX + shard_key(index)


def bundle_files(bundle: Path, primary: bool) -> list[str]:
    """Relative paths of the files to publish from a Pagefind bundle, entry file last."""
    skip = _UNUSED if primary else _UNUSED + _PRIMARY_ONLY
    files = []
    for root, dirs, names in os.walk(bundle):
        dirs.sort()
        rel_root = os.path.relpath(root, bundle)
        for name in sorted(names):
            if rel_root == "." and name.startswith(skip):
                continue
            files.append(name if rel_root == "." else f"{rel_root}/{name}")
    files.sort(key=lambda rel: rel == ENTRY_FILE)
    return files


def drop_unpublished(bundle: Path, primary: bool) -> None:
    """Delete what :func:`bundle_files` would not publish (keeps the cache bundle small)."""
    keep = set(bundle_files(bundle, primary))
    for entry in os.scandir(bundle):
        if entry.is_file() and entry.name not in keep:
            Path(entry.path).unlink()


def _others(name: str) -> bool:
    """Top-level names in the primary's folder that belong to other shards or the list."""
    return name.startswith(SHARD_PREFIX) or name == SHARDS_FILE


def sync_bundle(
    bundle: Path, target: Path, files: list[str], *, primary: bool
) -> tuple[list[Path], list[Path]]:
    """Make *target* hold *files* of *bundle*, rewriting only changed ones, entry last.

    Returns (changed, removed). Stale files in *target* are deleted; in the primary's
    folder the other shards' folders and the shard list are left alone.
    """
    changed: list[Path] = []
    removed: list[Path] = []
    for rel in files:
        data = (bundle / rel).read_bytes()
        dest = target / rel
        try:
            same = dest.stat().st_size == len(data) and dest.read_bytes() == data
        except FileNotFoundError:
            same = False
        if not same:
            atomic_write(dest, data)
            changed.append(dest)
    keep = set(files)
    for root, dirs, names in os.walk(target):
        rel_root = os.path.relpath(root, target)
        top = rel_root == "."
        if top and primary:
            dirs[:] = [d for d in dirs if not _others(d)]
        for name in names:
            rel = name if top else f"{rel_root}/{name}"
            if rel not in keep and not (top and primary and _others(name)):
                (Path(root) / name).unlink()
                removed.append(target / rel)
    for root, dirs, _names in os.walk(target):
        if root == str(target) and primary:
            dirs[:] = [d for d in dirs if not _others(d)]
        for name in dirs:
            sub = Path(root) / name
            if not any(sub.iterdir()):  # Pagefind's folders are one level deep
                sub.rmdir()
    return changed, sorted(removed)


def intact(target: Path, files: dict[str, int], entry: bytes) -> bool:
    """*target* still holds the published files (by name) and the same entry file.

    Names are compared folder by folder (a directory listing, not a ``stat`` per file:
    this runs on every unchanged rebuild, over every file of the index).
    """
    try:
        if (target / ENTRY_FILE).read_bytes() != entry:
            return False
        wanted: dict[str, set[str]] = {}
        for rel in files:
            folder, _, name = rel.rpartition("/")
            wanted.setdefault(folder, set()).add(name)
        for folder, names in wanted.items():
            with os.scandir(target / folder if folder else target) as entries:
                if not names <= {e.name for e in entries}:
                    return False
    except OSError:
        return False
    return True


def write_shards_file(pagefind: Path, count: int) -> bool:
    """Write the list of merged shard folders (relative, with a trailing slash).

    Returns whether the file changed. The browser fetches it to know which bundles to
    merge; it is written after every bundle it names.
    """
    data = json.dumps(
        {"shards": [shard_dir(i) + "/" for i in range(1, count)]}, separators=(",", ":")
    ).encode("utf-8")
    path = pagefind / SHARDS_FILE
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def stale_shard_dirs(pagefind: Path, count: int) -> list[Path]:
    """Shard folders in ``output/pagefind/`` beyond *count* (the archive shrank)."""
    if not pagefind.is_dir():
        return []
    found = []
    for entry in os.scandir(pagefind):
        name = entry.name
        if entry.is_dir() and name.startswith(SHARD_PREFIX):
            suffix = name.removeprefix(SHARD_PREFIX)
            if not (
                suffix.isdigit() and 0 < int(suffix) < count and shard_dir(int(suffix)) == name
            ):
                found.append(Path(entry.path))
    return sorted(found)


def remove_tree(path: Path) -> list[Path]:
    """Delete a folder; return the files it held."""
    removed = sorted(p for p in path.rglob("*") if p.is_file())
    shutil.rmtree(path, ignore_errors=True)
    return removed
