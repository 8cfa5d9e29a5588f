"""The recall rules (foreign names, two-syllable names, speakers, organisations by context):
each one with what it must find and what it must not (Kiwi confirms every shape)."""

from __future__ import annotations

import pytest

from newsarchive.entities import rules
from newsarchive.entities.extract import Extractor
from newsarchive.entities.registry import Registry


def _people(extractor: Extractor, *paragraphs: str) -> dict[str, str | None]:
    result = extractor.extract(title="", paragraphs=list(paragraphs))
    return {p.name: p.role for p in result.people}


def _companies(extractor: Extractor, *paragraphs: str) -> list[str]:
    return extractor.extract(title="", paragraphs=list(paragraphs)).companies


# ------------------------------------------------------------------ foreign names in Hangul


def test_looks_foreign_marks_transliterations_only() -> None:
    assert rules.looks_foreign("크리스천")  # 크: the vowel ㅡ with no final consonant
    assert rules.looks_foreign("소봇카")  # 봇: a final ㅅ
    assert not rules.looks_foreign("김철수")
    assert not rules.looks_foreign("한은정")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            '크리스틴 라가르드 ECB 총재는 "물가가 안정됐다"고 말했다.',
            "크리스틴 라가르드",
            "ECB 총재",
        ),
        (
            "요아힘 나겔 독일 분데스방크 총재는 신중론을 폈다.",
            "요아힘 나겔",
            "독일 분데스방크 총재",
        ),
        ("마르첼로 아본단자 감독은 선수들을 칭찬했다.", "마르첼로 아본단자", "감독"),
        ("리사 수 AMD 최고경영자(CEO)는 신제품을 공개했다.", "리사 수", "AMD 최고경영자(CEO)"),
    ],
)
def test_foreign_name_before_a_role(
    bare_extractor: Extractor, text: str, name: str, role: str
) -> None:
    assert _people(bare_extractor, text) == {name: role}


def test_foreign_name_does_not_leave_its_surname_as_another_person(
    bare_extractor: Extractor,
) -> None:
    people = _people(bare_extractor, "하워드 러트닉 미 상무장관은 관세를 언급했다.")
    assert list(people) == ["하워드 러트닉"]
    people = _people(bare_extractor, "크리스천 소봇카 하만 사장은 시너지를 강조했다.")
    assert list(people) == ["크리스천 소봇카"]  # not 소봇카, not 하만 (the company)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a company, then a Korean name: not one foreign name
        ("에코프로 송호준 대표는 투자 속도를 조절한다.", ["송호준"]),
        # 전 means former, not a surname
        ("김철수 전 장관은 출마하지 않는다.", ["김철수"]),
    ],
)
def test_korean_names_are_not_read_as_foreign_names(
    bare_extractor: Extractor, text: str, expected: list[str]
) -> None:
    assert list(_people(bare_extractor, text)) == expected


# ------------------------------------------------------------------ two-syllable names


def test_two_syllable_name_before_a_strong_title(
    extractor: Extractor, bare_extractor: Extractor
) -> None:
    # (with the registry: 국방부 is a known ministry, not a name before 차관)
    assert _people(extractor, "허정 국방부 차관은 국회에 보고했다.") == {"허정": "국방부 차관"}
    assert _people(bare_extractor, "연구를 이끈 양훈 교수는 결과를 공개했다.") == {"양훈": "교수"}


def test_two_syllable_rule_needs_kiwi_and_a_strong_title(bare_extractor: Extractor) -> None:
    no_kiwi = Extractor(Registry(), use_kiwi=False)
    assert "허정" not in _people(no_kiwi, "허정 국방부 차관은 국회에 보고했다.")
    # 연구원 is not a strong title: two syllables are too often something else
    assert _people(bare_extractor, "허정 연구원은 실험을 했다.") == {}
    # ordinary words before a title are not names
    assert _people(bare_extractor, "지난 사장 회의에서 결정했다. 이번 대표 선출은 미뤄졌다.") == {}


# ------------------------------------------------------------------ names with particles only


def test_quoted_speaker_with_particles_only(bare_extractor: Extractor) -> None:
    people = _people(bare_extractor, '김연경은 "마지막 시즌을 우승으로 끝내 행복하다"고 말했다.')
    assert people == {"김연경": None}


def test_name_repeated_with_particles_only(bare_extractor: Extractor) -> None:
    people = _people(
        bare_extractor, "김하성이 9회 결승타를 쳤다.", "김하성은 이날 4타수 2안타를 기록했다."
    )
    assert people == {"김하성": None}


def test_a_single_mention_without_quote_or_title_is_not_enough(
    bare_extractor: Extractor,
) -> None:
    assert _people(bare_extractor, "김하성이 9회 결승타를 쳤다.") == {}


