"""The fixture site built once with search (development and publish builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsarchive.build import build_site
from newsarchive.config import load_settings

FIXTURE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"


@pytest.fixture(scope="session")
def search_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search") / "site"
    shutil.copytree(FIXTURE_SITE, root)
    return root


@pytest.fixture(scope="session")
def search_site(search_root: Path):
    settings = load_settings(search_root)
    return settings, build_site(settings)
