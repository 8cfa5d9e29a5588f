"""Build the Pagefind index of a built site into ``output/pagefind/``.

Steps, one page at a time: read each article page of ``output/`` (cached by size and mtime:
unchanged pages keep their staged document and are not re-read), expand its text with
Korean search terms (cached per 어절: Kiwi runs only on words never seen before) and stage
one small HTML document per article (headline, body, facets; never the page's chrome).
Then, if any staged document changed, let Pagefind write its bundle into a staging folder
under the cache dir, put it in a run-independent order (canonical.py), and copy into
``output/pagefind/`` only the files whose bytes changed, the entry file last, deleting
stale ones. Pagefind has no incremental mode: the index itself is always rebuilt from all
documents, and it holds them all in memory meanwhile (see README "Search").
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
from urllib.parse import unquote

from newsarchive.config import Settings
from newsarchive.errors import BuildError
from newsarchive.fsutil import atomic_write
from newsarchive.search.canonical import canonicalise
from newsarchive.search.pages import ARTICLE_PATH, ArticleRecord, read_article
from newsarchive.search.segment import TermCache, kiwi_tokenizer

log = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"  # below output/; kept by the site build's sweep
CACHE_VERSION = 3  # bump when extraction or segmentation changes what is indexed
LANGUAGE = "ko"
# Pagefind's entry file names every other file: written last so a reader never loads an
# entry that points at files not yet there.
ENTRY_FILE = "pagefind-entry.json"
# Pagefind also writes its ready-made UIs; the search page uses only the JS API.
_UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


@dataclass
class IndexReport:
    articles: int = 0
    read: int = 0  # pages parsed this run (others came from the cache)
    analysed: int = 0  # distinct words sent to Kiwi this run
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
def _article_pages(output: Path) -> list[tuple[str, Path, tuple[int, int]]]:
    found = []
    for year in sorted(os.scandir(output), key=lambda e: e.name):
        if not (year.is_dir() and len(year.name) == 4 and year.name.isdigit()):
            continue
        for root, dirs, files in os.walk(year.path):
            dirs.sort()
            if "index.html" in files:
                path = Path(root) / "index.html"
                rel = path.relative_to(output).as_posix()
                if ARTICLE_PATH.match(rel):
                    st = path.stat()
                    found.append((rel, path, (st.st_size, st.st_mtime_ns)))
    return found


def _doc_path(docs: Path, url: str) -> Path:
    return docs / unquote(url).strip("/") / "index.html"


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


def _sync(bundle: Path, target: Path, report: IndexReport) -> None:
    """Make *target* hold the bundle's files, rewriting only changed ones, entry last."""
    want = sorted(
        p.relative_to(bundle)
        for p in bundle.rglob("*")
        if p.is_file() and not p.name.startswith(_UNUSED)
    )
    want.sort(key=lambda rel: rel.name == ENTRY_FILE)
    for rel in want:
        data = (bundle / rel).read_bytes()
        dest = target / rel
        report.written.append(dest)
        report.bytes += len(data)
        if dest.is_file() and dest.stat().st_size == len(data) and dest.read_bytes() == data:
            continue
        atomic_write(dest, data)
        report.changed.append(dest)
    keep = {target / rel for rel in want}
    for path in sorted(target.rglob("*")) if target.is_dir() else []:
        if path.is_file() and path not in keep:
            path.unlink()
            report.removed.append(path)
    for root, _dirs, _files in os.walk(target, topdown=False):
        if Path(root) != target and not any(Path(root).iterdir()):
            Path(root).rmdir()


