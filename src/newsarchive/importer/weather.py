"""The weather box printed at the top of each page: ``  • 흐림동두천 22.8℃``.

The page glues the KMA condition to the station name (the icon's alt text followed by the
label), and shows no condition at all when only an icon was drawn (``서울`` on the seed).
Conditions are split off by longest-prefix match against the KMA vocabulary, but never when
the whole label is a known station name or when nothing would remain; an unknown station is
kept as it is.
"""

from __future__ import annotations

import re

from newsarchive.model import Station

# KMA (기상청) sky / precipitation wording as printed by Korean news sites.
CONDITIONS: tuple[str, ...] = tuple(
    sorted(
        {
            "맑음", "구름조금", "구름많음", "흐림", "비", "눈", "비/눈", "눈/비", "비 또는 눈",
            "눈 또는 비", "소나기", "빗방울", "눈날림", "빗방울/눈날림", "눈날림/빗방울",
            "흐리고 비", "흐리고 눈", "흐리고 비/눈", "흐리고 눈/비", "흐리고 소나기",
            "구름많고 비", "구름많고 눈", "구름많고 비/눈", "구름많고 눈/비", "구름많고 소나기",
            "약한비", "강한비", "약한눈", "강한눈", "진눈깨비", "천둥번개", "뇌우", "안개",
            "박무", "연무", "황사", "가끔 비", "한때 비", "가끔 눈", "한때 눈", "소낙눈",
        },
        key=lambda c: (-len(c), c),
    )
)  # fmt: skip

# KMA ASOS stations that news sites show; a name found here is never split.
KNOWN_STATIONS: frozenset[str] = frozenset(
    """서울 인천 수원 동두천 파주 강화 양평 이천 춘천 원주 강릉 북강릉 속초 철원 홍천 인제
    대관령 태백 동해 영월 정선군 청주 충주 제천 보은 추풍령 대전 세종 천안 서산 보령 부여
    금산 홍성 전주 군산 정읍 남원 임실 장수 고창 부안 광주 목포 여수 순천 완도 진도군 해남
    고흥 장흥 강진군 보성군 광양시 흑산도 대구 안동 포항 울진 영주 문경 상주 구미 영천 의성
    봉화 영덕 청송군 경주시 부산 울산 창원 북창원 통영 진주 거제 남해 밀양 산청 합천 거창
    양산시 김해시 의령군 함양군 제주 서귀포 성산 고산 백령도 울릉도""".split()  # noqa: SIM905 - a word list reads best as words
)

# Bullet (•, ·, ∙, ・, ●, ○, ▪, -, *), label, temperature, unit. U+2212 minus is accepted.
STATION_LINE = re.compile(
    r"^[ \t\u00a0\u3000]*[•·∙・●○▪■\-\*]?[ \t\u00a0\u3000]*"
    r"(?P<label>[^\d\s+\-−][^\d+\-−]*?)[ \t\u00a0\u3000]*"
    r"(?P<temp>[-−+]?\d{1,2}(?:\.\d+)?)[ \t\u00a0\u3000]*(?:℃|°C|°|도)[ \t\u00a0\u3000]*$"
)
PROVIDER_LINE = re.compile(r"^\s*(?P<provider>\S{1,20}?)\s*제공\s*$")


def split_label(label: str) -> tuple[str | None, str]:
    """``"흐림동두천"`` -> ``("흐림", "동두천")``; ``"서울"`` -> ``(None, "서울")``."""
    label = " ".join(label.split())
    if label in KNOWN_STATIONS:
        return None, label
    for condition in CONDITIONS:
        if label.startswith(condition):
            rest = label[len(condition) :].strip()
            if rest:
                return condition, rest
        if label.endswith(condition):  # "동두천 흐림": station first
            rest = label[: -len(condition)].strip()
            if rest in KNOWN_STATIONS:
                return condition, rest
    return None, label


def parse_station(line: str) -> Station | None:
    """A station line as a :class:`Station`, or None when the line is not one."""
    match = STATION_LINE.match(line)
    if match is None:
        return None
    condition, name = split_label(match["label"])
    if not name or len(name) > 20:
        return None
    temp = float(match["temp"].replace("−", "-"))
    return Station(name=name, temp_c=temp, condition=condition)