def test_surname_plus_title_word_is_not_a_speaker(bare_extractor: Extractor) -> None:
    # 정관장 = 정 + 관장 (a team), not a person even when it "says" something
    assert _people(bare_extractor, '정관장은 "다음 시즌을 준비하겠다"고 밝혔다.') == {}


# ------------------------------------------------------------------ English speakers


def test_english_speaker_with_role(bare_extractor: Extractor) -> None:
    text = '"Our customers want choice," said Forrest Norrod, executive vice president of AMD.'
    assert _people(bare_extractor, text) == {"Forrest Norrod": "executive vice president"}
    assert _people(bare_extractor, '"It is done," Tom Bradley said.') == {"Tom Bradley": None}


def test_english_speaker_rule_skips_organisation_words(bare_extractor: Extractor) -> None:
    assert _people(bare_extractor, '"It works," said Samsung Electronics.') == {}


# ------------------------------------------------------------------ organisations by context


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("반도체 기업 AMD가 새 가속기를 공개했다.", "AMD"),
        ("전기차 스타트업 리비안이 공장을 지었다.", "리비안"),
        ("에코프로비엠의 주가는 4% 떨어졌다.", "에코프로비엠"),
        ("LG에너지솔루션은 배터리 스타트업 시온파워에 투자했다.", "시온파워"),
        ("송호준 에코프로 대표는 투자 속도를 조절하겠다고 했다.", "에코프로"),
    ],
)
def test_organisation_without_suffix_by_context(
    bare_extractor: Extractor, text: str, company: str
) -> None:
    assert company in _companies(bare_extractor, text)


def test_organisation_listed_with_a_known_one(extractor: Extractor) -> None:
    assert _companies(extractor, "하이브와 JYP도 신인 그룹을 준비한다.") == ["하이브", "JYP"]
    assert _companies(extractor, "도요타자동차와 혼다는 전망을 낮췄다.") == ["도요타자동차", "혼다"]


@pytest.mark.parametrize(
    "text",
    [
        "헝가리 관계자는 공장 가동이 늦어진다고 했다.",  # a place, not an organisation
        "업계 관계자는 수요가 줄었다고 했다.",  # a common noun
        "정부는 반도체에 투자했다.",  # a common noun as the object of a deal
        "정재훈 고려대 예방의학과 교수는 조언했다.",  # a department is not a company
        "삼성전자와 김철수 씨가 만났다.",  # a person listed with a company
    ],
)
def test_context_words_that_are_not_organisations(bare_extractor: Extractor, text: str) -> None:
    assert _companies(bare_extractor, text) == [] or "삼성전자" in text


def test_affiliation_is_the_whole_word_before_the_title(extractor: Extractor) -> None:
    text = "하정우 네이버클라우드 AI이노베이션센터장은 설명했다."
    assert "클라우드" not in _companies(extractor, text)


def test_department_words_may_stand_between_name_and_title(extractor: Extractor) -> None:
    people = _people(extractor, "정재훈 고려대 예방의학과 교수는 조언했다.")
    assert people == {"정재훈": "고려대 예방의학과 교수"}


def test_headline_comma_is_not_a_listing(extractor: Extractor) -> None:
    # ``삼성전자, 갤럭시 …``: the headline's subject, then the story; 갤럭시 is a product
    assert _companies(extractor, "삼성전자, 갤럭시 AI 번역 기능 확대") == ["삼성전자"]


def test_known_organisation_with_a_glued_title(extractor: Extractor) -> None:
    assert _companies(extractor, "윤영빈 우주항공청장은 평가했다.") == ["우주항공청"]
    # a different word that merely starts with the name is still not a mention
    assert _companies(extractor, "LG전자서비스는 밝혔다.") == []


def test_assembly_committee(bare_extractor: Extractor) -> None:
    assert _companies(bare_extractor, "국회 정보위원회는 보고를 받았다.") == ["정보위원회"]
    # a committee member is a person's title, not the committee
    assert _companies(bare_extractor, "국회 정보위원회위원장이 말했다.") == []


def test_proper_noun_and_latin_run_is_one_organisation(bare_extractor: Extractor) -> None:
    text = "국내 AI 반도체 스타트업 퓨리오사AI가 양산에 들어갔다."
    assert "퓨리오사AI" in _companies(bare_extractor, text)


def test_listing_with_an_organisation_found_by_context(bare_extractor: Extractor) -> None:
    companies = _companies(bare_extractor, "폭스바겐과 스텔란티스의 합병설이 돌았다.")
    assert companies == ["폭스바겐", "스텔란티스"]
    # two places listed together are not organisations
    assert _companies(bare_extractor, "서울과 부산의 합병 논의가 나왔다.") == []


def test_anonymised_people_are_not_names(bare_extractor: Extractor) -> None:
    # 이모(54)씨: a surname + 모 ("a certain"), the way Korean news hides a name
    people = _people(bare_extractor, '건설 현장에서 일하는 이모(54)씨는 "숨이 막힌다"고 했다.')
    assert people == {}
