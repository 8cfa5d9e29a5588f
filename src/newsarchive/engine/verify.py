"""Is output/ as the last build left it? One walk of the folder, a stat per output.

Shared by the planner (which renders what is missing or touched) and the check that
runs before Pelican starts (:mod:`.precheck`: a build with nothing to do imports neither
Pelican nor Jinja2).
"""

from __future__ import annotations

import os
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any

from newsarchive.search.layout import INDEX_DIR

# Top-level names in output/ that other tools own (a deploy checkout) or that the search
# step keeps itself.
OUTPUT_KEEP = frozenset({".git", INDEX_DIR})


def verify_outputs(
    output: Path,
    recorded: Mapping[str, Any],
    current: Container[str],
    wanted: set[str],
) -> tuple[int, list[str]]:
    """Walk *output*: an output of *current* whose file is missing or whose stat is not
    the one *recorded* (an ``OutputEntry``: size, mtime_ns) is added to *wanted*; files no
    output of *current* owns are returned (strays: an older build's, or made by hand).
    Returns (outputs checked, strays)."""
    seen: set[str] = set()
    strays: list[str] = []
    checked = 0
    stack = [(str(output), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if not prefix and name in OUTPUT_KEEP:
                continue
            rel = prefix + name
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, rel + "/"))
                continue
            if rel not in current:
                strays.append(rel)
                continue
            record = recorded.get(rel)
            if record is None:
                continue  # a new output: rendered anyway
            seen.add(rel)
            if rel in wanted:
                continue
            checked += 1
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                wanted.add(rel)
                continue
            if (st.st_size, st.st_mtime_ns) != (record.size, record.mtime_ns):
                wanted.add(rel)
    wanted.update(p for p in recorded if p in current and p not in seen)  # missing files
    return checked, sorted(strays)
