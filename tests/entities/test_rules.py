"""Rules without Kiwi: boundaries, credits, name + title shapes."""

from __future__ import annotations

import unicodedata

import pytest

from newsarchive.entities import rules
from newsarchive.entities.extract import Extractor
from newsarchive.entities.registry import parse_registry


@pytest.mark.parametrize(
    ("text", "end", "name", "expected"),
    [
        ("LG전자가 밝혔다", 4, "LG전자", True),
        ("LG전자에서는", 4, "LG전자", True),
        ("LG전자서비스는", 4, "LG전자", False),
        ("MS와 협력", 2, "MS", True),
        ("MSCI 지수", 2, "MS", False),
        ("MS, 구글", 2, "MS", True),
    ],
)
def test_right_boundary(text: str, end: int, name: str, expected: bool) -> None:
    assert rules.right_boundary(text, end, name) is expected


def test_registry_names_match_with_explicit_boundaries_not_backslash_b() -> None:
    registry = parse_registry(
        {
            "companies": [
                {"name": "LG전자", "aliases": ["LG"]},
                {"name": "마이크로소프트", "aliases": ["MS"]},
            ]
        }
    )
    ex = Extractor(registry, use_kiwi=False)
    found = ex.extract(
        title="", paragraphs=["LG전자가 MS와 손잡았다. LG전자서비스와 MSCI, 그리고 Ms. Kim."]
    )
    assert found.companies == ["LG전자", "마이크로소프트"]
    # no false hit inside longer words or on a lower-case "Ms"
    nothing = ex.extract(title="", paragraphs=["LG전자서비스와 MSCI 지수, Ms. Kim"])
    assert nothing.companies == []


def test_decomposed_hangul_is_normalised_first() -> None:
    registry = parse_registry({"companies": [{"name": "LG전자"}]})
    ex = Extractor(registry, use_kiwi=False)
    nfd = unicodedata.normalize("NFD", "LG전자는 신제품을 냈다")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert ex.extract(title="", paragraphs=[nfd]).companies == ["LG전자"]


def test_credits_bylines_and_datelines_are_blanked() -> None:
    text, bylines = rules.strip_credits(
        "(시사미래신문) 본문입니다. 홍길동 기자 hong@sisa.kr [출처=LG전자] (사진=삼성전자)",
        "시사미래신문",
    )
    assert "시사미래신문" not in text and "LG전자" not in text and "삼성전자" not in text
    assert "홍길동" not in text and "본문입니다" in text
    assert bylines == ["홍길동"]
    _, bracketed = rules.strip_credits("[경제투데이 한도윤 기자]", None)
    assert bracketed == ["한도윤"]
    dated, _ = rules.strip_credits("(서울=연합뉴스) 기사", None)
    assert dated.strip() == "기사"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("박형세 HE사업본부장(사장)과", [("박형세", "HE사업본부장(사장)")]),
        ("김병훈 CTO(최고기술책임자, 부사장), 다음", [("김병훈", "CTO(최고기술책임자, 부사장)")]),
        ("한은정 상무가", [("한은정", "상무")]),
        ("조주완 LG전자 CEO는", [("조주완", "LG전자 CEO")]),
        ("대표이사 조주완은 말했다", [("조주완", "대표이사")]),
        ("피해자 박성민(41)씨는", [("박성민", None)]),
        ("김철수 전 장관은", [("김철수", "전 장관")]),
        ("남궁민혁 연구원은", [("남궁민혁", "연구원")]),
        ("제이슨 권 오픈AI 최고전략책임자(CSO)는", [("제이슨 권", "오픈AI 최고전략책임자(CSO)")]),
        # surname + title: a back-reference, never a name
        ("조 CEO는", []),
        ("김 대표는", []),
        ("끝으로 조 CEO는", []),
        # a title word glued to more letters is not a title
        ("김철수 교수진은", []),
        # common words shaped like names
        ("신임 대표는", []),
        ("이번 사장은", []),
    ],
)
def test_name_title_shapes(text: str, expected: list[tuple[str, str | None]]) -> None:
    hits = rules.drop_nested(rules.name_title_hits(text))
    assert [(h.name, h.role) for h in hits] == expected


def test_the_name_nearest_the_title_wins() -> None:
    hits = rules.drop_nested(rules.name_title_hits("민주당 한지석 원내대표는"))
    assert [(h.name, h.role) for h in hits] == [("한지석", "원내대표")]
