from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from serve_helpers import FakeBuilder, make_project

from newsarchive.config import load_settings
from newsarchive.devserver import LiveSession
from newsarchive.devserver.sitebuild import SiteBuilder

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


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


def _theme() -> Path:
    from newsarchive.pelican_plugin.settings import BUNDLED_THEME

    assert (BUNDLED_THEME / "templates" / "base.html").is_file(), "the newsroom theme is missing"
    return BUNDLED_THEME


def _quiet_import(settings, dumps):
    from newsarchive.importer import ImportOptions, run_import

    # entity extraction loads Kiwi (seconds); it is not what these tests are about
    report = run_import(settings, dumps, ImportOptions(progress=False, extract_entities=False))
    return [*report.failed, *report.conflicts], list(report.written)


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    theme = _theme()
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    # a private copy of the theme: the tests edit its CSS and templates
    shutil.copytree(theme, root / "themes" / "newsroom")
    (root / "content" / "raw").mkdir(exist_ok=True)
    # small pages, so an incremental rebuild must pick one page out of a paginated listing
    # search off: the search index is tested once, in test_search_index_follows_an_edit
    (root / "newsarchive.toml").write_text(
        "articles_per_page = 2\nsearch = false\n", encoding="utf-8"
    )
    return root


@pytest.fixture
def real_session(real_project: Path):
    settings = load_settings(real_project)
    lock = threading.RLock()
    builder = SiteBuilder(settings, lock, importer=_quiet_import)
    session = LiveSession(settings, builder, site_lock=lock, poll_timeout=30.0)
    session.builder = builder  # type: ignore[attr-defined]  (tests check its last build)
    assert session.start(initial_build=True), session.hub.failure
    try:
        yield session
    finally:
        session.stop()
