"""The planner's first question, asked before Pelican starts: is there anything to do?

A build after which nothing changed (no input's stat or bytes, no output file, no setting,
no code) renders nothing; answering that takes a stat scan and the record, not Pelican,
Jinja2 or markdown-it, whose imports alone would cost more than the whole answer. When
this says "nothing", the build is done; otherwise Pelican runs and the planner proper
(:mod:`.planner`) finds the stale outputs.
"""

from __future__ import annotations

import sqlite3

from newsarchive.config import Settings
from newsarchive.engine import inputs
from newsarchive.engine.record import Record, record_path
from newsarchive.engine.verify import OutputWalk, verify_outputs


def nothing_to_do(
    settings: Settings, publish: bool, site_url: str, walk: OutputWalk
) -> Record | None:
    """The record, if the output folder is exactly what building now would make; None
    when something must be read or rendered. The record is left open for the caller."""
    path = record_path(settings.cache_path, settings.output_path)
    if not path.is_file():
        return None
    try:
        record = Record(path, inputs.build_key(settings, publish, site_url))
    except sqlite3.DatabaseError:
        return None
    if record.fresh or record.dirty or not record.has_structure:
        record.close()
        return None
    roots = inputs.InputRoots.of(settings)
    found = inputs.scan(settings, roots)
    if found.keys() != record.inputs.keys() or any(
        not inputs.same_stat(record.inputs[p], size, mtime)
        or inputs.unread(roots.kind(p), p, record.article_ids, record.pages)
        for p, (size, mtime) in found.items()
    ):
        record.close()
        return None
    wanted: set[str] = set()
    _checked, strays = verify_outputs(walk.files(), record.outputs, record.outputs, wanted)
    if wanted or strays:
        record.close()
        return None
    return record
