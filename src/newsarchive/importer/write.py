"""Atomic file writes confined to one folder.

Every file is written to a temporary file in its destination folder and moved into place
with :func:`os.replace`, so a reader (the dev server, a writer's editor, git) sees the old
file or the new one, never half of one. :func:`safe_target` is the last line of defence
against a path escaping the folder it must stay in (``..``, symlinked folders).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

from newsarchive.errors import ImportError_


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
        raise ImportError_(f"refusing to write outside {base.name}/: {relative!r}")
    return target


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        temp = Path(tmp)
        temp.chmod(0o644)  # mkstemp's 0600 would hide articles from a web server or CI user
        temp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
