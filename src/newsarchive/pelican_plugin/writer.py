"""Pelican's writer, writing only files whose bytes change, atomically, and telling the
build what it wrote.

Pelican rewrites every file on every build. Keeping unchanged files untouched (same
bytes, same mtime) lets the dev server, deploys and the dependency record see exactly what
changed, and a temp file + ``os.replace`` means a reader never sees a half-written page.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from pelican.utils import sanitised_join
from pelican.writers import Writer

from newsarchive.fsutil import atomic_write


def write_if_changed(path: str, data: bytes) -> tuple[int, int, bool]:
    """Write *data* unless the file holds exactly those bytes: (size, mtime_ns, written)."""
    try:
        st = os.stat(path)  # noqa: PTH116
        if st.st_size == len(data):
            with open(path, "rb") as handle:  # noqa: PTH123
                if handle.read() == data:
                    return st.st_size, st.st_mtime_ns, False
    except OSError:
        pass
    atomic_write(Path(path), data)
    st = os.stat(path)  # noqa: PTH116
    return st.st_size, st.st_mtime_ns, True


class _PendingFile(io.StringIO):
    """What Pelican writes a page into; flushed to disk (if changed) on close."""

    def __init__(self, writer: ChangedOnlyWriter, path: str, encoding: str) -> None:
        super().__init__()
        self._writer = writer
        self._path = path
        self._encoding = encoding

    def close(self) -> None:
        if not self.closed:
            self._writer.write_bytes_to(self._path, self.getvalue().encode(self._encoding))
        super().close()


class ChangedOnlyWriter(Writer):
    """Pelican's writer; each file written is reported to ``sink`` (a list of
    (output-relative path, size, mtime_ns, changed)) set by the build's renderer."""

    sink: list[tuple[str, int, int, bool]] | None = None

    def report_to(self, sink: list[tuple[str, int, int, bool]]) -> None:
        """Where each file written is reported from now on (the build's renderer)."""
        self.sink = sink

    def write_bytes(self, name: str, data: bytes) -> None:
        """Write a file that is not a rendered template (feeds, sitemap, static files)."""
        self.write_bytes_to(sanitised_join(self.output_path, name), data)

    def write_bytes_to(self, filename: str, data: bytes) -> None:
        size, mtime, changed = write_if_changed(filename, data)
        if self.sink is not None:
            rel = os.path.relpath(filename, self.output_path).replace(os.sep, "/")
            self.sink.append((rel, size, mtime, changed))

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        # Pelican's bookkeeping of duplicate outputs is the build's (each output has one
        # path in the plan); here a page is only buffered and written if it changed.
        return _PendingFile(self, filename, encoding)
