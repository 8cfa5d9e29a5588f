"""Text -> structure: the page layout of a dump, read top to bottom.

A dump is the visible text of one article page::

    2024.06.08 (토)              date line (the page header)
      • 흐림동두천 22.8℃          weather box, 16 stations, then "기상청 제공"
    경제                          section
    LG전자 조주완 CEO, …          headline
    URL복사                       chrome (share buttons, banners, copyright notices)
    (시사미래신문) LG전자 …       body: one paragraph per line; the dateline names the outlet
    [출처=LG전자]                 source credit
    배너

Each non-blank line of the body is one paragraph (the scraper wrote one per ``<p>``); a line
holding only no-break spaces is blank. Metadata lines (byline, source credit) leave the body
and go to the front matter; chrome lines are dropped; every other line is kept in order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from newsarchive.importer.errors import DumpError
from newsarchive.importer.weather import PROVIDER_LINE, parse_station
from newsarchive.model import EMAIL_RE, Byline, Station, Weather

_BLANKS = " \t\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff"

DATE_LINE = re.compile(
    r"^(?P<y>(?:19|20)\d\d)\s*[.\-/년]\s*(?P<m>\d{1,2})\s*[.\-/월]\s*(?P<d>\d{1,2})\s*[.일]?"
    r"\s*(?:[(\[]\s*(?P<wd>[월화수목금토일])(?:요일)?\s*[)\]])?\s*$"
)
# "입력 2024.06.08 10:30" / "기사입력 : 2024-06-08" anywhere in the dump.
PUBLISHED_LINE = re.compile(
    r"^(?:기사)?(?:입력|등록|승인)\s*[:：]?\s*(?P<y>(?:19|20)\d\d)[.\-/](?P<m>\d{1,2})[.\-/](?P<d>\d{1,2})"
)
FILE_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)[.\-_]?(?P<m>[01]\d)[.\-_]?(?P<d>[0-3]\d)(?!\d)"
)
WEEKDAYS = "월화수목금토일"

# Page chrome: share buttons, banners and widgets that the scraper kept as text lines.
CHROME_LINES = frozenset(
    """URL복사 배너 기사공유 공유하기 SNS기사보내기 기사보내기 프린트 인쇄 인쇄하기 스크랩
    글씨키우기 글씨줄이기 글자크기 글자크기설정 본문듣기 닫기 이전기사 다음기사 카카오톡
    페이스북 트위터 네이버블로그 밴드 카카오스토리 텔레그램 링크복사 주소복사 좋아요 댓글
    기사제보 구독 광고 Advertisement""".split()  # noqa: SIM905 - a word list reads best as words
)
COPYRIGHT = re.compile(
    r"무단\s*전재|재배포\s*금지|all\s+rights\s+reserved|^\W*저작권자|^\W*copyright\b",
    re.IGNORECASE,
)
SOURCE = re.compile(r"\s*[\[(]\s*출처\s*[=:：]\s*(?P<source>[^\])\n]{1,60}?)\s*[\])]\s*$")
BYLINE = re.compile(
    r"^[/\-–—\s]*(?:[\[(]?[^\[\]()=]{1,20}=\s*)?(?P<name>[가-힣]{2,5})\s*"
    r"(?:선임|수석|객원|인턴|전문|편집)?\s*(?:기자|특파원|통신원|논설위원)\s*[\])]?\s*"
    r"(?:[(<\[]?\s*(?P<email>[^\s@()<>\[\]]+@[^\s@()<>\[\]]+\.[A-Za-z]{2,})\s*[)>\]]?)?\s*$"
)
# "(시사미래신문) …", "(서울=연합뉴스) …", "[시사미래신문=홍길동 기자] …" at the body's start.
DATELINE = re.compile(
    r"^[(\[]\s*(?:(?P<city>[^()\[\]=]{1,12})=\s*)?(?P<who>[^()\[\]=]{2,30}?)\s*[)\]]\s*"
)
_BYLINE_WORDS = ("기자", "특파원", "통신원", "논설위원")
NOT_OUTLETS = frozenset(
    {"주", "사진", "자료", "재", "유", "합", "사", "株", "종합", "속보", "단독"}
)
REPORTER = re.compile(r"^(?P<name>[가-힣]{2,5})\s*(?:선임|수석|객원|인턴)?\s*(?:기자|특파원)$")
CAPTION = re.compile(
    r"^(?:▲\s*)?(?P<text>.*[(\[]\s*(?:사진|사진제공|자료사진|그래픽|이미지|영상)\s*[=:：][^()\[\]]*[)\]])\s*$"
)
_CAPTION_WORDS = ("사진", "그래픽", "이미지", "영상")
KNOWN_SECTIONS = frozenset(
    """정치 경제 사회 국제 문화 스포츠 연예 IT/과학 IT 과학 오피니언 생활 지역 전국 산업
    금융 부동산 증권 교육 건강 환경 기획 인물 피플 칼럼 사설""".split()  # noqa: SIM905 - a word list reads best as words
)


@dataclass(frozen=True)
class Block:
    """One body block: a paragraph, a ▲ list (several items) or a photo caption."""

    kind: Literal["paragraph", "list", "caption"]
    items: tuple[str, ...]


@dataclass(frozen=True)
class ParsedDump:
    title: str
    date: dt.date
    date_source: str
    section: str | None
    outlet: str | None
    source: str | None
    byline: Byline | None
    weather: Weather | None
    blocks: tuple[Block, ...]
    encoding: str = ""

    def paragraphs(self) -> list[str]:
        """Every text of the body in reading order (what entity extraction reads)."""
        return [item for block in self.blocks for item in block.items]


def _clean(line: str) -> str:
    return " ".join(line.strip(_BLANKS).split()) if line.strip(_BLANKS) else ""


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def is_chrome(line: str) -> bool:
    compact = line.replace(" ", "")
    if compact in CHROME_LINES:
        return True
    return len(line) <= 200 and COPYRIGHT.search(line) is not None


def _is_section(line: str) -> bool:
    if line in KNOWN_SECTIONS:
        return True
    return len(line) <= 8 and " " not in line and not line.endswith((".", "다", "?", "!"))


def _byline(line: str) -> Byline | None:
    if len(line) > 120 or not any(word in line for word in _BYLINE_WORDS):
        return None  # a cheap test first: most lines are prose
    match = BYLINE.match(line)
    if match is None:
        return None
    email = match["email"]
    if email is not None and not EMAIL_RE.match(email):
        email = None
    return Byline(match["name"], email)


class _Reader:
    def __init__(self, text: str, file_name: str):
        self.lines = [_clean(line) for line in text.split("\n")]
        self.file_name = file_name
        self.pos = 0

    def skip_blank(self) -> None:
        while self.pos < len(self.lines) and not self.lines[self.pos]:
            self.pos += 1

    def peek(self) -> str | None:
        self.skip_blank()
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    def header(self) -> tuple[dt.date | None, list[Station], str | None]:
        date = None
        first = self.peek()
        if first is not None and (m := DATE_LINE.match(first)) and (date := _date(m)):
            self.pos += 1
        stations: list[Station] = []
        while (line := self.peek()) is not None and (station := parse_station(line)):
            stations.append(station)
            self.pos += 1
        provider = None
        if stations and (line := self.peek()) is not None and (m := PROVIDER_LINE.match(line)):
            provider = m["provider"]
            self.pos += 1
        return date, stations, provider

    def fallback_date(self) -> tuple[dt.date, str] | None:
        for line in self.lines:
            if (m := PUBLISHED_LINE.match(line)) and (date := _date(m)):
                return date, "published"
        if (m := FILE_DATE.search(self.file_name)) and (date := _date(m)):
            return date, "file"
        return None


def parse_dump(text: str, *, file_name: str = "", encoding: str = "") -> ParsedDump:
    """Parse decoded dump text; raise :class:`DumpError` when it is not a complete article."""
    reader = _Reader(text, file_name)
    date, stations, provider = reader.header()
    date_source = "dateline"
    if date is None:
        found = reader.fallback_date()
        if found is None:
            raise DumpError(
                "no date: neither a date line such as '2024.06.08 (토)' nor an '입력' line"
            )
        date, date_source = found
    weather = None
    if stations:
        weather = Weather(observed=date, provider=provider or "미상", stations=tuple(stations))

    # The rest, chrome dropped; remember where "URL복사" sat: the headline is just above it.
    content: list[str] = []
    anchor: int | None = None
    for line in reader.lines[reader.pos :]:
        if not line:
            continue
        if anchor is None and line.replace(" ", "") == "URL복사":
            anchor = len(content)
        if is_chrome(line) or PUBLISHED_LINE.match(line):
            continue
        content.append(line)
    if not content:
        raise DumpError("truncated: no headline after the page header")
    section = None
    if anchor is not None and anchor >= 1 and anchor <= 3:
        title = content[anchor - 1]
        if anchor >= 2 and _is_section(content[anchor - 2]):
            section = content[anchor - 2]
        body = content[anchor:]
    elif len(content) >= 2 and _is_section(content[0]):
        section, title, body = content[0], content[1], content[2:]
    else:
        title, body = content[0], content[1:]
    if len(title) > 300:
        raise DumpError(f"no headline: the first line is a {len(title):,}-character paragraph")
    return _body(title, date, date_source, section, weather, body, encoding)


def _body(
    title: str,
    date: dt.date,
    date_source: str,
    section: str | None,
    weather: Weather | None,
    lines: list[str],
    encoding: str,
) -> ParsedDump:
    outlet = source = None
    byline: Byline | None = None
    kept: list[str] = []
    for line in lines:
        has_source = "출처" in line
        if has_source and (m := SOURCE.fullmatch(line)) is not None:
            source = source or m["source"].strip()
            continue
        if (found := _byline(line)) is not None:
            byline = byline or found
            continue
        if has_source and source is None and (m := SOURCE.search(line)) is not None:
            # "…했다. [출처=LG전자]": the credit closes the last paragraph
            source = m["source"].strip()
            line = line[: m.start()].rstrip()
        if (
            not kept
            and (m := DATELINE.match(line))
            and (m["city"] or "").strip() not in NOT_OUTLETS
        ):
            who = m["who"].strip()
            if (reporter := REPORTER.match(who)) is not None:
                outlet = (m["city"] or "").strip() or None
                byline = byline or Byline(reporter["name"])
                line = line[m.end() :]
            elif who not in NOT_OUTLETS and not who.isdigit():
                outlet = who
                line = line[m.end() :]
        if line:
            kept.append(line)
    if not kept:
        raise DumpError("truncated: a headline but no body paragraphs")
    return ParsedDump(
        title=title,
        date=date,
        date_source=date_source,
        section=section,
        outlet=outlet,
        source=source,
        byline=byline,
        weather=weather,
        blocks=_blocks(kept),
        encoding=encoding,
    )


def _blocks(lines: list[str]) -> tuple[Block, ...]:
    blocks: list[Block] = []
    run: list[str] = []
    for line in lines:
        maybe = len(line) <= 300 and any(word in line for word in _CAPTION_WORDS)
        caption = CAPTION.match(line) if maybe else None
        if caption is not None:
            if run:
                blocks.append(Block("list", tuple(run)))
                run = []
            blocks.append(Block("caption", (caption["text"].strip(),)))
        elif line.startswith("▲") and line[1:].strip():
            run.append(line[1:].strip())
        else:
            if run:
                blocks.append(Block("list", tuple(run)))
                run = []
            blocks.append(Block("paragraph", (line,)))
    if run:
        blocks.append(Block("list", tuple(run)))
    return tuple(blocks)
