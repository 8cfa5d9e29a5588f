"""Is ``output/`` as the last build left it? One stat call per output file and folder.

The fast path (:mod:`newsarchive.snapshot`) may skip Pelican only when nothing but the
build touched ``output/``: a file edited in place changes its own stat, a file added or
removed changes its folder's mtime. At 10,000 articles that is about 44,000 stat calls,
some 0.2 s and most of a body-edit build. Threads do not help (the calls are short and
each needs the interpreter lock), but a forked child does: on a large site it checks the
first part of the list while this process scans the inputs, then both finish together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from itertools import islice

from newsarchive.forking import ForkedChild, other_threads

# Below this many stat calls, a fork costs more than it saves.
MIN_SPLIT = 8_000
# The child's part of the calls: the parent first scans the inputs (about a third as
# many files), then checks the rest.
CHILD_SHARE = 0.6

Folders = Mapping[str, int]  # output-relative folder ("" is output/) -> mtime_ns
Files = Mapping[str, list[int]]  # output-relative file -> [size, mtime_ns]


def first_difference(
    output: str, folders: Iterable[tuple[str, int]], files: Iterable[tuple[str, list[int]]]
) -> str | None:
    """Why *output* is not as recorded (the first difference in list order), or None."""
    for folder, mtime in folders:
        try:
            if os.stat(os.path.join(output, folder)).st_mtime_ns != mtime:  # noqa: PTH116, PTH118
                return f"output/{folder} holds files the build did not write"
        except OSError:
            return f"output/{folder} is missing"
    for rel, stamp in files:
        try:
            st = os.stat(os.path.join(output, rel))  # noqa: PTH116, PTH118
        except OSError:
            return f"output/{rel} is missing"
        if [st.st_size, st.st_mtime_ns] != stamp:
            return f"output/{rel} was changed outside the build"
    return None


class OutputCheck:
    """A check of ``output/`` that may already be running in a child when it is made.

    ``start`` forks (on a large site, with fork available and no other thread running:
    a fork copies only the calling thread); ``result`` checks the rest here and waits for
    the child; ``close`` stops a child whose result is no longer wanted.
    """

    def __init__(self, output: str, folders: Folders, files: Files) -> None:
        self._output = output
        self._folders, self._files = folders, files
        self._skip = 0  # the first calls, the child's
        self._child: ForkedChild | None = None

    @classmethod
    def start(
        cls, output: str, folders: Folders, files: Files, *, split: bool = True
    ) -> OutputCheck:
        check = cls(output, folders, files)
        total = len(folders) + len(files)
        if split and total >= MIN_SPLIT and hasattr(os, "fork") and not other_threads():
            check._fork(int(total * CHILD_SHARE))
        return check

    def _items(
        self, start: int, stop: int | None
    ) -> tuple[Iterable[tuple[str, int]], Iterable[tuple[str, list[int]]]]:
        """Calls *start* to *stop* of the check: folders first, then files (iterated, not
        copied: a list of 44,000 pairs costs as much as the fork)."""
        n = len(self._folders)
        files_stop = None if stop is None else max(0, stop - n)
        return (
            islice(self._folders.items(), min(start, n), stop),
            islice(self._files.items(), max(0, start - n), files_stop),
        )

    def _fork(self, count: int) -> None:
        def produce() -> bytes:
            why = first_difference(self._output, *self._items(0, count))
            return (why or "").encode("utf-8", "surrogateescape")

        try:
            self._child = ForkedChild.start(produce)
        except OSError:
            return
        self._skip = count

    def result(self) -> str | None:
        """Why ``output/`` is not as recorded, or None; the child's part comes first."""
        mine = first_difference(self._output, *self._items(self._skip, None))
        if self._child is None:
            return mine
        child, self._child = self._child, None
        data, status = child.join()
        if status != 0:
            return "the check of output/ failed in its child process"
        return data.decode("utf-8", "surrogateescape") or mine

    def close(self) -> None:
        if self._child is not None:
            self._child.stop()
            self._child = None
