"""Atomic file writes, shared by every stage that writes into content/ or output/, and
the one way output/ gzips a file.

A temp file in the target's own folder, then ``os.replace``: a reader (the dev server, a
writer's editor, git, a browser) sees the old bytes or the new ones, never half a file, and
an interrupted write leaves no debris behind.
"""

from __future__ import annotations

import gzip
import os
import re
import tempfile
from pathlib import Path

DEFAULT_MODE = 0o644  # mkstemp's 0600 would hide files from a web server or CI user
# The names atomic_write's temporary files get: ``.<target name>.<8 of mkstemp's random
# letters, digits or _>.tmp``. A process killed between write and rename leaves one behind.
TEMP_NAME_RE = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")


def gzip_bytes(raw: bytes, level: int) -> bytes:
    """*raw* gzip'd with no timestamp or name in the header: the same bytes always give the
    same file (search index files, sitemaps)."""
    return gzip.compress(raw, compresslevel=level, mtime=0)


def temp_target(name: str) -> str | None:
    """The file name a leftover temporary file of :func:`atomic_write` was meant to replace."""
    match = TEMP_NAME_RE.match(name)
    return match.group("target") if match else None


def atomic_write(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace *path* with *data* atomically; keeps an existing file's permissions.

    ``durable`` fsyncs before the rename: worth it for hand-edited sources (the registry),
    not for build output that can be rebuilt.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = DEFAULT_MODE
        temp.chmod(mode)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
