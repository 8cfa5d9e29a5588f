"""Output that is written only when its bytes change, atomically.

Pelican rewrites every file on every build. Keeping unchanged files untouched (same
bytes, same mtime) lets the dev server and deploys see exactly what changed, and a
temp file + ``os.replace`` means a reader never sees a half-written page.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from pelican.writers import FileOverwriteFailedError, Writer

from newsarchive.fsutil import atomic_write
from newsarchive.pelican_plugin import state


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write *data* to *path* unless it already holds exactly those bytes; True if written."""
    path = Path(path)
    st = state.current()
    st.written.add(path)
    if st.capture is not None:
        st.capture.append(path)
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
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


def cached_call(call: str, key_parts: Any, write: Any) -> list[str]:
    """Run ``write()`` unless the render cache says its files are already up to date;
    returns the files skipped (empty when ``write()`` ran). *key_parts* is a tuple, or a
    function returning one: called only when the cache is on, so nothing reads article
    bodies outside rendering while the dev server records what each page reads."""
    st = state.current()
    cache = st.render_cache
    if cache is None:
        write()
        return []
    key = cache.key(*(key_parts() if callable(key_parts) else key_parts))
    paths = cache.lookup(call, key)
    if paths is not None:
        st.written.update(Path(p) for p in paths)
        return paths
    outer, st.capture = st.capture, []
    try:
        write()
        cache.record(call, key, st.capture)
    finally:
        st.capture = outer
    return []


def _bodies(values: Any) -> list[str]:
    """Body hashes of the documents a template renders in full (``article``/``page``)."""
    from pelican.contents import Content

    from newsarchive.pelican_plugin.rendercache import body_hash

    return [body_hash(v) for v in values if isinstance(v, Content)]


class ChangedOnlyWriter(Writer):
    """Pelican's writer, but unchanged files are not rewritten, and calls whose inputs
    did not change since the last build are skipped (see :mod:`.rendercache`)."""

    def write_file(self, name: Any, template: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        if not name:
            return None
        key = lambda: (  # noqa: E731
            "file",
            name,
            getattr(template, "name", None),
            args,
            {k: v for k, v in kwargs.items() if isinstance(v, (str, int, bool, type(None)))},
            sorted(kwargs),
            _bodies(kwargs.values()),
        )

        def write() -> None:
            super(ChangedOnlyWriter, self).write_file(name, template, context, *args, **kwargs)

        # Skipped files still count as written: a second call for one of them is an error.
        self._written_files.update(cached_call(f"file:{name}", key, write))
        return None

    def write_feed(
        self, elements: Any, context: Any, path: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if not path:
            return super().write_feed(elements, context, path, *args, **kwargs)
        items = elements[: self.settings["FEED_MAX_ITEMS"]]

        def key() -> tuple[Any, ...]:
            urls = [getattr(a, "view_url", None) for a in items]
            return ("feed", path, args, kwargs, urls, _bodies(items))

        def write() -> None:
            super(ChangedOnlyWriter, self).write_feed(elements, context, path, *args, **kwargs)

        self._written_files.update(cached_call(f"feed:{path}", key, write))
        return None

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
