"""``status: draft``: a writer's draft is shown, marked, in development builds (``make
html``, ``serve``) and is nowhere in a publish build."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitehelpers import BASE_URL, copy_fixture

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.errors import FrontMatterError

DRAFT = "content/articles/2024/apple-wwdc에서-ai-기능-공개.md"
DRAFT_PAGE = "2024/06/apple-wwdc에서-ai-기능-공개/index.html"
TITLE = "Apple, WWDC에서 AI 기능 공개"


def _draft_site(tmp_path: Path, status: str = "draft") -> Path:
    root = copy_fixture(tmp_path / "site")
    article = root / DRAFT
    article.write_text(
        article.read_text(encoding="utf-8").replace("---\n", f"---\nstatus: {status}\n", 1),
        encoding="utf-8",
    )
    return root


def _everything(output: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in output.rglob("*") if p.is_file()
    )


def test_a_draft_is_shown_marked_in_development_builds(tmp_path: Path):
    root = _draft_site(tmp_path)
    settings = load_settings(root, overrides={"search": False})
    build_site(settings)
    page = BeautifulSoup((settings.output_path / DRAFT_PAGE).read_text("utf-8"), "html.parser")
    assert "초안" in page.select_one(".draft-note").get_text()
    home = BeautifulSoup((settings.output_path / "index.html").read_text("utf-8"), "html.parser")
    item = next(li for li in home.select(".article-list li") if TITLE in li.get_text())
    assert item.select_one(".draft-badge") is not None


def test_a_draft_is_nowhere_in_a_publish_build(tmp_path: Path):
    root = _draft_site(tmp_path)
    settings = load_settings(root, overrides={"search": False})
    build_site(settings, publish=True, site_url=BASE_URL)
    assert not (settings.output_path / DRAFT_PAGE).exists()
    assert TITLE not in _everything(settings.output_path)  # no listing, feed, sitemap
    # publishing it: a plain edit of the front matter brings it everywhere
    article = root / DRAFT
    article.write_text(article.read_text("utf-8").replace("status: draft\n", ""), "utf-8")
    build_site(settings, publish=True, site_url=BASE_URL)
    assert (settings.output_path / DRAFT_PAGE).exists()
    assert "draft" not in (settings.output_path / DRAFT_PAGE).read_text("utf-8")


def test_an_unknown_status_is_an_error_naming_the_file(tmp_path: Path):
    root = _draft_site(tmp_path, status="scheduled")
    with pytest.raises(FrontMatterError, match="'status' must be one of published, draft"):
        build_site(load_settings(root, overrides={"search": False}))
