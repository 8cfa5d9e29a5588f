"""The page layout of a dump: header, weather, section, headline, body, metadata lines."""

from __future__ import annotations

import datetime as dt

import pytest

from newsarchive.importer.errors import DumpError
from newsarchive.importer.parse import Block, parse_dump
from newsarchive.importer.weather import parse_station, split_label
from newsarchive.model import Byline


def page(
    body: str, *, header: str = "2024.06.08 (토)\n\n  • 흐림동두천 22.8℃\n기상청 제공\n"
) -> str:
    return f"{header}\n경제\n\n제목입니다\n\nURL복사\n\n{body}\n\n배너\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  • 흐림동두천 22.8℃", ("동두천", "흐림", 22.8)),
        ("  • 서울 24.1℃", ("서울", None, 24.1)),
        ("  · 구름조금울산 20.9℃", ("울산", "구름조금", 20.9)),
        ("  • 비/눈철원 -0.5℃", ("철원", "비/눈", -0.5)),
        ("  • 눈/비대관령 −3.0℃", ("대관령", "눈/비", -3.0)),  # U+2212 minus
        ("  • 소나기제주 27℃", ("제주", "소나기", 27.0)),
        ("  • 흐리고 비 광주 18.2℃", ("광주", "흐리고 비", 18.2)),
        ("  • 맑음 가상관측소 1.0℃", ("가상관측소", "맑음", 1.0)),  # unknown station kept
        ("  • 미지의관측소 5.5℃", ("미지의관측소", None, 5.5)),
        ("  • 동두천 흐림 22.8°C", ("동두천", "흐림", 22.8)),
    ],
)
def test_station_lines(line: str, expected: tuple[str, str | None, float]) -> None:
    station = parse_station(line)
    assert station is not None
    assert (station.name, station.condition, station.temp_c) == expected


def test_known_station_names_are_never_split() -> None:
    assert split_label("강진군") == (None, "강진군")
    assert split_label("비") == (None, "비")  # nothing would remain: not a split


def test_prose_is_not_a_station_line() -> None:
    assert parse_station("기온은 영하 5도까지 떨어졌다 3℃") is None
    assert parse_station("2024.06.08 (토)") is None


def test_no_weather_block() -> None:
    parsed = parse_dump("2023.12.01 (금)\n\n정치\n\n국회 본회의 개최\n\nURL복사\n\n본문이다.\n")
    assert parsed.weather is None
    assert (parsed.date, parsed.section, parsed.title) == (
        dt.date(2023, 12, 1),
        "정치",
        "국회 본회의 개최",
    )
    assert parsed.blocks == (Block("paragraph", ("본문이다.",)),)


def test_byline_and_copyright_lines_leave_the_body() -> None:
    parsed = parse_dump(
        page(
            "첫 문단.\n\n둘째 문단.\n\n홍길동 기자 hong@sisafuture.example.com\n\n"
            "<저작권자 © 시사미래신문 무단전재 및 재배포 금지>\n\nCopyright © 2024 All rights reserved."
        )
    )
    assert parsed.byline == Byline("홍길동", "hong@sisafuture.example.com")
    assert parsed.paragraphs() == ["첫 문단.", "둘째 문단."]


def test_byline_without_email_and_bracketed_dateline() -> None:
    parsed = parse_dump(page("[시사미래신문=김철수 기자] 첫 문단이다.\n\n둘째."))
    assert parsed.byline == Byline("김철수")
    assert parsed.outlet == "시사미래신문"
    assert parsed.paragraphs()[0] == "첫 문단이다."


def test_city_dateline_names_the_outlet() -> None:
    parsed = parse_dump(page("(서울=시사미래신문) 첫 문단이다.\n\n(주)LG는 둘째."))
    assert parsed.outlet == "시사미래신문"
    assert parsed.paragraphs() == ["첫 문단이다.", "(주)LG는 둘째."]


@pytest.mark.parametrize("first", ["(주)LG전자는 발표했다.", "(사진=LG전자) 조 CEO가 말했다."])
def test_company_prefix_or_credit_is_not_a_dateline(first: str) -> None:
    parsed = parse_dump(page(f"{first}\n\n둘째."))
    assert parsed.outlet is None
    assert parsed.paragraphs()[0] == first


def test_photo_caption_and_bullet_list() -> None:
    parsed = parse_dump(
        page(
            "▲ 조주완 LG전자 CEO가 발표하고 있다 (사진=LG전자)\n\n"
            "주요 일정은 다음과 같다.\n\n▲AI 인재 확보\n▲투자자 설명회\n\n▲MS CEO 서밋\n\n"
            "성장 ▲B2B ▲구독 등이 핵심이다.\n\n[출처=LG전자]"
        )
    )
    assert parsed.blocks == (
        Block("caption", ("조주완 LG전자 CEO가 발표하고 있다 (사진=LG전자)",)),
        Block("paragraph", ("주요 일정은 다음과 같다.",)),
        Block("list", ("AI 인재 확보", "투자자 설명회", "MS CEO 서밋")),
        Block("paragraph", ("성장 ▲B2B ▲구독 등이 핵심이다.",)),
    )
    assert parsed.source == "LG전자"


def test_source_credit_at_the_end_of_a_paragraph() -> None:
    parsed = parse_dump(page("마지막 문단이다. [출처=연합뉴스]"))
    assert parsed.source == "연합뉴스"
    assert parsed.paragraphs() == ["마지막 문단이다."]


def test_section_and_headline_without_url_copy_line() -> None:
    parsed = parse_dump("2024.03.02 (토)\n\n문화\n\n전시회 개막\n\n첫 문단.\n")
    assert (parsed.section, parsed.title, parsed.paragraphs()) == (
        "문화",
        "전시회 개막",
        ["첫 문단."],
    )


def test_date_falls_back_to_the_published_line_then_the_file_name() -> None:
    parsed = parse_dump("사회\n\n제목\n\n입력 2022.11.03 10:30\n\n본문.\n")
    assert (parsed.date, parsed.date_source) == (dt.date(2022, 11, 3), "published")
    assert parsed.paragraphs() == ["본문."]
    parsed = parse_dump("사회\n\n제목\n\n본문.\n", file_name="dump_20210405.txt")
    assert (parsed.date, parsed.date_source) == (dt.date(2021, 4, 5), "file")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024.06.08 (토)\n\n  • 흐림동두천 22.8℃\n기상청 제공\n", "truncated: no headline"),
        (
            "2024.06.08 (토)\n\n경제\n\n제목만 있다\n\nURL복사\n\n배너\n",
            "truncated: a headline but no body",
        ),
        ("제목\n\n본문\n", "no date"),
        ("2024.06.08 (토)\n\n" + "가" * 400 + "\n\n본문.\n", "no headline"),
    ],
)
def test_incomplete_dumps_are_refused(text: str, reason: str) -> None:
    with pytest.raises(DumpError) as info:
        parse_dump(text)
    assert reason in info.value.message
