from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = REPO_ROOT / "content" / "raw" / "000_6be8f2798757a0e6.txt"


@pytest.fixture
def seed_raw_path() -> Path:
    return SEED_RAW
