"""The fixture site, built once per test session (development and publish builds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitehelpers import BASE_URL, PER_PAGE, Built, copy_fixture

from newsarchive.build import build_site
from newsarchive.config import load_settings

# small pages, so that the fixture has paginated listings and entities with pages by year;
# every kind of feed (entity feeds are off by default)
PAGING = {
    "articles_per_page": PER_PAGE,
    "entity_articles_per_page": PER_PAGE,
    "entity_feeds": True,
}


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture(tmp_path_factory.mktemp("fixture") / "site")


@pytest.fixture(scope="session")
def dev_site(site_root: Path) -> Built:
    settings = load_settings(site_root, overrides={**PAGING, "search": False})
    return Built(settings, build_site(settings))


@pytest.fixture(scope="session")
def pub_site(site_root: Path) -> Built:
    settings = load_settings(
        site_root,
        overrides={**PAGING, "output_dir": "output-publish", "search": False},
    )
    return Built(settings, build_site(settings, publish=True, site_url=BASE_URL))
