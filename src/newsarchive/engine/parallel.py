"""Work split over forked processes: the build's one way to use every core.

Workers are *forked*, never spawned: they inherit the whole build (site model, compiled
templates) copy-on-write, so nothing is pickled on the way in; each share's result comes
back pickled through a pipe. Share 0 runs in the calling process. Nothing forks where
``fork`` does not exist or while another thread runs (the dev server's: a fork copies
only the calling thread, and a lock another thread holds would stay locked in the child).
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from typing import Any

from newsarchive.errors import BuildError
from newsarchive.forking import ForkedChild, can_fork

log = logging.getLogger(__name__)


def resolve_jobs(setting: int) -> int:
    """``build_jobs``: 0 means every core this process may run on."""
    if setting > 0:
        return setting
    cores = os.cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):  # Linux: the cores this process may use
        cores = min(cores, len(os.sched_getaffinity(0)))
    return max(1, cores)


def run_shares(jobs: int, share: Callable[[int], Any]) -> list[Any]:
    """``[share(0), ..., share(jobs - 1)]``, shares 1.. in forked children. A child that
    dies fails the build with a BuildError naming it."""
    children: list[tuple[int, ForkedChild]] = []
    gc.freeze()  # the children neither scan nor touch (copy) what exists now
    try:
        for k in range(1, jobs):
            child = ForkedChild.start(
                lambda k=k: _payload(share, k),  # type: ignore[misc]
                close_in_child=[c.read_fd for _, c in children],
            )
            children.append((k, child))
        results = [share(0)]
        while children:
            k, child = children.pop(0)
            data, status = child.join()
            results.append(_result(k, jobs, child.pid, data, status))
        return results
    finally:
        gc.unfreeze()
        for _, child in children:  # only left after an error: stop and reap them
            child.stop()


# Below this many files per extra process, reading in one process is as fast.
MIN_READS_PER_PROCESS = 200


def read_in_shares(
    read_all: Callable[[list[str]], list[Any]], jobs: int
) -> Callable[[list[str]], list[Any]]:
    """*read_all* over interleaved shares of the paths, in forked workers when it pays (a
    first build reads every article: markdown and YAML are most of its time)."""

    def read(paths: list[str]) -> list[Any]:
        shares = max(1, min(jobs, len(paths) // MIN_READS_PER_PROCESS))
        if shares == 1 or not can_fork():
            return read_all(paths)
        parts = run_shares(shares, lambda k: read_all(paths[k::shares]))
        results: list[Any] = [None] * len(paths)
        for k, part in enumerate(parts):
            results[k::shares] = part
        return results

    return read


def _payload(share: Callable[[int], Any], k: int) -> bytes:  # pragma: no cover - in a child
    try:
        payload: tuple[str, Any] = ("ok", share(k))
    except BaseException:
        payload = ("crash", traceback.format_exc())
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def _result(k: int, jobs: int, pid: int, data: bytes, status: int) -> Any:
    code = os.waitstatus_to_exitcode(status)
    payload = None
    if data:
        try:
            payload = pickle.loads(data)  # noqa: S301 - our own child's bytes
        except Exception:
            payload = None
    if payload is None or code != 0:
        how = (
            f"was killed by signal {signal.Signals(-code).name}"
            if code < 0
            else f"exited with status {code}"
        )
        raise BuildError(
            f"build worker {k} of {jobs} (pid {pid}) {how} before finishing; "
            "build again with --jobs 1 to build in one process"
        )
    kind, value = payload
    if kind == "crash":
        last = value.strip().splitlines()[-1] if value.strip() else "unknown error"
        raise BuildError(f"build worker {k} of {jobs} failed: {last}\n{value}")
    return value
