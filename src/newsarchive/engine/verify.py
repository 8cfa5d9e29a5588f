"""Is output/ as the last build left it? A stat per recorded output, or a walk of the folder.

Shared by the planner (which renders what is missing or touched) and the check that
runs before Pelican starts (:mod:`.precheck`: a build with nothing to do imports neither
Pelican nor Jinja2).

Two ways of looking, one answer (outputs to render again, strays to remove):

- **stat** (every build whose record is trusted): each output the record lists is
  ``lstat``-ed and compared with the size and mtime recorded when it was written (one
  missing or touched by hand is rendered again), and each folder of the site is stat-ed
  and compared with the mtime recorded after the last build wrote in it: only a folder
  whose entries changed since is listed, for files and folders no build made (strays:
  one made by hand).
- **walk** (``--full``, the first build, a record another build key made, a build after
  one that was killed while writing): every file under output/ is listed; files no output
  owns (an older build's, one a killed build wrote, one made by hand) are strays.

Either is started in forked children as soon as the build starts (the stat is two: one
for the outputs, one for the folders, each reading what it needs of the record's tables
itself; the folders' child reads the outputs' paths only when a folder changed), and the
build reads its inputs and its record meanwhile. Where nothing may fork (no ``fork``, or
another thread runs: the dev server) it is made in this process when first asked for. A
listing of every folder costs a ``scandir`` each, and every page is a folder of its own:
on a large archive a walk is a good part of a small build.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sqlite3
from collections.abc import Callable, Container, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.forking import ForkedChild, can_fork
from newsarchive.search import INDEX_DIR

if TYPE_CHECKING:
    from newsarchive.engine.record import Record

# Top-level names in output/ that other tools own (a deploy checkout) or that the search
# step keeps itself.
OUTPUT_KEEP = frozenset({".git", INDEX_DIR})
_UNREADABLE = (-1, -1)  # a file whose stat failed: never the recorded one

Stats = dict[str, tuple[int, int]]  # output-relative path -> (size, mtime_ns)


def walk(output: Path | str, prefix: str = "") -> Stats:
    """Every file under *output* (but OUTPUT_KEEP) with its size and mtime; *prefix*: the
    output-relative path of *output* if it is a folder inside output/ (with its slash)."""
    files: Stats = {}
    stack = [(str(output), prefix)]
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


def touched(output: Path, recorded: Any) -> list[str]:
    """The outputs of *recorded* ((path, size, mtime_ns) rows) whose file is missing or
    whose stat is not the recorded one."""
    base = f"{output}{os.sep}"
    found = []
    for path, size, mtime in recorded:
        try:
            st = os.lstat(base + path)
        except OSError:
            found.append(path)
            continue
        if st.st_size != size or st.st_mtime_ns != mtime:
            found.append(path)
    return found


def strays_in(
    output: Path, outputs: Callable[[], Container[str]], folders: Mapping[str, int]
) -> list[str]:
    """Files under *output* that none of *outputs* (asked for only if a folder changed)
    is, found by listing only the *folders* (output-relative, "" for output/ itself ->
    recorded mtime) whose mtime changed, and every folder under them that is not one of
    *folders*."""
    base = f"{output}{os.sep}"
    found: list[str] = []
    known: Container[str] | None = None
    for folder, mtime in folders.items():
        path = base + folder if folder else str(output)
        try:
            if os.stat(path).st_mtime_ns == mtime:  # noqa: PTH116
                continue
            entries = list(os.scandir(path))
        except OSError:
            continue  # gone: its outputs are missing, and rendered again
        if known is None:
            known = outputs()
        prefix = f"{folder}/" if folder else ""
        for entry in entries:
            name = entry.name
            rel = prefix + name
            if not prefix and name in OUTPUT_KEEP:
                continue
            if entry.is_dir(follow_symlinks=False):
                if rel not in folders:
                    found.extend(walk(entry.path, rel + "/"))
            elif rel not in known:
                found.append(rel)
    return sorted(found)


def folder_stamps(output: Path, folders: Iterable[str]) -> dict[str, int | None]:
    """The mtime of each output-relative folder ("" for output/ itself); None if gone."""
    stamps: dict[str, int | None] = {}
    base = f"{output}{os.sep}"
    for folder in folders:
        try:
            stamps[folder] = os.stat(base + folder if folder else output).st_mtime_ns  # noqa: PTH116
        except OSError:
            stamps[folder] = None
    return stamps


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder that holds one of the output-relative *paths*, up to "" (output/)."""
    found = {""}
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return found


