"""Korean administrative names (``종로구``, ``평창군``, ``성남시``, ``청운동``): places, not people.

A district's name has the shape of a person's (``종로구``: the surname 종 and two syllables)
and Kiwi tags both as one proper noun (``종로구`` and ``이재동`` alike), so the text around
the word decides. A word that ends with an administrative unit (도, 시, 군, 구, 읍, 면, 동, 리)
is a place when:

- its own office, council or residents follow it (``종로구 구청장``, ``홍성군 군수``,
  ``청운동 주민센터``; not ``이재동 시장``: 시장 is a city's office, 이재동 a person);
- a smaller administrative unit, or a word about an area, follows it (``평창군 대관령면``,
  ``정자동 주민 대표``, ``분당구 일대``; not ``이재동 서울시 부시장``: a city is no part of a
  neighbourhood, so 서울시 is 이재동's affiliation);
- a province or metropolitan city comes right before a city, county or district
  (``서울 종로구``, ``경기 성남시``, ``강원 평창군``): the 17 top-level units are listed in
  full, short and long forms.

A person whose name ends like a district (김영구, 이재동) in one of these contexts is
missed unless the registry names them: the registry is matched before any rule.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (as in :mod:`.rules`)."""
    return frozenset(text.split())


# unit -> words for its own office, council, officials and residents
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "도": ("도지사", "부지사", "도의원", "도의회", "도민", "도청", "도정"),
    "시": ("시장", "부시장", "시의원", "시의회", "시민", "시청", "시정"),
    "군": ("군수", "부군수", "군의원", "군의회", "군민", "군청", "군정"),
    "구": ("구청장", "부구청장", "구의원", "구의회", "구민", "구청", "구정"),
    "읍": ("읍장", "읍민", "읍사무소"),
    "면": ("면장", "면민", "면사무소"),
    "동": ("동장", "동민", "주민센터", "행정복지센터"),
    "리": ("이장", "리장", "마을"),
}
UNITS = frozenset(UNIT_WORDS)
# How large a unit is: a province holds cities, a city districts, a district neighbourhoods.
RANK = {"도": 0, "시": 1, "군": 2, "구": 2, "읍": 3, "면": 3, "동": 3, "리": 4}
# Words that follow a place: its residents, its area.
AREA_WORDS = ("주민", "일대", "일원", "지역", "관내", "소재", "인근", "주변")
# The 17 top-level units, short and long forms.
REGIONS = _words(
    """
    서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주
    서울시 부산시 대구시 인천시 광주시 대전시 울산시 세종시 경기도 강원도 충청북도 충청남도
    전라북도 전라남도 경상북도 경상남도 제주도 서울특별시 부산광역시 대구광역시 인천광역시
    광주광역시 대전광역시 울산광역시 세종특별자치시 강원특별자치도 전북특별자치도
    제주특별자치도
    """
)
_WORD_RE = re.compile(r"[0-9A-Za-z가-힣]+")
_ADMIN_WORD_RE = re.compile(r"[가-힣]{2,5}[도시군구읍면동리]")


def _word_before(text: str, start: int) -> str:
    """The whole word ending right before *start* (after one run of spaces), or ''."""
    end = start
    while end > 0 and text[end - 1] == " ":
        end -= 1
    if end == start:
        return ""
    begin = end
    while begin > 0 and _WORD_RE.match(text[begin - 1]):
        begin -= 1
    return text[begin:end]


def _words_after(text: str, end: int) -> str:
    return text[end:].lstrip(" ")


def is_place(text: str, start: int, end: int) -> bool:
    """Is ``text[start:end]`` (a name-shaped word) an administrative name, by its context?"""
    name = text[start:end]
    unit = name[-1:]
    if unit not in UNITS or len(name) < 2:
        return False
    after = _words_after(text, end)
    if after.startswith(UNIT_WORDS[unit]) or after.startswith(AREA_WORDS):
        return True
    following = _WORD_RE.match(after)
    smaller = following and _ADMIN_WORD_RE.fullmatch(following.group(0))
    if smaller and RANK[smaller.group(0)[-1]] > RANK[unit]:  # 평창군 대관령면, 종로구 청운동
        return True
    return unit in "시군구" and _word_before(text, start) in REGIONS
