"""Work in a forked child whose bytes come back through a pipe.

Used by the build's parallel reading and rendering (``engine/parallel.py``) and its check
of ``output/`` (``engine/verify.py``). A child is
forked, never spawned: it inherits the parent's memory copy-on-write, so nothing is
pickled on the way in. It ends with ``os._exit``: no atexit handlers, no flushing of
buffers the parent holds too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterable


def can_fork() -> bool:
    """Whether this process may fork: it can, and no other thread runs (a child would
    inherit locks another thread holds)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class ForkedChild:
    """One forked child running a function that returns bytes."""

    __slots__ = ("pid", "read_fd")

    def __init__(self, pid: int, read_fd: int) -> None:
        self.pid, self.read_fd = pid, read_fd

    @classmethod
    def start(
        cls, produce: Callable[[], bytes], *, close_in_child: Iterable[int] = ()
    ) -> ForkedChild:
        """Run *produce* in a forked child (which first closes *close_in_child*: other
        children's pipes); raises OSError when no pipe or process can be had."""
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            raise
        if pid == 0:  # pragma: no cover - the child never returns (coverage does not follow)
            code = 1
            try:
                os.close(read_fd)
                for fd in close_in_child:
                    os.close(fd)
                data = produce()
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_fd)
        return cls(pid, read_fd)

    def join(self) -> tuple[bytes, int]:
        """The child's bytes and its wait status (``os.waitpid``), once it has ended."""
        with os.fdopen(self.read_fd, "rb") as pipe:
            data = pipe.read()
        self.read_fd = -1
        _, status = os.waitpid(self.pid, 0)
        return data, status

    def stop(self) -> None:
        """Kill and reap a child whose result is no longer wanted."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        if self.read_fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.read_fd)
            self.read_fd = -1
