from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from serve_helpers import FakeBuilder, make_project

from newsarchive.config import load_settings
from newsarchive.devserver import LiveSession


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    make_project(root)
    return root


@pytest.fixture
def fake_session(project: Path):
    settings = load_settings(project)
    builder = FakeBuilder(settings)
    session = LiveSession(settings, builder, port=0, poll_timeout=10.0)
    session.builder = builder  # type: ignore[attr-defined]  (handy in assertions)
    assert session.initial_build()
    session.start()
    try:
        yield session
    finally:
        session.stop()
