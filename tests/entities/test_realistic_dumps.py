"""Issue 15's adversarial pass on realistic dumps: districts are no people, English
organisation names carry no article, acronyms of organisations and players named with
their position are found."""

from __future__ import annotations

import pytest

from newsarchive.entities.extract import Extractor
from newsarchive.model import Person

# A local-news story of the kind the adversarial pass used (every rule in one article).
STORY = {
    "title": "종로구, 기후 적응 사업 착수…UNEP 보고서가 계기",
    "paragraphs": [
        "서울 종로구가 기후 적응 사업에 착수한다. 종로구 구청장은 8일 청운동 주민센터에서 "
        "열린 간담회에서 사업 계획을 설명했다.",
        "유엔환경계획(UNEP)은 지난달 낸 보고서에서 도시 열섬 대책을 권고했다. UNEP 사무총장은 "
        '"도시가 먼저 움직여야 한다"고 말했다.',
        "The Asian Development Bank said in a statement that Asian cities must adapt faster.",
        "강원 평창군 대관령면 주민 대표는 비슷한 사업을 요청했다.",
        "한편 이날 구민 체육대회에서는 배지민 세터가 정확한 토스로 공격을 이끌었고, "
        "김광현 투수와 손흥민 공격수도 시민들과 사진을 찍었다.",
    ],
}


def _extract(extractor: Extractor, *paragraphs: str):
    return extractor.extract(title="", paragraphs=list(paragraphs))


@pytest.mark.parametrize("name", ["bare_extractor", "extractor"])
def test_the_story_yields_people_and_organisations_not_districts(
    name: str, request: pytest.FixtureRequest
) -> None:
    extractor: Extractor = request.getfixturevalue(name)
    result = extractor.extract(**STORY)
    people = {p.name: p.role for p in result.people}
    assert {"배지민": "세터", "김광현": "투수", "손흥민": "공격수"}.items() <= people.items()
    assert not {"종로구", "평창군", "청운동", "대관령면"} & set(people)
    assert "UNEP" in result.companies or "유엔환경계획" in result.companies
    assert "Asian Development Bank" in result.companies
    assert not [c for c in result.companies if c.startswith("The ") or "Bank " in c]
    assert not [p for p in people if "Bank" in p]


@pytest.mark.parametrize(
    "text",
    [
        "종로구 구청장은 이날 현장을 찾았다.",
        "홍성군 군수는 예산을 발표했다.",
        "성남시 시의원들은 반대했다.",
        "남구 구청장은 현장을 찾았다.",  # 남: a surname too
        "강원 평창군 대관령면 주민 대표는 반대했다.",
        "경기 성남시 분당구 정자동 주민 대표는 반발했다.",
        "청운동 동장은 주민들을 만났다.",
        "종로구는 이날 대책을 밝혔다. 종로구는 또 예산을 늘렸다.",
    ],
)
def test_a_district_is_never_a_person(bare_extractor: Extractor, text: str) -> None:
    assert _extract(bare_extractor, text).people == []


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("이재동 시장은 이날 회견을 열었다.", Person("이재동", "시장")),  # a mayor named …동
        ("이재동 서울시 부시장은 말했다.", Person("이재동", "서울시 부시장")),
        ("김영동 교수는 이렇게 밝혔다.", Person("김영동", "교수")),
    ],
)
def test_people_whose_names_end_like_districts_are_still_people(
    bare_extractor: Extractor, text: str, person: Person
) -> None:
    assert _extract(bare_extractor, text).people == [person]


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("The Asian Development Bank said growth would slow.", "Asian Development Bank"),
        ("According to The World Bank Group, the outlook is weak.", "World Bank Group"),
        ("A Korea Development Fund report was cited.", "Korea Development Fund"),
        ("It joined the International Monetary Fund in 1955.", "International Monetary Fund"),
    ],
)
def test_an_english_organisation_keeps_just_its_name(
    bare_extractor: Extractor, text: str, company: str
) -> None:
    result = _extract(bare_extractor, text)
    assert result.companies == [company]
    assert result.people == []


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("유엔환경계획(UNEP)은 보고서를 냈다. UNEP는 감축을 권고했다.", "유엔환경계획"),
        ("UNEP는 이날 보고서를 발표했다.", "UNEP"),
        ("UNEP 사무총장은 기후 위기를 경고했다.", "UNEP"),
        ("IMF 총재는 성장률 전망을 낮췄다.", "IMF"),
        ("국제통화기금(IMF)은 전망을 내놨다.", "국제통화기금"),
        ("OECD 회원국 가운데 한국의 순위가 올랐다.", "OECD"),
    ],
)
def test_acronyms_of_organisations_are_found(
    bare_extractor: Extractor, text: str, company: str
) -> None:
    assert _extract(bare_extractor, text).companies == [company]


@pytest.mark.parametrize(
    "text",
    [
        "올해 GDP가 3% 늘 것으로 전망했다.",
        "ESG는 기업의 화두라고 밝혔다.",
        "AI와 ESG가 화두였다. LNG 가격은 내렸다.",
    ],
)
def test_acronyms_of_concepts_are_no_organisations(bare_extractor: Extractor, text: str) -> None:
    assert _extract(bare_extractor, text).companies == []


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("배지민 세터는 이날 정확한 토스로 공격을 이끌었다.", Person("배지민", "세터")),
        ('주전 세터 배지민은 "팀이 하나가 됐다"고 말했다.', Person("배지민", "세터")),
        ("선발로 나선 김광현 투수는 6이닝을 막았다.", Person("김광현", "투수")),
        ("손흥민 공격수는 결승골을 넣었다.", Person("손흥민", "공격수")),
        ("이정후 외야수가 안타를 쳤다.", Person("이정후", "외야수")),
        ("조현우 골키퍼는 선방을 이어갔다.", Person("조현우", "골키퍼")),
        ("김연경 선수와 양효진 미드필더는", Person("김연경", "선수")),
    ],
)
def test_a_player_named_with_a_position_is_found(
    bare_extractor: Extractor, text: str, person: Person
) -> None:
    assert person in _extract(bare_extractor, text).people
