"""The importer's own error: one dump cannot be imported, for a reason a writer can act on."""

from __future__ import annotations

from newsarchive.errors import ImportFailed


class DumpError(ImportFailed):
    """Raised while decoding or parsing one dump; the batch goes on, the run exits non-zero.

    ``message`` is the reason alone (``empty file``); the caller adds the path, so the
    line a writer reads is always ``path: reason``.
    """
