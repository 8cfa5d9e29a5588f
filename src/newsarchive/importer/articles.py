"""The articles folder as the importer sees it: which files exist, where each one came from.

One walk per import collects the article files (every slug already taken), and the
temporary files killed imports left (removed under the import lock). Symbolic links to
folders are not followed: nothing outside ``content/articles/`` is read or removed.

:meth:`ArticleIndex.provenance` answers "which article says it came from this dump?" for
dumps the manifest does not know (a lost manifest, or an import killed before it saved
one). It reads the front matter with the build's own parser (:mod:`newsarchive.document`:
bounded, no YAML aliases), and only of files no manifest entry already accounts for.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsarchive.document import MAX_FRONT_MATTER_BYTES, parse_front_matter, split_front_matter
from newsarchive.errors import FrontMatterError
from newsarchive.fsutil import temp_target
from newsarchive.model import SHA256_RE, SLUG_RE

log = logging.getLogger(__name__)
_LINE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Provenance:
    """What an article file's front matter says about the dump it came from."""

    path: Path
    slug: str
    raw_sha256: str | None  # the dump bytes it was written from, as the file says


_TOP_FIELD_RE = re.compile(r"^(raw|slug|raw_sha256):[ \t]")


def _fields_line_by_line(yaml_text: str) -> dict[str, Any]:
    """``raw``, ``slug`` and ``raw_sha256`` read one top-level line at a time: a writer who
    broke the YAML elsewhere in the front matter still has an article of that dump (the
    build reports the break), and the import must not make a second one."""
    found: dict[str, Any] = {}
    for line in yaml_text.split("\n"):
        if _TOP_FIELD_RE.match(line):
            try:
                value = yaml.load(line, Loader=_LINE_LOADER)  # noqa: S506 - a safe loader
            except yaml.YAMLError:
                continue
            if isinstance(value, dict):
                found.update(value)
    return found


def read_provenance(path: Path) -> tuple[str, Provenance] | None:
    """``(raw, Provenance)`` from *path*'s front matter, or None when it names no dump
    (or has no front matter: the build reports such a file, with the reason)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_FRONT_MATTER_BYTES + 16 * 1024)
        text = head.decode("utf-8", errors="replace").replace("\r\n", "\n")
        yaml_text, _body, offset = split_front_matter(text, path)
    except (OSError, FrontMatterError) as exc:
        log.debug("%s: not matched to a dump: %s", path, exc)
        return None
    try:
        meta = parse_front_matter(yaml_text, path, offset)
    except FrontMatterError:
        meta = _fields_line_by_line(yaml_text)
    raw, slug, sha = meta.get("raw"), meta.get("slug"), meta.get("raw_sha256")
    if not isinstance(raw, str) or not isinstance(slug, str) or not SLUG_RE.match(slug):
        return None  # a writer's slug must still be a safe one
    return raw, Provenance(
        path, slug, sha if isinstance(sha, str) and SHA256_RE.match(sha) else None
    )


class ArticleIndex:
    """Every ``*.md`` below the articles folder, and the leftover temporary files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: list[Path] = []
        self.temps: list[Path] = []
        stack = [folder]
        while stack:
            current = stack.pop()
            try:
                entries = list(os.scandir(current))
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.name.endswith(".md") and not entry.name.startswith("."):
                    self.files.append(Path(entry.path))
                elif (temp_target(entry.name) or "").endswith(".md"):
                    self.temps.append(Path(entry.path))
        self.files.sort()
        self.temps.sort()
        self._by_raw: dict[str, Provenance] | None = None
        self._recorded: frozenset[Path] = frozenset()

    def stems(self) -> set[str]:
        return {path.stem for path in self.files}

    def exclude(self, recorded: Iterable[Path]) -> None:
        """Files the manifest already accounts for are nobody else's: they are not read."""
        self._recorded = frozenset(recorded)

    def provenance(self, key: str) -> Provenance | None:
        """The article whose front matter names the dump *key* in ``raw`` (the first in path
        order when a writer copied one), among the files the manifest does not record."""
        if self._by_raw is None:
            self._by_raw = {}
            for path in self.files:
                if path in self._recorded:
                    continue
                found = read_provenance(path)
                if found is not None:
                    self._by_raw.setdefault(found[0], found[1])
        return self._by_raw.get(key)
