"""Helpers shared by test modules (tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Flags that keep Debian's Chromium off the (closed) network and quiet in a sandboxless CI.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_tool(available: bool, reason: str) -> None:
    """Skip on a developer's machine without the tool; fail in CI, where `make test` installs it."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: scripts/ensure-test-deps.sh)")
    pytest.skip(reason)
