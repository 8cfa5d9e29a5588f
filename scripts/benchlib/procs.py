"""Run one step as a child process and measure it: wall time, peak memory, exit status.

Peak memory is the larger of two readings: ``wait4``'s ``ru_maxrss`` (the resident set of the
largest single process of the child's tree) and a ``/proc`` poll every 20 ms summing the
memory of the child and all its descendants (a build that forks workers holds their memory
at once). The sum counts each process's *proportional* set size (PSS, from
``/proc/PID/smaps_rollup``): a page shared by n processes counts 1/n in each, so forked
workers sharing their parent's heap copy-on-write are not counted twice, as a sum of RSS
would. Where smaps_rollup is missing (kernels before 4.14) RSS is summed instead.

:class:`LiveStep` keeps one child alive across several runs, driven a line at a time (the
in-process rebuilds, so that two live processes can take turns run by run).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POLL_SECONDS = 0.02
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class StepResult:
    seconds: float
    peak_rss_bytes: int
    returncode: int
    output_tail: str  # last lines of stdout+stderr, for error messages

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        for task in task_dir.iterdir():
            text = (task / "children").read_text()
            kids.extend(int(k) for k in text.split())
    except OSError:
        pass
    return kids


def _memory(pid: int) -> int:
    """Proportional set size of *pid* in bytes (its RSS where PSS cannot be read)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:  # noqa: PTH123
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        # statm's second field is resident pages
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss(root: int) -> int:
    total = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        total += _memory(pid)
        stack.extend(_children(pid))
    return total


class _Poller(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.stop.wait(POLL_SECONDS)


def run_step(
    argv: Sequence[str | os.PathLike[str]],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log_path: Path,
    timeout: float | None = None,
) -> StepResult:
    """Run *argv*, wait for it, and return its wall time and peak memory.

    Output goes to *log_path* (not a pipe: a full pipe would stall the child and the clock).
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [str(a) for a in argv],
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        poller = _Poller(proc.pid)
        poller.start()
        deadline = None if timeout is None else start + timeout
        try:
            status, rusage = _wait(proc, deadline)
        except BaseException:  # Ctrl-C: never leave a build running behind us
            proc.kill()
            os.waitpid(proc.pid, 0)
            poller.stop.set()
            raise
        seconds = time.perf_counter() - start
        poller.stop.set()
        poller.join()
    returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
    proc.returncode = returncode  # wait4 reaped it; keep Popen from waiting again
    maxrss = rusage.ru_maxrss * 1024 if rusage is not None else 0  # Linux reports KiB
    tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
    return StepResult(seconds, max(maxrss, poller.peak), returncode, "\n".join(tail))


class LiveStep:
    """A child kept alive across several runs, which it times itself.

    Each line sent to its stdin (:meth:`send`) is answered by one JSON object on a line of its
    stdout (:meth:`receive`; other lines are only logged). All its output goes to *log_path*.
    :meth:`close` ends its input, waits for it and returns its :class:`StepResult`: wall time
    of its whole life and peak memory measured as :func:`run_step` does.
    """

    def __init__(
        self,
        argv: Sequence[str | os.PathLike[str]],
        *,
        env: Mapping[str, str] | None = None,
        log_path: Path,
    ) -> None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_bytes(b"")
        self.log_path = log_path
        self._log = log_path.open("ab")  # appending: the child's stderr and its stdout lines
        self._answers: queue.Queue[bytes | None] = queue.Queue()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [str(a) for a in argv],
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._poller = _Poller(self.proc.pid)
        self._poller.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._log.write(line)
            self._log.flush()
            if line.startswith(b"{"):
                self._answers.put(line)
        self._answers.put(None)

    def send(self, line: str = "go") -> bool:
        """Ask for one more run; False when the child has stopped reading."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(line.encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:  # BrokenPipeError: it exited
            return False
        return True

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The child's next JSON answer; None once it exited, or after *timeout* seconds
        without one (then it is killed)."""
        while True:
            try:
                line = self._answers.get(timeout=timeout)
            except queue.Empty:
                self.proc.kill()
                return None
            if line is None:
                return None
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            if isinstance(answer, dict):
                return answer

    def close(self, timeout: float | None = None) -> StepResult:
        """End the child's input, wait for it to exit (killed after *timeout* seconds)."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe: it exited
                self.proc.stdin.close()
        deadline = None if timeout is None else time.perf_counter() + timeout
        try:
            status, rusage = _wait(self.proc, deadline)
        except BaseException:  # Ctrl-C: never leave a build running behind us
            self.kill()
            raise
        seconds = time.perf_counter() - self.started
        self._poller.stop.set()
        self._poller.join()
        self._reader.join()
        self._log.close()
        returncode = os.waitstatus_to_exitcode(status) if status is not None else -9
        self.proc.returncode = returncode  # wait4 reaped it; keep Popen from waiting again
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        maxrss = rusage.ru_maxrss * 1024 if rusage is not None else 0  # Linux reports KiB
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        tail = "\n".join(text.splitlines()[-15:])
        return StepResult(seconds, max(maxrss, self._poller.peak), returncode, tail)

    def kill(self) -> None:
        """Kill and reap the child if it still runs (an interrupted benchmark)."""
        if self.proc.returncode is None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._poller.stop.set()


def _wait(proc: subprocess.Popen[bytes], deadline: float | None) -> tuple[int | None, Any]:
    if deadline is None:
        _, status, rusage = os.wait4(proc.pid, 0)
        return status, rusage
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            return status, rusage
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, rusage = os.wait4(proc.pid, 0)
            return None, rusage
        time.sleep(0.05)


def tree_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of everything under *path*."""
    total = files = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += Path(root, name).stat().st_size
            except OSError:
                continue
            files += 1
    return total, files


def output_kinds(path: Path) -> dict[str, tuple[int, int]]:
    """(bytes, files) of a newsarchive site per kind of output, by the rule
    ``newsarchive check`` uses (:func:`newsarchive.sitesize.output_kind`)."""
    from newsarchive.sitesize import measure

    size = measure(path, largest=0)
    return {kind: (part.bytes, part.files) for kind, part in size.by_kind.items()}


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:  # pragma: no cover - not on Linux
        return (0.0, 0.0, 0.0)