def _touched_outputs(output: Path, record_file: Path) -> list[str]:
    """The recorded outputs missing or touched, as the record's file lists them (read by
    a child, never through the parent's connection)."""
    with contextlib.closing(_read_only(record_file)) as db:
        return touched(output, db.execute("SELECT path, size, mtime_ns FROM outputs"))


def _strays(output: Path, record_file: Path) -> list[str]:
    """The strays in the recorded folders whose mtime changed (by a child, likewise)."""
    with contextlib.closing(_read_only(record_file)) as db:
        folders = dict(db.execute("SELECT path, mtime_ns FROM folders").fetchall())
        return strays_in(
            output, lambda: {path for (path,) in db.execute("SELECT path FROM outputs")}, folders
        )


def _read_only(record_file: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{record_file.as_uri()}?mode=ro", uri=True)


class OutputCheck:
    """The look at one output folder, started now, its result taken when needed.

    *record_file*: the record whose outputs a stat compares (None: walk). A walk is made
    instead, in this process, when the record the build opened turns out not to be one
    whose outputs can be trusted to be all there is (see :meth:`compare`)."""

    def __init__(self, output: Path, record_file: Path | None) -> None:
        self.output = output
        self.walks = record_file is None
        self.walked = False  # whether the answer came from a walk
        self._result: Any = None
        self._children: list[ForkedChild] = []
        if not output.is_dir() or not can_fork():
            return
        if record_file is None:
            looks = [lambda: marshal.dumps(walk(output))]
        elif record_file.is_file():
            looks = [
                lambda: marshal.dumps(_touched_outputs(output, record_file)),
                lambda: marshal.dumps(_strays(output, record_file)),
            ]
        else:
            return
        try:
            for look in looks:
                self._children.append(
                    ForkedChild.start(look, close_in_child=[c.read_fd for c in self._children])
                )
        except OSError:
            self.close()

    def _take(self) -> Any:
        children, self._children = self._children, []
        if children:
            ended = [child.join() for child in children]
            if all(os.waitstatus_to_exitcode(status) == 0 and data for data, status in ended):
                results = [marshal.loads(data) for data, _status in ended]  # noqa: S302 - ours
                self._result = results[0] if self.walks else tuple(results)
        return self._result

    def compare(
        self,
        record: Record,
        current: Container[str] | None,
        wanted: set[str],
        *,
        trusted: bool,
    ) -> tuple[int, list[str]]:
        """Add to *wanted* each output of *current* (None: the record's outputs) that
        *record* lists and whose file is missing or touched; returns (outputs checked,
        strays). *trusted*: the record's outputs and folders are all that builds put in
        output/ (not a new or discarded record, nor one a killed build left), so a stat of
        each is enough; otherwise output/ is walked. When the children found nothing, the
        record's outputs are not even loaded."""
        if self.walks or not trusted:
            self.walked = True
            files = self._take() if self.walks else None
            if files is None:
                files = walk(self.output)
            recorded = record.outputs
            return verify_outputs(files, recorded, recorded if current is None else current, wanted)
        found = self._take()
        if found is None:  # no child: look now
            recorded = record.outputs
            found = (
                touched(self.output, ((p, e.size, e.mtime_ns) for p, e in recorded.items())),
                strays_in(self.output, lambda: recorded, record.folders()),
            )
        touched_outputs, strays = found
        if touched_outputs or strays:
            recorded = record.outputs
            known = recorded if current is None else current
            wanted.update(p for p in touched_outputs if p in known and p in recorded)
            strays = [p for p in strays if p not in known]
        return record.output_count(), strays

    def close(self) -> None:
        """Stop a look whose result is not wanted (the build failed before asking)."""
        for child in self._children:
            child.stop()
        self._children = []


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
