"""Which articles changed since the last search update.

:func:`newsarchive.search.update_index` finds out here. Each article is keyed by its source
file (``content/articles/…/x.md``, relative to the project) and read from its built page
(pages.py). An article is read again when its source or its page changed size or
modification time since the last update (a registry edit changes a page, not its source).

Where those stamps come from is a :class:`Stamps`:

- :class:`DiskStamps` asks the file system: a walk of the articles folder, a stat of each
  source and page, the front matter of a changed source for its page's path. The dev
  server's search process uses it, as it runs apart from the build.
- :class:`BuildStamps` takes them from the dependency record the build just saved (the
  build's input scan for the sources, the stat of each output as written, each article's
  page as the build placed it): the build's search step costs no stat and no walk, only
  the reading of the pages that changed.

Both give the same keys and pages, and the same stamps but for a source the build hashed
within the racy window of its scan (recorded without its mtime, see engine/planner.py):
that article is read again by the next update, which finds the same document. Which one
last updated the index changes nothing but the time it took.

Build stamps also name the record they come from (:attr:`Stamps.state`); an update keeps
that name beside what it saw, and while the record is the same (a build that found
nothing to do does not save it), the next update has nothing to compare: it skips the
look at every source and page (a tenth of a second at 10,000 articles).
"""

from __future__ import annotations

import logging
import marshal
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from newsarchive.config import Settings, ignored_file
from newsarchive.errors import NewsArchiveError
from newsarchive.fsutil import atomic_write
from newsarchive.search.documents import SearchDocument
from newsarchive.site.articles import ARTICLE_URL

log = logging.getLogger(__name__)

VERSION = 2
STATE_FILE = "sources.marshal"
SEEN_FILE = "sources.seen"  # the Stamps.state the saved entries were made from

Stamp = tuple[int, int]  # (size, mtime_ns)
# What the last update saw of one source: (its stamp, its page below output/ or None,
# the page's URL or None, the page's stamp or None).
Entry = tuple[Stamp | None, str | None, str | None, Stamp | None]


class Stamps(Protocol):
    """What the articles' sources and pages are now."""

    # names these stamps: stamps with the same name give the same answers (None: unnamed)
    state: str | None

    def sources(self) -> list[tuple[str, str, Stamp | None]]:
        """(key, path, stamp) of every article source, sorted by key; the path is what
        :meth:`page_of` is given."""

    def page(self, page: str) -> Stamp | None:
        """The stamp of an output-relative page; None if there is none."""

    def page_of(self, key: str, path: str) -> tuple[str, str] | None:
        """(page below output/, URL) of the source; None when it cannot be read."""


def _stat(path: str) -> Stamp | None:
    try:
        st = os.stat(path)  # noqa: PTH116 (tens of thousands of files)
    except FileNotFoundError:
        return None
    return (st.st_size, st.st_mtime_ns)


class DiskStamps:
    """Stamps read off the file system."""

    state = None  # the disk changes under any name

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.output = str(settings.output_path)

    def sources(self) -> list[tuple[str, str, Stamp | None]]:
        root = str(self.settings.root.resolve())
        found = []
        for folder, dirs, names in os.walk(self.settings.articles_path, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not ignored_file(d))
            key_folder = os.path.relpath(folder, root) + os.sep  # once per folder, not per file
            for name in sorted(names):
                if name.endswith(".md") and not ignored_file(name):
                    path = f"{folder}{os.sep}{name}"
                    found.append((key_folder + name, path, _stat(path)))
        found.sort()
        return found

    def page(self, page: str) -> Stamp | None:
        return _stat(f"{self.output}/{page}")

    def page_of(self, key: str, path: str) -> tuple[str, str] | None:
        from newsarchive.document import load_article  # markdown-it: only when one changed

        try:
            article, _body = load_article(Path(path))
        except NewsArchiveError as exc:
            log.warning("search: %s", exc)
            return None
        url = ARTICLE_URL.format(date=article.date, slug=article.slug)
        return url + "index.html", url


