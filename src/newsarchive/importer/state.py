"""The import manifest, ``content/.import-state.json``: what each dump became.

One entry per dump, keyed by its provenance (``content/raw/….txt``; the file name alone for
a dump outside the project)::

    {"format": 1, "articles": {"content/raw/000_….txt": {
        "raw_sha256": "…", "slug": "lg전자-…", "output": "content/articles/2024/lg전자-….md",
        "md_sha256": "…", "importer": 1, "entities": false}}}

``md_sha256`` is the hash of the Markdown exactly as the importer wrote it: a different
hash on disk means a writer edited the article, and the importer will not overwrite it.
The slug is stored so a re-import never moves an article to a new URL. Keys are sorted and
the file is written atomically, so it diffs cleanly and is never half-written.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from newsarchive.errors import ImportFailed
from newsarchive.fsutil import atomic_write

STATE_FORMAT = 1
# Bump when the importer renders the same dump differently: unedited articles are refreshed.
IMPORTER_VERSION = 1


@dataclass
class Entry:
    raw_sha256: str
    slug: str
    output: str  # project-relative POSIX path of the Markdown file
    md_sha256: str
    importer: int = IMPORTER_VERSION
    entities: bool = False  # whether entity extraction ran when the file was written


def _entry(value: dict[str, Any]) -> Entry:
    entry = Entry(**value)
    for name in ("raw_sha256", "slug", "output", "md_sha256"):
        if not isinstance(getattr(entry, name), str):
            raise TypeError(f"{name!r} must be text")
    if not isinstance(entry.importer, int) or not isinstance(entry.entities, bool):
        raise TypeError("'importer' must be a number and 'entities' true or false")
    return entry


@dataclass
class ImportState:
    path: Path
    entries: dict[str, Entry]

    @classmethod
    def load(cls, path: Path) -> ImportState:
        if not path.exists():
            return cls(path, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {key: _entry(value) for key, value in data["articles"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ImportFailed(
                f"the import manifest is damaged ({exc}); fix it or delete it "
                "(articles are then matched back to their dumps by their 'raw' field)",
                path=path,
            ) from exc
        return cls(path, entries)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": STATE_FORMAT,
            "articles": {key: asdict(entry) for key, entry in self.entries.items()},
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def save(self) -> None:
        atomic_write(self.path, self.to_json().encode("utf-8"))
