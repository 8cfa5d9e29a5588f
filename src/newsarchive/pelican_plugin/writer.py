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

from pelican.utils import sanitised_join
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


def cached_call(
    call: str,
    key_parts: Any,
    write: Any,
    *,
    writer: ChangedOnlyWriter | None = None,
    output: str | None = None,
    defer: bool = True,
) -> list[str]:
    """Run ``write()`` unless the render cache says its files are already up to date;
    returns the files skipped (empty when ``write()`` ran). *key_parts* is a tuple, or a
    function returning one: called only when the cache is on, so nothing reads article
    bodies outside rendering while the dev server records what each page reads.

    While a parallel build collects calls (``state.deferred``), a call that must render
    is queued instead (unless *defer* is false) and runs in a worker process later
    (:mod:`.parallel`); for a call of Pelican's writer (*writer*, *output*), the writer's
    duplicate-output check is made now, at deferral."""
    st = state.current()
    cache = st.render_cache
    key = None
    if cache is not None:
        key = cache.key(*(key_parts() if callable(key_parts) else key_parts))
        paths = cache.lookup(call, key)
        if paths is not None:
            st.written.update(Path(p) for p in paths)
            return paths
    if st.deferred is not None and defer:
        claimed = writer.claim(output) if writer is not None and output else None
        st.deferred.append(state.DeferredCall(call, key, write, claimed, writer))
        return []
    if cache is None or key is None:
        write()
        return []
    outer, st.capture = st.capture, []
    try:
        write()
        cache.record(call, key, st.capture)
    finally:
        st.capture = outer
    return []


def overwrite_message(filename: str) -> str:
    return f'Failed to overwrite "{filename}": two pages want the same output file'


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
        override = bool(kwargs.get("override_output")) or bool(self._overridden_files)
        self._written_files.update(
            cached_call(f"file:{name}", key, write, writer=self, output=name, defer=not override)
        )
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

        # Pelican passes override_output by keyword or as the 6th positional argument.
        override = bool(kwargs.get("override_output") or (len(args) >= 3 and args[2]))
        override = override or bool(self._overridden_files)
        self._written_files.update(
            cached_call(f"feed:{path}", key, write, writer=self, output=path, defer=not override)
        )
        return None

    def claim(self, name: str) -> str:
        """The duplicate-output check of :meth:`_open_w` for a call rendered later, in a
        worker: the first output file of every call is known before it renders."""
        filename = sanitised_join(self.output_path, name)
        if filename in self._written_files:
            raise FileOverwriteFailedError(overwrite_message(filename))
        self._written_files.add(filename)
        return filename

    def _open_w(self, filename: str, encoding: str, override: bool = False) -> Any:
        if state.current().share:
            # A render share (parallel.py): the parent checks and records every output.
            return _PendingFile(Path(filename), encoding)
        # Same bookkeeping as Pelican's Writer._open_w (duplicate outputs are errors).
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time')
            return Path(os.devnull).open("w", encoding=encoding)  # Pelican closes it
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(overwrite_message(filename))
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _PendingFile(Path(filename), encoding)
