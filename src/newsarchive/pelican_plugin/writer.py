"""Output that is written only when its bytes change, atomically.

Pelican rewrites every file on every build. Keeping unchanged files untouched (same
bytes, same mtime) lets the dev server and deploys see exactly what changed, and a
temp file + ``os.replace`` means a reader never sees a half-written page.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from newsarchive.pelican_plugin import state


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write *data* to *path* unless it already holds exactly those bytes; True if written."""
    path = Path(path)
    st = state.current()
    st.written.add(path)
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    if path.parent not in st.folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        st.folders.add(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    st.changed.add(path)
    return True


class _PendingFile(io.StringIO):
    """What Pelican writes into; flushed to disk (if changed) on close."""

    def __init__(self, path: Path, encoding: str) -> None:
        super().__init__()
        self._path = path
        self._encoding = encoding

    def write(self, text: Any) -> int:  # feedgenerator may hand over bytes
        if isinstance(text, bytes):
            text = text.decode(self._encoding)
        return super().write(text)

    def close(self) -> None:
        if not self.closed:
            write_if_changed(self._path, self.getvalue().encode(self._encoding))
        super().close()


class ChangedOnlyWriter(Writer):
    """Pelican's writer with one difference: unchanged files are not rewritten."""

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        # Same bookkeeping as Pelican's Writer._open_w (duplicate outputs are errors).
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return Path(os.devnull).open("w", encoding=encoding)  # Pelican closes it
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}": two pages want the same output file'
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _PendingFile(Path(filename), encoding)
