"""``newsarchive entities``: --list, --suggest, --accept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsarchive.cli import main
from newsarchive.entities.registry import load_registry

from .conftest import SEED_RAW

REGISTRY = """\
# Editors' notes: keep this comment.
people:
  - name: 조주완   # the CEO
    slug: cho-joo-wan

companies:
    - name: LG전자
      aliases: [LG]
    # more to come

topics: []
"""

ARTICLE = """\
---
title: {title}
date: '2024-06-0{day}'
people:
{people}
companies: [{companies}]
topics: []
slug: a{day}
---

{body}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content" / "articles" / "2024").mkdir(parents=True)
    (tmp_path / "content" / "entities.yaml").write_text(REGISTRY, encoding="utf-8")
    articles = [
        ("첫 기사", "- {name: 조주완, role: CEO}\n- {name: 문태석, role: 대표}", "LG전자, 한결식품",
         "문태석 한결식품 대표는 수출을 늘리겠다고 말했다\\."),
        ("둘째 기사", "- 문태석", "한결식품, 한빛투자증권", "한빛투자증권이 한결식품 상장을 맡았다\\."),
        ("셋째 기사", "- 배윤서", "", "배윤서 원내대표가 말했다\\."),
    ]  # fmt: skip
    for day, (title, people, companies, body) in enumerate(articles, start=1):
        text = ARTICLE.format(title=title, day=day, people=people, companies=companies, body=body)
        (tmp_path / "content" / "articles" / "2024" / f"a{day}.md").write_text(
            text, encoding="utf-8"
        )
    return tmp_path


def _run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["entities", "--root", str(project), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_suggest_from_articles(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(project, capsys, "--suggest")
    assert code == 0
    assert out.splitlines() == [
        "2\tcompany\t한결식품\t문태석 한결식품 대표는 수출을 늘리겠다고 말했다.",
        "2\tperson\t문태석\t문태석 한결식품 대표는 수출을 늘리겠다고 말했다.",
        "1\tcompany\t한빛투자증권\t한빛투자증권이 한결식품 상장을 맡았다.",
        "1\tperson\t배윤서\t배윤서 원내대표가 말했다.",
    ]
    code, out, _ = _run(project, capsys, "--suggest", "--min-count", "2", "--limit", "1")
    assert out.splitlines() == [
        "2\tcompany\t한결식품\t문태석 한결식품 대표는 수출을 늘리겠다고 말했다."
    ]


def test_suggest_from_a_raw_dump(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(project, capsys, "--suggest", str(SEED_RAW))
    assert code == 0
    lines = [line.split("\t") for line in out.splitlines()]
    names = [(count, kind, name) for count, kind, name, _context in lines]
    # this small registry knows 조주완 and LG전자 only: the other people are suggested
    assert ("1", "person", "은석현") in names and ("1", "person", "김원범") in names
    assert all(name not in ("조주완", "LG전자", "시사미래신문") for _c, _k, name in names)
    assert names == sorted(names, key=lambda n: (-int(n[0]), n[1], n[2]))


def test_accept_appends_keeps_comments_and_is_atomic(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "content" / "entities.yaml"
    code, out, _ = _run(
        project, capsys, "--accept", "한결식품", "--kind", "company", "--alias", "Hangyeol Foods"
    )
    assert code == 0 and "한결식품" in out
    code, _, _ = _run(
        project, capsys, "--accept", "문태석", "--kind", "person", "--slug", "moon-tae-seok"
    )
    assert code == 0
    code, _, _ = _run(project, capsys, "--accept", "수출", "--kind", "topic")
    assert code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# Editors' notes: keep this comment.\npeople:\n  - name: 조주완   # the CEO\n"
    )
    assert "    # more to come\n" in text
    # the new company follows the section's own indentation
    assert (
        '    - name: "한결식품"\n      slug: "한결식품"\n      aliases: ["Hangyeol Foods"]\n'
        in text
    )
    registry = load_registry(path)
    assert registry.canonical_name("company", "Hangyeol Foods") == "한결식품"
    assert registry.resolve("person", "문태석").slug == "moon-tae-seok"
    assert registry.resolve("topic", "수출") is not None
    assert [p.name for p in project.joinpath("content").iterdir() if p.name.startswith(".")] == []


def test_accept_refuses_known_names_and_taken_slugs(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "content" / "entities.yaml"
    before = path.read_bytes()
    code, _, err = _run(project, capsys, "--accept", "LG", "--kind", "company")
    assert code == 1 and "already in the registry as 'LG전자'" in err
    code, _, err = _run(
        project, capsys, "--accept", "조주완2", "--kind", "person", "--slug", "cho-joo-wan"
    )
    assert code == 1 and "slug 'cho-joo-wan' is taken" in err
    code, _, err = _run(project, capsys, "--accept", "누군가")
    assert code == 1 and "--kind" in err
    assert path.read_bytes() == before


def test_accept_keeps_the_old_file_when_the_write_fails(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = project / "content" / "entities.yaml"
    before = path.read_bytes()

    def boom(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        main(["entities", "--root", str(project), "--accept", "한결식품", "--kind", "company"])
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["articles", "entities.yaml"]


def test_list(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(project, capsys, "--list")
    assert code == 0
    assert out.splitlines() == ["person\tcho-joo-wan\t조주완", "company\tlg전자\tLG전자  (LG)"]
