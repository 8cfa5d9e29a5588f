"""One import at a time per project, and the debris of killed ones.

An import killed between writing a temporary file and renaming it (``kill -9``, a power
cut, a closed laptop) leaves ``.<name>.md.XXXXXXXX.tmp`` behind. Only a run that knows no
other import is writing may remove such files, so each run holds an exclusive ``flock`` on
the content folder itself (no lock file is written: nothing to leave behind, and the kernel
releases it when the process dies, however it dies). A second import waits for the first;
``newsarchive serve`` importing a saved dump and ``newsarchive import`` in a terminal take
turns.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsarchive.fsutil import temp_target

log = logging.getLogger(__name__)


@contextmanager
def import_lock(folder: Path) -> Iterator[None]:
    """Hold the project's import lock (an exclusive ``flock`` on *folder*) while inside."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another import is running in %s; waiting for it to finish", folder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def stale_temps(folder: Path, *, suffix: str, recursive: bool) -> list[Path]:
    """Leftover temporary files of :func:`newsarchive.fsutil.atomic_write` in *folder* whose
    target name ends with *suffix*; only safe to remove under :func:`import_lock`."""
    found: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    stack.append(Path(entry.path))
                continue
            target = temp_target(entry.name)
            if target is not None and target.endswith(suffix) and entry.is_file():
                found.append(Path(entry.path))
    return sorted(found)