class BuildStamps:
    """Stamps as the build that just ran recorded them.

    *inputs*: every input the build scanned (input name -> (size, mtime_ns, ...)), of which
    the names under *articles* (the articles folder's input name, with its slash) are the
    sources; *page_of*: (key, input name) -> (page, URL) of an article as the build placed
    it, None for one it could not read; *outputs*: gives output-relative path -> an entry
    with ``size`` and ``mtime_ns`` as written (asked only when a page's stamp is); *state*:
    the record's :attr:`Record.state`.
    """

    def __init__(
        self,
        settings: Settings,
        articles: str,
        inputs: Mapping[str, tuple[Any, ...]],
        page_of: Callable[[str, str], tuple[str, str] | None],
        outputs: Callable[[], Mapping[str, Any]],
        state: str,
    ) -> None:
        self.state: str | None = state
        self.root = str(settings.root.resolve())
        self.articles = articles
        self.inputs = inputs
        self._page_of = page_of
        self._outputs = outputs

    def _key(self, name: str) -> str:
        # an input name is project-relative, or absolute outside the project, where the
        # disk's key is the relative path
        return os.path.relpath(name, self.root) if name.startswith("/") else name

    def sources(self) -> list[tuple[str, str, Stamp | None]]:
        found = [
            (self._key(name), name, (entry[0], entry[1]))
            for name, entry in self.inputs.items()
            if name.startswith(self.articles) and name.endswith(".md")
        ]
        found.sort()
        return found

    def page(self, page: str) -> Stamp | None:
        entry = self._outputs().get(page)
        return None if entry is None else (entry.size, entry.mtime_ns)

    def page_of(self, key: str, path: str) -> tuple[str, str] | None:
        return self._page_of(key, path)


@dataclass
class Scan:
    changed: dict[str, SearchDocument] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)  # what to save once indexed
    dirty: bool = False  # entries differ from the saved ones


class Sources:
    """The articles of one output folder, with what the last update saw of them."""

    def __init__(self, settings: Settings, state_dir: Path, stamps: Stamps) -> None:
        self.output = Path(settings.output_path)
        self.path = state_dir / STATE_FILE
        self.seen_path = state_dir / SEEN_FILE
        self.stamps = stamps

    def _load(self) -> dict[str, Entry]:
        try:
            version, entries = marshal.loads(self.path.read_bytes())  # noqa: S302 - our cache
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return entries if version == VERSION and isinstance(entries, dict) else {}

    def _seen(self) -> str | None:
        try:
            return self.seen_path.read_text(encoding="ascii")
        except (OSError, ValueError):
            return None

    def save(self, scan: Scan) -> None:
        """Keep what the scan saw, and the name of the stamps it saw it in (unnamed ones
        leave none: the next scan looks)."""
        state = self.stamps.state
        if scan.dirty or state is None:
            self.seen_path.unlink(missing_ok=True)  # first: a kill between leaves no name
        if scan.dirty:
            atomic_write(self.path, marshal.dumps((VERSION, scan.entries)))
        if state is not None and self._seen() != state:
            atomic_write(self.seen_path, state.encode("ascii"))

    def forget(self) -> None:
        self.seen_path.unlink(missing_ok=True)
        self.path.unlink(missing_ok=True)

    def _read(
        self, key: str, path: str, stamp: Stamp | None
    ) -> tuple[Entry, SearchDocument | None]:
        from newsarchive.search.pages import read_page  # (its HTML parser: only when read)

        found = self.stamps.page_of(key, path)
        if found is None:
            return (stamp, None, None, None), None
        page, url = found
        page_stamp = self.stamps.page(page)
        if page_stamp is None:
            return (stamp, page, url, None), None  # not built (a draft, or a failed build)
        return (stamp, page, url, page_stamp), read_page(self.output / page, key=key, url=url)

    def scan(self) -> Scan:
        """What changed since the last :meth:`save` (documents read from their pages)."""
        if self.stamps.state is not None and self._seen() == self.stamps.state:
            return Scan()  # the record that gave the saved stamps has not changed since
        known = self._load()
        scan = Scan()
        stamps = self.stamps
        for key, path, stamp in stamps.sources():
            entry = known.get(key)
            if entry is not None and entry[0] == stamp:
                page = entry[1]
                if page is None or entry[3] == stamps.page(page):
                    scan.entries[key] = entry
                    continue
            scan.entries[key], document = self._read(key, path, stamp)
            if document is not None:
                scan.changed[key] = document
            elif entry is not None:
                scan.removed.append(key)
        scan.removed += sorted(k for k in known if k not in scan.entries)
        scan.dirty = scan.entries != known
        return scan

    def every_document(self) -> Iterator[SearchDocument]:
        """Every article, read from its page (for a rebuild of the index)."""
        for key, path, stamp in self.stamps.sources():
            _entry, document = self._read(key, path, stamp)
            if document is not None:
                yield document
