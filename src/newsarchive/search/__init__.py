"""Static Korean full-text search: a Pagefind index of the built site (see README "Search").

:func:`index_search` is the build step, called by :func:`newsarchive.build.build_site` after
Pelican has written the site. Heavy imports (Pagefind, Kiwi) happen only inside it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from newsarchive.config import Settings

if TYPE_CHECKING:
    from newsarchive.build import BuildResult


def index_search(
    settings: Settings, result: BuildResult, *, release_memory: bool = False
) -> BuildResult:
    """Index (or, with ``search = false``, remove the index of) the site just built.

    The index files join the build's ``written``/``changed``/``removed`` lists, so the dev
    server publishes a new index the same way it publishes changed pages. A one-off build
    passes *release_memory* (Kiwi is dropped before Pagefind runs); the dev server keeps it.
    """
    from newsarchive.search.indexer import build_index, remove_index

    if not settings.search:
        gone = remove_index(settings)
        return dataclasses.replace(result, removed=tuple(sorted([*result.removed, *gone])))
    report = build_index(settings, release_kiwi=release_memory)
    return dataclasses.replace(
        result,
        written=tuple(sorted({*result.written, *report.written})),
        changed=tuple(sorted({*result.changed, *report.changed})),
        removed=tuple(sorted({*result.removed, *report.removed})),
        seconds=result.seconds + report.seconds,
    )


__all__ = ["index_search"]