def _fingerprint(docs: list[tuple[str, str]]) -> str:
    """Of every staged document (url, sha256) and the Pagefind version."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"pagefind {version('pagefind')} v{CACHE_VERSION}\n".encode())
    for url, sha in docs:
        digest.update(f"{url}\t{sha}\n".encode())
    return digest.hexdigest()


def _intact(bundle: Path, target: Path) -> bool:
    """output/pagefind/ still holds exactly what the last run synced from the bundle."""
    if not (target / ENTRY_FILE).is_file() or not (bundle / ENTRY_FILE).is_file():
        return False
    return (target / ENTRY_FILE).read_bytes() == (bundle / ENTRY_FILE).read_bytes()


def _stage(
    settings: Settings, terms: TermCache, *, reuse: bool, report: IndexReport
) -> tuple[list[tuple[str, str]], bool]:
    """Write one document per article page into the staging folder, streaming.

    Returns the staged (url, sha256) pairs sorted by URL, and whether every document was
    expanded this run. A page whose size and mtime match the last run keeps its staged
    document without being read (``reuse`` is false when the word analyses changed). Only
    one page's text is held at a time: the page cache keeps stamps and hashes, not text.
    """
    cache_file = work_dir(settings) / "pages.json"
    cached = _load_json(cache_file).get("pages", {})
    docs_dir = work_dir(settings) / "docs"
    entries: dict[str, Any] = {}
    staged: list[tuple[str, str]] = []
    expanded_all = True
    for rel, path, stamp in _article_pages(settings.output_path):
        entry = cached.get(rel)
        if reuse and entry and entry.get("stamp") == list(stamp):
            url, sha = entry.get("url"), entry.get("doc")
            if url is None:  # not an article page, and unchanged
                entries[rel] = entry
                continue
            if sha and _doc_path(docs_dir, url).is_file():
                staged.append((url, sha))
                entries[rel] = entry
                expanded_all = False
                continue
        record = read_article(path, rel)
        report.read += 1
        if record is None:
            entries[rel] = {"stamp": list(stamp), "url": None, "doc": None}
            continue
        doc, _ = record_html(record, terms)
        data = doc.encode("utf-8")
        target = _doc_path(docs_dir, record.url)
        if not (target.is_file() and target.read_bytes() == data):
            atomic_write(target, data)
        sha = hashlib.sha256(data).hexdigest()
        staged.append((record.url, sha))
        entries[rel] = {"stamp": list(stamp), "url": record.url, "doc": sha}
    keep = {_doc_path(docs_dir, url) for url, _ in staged}
    for path in docs_dir.rglob("*.html") if docs_dir.is_dir() else []:
        if path not in keep:
            path.unlink()
    _save_json(cache_file, {"pages": entries})
    return sorted(staged), expanded_all


def build_index(settings: Settings) -> IndexReport:
    """Index the articles of ``settings.output_path`` into its ``pagefind/`` folder."""
    started = time.perf_counter()
    report = IndexReport()
    output = settings.output_path
    if not output.is_dir():
        raise BuildError("the site has not been built", path=output)
    registry_hash = _registry_hash(settings)
    terms_file = settings.cache_path / "search" / "terms.json"
    known = _load_json(terms_file)
    same_words = known.get("registry") == registry_hash
    memo = known.get("terms", {}) if same_words else {}
    # Kiwi (seconds to load) and the registry are loaded only if a word is new.
    terms = TermCache(lambda: kiwi_tokenizer(_registry_words(settings, registry_hash)), memo)
    staged, expanded_all = _stage(settings, terms, reuse=same_words, report=report)
    report.analysed = terms.analysed
    if terms.analysed or not same_words or (expanded_all and len(terms.used) != len(memo)):
        # After a full pass only words still in use are kept (the cache cannot grow
        # without bound); a partial pass has not seen every word, so it keeps them all.
        kept = terms.used if expanded_all else terms.terms.keys()
        words = {w: list(terms.terms[w]) for w in sorted(kept)}
        _save_json(terms_file, {"registry": registry_hash, "terms": words})
    if not staged:
        # No articles (a new archive): Pagefind refuses an empty site, and the search
        # page says when there is no index.
        report.removed = remove_index(settings)
        report.seconds = time.perf_counter() - started
        return report
    # An unchanged set of documents keeps the index already in output/ untouched (Pagefind
    # is the slowest step); a changed one is rebuilt and only changed files are rewritten.
    fingerprint = _fingerprint(staged)
    stamp_file = work_dir(settings) / "index.json"
    target = output / BUNDLE_DIR
    bundle = work_dir(settings) / "bundle"
    if _load_json(stamp_file).get("fingerprint") == fingerprint and _intact(bundle, target):
        for path in sorted(target.rglob("*")):
            if path.is_file():
                report.written.append(path)
                report.bytes += path.stat().st_size
    else:
        _run_pagefind(work_dir(settings) / "docs", bundle)
        _sync(bundle, target, report)
        _save_json(stamp_file, {"fingerprint": fingerprint})
    report.articles = len(staged)
    report.seconds = time.perf_counter() - started
    log.info(
        "search: %d articles indexed (%d pages read, %d new words) in %.2f s",
        report.articles,
        report.read,
        report.analysed,
        report.seconds,
    )
    return report


def remove_index(settings: Settings) -> list[Path]:
    """Delete ``output/pagefind/`` (search turned off): a stale index would mislead."""
    target = settings.output_path / BUNDLE_DIR
    if not target.is_dir():
        return []
    removed = sorted(p for p in target.rglob("*") if p.is_file())
    shutil.rmtree(target)
    return removed
