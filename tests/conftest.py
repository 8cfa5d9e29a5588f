from __future__ import annotations

from pathlib import Path

import pytest

from testtools import CHROMIUM, CHROMIUM_FLAGS, require_tool

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = REPO_ROOT / "content" / "raw" / "000_6be8f2798757a0e6.txt"


@pytest.fixture
def seed_raw_path() -> Path:
    return SEED_RAW


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium, driven by Playwright, shared by every browser test."""
    import shutil

    require_tool(
        shutil.which(CHROMIUM) is not None, "Debian chromium is not installed (make test-deps)"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool(False, "playwright is not installed (make venv)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()
