"""newsarchive's Pelican plugin: our reader, our generator, our writer.

``register()`` connects module-level functions to Pelican's signals (blinker keys receivers
by identity, so registering again, as every build in one process does, changes nothing):

- ``readers_init``: only :class:`~.reader.NewsArchiveReader` reads (``.md`` files);
- ``get_generators``: :class:`~.generator.NewsArchiveGenerator` builds the whole site
  through the incremental build (:mod:`newsarchive.engine`);
- ``get_writer``: :class:`~.writer.ChangedOnlyWriter` writes files only when their bytes
  change, and tells the build what it wrote.

Nothing of Pelican, Jinja2 or markdown-it is replaced at run time.
"""

from __future__ import annotations

from typing import Any

from pelican import signals


def _readers_init(readers: Any) -> None:
    from newsarchive.pelican_plugin.reader import NewsArchiveReader

    # Only our reader: no HTML/rST readers picking up stray files in content/.
    readers.reader_classes.clear()
    readers.reader_classes["md"] = NewsArchiveReader


def _get_generators(pelican: Any) -> Any:
    from newsarchive.pelican_plugin.generator import NewsArchiveGenerator

    return NewsArchiveGenerator


def _get_writer(pelican: Any) -> Any:
    from newsarchive.pelican_plugin.writer import ChangedOnlyWriter

    return ChangedOnlyWriter


def register() -> None:
    signals.readers_init.connect(_readers_init)
    signals.get_generators.connect(_get_generators)
    signals.get_writer.connect(_get_writer)
