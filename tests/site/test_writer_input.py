"""What writers put in their files is published as they meant it (issue 15, items 3, 5, 12).

Each test builds a copy of the fixture site with one writer's habit in it: a relative link
to another article in the body, an article filed in a year folder without a section, and
several broken files at once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from sitehelpers import BASE_URL, SEED_PATH, copy_fixture

from newsarchive.build import build_site
from newsarchive.checker import check_site
from newsarchive.config import load_settings
from newsarchive.errors import BuildError

pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
SEED_MD = "content/articles/2024/" + SEED_PATH.split("/")[2] + ".md"
OTHER_PATH = "2024/09/항아-축제-개막/"


def _settings(root: Path, **overrides: object):
    return load_settings(root, overrides={"search": False, **overrides})


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_a_relative_link_in_a_body_is_absolute_in_every_feed(tmp_path: Path):
    """Item 3: the link a reader follows from a feed reader goes to the article, and the
    link check (which ``deploy`` runs) passes."""
    root = copy_fixture(tmp_path / "site")
    _append(root / SEED_MD, f"\n[관련 기사](../../../{OTHER_PATH})를 함께 보세요.\n")
    result = build_site(_settings(root), publish=True, site_url=BASE_URL)
    page = BeautifulSoup(
        (result.output_path / SEED_PATH).read_text(encoding="utf-8"), "html.parser"
    )
    assert unquote(page.find("a", string="관련 기사")["href"]) == f"../../../{OTHER_PATH}"
    found = 0
    for feed in result.output_path.rglob("*.atom.xml"):
        for entry in ET.parse(feed).getroot().iter(f"{ATOM}entry"):
            for field in ("content", "summary"):
                html = entry.findtext(f"{ATOM}{field}") or ""
                if "관련 기사" in html:
                    link = BeautifulSoup(html, "html.parser").find("a", string="관련 기사")
                    assert unquote(link["href"]) == f"{BASE_URL}/{OTHER_PATH}", feed
                    found += 1
    assert found >= 1  # the full-text site feed carries the body
    report = check_site(result.output_path, BASE_URL)
    assert report.ok, report.broken[:5]


def test_an_article_without_a_section_is_not_filed_under_its_folder(tmp_path: Path):
    """Item 5: the year folder an article is kept in is no section."""
    root = copy_fixture(tmp_path / "site")
    source = root / SEED_MD
    text = source.read_text(encoding="utf-8")
    assert "\nsection: 경제\n" in text
    source.write_text(text.replace("\nsection: 경제\n", "\n", 1), encoding="utf-8")
    result = build_site(_settings(root))
    out = result.output_path
    assert not (out / "sections" / "2024").exists()
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "2024" not in [a.get_text(strip=True) for a in home.select("nav a")]
    sections = (out / "sections" / "index.html").read_text(encoding="utf-8")
    assert "sections/2024/" not in sections
    assert (out / SEED_PATH).is_file()  # still published, just in no section


def test_several_bad_files_are_listed_in_the_same_order_on_every_run(tmp_path: Path):
    """Item 12: errors are listed by path, whatever order the files were read in."""
    root = copy_fixture(tmp_path / "site")
    names = [
        "2024/항아-축제-개막.md",
        "2023/대학가-ai-인재-양성-경쟁-치열.md",
        "2024/hostile-article.md",
    ]
    for name in names:
        path = root / "content/articles" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("slug: ", "slug: BAD ", 1), encoding="utf-8"
        )
    messages = []
    for run in range(2):
        settings = _settings(root, output_dir=f"out-{run}")
        with pytest.raises(BuildError) as caught:
            build_site(settings)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    listed = [line.strip() for line in messages[0].splitlines()[1:]]
    assert len(listed) == 3
    assert listed == sorted(listed)
