"""Static Korean full-text search: our own index in ``output/search-index/`` (docs/search.md).

The API the build calls: :class:`SearchIndex` (``update`` with the documents added,
modified and removed since the last update; ``remove`` when search is off), fed with
:class:`SearchDocument` values made by :func:`document_from_html`.

:func:`update_index` is the build's search step (``build.update_search``; the dev server
runs it in a process of its own): it finds the articles changed since the last update
from the stamps the build recorded, or the file system's (sources.py), and reads them
from their built pages (pages.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsarchive.config import Settings

if TYPE_CHECKING:
    from newsarchive.search.documents import SearchDocument
    from newsarchive.search.index import IndexChanges, SearchIndex
    from newsarchive.search.pages import document_from_html
    from newsarchive.search.sources import Stamps

INDEX_DIR = "search-index"  # the index's folder, below output/

# The API, imported when first used: the build's check of output/ needs only INDEX_DIR,
# and a build with search off or nothing to index should not pay for the tokenizer.
_LAZY = {
    "SearchDocument": "newsarchive.search.documents",
    "document_from_html": "newsarchive.search.pages",
    "IndexChanges": "newsarchive.search.index",
    "SearchIndex": "newsarchive.search.index",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def update_index(settings: Settings, stamps: Stamps | None = None) -> IndexChanges:
    """Update (or, with ``search = false``, remove) the index of ``settings.output_path``,
    finding the articles that changed since the last update from the *stamps* of their
    sources and pages (sources.py; by default read off the file system). Paths in the
    result are relative to the output folder."""
    from newsarchive.search.index import SearchIndex, state_dir
    from newsarchive.search.sources import DiskStamps, Sources

    output = settings.output_path
    index = SearchIndex(settings, output)
    sources = Sources(settings, state_dir(settings, output), stamps or DiskStamps(settings))
    if not settings.search:
        sources.forget()
        return index.remove()
    scan = sources.scan()
    changes = index.update(scan.changed, scan.removed, sources.every_document)
    sources.save(scan)
    return changes


__all__ = [
    "INDEX_DIR",
    "IndexChanges",
    "SearchDocument",
    "SearchIndex",
    "document_from_html",
    "update_index",
]
