"""Raw dumps -> Markdown articles with YAML front matter.

Stages, one module each: :mod:`.decode` (bytes to text), :mod:`.parse` (text to structure,
with :mod:`.weather`), :mod:`.body` (Markdown with raw text escaped), :mod:`.render` (the
:class:`~newsarchive.model.Article` and the file), :mod:`.slugs` (allocation),
:mod:`.state` (the manifest), :mod:`.write` (atomic writes) and :mod:`.pipeline` (the run).
"""

from __future__ import annotations

from newsarchive.importer.pipeline import ImportOptions, ImportReport, run_import

__all__ = ["ImportOptions", "ImportReport", "run_import"]
