"""Is output/ as the last build left it? One walk of the folder, a stat per file.

Shared by the planner (which renders what is missing or touched) and the check that
runs before Pelican starts (:mod:`.precheck`: a build with nothing to do imports neither
Pelican nor Jinja2).

The walk costs a ``scandir`` per folder and every page is a folder of its own, so on a
large archive it is a good part of a small build; :class:`OutputWalk` therefore starts it
in a forked child as soon as the build starts, and the build reads its inputs and its
record meanwhile. Where nothing may fork (no ``fork``, or another thread runs: the dev
server) the walk is made in this process when first asked for.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Container, Mapping
from pathlib import Path
from typing import Any

from newsarchive.engine.parallel import can_fork
from newsarchive.forking import ForkedChild
from newsarchive.search.layout import INDEX_DIR

# Top-level names in output/ that other tools own (a deploy checkout) or that the search
# step keeps itself.
OUTPUT_KEEP = frozenset({".git", INDEX_DIR})
_UNREADABLE = (-1, -1)  # a file whose stat failed: never the recorded one

Stats = dict[str, tuple[int, int]]  # output-relative path -> (size, mtime_ns)


def walk(output: Path) -> Stats:
    """Every file under *output* (but OUTPUT_KEEP) with its size and mtime."""
    files: Stats = {}
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
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, prefix + name + "/"))
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                files[prefix + name] = _UNREADABLE
                continue
            files[prefix + name] = (st.st_size, st.st_mtime_ns)
    return files


class OutputWalk:
    """The walk of one output folder, started now, its result taken when needed."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self._files: Stats | None = None
        self._child: ForkedChild | None = None
        if can_fork() and output.is_dir():
            try:
                self._child = ForkedChild.start(lambda: marshal.dumps(walk(output)))
            except OSError:
                self._child = None

    def files(self) -> Stats:
        if self._files is None:
            child, self._child = self._child, None
            if child is not None:
                data, status = child.join()
                if os.waitstatus_to_exitcode(status) == 0 and data:
                    self._files = marshal.loads(data)  # noqa: S302 - our own child's bytes
            if self._files is None:
                self._files = walk(self.output)
        return self._files

    def close(self) -> None:
        """Stop a walk whose result is not wanted (the build failed before asking)."""
        if self._child is not None:
            self._child.stop()
            self._child = None


def verify_outputs(
    files: Stats,
    recorded: Mapping[str, Any],
    current: Container[str],
    wanted: set[str],
) -> tuple[int, list[str]]:
    """Compare the walked *files* with the record: an output of *current* whose file is
    missing or whose stat is not the one *recorded* (an ``OutputEntry``: size, mtime_ns)
    is added to *wanted*; files no output of *current* owns are returned (strays: an
    older build's, or made by hand). Returns (outputs checked, strays)."""
    strays: list[str] = []
    checked = 0
    for rel, stat in files.items():
        if rel not in current:
            strays.append(rel)
            continue
        entry = recorded.get(rel)
        if entry is None or rel in wanted:
            continue  # a new output, or one rendered anyway
        checked += 1
        if stat != (entry.size, entry.mtime_ns):
            wanted.add(rel)
    wanted.update(p for p in recorded if p in current and p not in files)  # missing files
    return checked, sorted(strays)
