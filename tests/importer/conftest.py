from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from import_helpers import BASIC_DUMP, Project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "site")


@pytest.fixture
def basic_dump() -> Callable[..., str]:
    def make(title: str = "광장에 모인 시민들", **replace: str) -> str:
        text = BASIC_DUMP.format(title=title)
        for old, new in replace.items():
            text = text.replace(old, new)
        return text

    return make
