"""Where the importer may write, and content hashes.

:func:`safe_target` is the last line of defence against a path escaping the folder it must
stay in (``..``, symlinked folders); the writes themselves go through
:func:`newsarchive.fsutil.atomic_write`.

A writer's edit that ``import --force`` replaces is first copied to ``content/replaced/``
(:func:`backup_target`), at the article's path below the articles folder with the first 12
hex digits of the edited bytes' SHA-256 before ``.md``. Inside ``content/`` because it may be
the only copy of a writer's text: ``make clean`` empties the cache and ``output/``, never
``content/``; and it shows in ``git status``, where a writer sees it. Named by content, so
forcing the same edit twice keeps one copy, and two different edits never overwrite each
other. No build reads that folder (only the articles, pages, images and static folders).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from newsarchive.errors import ImportFailed


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None when it does not exist (or is not a file)."""
    try:
        return sha256_bytes(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def safe_target(base: Path, relative: str) -> Path:
    """``base / relative``, refusing anything that resolves outside *base*."""
    base = base.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise ImportFailed(f"refusing to write outside {base.name}/: {relative!r}")
    return target


def backup_target(replaced: Path, articles: Path, edited: Path, sha256: str) -> Path:
    """Where the edited article *edited* (below *articles*) is kept: ``replaced/<YYYY>/<slug>.<sha12>.md``."""
    relative = edited.relative_to(articles)
    return safe_target(replaced, (relative.parent / f"{relative.stem}.{sha256[:12]}.md").as_posix())
