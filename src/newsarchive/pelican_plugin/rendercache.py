"""Skip rendering pages whose inputs are unchanged since the last build.

Every output page is a function of the site's *structure* (settings, theme, plugin code,
the registry and every article's metadata and summary: titles, dates, URLs, entities,
sections...) and of the *bodies* (rendered HTML) of the few documents it shows in full:
the article of an article page, the page of a static page, the items of a full-content
Atom feed. No template prints another article's body (lists show summaries).

So each writer call gets a key: the site digest + the call's arguments + the content
hashes of the bodies it renders. When the previous build (its manifest lives under the
cache folder) wrote the same call with the same key, and every file it produced is
still in ``output/`` exactly as that build left it (same size and mtime in ns), the call
is skipped: nothing is rendered, nothing is written. Keys are content hashes, never
mtimes of sources, so a touched-but-unchanged article costs nothing and a changed one
is always rebuilt. Editing an article's body re-renders that article's page and the
feeds listing it; editing metadata or the first paragraph (the summary) changes the
site digest and re-renders everything, which is what a full build would output anyway.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsarchive.fsutil import atomic_write

# Bump when the key recipe changes: old manifests are then never trusted.
CACHE_VERSION = "1"

# Pelican settings whose repr is not stable between runs (objects, functions): their
# effect is covered by the code digest instead. The number of build processes changes
# no output byte (parallel.py), so a build with other --jobs still reuses the pages.
_UNSTABLE_SETTINGS = frozenset(
    {"JINJA_ENVIRONMENT", "JINJA_FILTERS", "ARTICLE_ORDER_BY", "NEWSARCHIVE_BUILD_JOBS"}
)


def _hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _files_digest(folders: Iterable[Path]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def code_digest(theme: Path) -> str:
    """The theme's files, this plugin's source and the versions of the libraries that render."""
    from importlib.metadata import version

    versions = ",".join(
        f"{name}={version(name)}"
        for name in ("pelican", "jinja2", "markdown-it-py", "mdit-py-plugins", "feedgenerator")
    )
    plugin = Path(__file__).resolve().parent
    return _hash(CACHE_VERSION, versions, _files_digest([theme, plugin]))


def settings_digest(settings: dict[str, Any]) -> str:
    lines = []
    for key in sorted(settings):
        if key in _UNSTABLE_SETTINGS:
            continue
        text = repr(settings[key])
        if " at 0x" not in text:
            lines.append(f"{key}={text}")
    return _hash(*lines)


def site_digest(
    settings: dict[str, Any], articles: Iterable[Any], pages: Iterable[Any], theme: Path
) -> str:
    """Everything every page may show, except article and page bodies."""
    h = hashlib.blake2b(digest_size=16)
    h.update(code_digest(theme).encode())
    h.update(settings_digest(settings).encode())
    entities = Path(settings["NEWSARCHIVE_ENTITIES_PATH"])
    if entities.is_file():
        h.update(entities.read_bytes())
    for article in articles:
        category = getattr(article, "category", None)
        h.update(
            repr(
                (
                    article.view_url,
                    article.title,
                    article.date,
                    article.summary,
                    getattr(article, "summary_text", None),
                    None if category is None else (category.name, category.slug),
                    str(getattr(article, "author", "")),
                    article.na,
                )
            ).encode("utf-8", "surrogatepass")
        )
    for page in pages:
        h.update(repr((page.url, page.title, page.summary, body_hash(page))).encode())
    return h.hexdigest()


def body_hash(content: Any) -> str:
    """Hash of a document's rendered body, computed once per object and build."""
    cached = getattr(content, "_newsarchive_body_hash", None)
    if cached is None:
        cached = _hash(getattr(content, "_content", "") or "")
        content._newsarchive_body_hash = cached
    return cached


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)  # noqa: PTH116 - 35k calls a build: no Path objects
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class RenderCache:
    """The manifest of the previous build, and the one this build is writing."""

    def __init__(self, manifest: Path, site: str) -> None:
        self.manifest = manifest
        self.site = site
        self.hits = 0
        self.misses = 0
        self._old: dict[str, list[Any]] = {}
        self._new: dict[str, list[Any]] = {}
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if data.get("version") == CACHE_VERSION:
                self._old = data["calls"]
        except (OSError, ValueError, KeyError, TypeError):
            self._old = {}

    def key(self, *parts: Any) -> str:
        return _hash(self.site, *(repr(p) for p in parts))

    def lookup(self, call: str, key: str) -> list[str] | None:
        """The files call *call* wrote last time, if its key matches and they are intact."""
        entry = self._old.get(call)
        if entry is None or entry[0] != key:
            self.misses += 1
            return None
        files = entry[1]
        for path, size, mtime_ns in files:
            if _stamp(path) != (size, mtime_ns):
                self.misses += 1
                return None
        self._new[call] = entry
        self.hits += 1
        return [path for path, _size, _mtime in files]

    def record(self, call: str, key: str, paths: Iterable[Path | str]) -> None:
        files = []
        for path in paths:
            stamp = _stamp(str(path))
            if stamp is None:
                return  # not written as expected: never trust this call next time
            files.append([str(path), *stamp])
        self._new[call] = [key, files]

    def recorded(self, call: str) -> list[Any] | None:
        """The entry :meth:`record` made for *call* (sent back by a parallel worker)."""
        return self._new.get(call)

    def merge(self, entries: dict[str, list[Any]]) -> None:
        """Entries recorded by a parallel worker (see :mod:`.parallel`)."""
        self._new.update(entries)

    def save(self) -> None:
        text = json.dumps({"version": CACHE_VERSION, "calls": self._new}, ensure_ascii=False)
        atomic_write(self.manifest, text.encode("utf-8"))


def manifest_path(cache_folder: Path, output: Path) -> Path:
    """One manifest per output folder (a publish build elsewhere keeps its own)."""
    return cache_folder / f"manifest-{_hash(str(output.resolve()))[:16]}.json"
