"""One article file read by every build path: bounded input, whole dates, composed Hangul."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from newsarchive.document import load_article, parse_article
from newsarchive.errors import FrontMatterError

MAX_FILE_BYTES = 2 * 1024 * 1024  # the bounds the messages name
MAX_FRONT_MATTER_BYTES = 64 * 1024

GOOD_HEAD = """---
title: 광장에 모인 시민들
date: 2024-06-08
section: 사회
slug: 광장에-모인-시민들
"""

# 570 bytes: ten values, nested nine times through aliases, are 10**10 values to anything
# that walks the loaded mapping (a repr, a digest, a template).
ALIAS_BOMB = "\n".join(
    ["extra0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    + [f"extra{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
)


def _write(tmp_path: Path, text: str, name: str = "article.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_alias_bomb_fails_its_file_naming_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_HEAD + ALIAS_BOMB + "\n---\n\n본문.\n")
    assert path.stat().st_size < 800
    with pytest.raises(FrontMatterError) as caught:
        parse_article(path)
    # the anchor on the first line of the bomb: line 6 of the file
    assert caught.value.path == path and caught.value.line == 6
    assert str(caught.value).startswith(f"{path}:6: front matter uses the YAML anchor &a0")
    assert "not allowed" in caught.value.message


def test_a_lone_alias_is_refused_too(tmp_path: Path) -> None:
    head = GOOD_HEAD + "people:\n- name: 조주완\n  role: &r CEO\ncompanies:\n- *r\n"
    with pytest.raises(FrontMatterError, match=r"anchor &r") as caught:
        load_article(_write(tmp_path, head + "---\n\n본문.\n"))
    assert caught.value.line == 8


def test_ampersands_and_stars_in_text_are_no_anchors(tmp_path: Path) -> None:
    head = GOOD_HEAD.replace("광장에 모인 시민들", "'R&D *강조* & 별*'") + "topics:\n- '&아님'\n"
    article, body = load_article(_write(tmp_path, head + "---\n\n*본문* & 끝.\n"))
    assert article.title == "R&D *강조* & 별*" and article.topics == ("&아님",)
    assert body.strip() == "*본문* & 끝."


def test_a_huge_front_matter_is_refused_before_yaml_reads_it(tmp_path: Path) -> None:
    items = "".join(f"- 주제 {i}\n" for i in range(MAX_FRONT_MATTER_BYTES // 10))
    path = _write(tmp_path, GOOD_HEAD + "topics:\n" + items + "---\n\n본문.\n")
    with pytest.raises(FrontMatterError) as caught:
        load_article(path)
    assert caught.value.path == path and caught.value.line == 1
    assert "front matter is longer than 64 KiB (65,536 bytes)" in caught.value.message


def test_an_unclosed_front_matter_stops_at_the_bound(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD_HEAD + "x: y\n" * 20_000)  # never closed
    with pytest.raises(FrontMatterError, match="longer than 64 KiB"):
        load_article(path)


def test_a_file_over_the_size_bound_is_refused(tmp_path: Path) -> None:
    body = ("가" * 99 + "\n") * (MAX_FILE_BYTES // 298 + 1)
    path = _write(tmp_path, GOOD_HEAD + "---\n\n" + body)
    assert path.stat().st_size > MAX_FILE_BYTES
    with pytest.raises(FrontMatterError) as caught:
        load_article(path)
    assert caught.value.path == path
    assert "larger than 2 MiB (2,097,152 bytes)" in caught.value.message
    # the same bytes handed over by the build's fast path
    with pytest.raises(FrontMatterError, match="larger than 2 MiB"):
        parse_article(path, path.read_bytes())


@pytest.mark.parametrize(
    "value",
    [
        "'2024-03-01은 아님'",
        "'2024-03-01x'",
        "'2024-03-0'",
        "'2024-02-30'",
        "'20240301'",
        "'2024-03-01 아침'",
    ],
)
def test_a_date_must_be_a_whole_date(tmp_path: Path, value: str) -> None:
    head = GOOD_HEAD.replace("date: 2024-06-08", f"date: {value}")
    with pytest.raises(FrontMatterError) as caught:
        load_article(_write(tmp_path, head + "---\n\n본문.\n"))
    assert caught.value.line == 3
    assert "front matter field 'date' must be a date such as 2024-06-08" in caught.value.message
    assert value in caught.value.message


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2024-03-01", 1),
        ("'2024-03-01'", 1),
        ("2024-03-01 23:30:00", 1),  # a YAML timestamp
        ("'2024-03-01T23:30:00+09:00'", 1),
        ("'2024-03-02 08:00'", 2),
        ("'2024-03-02T08:00Z'", 2),
    ],
)
def test_whole_dates_and_datetimes_are_read(tmp_path: Path, value: str, day: int) -> None:
    head = GOOD_HEAD.replace("date: 2024-06-08", f"date: {value}")
    article, _ = load_article(_write(tmp_path, head + "---\n\n본문.\n"))
    assert (article.date.year, article.date.month, article.date.day) == (2024, 3, day)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


NFD_ARTICLE = nfd(
    """---
