"""The planner's first question, asked before Pelican starts: is there anything to do?

A build after which nothing changed (no input's stat or bytes, no output file, no setting,
no code) renders nothing; answering that takes a stat scan and the record, not Pelican,
Jinja2 or markdown-it, whose imports alone would cost more than the whole answer. When
this says "nothing", the build is done; otherwise Pelican runs and the planner proper
(:mod:`.planner`) finds the stale outputs, starting from the record and the scan read
here (on a large archive each costs as much as the rest of a one-edit build).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from newsarchive.config import Settings
from newsarchive.engine import inputs
from newsarchive.engine.record import Record, record_path
from newsarchive.engine.verify import OutputCheck


@dataclass
class Opened:
    """What the check read: the record (left open for the build) and the input scan."""

    record: Record
    scan: dict[str, tuple[int, int]] | None = None  # None: not scanned
    scan_started: int = 0  # time.time_ns() when the scan began (the racy window's end)
    current: bool = False  # output/ is what building now would make: nothing to do

    def close(self) -> None:
        self.record.close()


def check(settings: Settings, publish: bool, site_url: str, look: OutputCheck) -> Opened | None:
    """The record and whether anything is to be done; None when there is no usable
    record (every output is made anew)."""
    path = record_path(settings.cache_path, settings.output_path)
    if not path.is_file():
        return None
    try:
        record = Record(path, inputs.build_key(settings, publish, site_url))
    except sqlite3.DatabaseError:
        return None
    opened = Opened(record)
    if record.fresh or record.dirty or not record.has_structure:
        return opened
    roots = inputs.InputRoots.of(settings)
    opened.scan_started = time.time_ns()
    found = opened.scan = inputs.scan(settings, roots)
    if not inputs.unchanged(found, record.inputs, record.article_ids, record.pages, roots):
        return opened
    wanted: set[str] = set()
    _checked, strays = look.compare(record, None, wanted, trusted=record.trusted)
    opened.current = not (wanted or strays)
    return opened
