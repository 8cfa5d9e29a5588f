"""Work Pelican 4.12 repeats per content object or per file, done once.

Measured on a warm build of 10,000 articles (every page skipped by the render cache):

- ``Content.url`` and ``save_as`` are properties that format the URL setting again on
  every access (``url_format`` copies the metadata, ``{date:%Y}`` goes through Pelican's
  slow ``strftime``): 40,000 expansions, about 2 s. Each object now keeps its expansions,
  keyed by the setting's name and value (a draft or another language uses another
  setting, so it gets its own). What they are formatted from (slug, date, language,
  category, author, metadata) is fixed once ``Content.__init__`` returns; the one thing
  changed in place later, by the dev server's incremental rebuild, is the body and the
  summary, which no URL setting uses (ours: ``{date:%Y}/{date:%m}/{slug}/`` and alike).
- ``get_relative_source_path()`` runs ``os.path.relpath`` on every call: 60,000 calls,
  1.5 s. Kept per object, keyed by the source path and content folder it was computed
  from, and computed by slicing the absolute path when it lies below the content folder.
- ``FileStampDataCacher`` hashes a file's bytes before looking it up, even in a cache that
  is empty (the generator-level cache, off with ``CONTENT_CACHING_LAYER = "reader"``) and
  before storing into a cache that is off: every article file was read and hashed three
  times per build. It now hashes only to compare with or store an entry.
- ``save_cache`` pickles the whole reader cache (130 MB at 10,000 articles) at the end of
  every build, even when no file was read again. It is written only when an entry changed.

And one that is not Pelican's: the cyclic garbage collector. A build holds millions of
long-lived objects (the unpickled content cache, articles, taxonomies) and creates
them in bulk; with CPython's default thresholds (a young collection every 700 objects,
full ones as the old generation grows by a quarter) the collector walked that heap 14
times per warm build, 3-5 s of 9 s of CPU at 10,000 articles, and never found garbage.
While ``Pelican.run()`` runs, young collections run every 50,000 objects and full ones
practically never; the thresholds of before are restored when it returns or raises.

Everything is patched once per process by :func:`install` (idempotent: module-level
functions, the originals kept here). Results are identical to Pelican's.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from pelican import Pelican
from pelican.cache import FileDataCacher, FileStampDataCacher
from pelican.contents import Content
from pelican.utils import posixize_path

_URLS = "_newsarchive_urls"  # per-object {(setting name, setting value): expanded}
_RELPATH = "_newsarchive_relpath"  # per-object ((source_path, PATH), relative path)
_DIRTY = "_newsarchive_dirty"  # a cacher whose entries changed since it was loaded

_original: dict[str, Any] = {}


def _expand_settings(self: Any, key: str, klass: str | None = None) -> str:
    if not klass:
        klass = self.__class__.__name__
    fq_key = f"{klass}_{key}".upper()
    template = str(self.settings[fq_key])
    memo = self.__dict__.get(_URLS)
    if memo is None:
        memo = self.__dict__[_URLS] = {}
    value = memo.get((fq_key, template))
    if value is None:
        value = memo[(fq_key, template)] = template.format(**self.url_format)
    return value


def _get_relative_source_path(self: Any, source_path: str | None = None) -> str | None:
    if source_path:  # another file, relative to this one's folder: rare, not kept
        return _original["get_relative_source_path"](self, source_path)
    key = (self.source_path, self.settings["PATH"])
    memo = self.__dict__.get(_RELPATH)
    if memo is not None and memo[0] == key:
        return memo[1]
    value = _relative(*key)
    self.__dict__[_RELPATH] = (key, value)
    return value


def _relative(source_path: str, content: str) -> str | None:
    """Pelican's ``relpath(abspath(join(PATH, source)), abspath(PATH))``, by slicing when
    the source lies below the content folder (always, for files Pelican found there)."""
    full = os.path.abspath(os.path.join(content, source_path))  # noqa: PTH100, PTH118
    root = os.path.abspath(content)  # noqa: PTH100
    if root != os.sep and full.startswith(root + os.sep):
        return posixize_path(full[len(root) + 1 :])
    return posixize_path(os.path.relpath(full, root))


# Collector thresholds while Pelican.run() runs (see the module docstring).
BUILD_GC_THRESHOLDS = (50_000, 20, 100)


def _run(self: Any) -> Any:
    saved = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        return _original["run"](self)
    finally:
        gc.set_threshold(*saved)


def _get_cached_data(self: Any, filename: str, default: Any = None) -> Any:
    if filename not in self._cache:  # nothing to compare a stamp with
        return default
    return _original["get_cached_data"](self, filename, default)


def _stamped_cache_data(self: Any, filename: str, data: Any) -> None:
    if not self._cache_data_policy:  # this cache is off: nothing is stored
        return
    _original["stamped_cache_data"](self, filename, data)


def _cache_data(self: Any, filename: str, data: Any) -> None:
    if self._cache_data_policy:
        self.__dict__[_DIRTY] = True
    _original["cache_data"](self, filename, data)


def _save_cache(self: Any) -> None:
    # Unchanged since loaded from this very file: writing it again changes nothing.
    if not self.__dict__.get(_DIRTY) and Path(self._cache_path).is_file():
        return
    _original["save_cache"](self)
    self.__dict__[_DIRTY] = False


def install() -> None:
    """Patch Pelican once per process (idempotent)."""
    if _original:
        return
    _original["run"] = Pelican.run
    Pelican.run = _run  # type: ignore[method-assign]
    _original["_expand_settings"] = Content._expand_settings
    _original["get_relative_source_path"] = Content.get_relative_source_path
    _original["get_cached_data"] = FileStampDataCacher.get_cached_data
    _original["stamped_cache_data"] = FileStampDataCacher.cache_data
    _original["cache_data"] = FileDataCacher.cache_data
    _original["save_cache"] = FileDataCacher.save_cache
    Content._expand_settings = _expand_settings  # type: ignore[method-assign]
    Content.get_relative_source_path = _get_relative_source_path  # type: ignore[method-assign]
    FileStampDataCacher.get_cached_data = _get_cached_data  # type: ignore[method-assign]
    FileStampDataCacher.cache_data = _stamped_cache_data  # type: ignore[method-assign]
    FileDataCacher.cache_data = _cache_data  # type: ignore[method-assign]
    FileDataCacher.save_cache = _save_cache  # type: ignore[method-assign]
