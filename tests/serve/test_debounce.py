"""The Debouncer alone: one call per burst, deferred work only once saves have stopped."""

from __future__ import annotations

import time
from pathlib import Path

from serve_helpers import wait_for

from newsarchive.devserver.watcher import Debouncer


def test_a_burst_of_events_is_one_call_with_every_path():
    batches: list[frozenset[Path]] = []
    debouncer = Debouncer(lambda b: batches.append(b), delay=0.1)
    debouncer.start()
    try:
        for name in ("a", "b", "a", "c"):
            debouncer.add([Path(name)])
            time.sleep(0.02)
        assert wait_for(lambda: batches, timeout=5)
        assert not wait_for(lambda: len(batches) > 1, timeout=0.4)
        assert batches == [frozenset({Path("a"), Path("b"), Path("c")})]
    finally:
        debouncer.stop()


def test_continuous_writes_still_build_within_max_wait():
    batches: list[frozenset[Path]] = []
    debouncer = Debouncer(lambda b: batches.append(b), delay=0.2, max_wait=0.5)
    debouncer.start()
    try:
        deadline = time.monotonic() + 1.2
        while time.monotonic() < deadline:  # never quiet for 0.2 s
            debouncer.add([Path("log.md")])
            time.sleep(0.05)
        assert len(batches) >= 1
    finally:
        debouncer.stop()


def test_files_the_build_wrote_itself_do_not_trigger_another_build(tmp_path):
    written = tmp_path / "imported.md"
    calls: list[frozenset[Path]] = []

    def build(batch):
        calls.append(batch)
        if len(calls) == 1:
            written.write_text("new", encoding="utf-8")
            debouncer.add([written])  # the watcher reports the build's own write
            return {written: written.stat().st_mtime_ns}
        return None

    debouncer = Debouncer(build, delay=0.05)
    debouncer.start()
    try:
        debouncer.add([tmp_path / "dump.txt"])
        assert wait_for(lambda: calls, timeout=5)
        assert not wait_for(lambda: len(calls) > 1, timeout=0.5)
        # but a writer touching that file afterwards does trigger one
        time.sleep(0.01)
        written.write_text("edited by a writer", encoding="utf-8")
        debouncer.add([written])
        assert wait_for(lambda: len(calls) == 2, timeout=5)
    finally:
        debouncer.stop()
