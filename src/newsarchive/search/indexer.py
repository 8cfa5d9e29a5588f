"""Build the Pagefind index of a built site into ``output/pagefind/``, shard by shard.

Steps, one page at a time: read each article page of ``output/`` (cached by size and mtime:
unchanged pages keep their staged document and are not re-read), expand its text with
Korean search terms (cached per 어절: Kiwi runs only on words never seen before) and stage
one small HTML document per article (headline, body, facets; never the page's chrome) in
its shard's folder (see shards.py). Then, for each shard whose staged documents changed,
let Pagefind write its bundle into a staging folder under the cache dir, put it in a
run-independent order (canonical.py), and copy into ``output/pagefind/`` only the files
whose bytes changed, the entry file last, deleting stale ones. Pagefind has no incremental
mode and holds every document of a run in memory: one run per shard bounds both.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.config import Settings
from newsarchive.errors import BuildError
from newsarchive.fsutil import atomic_write
from newsarchive.search import shards
from newsarchive.search.canonical import canonicalise
from newsarchive.search.pages import ArticleRecord, read_article, url_of
from newsarchive.search.segment import TermCache, kiwi_tokenizer
from newsarchive.search.shards import ENTRY_FILE, SHARDS_FILE

log = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"  # below output/; kept by the site build's sweep
CACHE_VERSION = 4  # bump when extraction, segmentation or the cache layout changes
LANGUAGE = "ko"

__all__ = ["ENTRY_FILE", "SHARDS_FILE", "IndexReport", "build_index", "remove_index"]


@dataclass
class IndexReport:
    articles: int = 0
    read: int = 0  # pages parsed this run (others came from the cache)
    analysed: int = 0  # distinct words sent to Kiwi this run
    shards: int = 0  # bundles the index is split into
    shards_indexed: int = 0  # bundles Pagefind (re)built this run
    written: list[Path] = field(default_factory=list)
    changed: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    bytes: int = 0  # size of output/pagefind/
    seconds: float = 0.0


# ---------------------------------------------------------------------------- caches
def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def _save_json(path: Path, data: dict[str, Any]) -> None:
    data = {"version": CACHE_VERSION, **data}
    atomic_write(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def _registry_hash(settings: Settings) -> str:
    """Changes when the registry does (its names are Kiwi user words)."""
    path = settings.entities_path
    data = path.read_bytes() if path.is_file() else b""
    return hashlib.sha256(data).hexdigest()[:16]


_registry_memo: dict[tuple[Path, str], list[str]] = {}


def _registry_words(settings: Settings, digest: str) -> list[str]:
    """Registry names and aliases: Kiwi keeps them whole (김원범, not 김원 + 범).

    Memoised per process: loading a large registry takes seconds, and the dev server
    re-indexes after every save.
    """
    from newsarchive.entities.registry import load_registry

    key = (settings.entities_path, digest)
    if key not in _registry_memo:
        words: list[str] = []
        if settings.entities_path.is_file():
            for entity in load_registry(settings.entities_path):
                words.extend([entity.name, *entity.aliases])
        _registry_memo.clear()
        _registry_memo[key] = sorted(set(words))
    return _registry_memo[key]


def work_dir(settings: Settings) -> Path:
    """Staged documents, bundle and page cache of one output folder.

    Keyed by the output folder: the dev server builds into its own staging folder while
    ``newsarchive build`` may build ``output/`` with the same cache dir. The word analyses
    (terms.json) do not depend on the output and are shared.
    """
    key = hashlib.sha256(str(settings.output_path).encode("utf-8")).hexdigest()[:12]
    return settings.cache_path / "search" / key


# ---------------------------------------------------------------------------- records
def _article_pages(output: Path) -> list[tuple[str, str, tuple[int, int]]]:
    """(relative path, path, (size, mtime)) of every ``YYYY/MM/slug/index.html``.

    Strings and one ``stat`` per page, no pathlib: an unchanged rebuild at 10,000 articles
    spends most of its time here.
    """
    base = str(output)

    def subdirs(path: str, width: int | None) -> list[str]:
        with os.scandir(path) as entries:
            names = [
                e.name
                for e in entries
                if e.is_dir() and (width is None or (len(e.name) == width and e.name.isdigit()))
            ]
        return sorted(names)

    found = []
    for year in subdirs(base, 4):
        for month in subdirs(f"{base}/{year}", 2):
            for slug in subdirs(f"{base}/{year}/{month}", None):
                rel = f"{year}/{month}/{slug}/index.html"
                try:
                    st = os.stat(f"{base}/{rel}")  # noqa: PTH116 (10,000 Paths cost)
                except FileNotFoundError:
                    continue
                found.append((rel, f"{base}/{rel}", (st.st_size, st.st_mtime_ns)))
    return found


def _doc_path(docs: Path, count: int, url: str, rel: str) -> Path:
    """Where the staged document of the page at *rel* (URL *url*) lives."""
    return docs / shards.shard_key(shards.shard_of(url, count)) / rel


def record_html(record: ArticleRecord, terms: TermCache) -> tuple[str, int]:
    """The document Pagefind indexes for one article, and the headline's word count.

    Facets and metadata sit outside ``data-pagefind-body`` so they are not searchable
    text; every value is escaped (text from dumps is untrusted).
    """
    e = html.escape
    title = terms.expand(record.title)
    title_words = len(title.split())
    parts = ['<!doctype html><html lang="ko"><head><meta charset="utf-8"></head><body>']
    meta = {"title": record.title, "date": record.date, "tw": str(title_words)}
    parts += [f'<span data-pagefind-meta="{k}">{e(v)}</span>' for k, v in meta.items()]
    if record.date:
        parts.append(f'<span data-pagefind-sort="date">{e(record.date)}</span>')
        parts.append(f'<span data-pagefind-filter="year">{e(record.date[:4])}</span>')
    if record.section:
        parts.append(f'<span data-pagefind-filter="section">{e(record.section)}</span>')
    for facet in ("people", "companies", "topics"):
        for name in getattr(record, facet):
            parts.append(f'<span data-pagefind-filter="{facet}">{e(name)}</span>')
    parts.append(f"<main data-pagefind-body><h1>{e(title)}</h1>")
    parts += [f"<p>{e(terms.expand(p))}</p>" for p in record.paragraphs]
    parts.append("</main></body></html>")
    return "".join(parts), title_words


# ---------------------------------------------------------------------------- pagefind
def _run_pagefind(docs: Path, bundle: Path) -> None:
    # The CLI, not the Python API: the API's service reads one response per 0.1 s
    # (about 1,000 s for 10,000 articles); the CLI indexes the staged files in parallel.
    shutil.rmtree(bundle, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(docs),
        "--output-path",
        str(bundle),
        "--force-language",
        LANGUAGE,
        "--silent",
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=3600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"search indexing failed: {exc}") from exc
    if done.returncode != 0 or not (bundle / ENTRY_FILE).is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise BuildError(f"search indexing failed (pagefind): {' '.join(detail)}", path=docs)
    # Pagefind writes its filter indexes in a random (HashMap) order: sort them so the
    # same documents always give the same bytes (see canonical.py).
    canonicalise(bundle)


def _fingerprint(version: str, docs: list[tuple[str, str]]) -> str:
    """Of one shard's staged documents (url, sha256) and the Pagefind version."""
    digest = hashlib.sha256(f"pagefind {version} v{CACHE_VERSION}\n".encode())
    for url, sha in docs:
        digest.update(f"{url}\t{sha}\n".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------- staging
@dataclass
class _Staged:
    docs: list[tuple[str, str]]  # (url, sha256) of every staged document, sorted
    count: int  # shards
    rels: dict[str, str]  # url -> the page's path below output/ (and the document's below docs/NN/)
    shard: dict[str, int]  # url -> its shard
    terms: TermCache | None  # None when no page had to be read
    known_terms: int = 0  # words in the analyses cache before this run
    complete: bool = False  # every document was expanded this run (none reused)


def _relocate(docs: Path, moves: list[tuple[str, str]], old: int, new: int) -> None:
    """Move staged documents (url, rel) from their shard under *old* to the one under *new*."""
    for url, rel in moves:
        src, dest = _doc_path(docs, old, url, rel), _doc_path(docs, new, url, rel)
        if src != dest and src.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            src.replace(dest)
    for entry in os.scandir(docs) if docs.is_dir() else []:
        if entry.is_dir() and not (entry.name.isdigit() and int(entry.name) < new):
            shutil.rmtree(entry.path)


def _stage(settings: Settings, registry_hash: str, shard_size: int, report: IndexReport) -> _Staged:
    """Write one document per article page into its shard's staging folder, streaming.

    A page whose size and mtime match the last run keeps its staged document without being
    read (unless the registry, and so the word analyses, changed). Only one page's text is
    held at a time: the page cache keeps stamps and hashes, not text, and is rewritten
    only when it changed.
    """
    work = work_dir(settings)
    cache_file = work / "pages.json"
    cache = _load_json(cache_file)
    if not cache:  # no cache, or an older layout: start from a clean staging area
        shutil.rmtree(work, ignore_errors=True)
    cached: dict[str, Any] = cache.get("pages", {})
    reuse = cache.get("registry") == registry_hash
    old_count = int(cache.get("shards") or 0)
    docs_dir = work / "docs"
    pages = _article_pages(settings.output_path)

    def fresh(rel: str, stamp: tuple[int, int]) -> dict[str, Any] | None:
        entry = cached.get(rel)
        return entry if reuse and entry and entry.get("stamp") == list(stamp) else None

    # The shard count comes from the pages that are (or may be) articles, before staging.
    hashes: dict[str, int] = {}
    for rel, _path, stamp in pages:
        entry = fresh(rel, stamp)
        url = url_of(rel) if entry is None else entry.get("url")
        if url:
            hashes[url] = shards.url_hash(url)
    count = shards.fit_count(hashes.values(), shard_size)
    if old_count and old_count != count:
        moves = [(e["url"], rel) for rel, e in cached.items() if e.get("url") and e.get("doc")]
        _relocate(docs_dir, moves, old_count, count)

    terms: TermCache | None = None
    known_terms = reused = 0
    entries: dict[str, Any] = {}
    staged: list[tuple[str, str]] = []
    rels: dict[str, str] = {}
    for rel, path, stamp in pages:
        entry = fresh(rel, stamp)
        if entry is not None:
            url, sha = entry.get("url"), entry.get("doc")
            if url is None:  # not an article page, and unchanged
                entries[rel] = entry
                continue
            # a string path: 10,000 pathlib objects are most of an unchanged rebuild's time
            doc = f"{docs_dir}/{shards.shard_key(hashes[url] & (count - 1))}/{rel}"
            if sha and os.path.isfile(doc):  # noqa: PTH113
                staged.append((url, sha))
                rels[url] = rel
                entries[rel] = entry
                reused += 1
                continue
        if terms is None:
            terms = _term_cache(settings, registry_hash)
            known_terms = len(terms.terms)
        record = read_article(Path(path), rel)
        report.read += 1
        if record is None:
            entries[rel] = {"stamp": list(stamp), "url": None, "doc": None}
            continue
        doc, _ = record_html(record, terms)
        data = doc.encode("utf-8")
        target = _doc_path(docs_dir, count, record.url, rel)
        try:
            same = target.read_bytes() == data
        except FileNotFoundError:
            same = False
        if not same:
            atomic_write(target, data)
        sha = hashlib.sha256(data).hexdigest()
        staged.append((record.url, sha))
        rels[record.url] = rel
        entries[rel] = {"stamp": list(stamp), "url": record.url, "doc": sha}
    # A page that turned out not to be an article may have left a shard empty.
    final = (
        count
        if len(rels) == len(hashes)
        else shards.fit_count([hashes[u] for u in rels], shard_size)
    )
    if final != count:
        _relocate(docs_dir, list(rels.items()), count, final)
        count = final
    new_cache = {"registry": registry_hash, "shards": count, "pages": entries}
    if (
        cache.get("pages") != entries
        or cache.get("registry") != registry_hash
        or old_count != count
    ):
        _save_json(cache_file, new_cache)
    shard = {url: hashes[url] & (count - 1) for url in rels}
    return _Staged(sorted(staged), count, rels, shard, terms, known_terms, complete=not reused)


def _term_cache(settings: Settings, registry_hash: str) -> TermCache:
    """The word analyses of earlier builds (loaded only when a page has to be read).

    Shared by every output folder (the dev server's stage too); valid while the registry,
    whose names Kiwi is taught, is the same.
    """
    known = _load_json(settings.cache_path / "search" / "terms.json")
    memo = known.get("terms", {}) if known.get("registry") == registry_hash else {}
    # Kiwi (seconds to load) and the registry are loaded only if a word is new.
    return TermCache(lambda: kiwi_tokenizer(_registry_words(settings, registry_hash)), memo)


def _save_terms(
    settings: Settings, registry_hash: str, terms: TermCache, known: int, complete: bool
) -> None:
    """Keep the analyses; after a full pass only words still in use (bounded growth).

    A partial pass has not seen every word, so it keeps them all.
    """
    if not (terms.analysed or (complete and len(terms.used) != known)):
        return
    kept = terms.used if complete else terms.terms.keys()
    words = {w: list(terms.terms[w]) for w in sorted(kept)}
    _save_json(
        settings.cache_path / "search" / "terms.json", {"registry": registry_hash, "terms": words}
    )


# ---------------------------------------------------------------------------- bundles
def _index_shard(
    settings: Settings,
    index: int,
    docs: list[tuple[str, str]],
    rels: set[str],
    previous: dict[str, Any] | None,
    version: str,
    report: IndexReport,
) -> dict[str, Any]:
    """Bring one shard's bundle in ``output/pagefind/`` up to date; return its state."""
    key = shards.shard_key(index)
    primary = index == 0
    work = work_dir(settings)
    bundle = work / "bundles" / key
    target = settings.output_path / BUNDLE_DIR / shards.shard_dir(index)
    fingerprint = _fingerprint(version, docs)
    same = previous is not None and previous.get("fingerprint") == fingerprint
    if same and shards.intact(target, previous["files"], previous["entry"].encode("utf-8")):
        report.written.extend(target / rel for rel in previous["files"])
        report.bytes += sum(previous["files"].values())
        return previous
    if not (same and (bundle / ENTRY_FILE).is_file()):
        shard_docs = work / "docs" / key
        _prune_docs(shard_docs, rels)
        _run_pagefind(shard_docs, bundle)
        shards.drop_unpublished(bundle, primary)
        report.shards_indexed += 1
    files = shards.bundle_files(bundle, primary)
    changed, removed = shards.sync_bundle(bundle, target, files, primary=primary)
    sizes = {rel: (bundle / rel).stat().st_size for rel in files}
    report.written.extend(target / rel for rel in files)
    report.changed.extend(changed)
    report.removed.extend(removed)
    report.bytes += sum(sizes.values())
    entry = (bundle / ENTRY_FILE).read_text(encoding="utf-8")
    return {"fingerprint": fingerprint, "files": sizes, "entry": entry}


def _prune_docs(folder: Path, keep: set[str]) -> None:
    """Delete staged documents of pages that are gone (only before Pagefind reads them)."""
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if path.relative_to(folder).as_posix() not in keep:
                path.unlink()


def build_index(
    settings: Settings, *, shard_size: int | None = None, release_kiwi: bool = False
) -> IndexReport:
    """Index the articles of ``settings.output_path`` into its ``pagefind/`` folder.

    *shard_size* (most documents per Pagefind run) defaults to ``shards.SHARD_SIZE``.
    With *release_kiwi*, Kiwi (a process-wide global, hundreds of MB) is dropped once the
    documents are staged, before Pagefind runs: a one-off build's peak memory is then the
    larger of the two, not their sum. A long-lived process (the dev server) keeps it.
    """
    started = time.perf_counter()
    report = IndexReport()
    output = settings.output_path
    if not output.is_dir():
        raise BuildError("the site has not been built", path=output)
    registry_hash = _registry_hash(settings)
    staged = _stage(settings, registry_hash, shard_size or shards.SHARD_SIZE, report)
    if staged.terms is not None:
        report.analysed = staged.terms.analysed
        _save_terms(settings, registry_hash, staged.terms, staged.known_terms, staged.complete)
    staged.terms = None
    if release_kiwi:
        _release_kiwi()
    if not staged.docs:
        # No articles (a new archive): Pagefind refuses an empty site, and the search
        # page says when there is no index.
        report.removed = remove_index(settings)
        report.seconds = time.perf_counter() - started
        return report
    from importlib.metadata import version

    pagefind_version = version("pagefind")
    work = work_dir(settings)
    state_file = work / "index.json"
    state = _load_json(state_file).get("shards", {})
    by_shard: list[list[tuple[str, str]]] = [[] for _ in range(staged.count)]
    for url, sha in staged.docs:
        by_shard[staged.shard[url]].append((url, sha))
    new_state: dict[str, Any] = {}
    for index, docs in enumerate(by_shard):
        key = shards.shard_key(index)
        keep = {staged.rels[url] for url, _sha in docs}
        new_state[key] = _index_shard(
            settings, index, docs, keep, state.get(key), pagefind_version, report
        )
    pagefind = output / BUNDLE_DIR
    if shards.write_shards_file(pagefind, staged.count):
        report.changed.append(pagefind / SHARDS_FILE)
    report.written.append(pagefind / SHARDS_FILE)
    report.bytes += (pagefind / SHARDS_FILE).stat().st_size
    for stale in shards.stale_shard_dirs(pagefind, staged.count):
        report.removed.extend(shards.remove_tree(stale))
    for entry in os.scandir(work / "bundles") if (work / "bundles").is_dir() else []:
        if not (entry.name.isdigit() and int(entry.name) < staged.count):
            shutil.rmtree(entry.path)
    if new_state != state:
        _save_json(state_file, {"shards": new_state})
    report.articles = len(staged.docs)
    report.shards = staged.count
    report.seconds = time.perf_counter() - started
    log.info(
        "search: %d articles in %d shards, %d re-indexed (%d pages read, %d new words) in %.2f s",
        report.articles,
        report.shards,
        report.shards_indexed,
        report.read,
        report.analysed,
        report.seconds,
    )
    return report


def _release_kiwi() -> None:
    import contextlib
    import ctypes
    import gc

    from newsarchive.entities import kiwi

    if not kiwi.is_loaded():
        return
    kiwi.release()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def remove_index(settings: Settings) -> list[Path]:
    """Delete ``output/pagefind/`` (search turned off): a stale index would mislead."""
    target = settings.output_path / BUNDLE_DIR
    if not target.is_dir():
        return []
    removed = sorted(p for p in target.rglob("*") if p.is_file())
    shutil.rmtree(target)
    return removed
