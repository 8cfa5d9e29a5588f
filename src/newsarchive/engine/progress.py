"""What a build shows while it works: its stages and a progress bar, on a terminal only.

Stages are logged at INFO (``reading``, ``rendering N of M``, ``search``); a bar is drawn
for renders of many outputs when stderr is a terminal. Nothing is printed to a pipe but
the log lines, so CI logs and tests stay clean.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

log = logging.getLogger("newsarchive.build")

BAR_MIN = 200  # fewer outputs render in a moment: no bar


class Progress:
    def __init__(self, *, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.started = time.perf_counter()
        self._bar: Any = None

    def stage(self, message: str, *args: Any) -> None:
        log.info(message, *args)

    def start_bar(self, total: int, what: str) -> None:
        if not self.enabled or total < BAR_MIN:
            return
        from tqdm import tqdm

        self._bar = tqdm(total=total, desc=what, unit="page", leave=False, file=sys.stderr)

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close_bar(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"  # pragma: no cover