title: 광장에 모인 시민들
date: 2024-06-08
section: 사회
people:
- name: 조주완
  role: 대표이사
companies:
- 엘지전자
topics:
- 인공지능
slug: 광장에-모인-시민들
---

시민들이 광장에 모였다. 조주완 대표가 말했다.
"""
)


def test_decomposed_hangul_is_read_composed(tmp_path: Path) -> None:
    path = _write(tmp_path, NFD_ARTICLE)
    assert "\u1100" in path.read_text(encoding="utf-8")  # the file really is NFD
    parsed = parse_article(path)
    article = parsed.article
    assert article.title == "광장에 모인 시민들"
    assert article.slug == "광장에-모인-시민들"
    assert (article.people[0].name, article.people[0].role) == ("조주완", "대표이사")
    assert (article.companies, article.topics, article.section) == (
        ("엘지전자",),
        ("인공지능",),
        "사회",
    )
    assert parsed.content == "<p>시민들이 광장에 모였다. 조주완 대표가 말했다.</p>\n"


def test_an_invalid_slug_is_shown_by_code_point(tmp_path: Path) -> None:
    # a lone jamo does not compose: NFC cannot save this slug, the writer must
    head = GOOD_HEAD.replace("slug: 광장에-모인-시민들", "slug: 광장\u1100-시민")
    with pytest.raises(FrontMatterError) as caught:
        load_article(_write(tmp_path, head + "---\n\n본문.\n"))
    message = caught.value.message
    assert caught.value.line == 5
    assert "'광장\\u1100-시민'" in message and "\u1100" not in message
    assert "U+1100 HANGUL CHOSEONG KIYEOK" in message
    assert "decomposed Hangul (NFD jamo): save the file as NFC" in message


def _minimal_project(root: Path, articles: dict[str, str]) -> Path:
    folder = root / "content" / "articles" / "2024"
    folder.mkdir(parents=True)
    (root / "content" / "pages").mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    (root / "newsarchive.toml").write_text("search = false\nbuild_jobs = 1\n", encoding="utf-8")
    return root


def test_a_site_built_from_decomposed_files_is_published_composed(tmp_path: Path) -> None:
    from newsarchive.build import build_site
    from newsarchive.config import load_settings

    root = _minimal_project(tmp_path / "site", {"광장에-모인-시민들.md": NFD_ARTICLE})
    result = build_site(load_settings(root))
    page = result.output_path / "2024" / "06" / "광장에-모인-시민들" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text(strip=True) == "광장에 모인 시민들"
    assert "시민들이 광장에 모였다." in soup.get_text()
    decomposed = [
        p.relative_to(result.output_path).as_posix()
        for p in result.output_path.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".xml", ".json")
        and any(0x1100 <= ord(ch) <= 0x11FF for ch in p.read_text(encoding="utf-8"))
    ]
    assert decomposed == []


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    limit = 3 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_build_with_an_alias_bomb_fails_naming_the_file(tmp_path: Path) -> None:
    """The whole command, in a child bounded in memory and time: before the bound, this
    file took the build past 2.6 GB and rising."""
    good = GOOD_HEAD + "---\n\n본문.\n"
    bomb = GOOD_HEAD.replace("광장에", "폭탄") + ALIAS_BOMB + "\n---\n\n폭탄.\n"
    root = _minimal_project(tmp_path / "site", {"good.md": good, "bomb.md": bomb})
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "build", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_memory,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "content/articles/2024/bomb.md:6: front matter uses the YAML anchor &a0" in result.stderr
