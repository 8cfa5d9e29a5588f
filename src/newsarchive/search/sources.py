"""Which articles changed since the last search update, found without the build's help.

:func:`newsarchive.search.update_index` finds out here, in the build's search step or in
the dev server's own process for it, so it needs nothing from the build. Each article is
keyed by its source file (``content/articles/…/x.md``, relative to the project) and read
from its built page (pages.py): the file's front matter gives the page's path (the
``ARTICLE_SAVE_AS`` pattern, ``YYYY/MM/slug/index.html``). An article is read again when
its source or its page changed size or modification time since the last update (a registry
edit changes a page, not its source).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.config import Settings, ignored_file
from newsarchive.errors import NewsArchiveError
from newsarchive.fsutil import atomic_write
from newsarchive.search.documents import SearchDocument
from newsarchive.search.pages import read_page

log = logging.getLogger(__name__)

VERSION = 1


@dataclass
class Scan:
    changed: dict[str, SearchDocument] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    entries: dict[str, Any] = field(default_factory=dict)  # what to save once indexed
    dirty: bool = False  # entries differ from the saved ones


def _stamp(path: str) -> list[int] | None:
    try:
        st = os.stat(path)  # noqa: PTH116 (tens of thousands of files)
    except FileNotFoundError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _sources(settings: Settings) -> list[tuple[str, str]]:
    """(key, absolute path) of every article source, sorted."""
    root = str(settings.root.resolve())
    found = []
    for folder, dirs, names in os.walk(settings.articles_path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        key_folder = os.path.relpath(folder, root) + os.sep  # once per folder, not per file
        for name in sorted(names):
            if name.endswith(".md") and not ignored_file(name):
                found.append((key_folder + name, f"{folder}{os.sep}{name}"))
    return found


def _page_of(path: str) -> tuple[str, str] | None:
    """(page path below output/, URL) of an article source; None when it cannot be read."""
    from newsarchive.document import load_article  # markdown-it: only when an article changed

    try:
        article, _body = load_article(Path(path))
    except NewsArchiveError as exc:
        log.warning("search: %s", exc)
        return None
    url = f"{article.date:%Y}/{article.date:%m}/{article.slug}/"
    return url + "index.html", url


class Sources:
    """The articles of one output folder, with what the last update saw of them."""

    def __init__(self, settings: Settings, state_dir: Path) -> None:
        self.settings = settings
        self.output = str(settings.output_path)
        self.path = state_dir / "sources.json"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return {}
        entries = data.get("articles")
        return entries if isinstance(entries, dict) else {}

    def save(self, scan: Scan) -> None:
        if not scan.dirty:
            return
        data = {"version": VERSION, "articles": scan.entries}
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        atomic_write(self.path, raw.encode("utf-8"))

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def _read(self, key: str, path: str) -> tuple[dict[str, Any], SearchDocument | None]:
        entry: dict[str, Any] = {"source": _stamp(path), "page": None, "url": None, "stamp": None}
        found = _page_of(path)
        if found is None:
            return entry, None
        page, url = found
        entry.update(page=page, url=url, stamp=_stamp(f"{self.output}/{page}"))
        if entry["stamp"] is None:
            return entry, None  # not built (a draft, or a failed build)
        document = read_page(Path(self.output) / page, key=key, url=url)
        return entry, document

    def scan(self) -> Scan:
        """What changed since the last :meth:`save` (documents read from their pages)."""
        known = self._load()
        scan = Scan()
        for key, path in _sources(self.settings):
            entry = known.get(key)
            if entry is not None and entry.get("source") == _stamp(path):
                page = entry.get("page")
                if page is None or entry.get("stamp") == _stamp(f"{self.output}/{page}"):
                    scan.entries[key] = entry
                    continue
            scan.entries[key], document = self._read(key, path)
            if document is not None:
                scan.changed[key] = document
            elif entry is not None:
                scan.removed.append(key)
        scan.removed += sorted(k for k in known if k not in scan.entries)
        scan.dirty = scan.entries != known
        return scan

    def every_document(self) -> Iterator[SearchDocument]:
        """Every article, read from its page (for a rebuild of the index)."""
        for key, path in _sources(self.settings):
            _entry, document = self._read(key, path)
            if document is not None:
                yield document
