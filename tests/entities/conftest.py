from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.entities.extract import Extractor
from newsarchive.entities.registry import Registry, load_registry

REPO_ROOT = Path(__file__).resolve().parents[2]
REGISTRY_PATH = REPO_ROOT / "content" / "entities.yaml"
SEED_RAW = REPO_ROOT / "content" / "raw" / "000_6be8f2798757a0e6.txt"
LABELLED = REPO_ROOT / "tests" / "fixtures" / "entities" / "labelled.yaml"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(REGISTRY_PATH)


@pytest.fixture(scope="session")
def extractor(registry: Registry) -> Extractor:
    """One Extractor for the whole session; Kiwi (about 2-5 s to load) loads once."""
    return Extractor(registry)


@pytest.fixture(scope="session")
def bare_extractor() -> Extractor:
    """Rules and Kiwi only: no registry to lean on (shares the process's Kiwi)."""
    return Extractor(Registry())
