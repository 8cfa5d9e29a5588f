"""Where the importer may write, and content hashes.

:func:`safe_target` is the last line of defence against a path escaping the folder it must
stay in (``..``, symlinked folders); the writes themselves go through
:func:`newsarchive.fsutil.atomic_write`.
"""

from __future__ import annotations

import hashlib
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
