"""Extraction with Kiwi: the seed dump, aliases, exclusions, determinism."""

from __future__ import annotations

import pickle

import pytest

from newsarchive.entities.extract import Extractor
from newsarchive.importer.decode import decode_bytes
from newsarchive.importer.parse import parse_dump
from newsarchive.model import Person

from .conftest import SEED_RAW

SEED_PEOPLE = [
    Person("조주완", "CEO"),
    Person("박형세", "HE사업본부장(사장)"),
    Person("은석현", "VS사업본부장(부사장)"),
    Person("김병훈", "CTO(최고기술책임자, 부사장)"),
    Person("김원범", "CHO(최고인사책임자, 부사장)"),
    Person("이석우", "북미이노베이션센터장(부사장)"),
    Person("한은정", "상무"),
]


def _seed_result(extractor: Extractor):
    decoded = decode_bytes(SEED_RAW.read_bytes())
    parsed = parse_dump(decoded.text, file_name=SEED_RAW.name, encoding=decoded.encoding)
    return extractor.extract(
        title=parsed.title,
        paragraphs=parsed.paragraphs(),
        byline_name=parsed.byline.name if parsed.byline else None,
        outlet=parsed.outlet,
        source=parsed.source,
    )


@pytest.mark.parametrize("which", ["extractor", "bare_extractor"])
def test_seed_people_with_roles_with_and_without_the_registry(
    which: str, request: pytest.FixtureRequest
) -> None:
    result = _seed_result(request.getfixturevalue(which))
    # exactly the seven, in order of first appearance: `조 CEO` adds nobody
    assert result.people == SEED_PEOPLE


def test_seed_companies_and_ms_alias(extractor: Extractor) -> None:
    result = _seed_result(extractor)
    assert result.companies[:2] == ["LG전자", "마이크로소프트"]  # `MS CEO 서밋` comes first
    assert "MS" not in result.companies
    assert {"서던캘리포니아대학교", "뉴욕대학교"} <= set(result.companies)
    assert "시사미래신문" not in result.companies  # the outlet
    assert "인공지능" in result.topics


def test_aliases_resolve_to_the_canonical_name(extractor: Extractor) -> None:
    result = extractor.extract(
        title="엘지전자, 실적 발표",
        paragraphs=["LG Electronics said sales rose. Microsoft와 USC도 언급됐다. 서울대와 KAIST."],
    )
    assert result.companies == [
        "LG전자",
        "마이크로소프트",
        "서던캘리포니아대학교",
        "서울대학교",
        "한국과학기술원",
    ]
    assert result.candidates == []  # all known


def test_parenthesised_acronym_maps_to_the_full_name(bare_extractor: Extractor) -> None:
    result = bare_extractor.extract(
        title="", paragraphs=["서던캘리포니아대학교(USC) 교수가 왔다. USC는 올해 개교 145주년이다."]
    )
    assert result.companies == ["서던캘리포니아대학교"]


def test_byline_and_outlet_are_not_mentions(extractor: Extractor) -> None:
    result = extractor.extract(
        title="정치일보 단독",
        paragraphs=[
            "(서울=정치일보) 조태현 외교부 장관이 워싱턴을 찾았다.",
            "정치일보 취재에 따르면 회담은 길어졌다.",
            "강하린 기자 harin@politics.kr",
        ],
        byline_name="강하린",
        outlet="정치일보",
    )
    assert [p.name for p in result.people] == ["조태현"]
    assert "정치일보" not in result.companies
    assert result.companies == ["외교부"]


def test_reporter_byline_without_byline_field(extractor: Extractor) -> None:
    result = extractor.extract(title="", paragraphs=["본문.", "홍길동 기자 gildong@a.kr"])
    assert result.people == []


def test_source_credit_alone_is_not_a_mention(extractor: Extractor) -> None:
    credit_only = extractor.extract(
        title="신제품 출시", paragraphs=["새 냉장고가 나왔다.", "[출처=LG전자]"], source="LG전자"
    )
    assert credit_only.companies == []
    mentioned = extractor.extract(
        title="신제품 출시",
        paragraphs=["LG전자가 새 냉장고를 냈다.", "[출처=LG전자]"],
        source="LG전자",
    )
    assert mentioned.companies == ["LG전자"]


def test_surname_and_title_refer_back(extractor: Extractor) -> None:
    result = extractor.extract(
        title="",
        paragraphs=["문태석 한결식품 대표는 말했다.", "김 대표와 조 CEO, 문 대표가 만났다."],
    )
    assert [p.name for p in result.people] == ["문태석"]


def test_common_words_before_titles_are_not_people(extractor: Extractor) -> None:
    result = extractor.extract(
        title="",
        paragraphs=[
            "연구자 박사 50여 명과 이사회 의장, 선수들 대표가 참석했다. 한국은 유료 가입자 시장"
        ],
    )
    assert result.people == []


def test_same_input_same_output_and_picklable(extractor: Extractor) -> None:
    kwargs = {
        "title": "LG전자 조주완 CEO",
        "paragraphs": ["삼성전자 전영태 부회장과 SK하이닉스, 한빛투자증권이 참석했다."],
    }
    first = extractor.extract(**kwargs)
    clone = pickle.loads(pickle.dumps(extractor))  # what a worker process receives
    assert clone._by_first is None  # the index is rebuilt, not shipped
    again = clone.extract(**kwargs)
    assert again == first
    assert pickle.loads(pickle.dumps(first)) == first
    assert first.companies == ["LG전자", "삼성전자", "SK하이닉스", "한빛투자증권"]
    assert [(c.kind, c.name) for c in first.candidates] == [
        ("person", "전영태"),
        ("company", "한빛투자증권"),
    ]
