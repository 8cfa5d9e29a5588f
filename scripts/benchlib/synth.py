"""A deterministic synthetic archive in the raw dump format, for benchmarks.

Article ``i`` depends only on ``(seed, i)``, so the 1,000-article archive is a prefix of the
10,000-article one and every run of the benchmark reads the same bytes. The dumps follow the
seed dump's layout (weather block, section, title, ``URL복사``, paragraphs separated by
no-break-space lines, ``[출처=…]``, banners) with Korean text of realistic length (about
1,000-4,000 characters), 8 sections, a cast of thousands of people and companies, bylines,
``▲`` bullet runs and photo captions.

This module stands in until the importer's own generator (``scripts/gen_dumps.py``) exists;
``scripts/bench.py`` prefers that one when it is importable (see ``bench.generate_raw``).
``render_markdown`` writes the Markdown the importer would write, so builds can still be
measured when ``newsarchive import`` is not available.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

GENERATOR_VERSION = 3
REPORTERS = 150
SECTIONS = ("경제", "사회", "정치", "국제", "문화", "스포츠", "IT·과학", "생활")
STATIONS = (
    "동두천", "강릉", "서울", "대전", "대구", "울산", "광주", "부산",
    "고창", "제주", "강화", "보은", "금산", "강진군", "경주시", "거제",
)  # fmt: skip
CONDITIONS = ("맑음", "구름조금", "구름많음", "흐림", "비", "소나기", "눈", "안개")
WEEKDAYS = "월화수목금토일"
OUTLETS = ("시사미래신문", "한빛일보", "중앙경제뉴스", "새누리타임즈")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
GIVEN = "민서준우현지수영호진성은혜하윤재동석태상경미정희주연승철광병형원범완세용기훈규"
TITLES = (
    "사장", "부사장", "대표", "회장", "상무", "전무", "본부장", "의원", "장관",
    "교수", "연구원", "시장", "위원장", "센터장", "CEO", "CTO", "팀장", "이사",
)  # fmt: skip
COMPANY_SUFFIX = (
    "전자", "건설", "제약", "바이오", "금융", "증권", "화학", "중공업", "에너지", "푸드",
    "텔레콤", "물산", "모터스", "테크", "소프트", "생명", "항공", "해운", "유통", "엔터",
)  # fmt: skip
SYLLABLES = "한대신동서남북새빛누리미래우리하나태양금강백두솔길온누다올가람마루아라"
TOPICS = {
    "경제": ("반도체", "수출", "금리", "환율", "물가", "부동산", "인공지능", "배터리"),
    "사회": ("저출산", "교육", "의료", "노동", "안전", "복지", "교통", "환경"),
    "정치": ("총선", "국회", "외교", "예산", "개헌", "지방자치", "안보", "정당"),
    "국제": ("미국", "중국", "일본", "유럽연합", "기후협약", "무역", "중동", "공급망"),
    "문화": ("영화", "공연", "전시", "출판", "한류", "문화재", "음악", "축제"),
    "스포츠": ("야구", "축구", "올림픽", "골프", "배구", "농구", "마라톤", "e스포츠"),
    "IT·과학": ("인공지능", "클라우드", "우주", "양자컴퓨터", "로봇", "보안", "반도체", "5G"),
    "생활": ("건강", "여행", "음식", "날씨", "소비", "주거", "반려동물", "육아"),
}
PHRASES = (
    "{company}는 올해 {topic} 분야에서 전년 대비 {pct}% 성장한 실적을 거둘 것으로 전망된다.",
    "{person} {title}은 이날 '{topic}은 더 이상 선택이 아니라 필수'라고 강조했다.",
    "업계에 따르면 {company}와 {company2}는 {topic} 관련 공동 프로젝트를 추진하고 있다.",
    "{place}에서 열린 행사에는 관계자 {count}여 명이 참석해 {topic}의 미래를 논의했다.",
    "전문가들은 {topic} 시장 규모가 {year}년까지 {money}조 원에 이를 것으로 내다봤다.",
    "{person} {title}은 \"고객 경험을 혁신하는 것이 가장 중요한 과제\"라고 말했다.",
    "이번 발표는 {topic}을 둘러싼 경쟁이 한층 치열해지는 가운데 나왔다.",
    "{company} 관계자는 \"{topic} 투자를 지속적으로 확대해 나가겠다\"고 밝혔다.",
    "지난해 {company}의 매출은 {money}조 {count}억 원으로 집계됐다.",
    "정부는 {topic} 지원을 위해 {money}천억 원 규모의 예산을 편성하기로 했다.",
    "{place} 지역 주민들은 {topic} 문제에 대한 대책 마련을 요구하고 있다.",
    "시장에서는 {company}의 {topic} 전략이 성과를 낼지 주목하고 있다.",
    "{person} {title}은 {place} 방문 일정을 마치고 {month}월 중 귀국할 예정이다.",
    "한편 {company}는 {year}년 *{topic}* 부문 1위를 차지한 바 있다.",
    "관련 수치는 [{topic}] 보고서 #{count} 및 <{company}> 자료를 바탕으로 했다.",
    "조사 대상의 {pct}%가 {topic}에 대해 '매우 긍정적' 또는 '긍정적'이라고 답했다.",
    "{company2}도 같은 날 {topic} 신제품 {count}종을 공개하며 맞불을 놓았다.",
    "이에 대해 {person} {title}은 \"상황을 면밀히 지켜보겠다\"며 말을 아꼈다.",
)  # fmt: skip
PLACES = ("서울", "부산", "인천", "세종", "뉴욕", "도쿄", "베이징", "파리", "시애틀", "판교")


@dataclass(frozen=True)
class CastMember:
    name: str
    title: str
    affiliation: str


@dataclass(frozen=True)
class Cast:
    people: tuple[CastMember, ...]
    companies: tuple[str, ...]


@dataclass
class SynthArticle:
    index: int
    date: dt.date
    section: str
    outlet: str
    title: str
    paragraphs: list[str]  # a paragraph may be a run of "▲..." lines joined by "\n"
    people: list[CastMember]
    companies: list[str]
    topics: list[str]
    weather: list[tuple[str, str | None, float]] | None
    byline: tuple[str, str] | None
    source: str | None
    extra_tail: list[str] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        digest = hashlib.sha256(f"synth:{self.index}".encode()).hexdigest()[:16]
        return f"{self.index:06d}_{digest}"


def _rng(seed: int, *parts: object) -> random.Random:
    # String seeds are hashed with SHA-512 by random.Random: stable across runs and machines.
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def make_cast(seed: int = 0, n_people: int = 4000, n_companies: int = 2500) -> Cast:
    """Thousands of distinct people and companies (names unique, so slugs are unique)."""
    rng = _rng(seed, "cast")
    companies: list[str] = []
    seen: set[str] = set()
    while len(companies) < n_companies:
        if rng.random() < 0.2:
            stem = "".join(rng.choice("ABCDEGHJKLMNPRSTW") for _ in range(rng.randint(2, 3)))
        else:
            stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        name = stem + rng.choice(COMPANY_SUFFIX)
        if name.lower() not in seen:
            seen.add(name.lower())
            companies.append(name)
    people: list[CastMember] = []
    names: set[str] = set()
    while len(people) < n_people:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name not in names:
            names.add(name)
            people.append(CastMember(name, rng.choice(TITLES), rng.choice(companies)))
    return Cast(tuple(people), tuple(companies))


def make_article(index: int, cast: Cast, seed: int = 0) -> SynthArticle:
    rng = _rng(seed, "article", index)
    section = SECTIONS[rng.randrange(len(SECTIONS))]
    # ~10 years of news, several articles a day, in no particular file order.
    date = dt.date(2015, 1, 1) + dt.timedelta(days=(index * 7919 + rng.randrange(3)) % 3650)
    people = rng.sample(cast.people, rng.randint(1, 6))
    # A story names a handful of companies (its people's employers and a few others) out of
    # the thousands in the archive: few taxonomy terms per article, thousands in all.
    companies = sorted({p.affiliation for p in people[:2]} | set(rng.sample(cast.companies, 2)))
    topics = rng.sample(TOPICS[section], rng.randint(1, 3))
    lead = people[0]
    title = (
        f"{lead.affiliation} {lead.name} {lead.title}, {topics[0]} "
        f"{rng.choice(('광폭 행보', '전략 발표', '위기 돌파', '투자 확대', '현장 점검'))}"
    )
    if rng.random() < 0.5:
        title += f" “{rng.choice(PLACES)}서 {rng.randint(2, 90)}조 원 규모 협력”"

    def sentence() -> str:
        person = rng.choice(people)
        return rng.choice(PHRASES).format(
            company=rng.choice(companies),
            company2=rng.choice(companies),
            person=person.name,
            title=person.title,
            topic=rng.choice(topics),
            place=rng.choice(PLACES),
            pct=f"{rng.randint(1, 99)}.{rng.randint(0, 9)}",
            count=rng.randint(2, 900),
            money=rng.randint(1, 99),
            year=rng.randint(2015, 2035),
            month=rng.randint(1, 12),
        )

    outlet = rng.choice(OUTLETS)
    paragraphs = []
    for p in range(rng.randint(6, 18)):
        text = " ".join(sentence() for _ in range(rng.randint(2, 5)))
        paragraphs.append(f"({outlet}) {text}" if p == 0 else text)
    if rng.random() < 0.2:  # a standalone ▲ run (a bullet list after import)
        items = [
            f"▲{rng.choice(topics)} {rng.choice(('강화', '확대', '지원', '개편'))}"
            for _ in range(3)
        ]
        paragraphs.insert(rng.randint(1, len(paragraphs)), "\n".join(items))
    if rng.random() < 0.3:  # a photo caption
        caption = f"▲ {lead.name} {lead.title}이 발언하고 있다 (사진={lead.affiliation})"
        paragraphs.insert(1, caption)
    weather = None
    if rng.random() < 0.9:
        weather = [
            (
                name,
                None if name == "서울" and rng.random() < 0.5 else rng.choice(CONDITIONS),
                round(rng.uniform(-15, 35), 1),
            )
            for name in STATIONS
        ]
    byline = None
    if rng.random() < 0.7:
        # A newsroom has a few hundred reporters, not thousands: bylines come from a pool.
        number = rng.randrange(REPORTERS)
        reporter = cast.people[-1 - number]
        byline = (reporter.name, f"reporter{number + 1}@news{number % 4 + 1}.co.kr")
    source = rng.choice(companies) if rng.random() < 0.5 else None
    return SynthArticle(
        index=index,
        date=date,
        section=section,
        outlet=outlet,
        title=title,
        paragraphs=paragraphs,
        people=people,
        companies=companies,
        topics=topics,
        weather=weather,
        byline=byline,
        source=source,
    )


def render_raw(article: SynthArticle) -> str:
    """The article as a scraped dump, laid out like content/raw/000_*.txt."""
    d = article.date
    lines = [f"{d:%Y.%m.%d} ({WEEKDAYS[d.weekday()]})", ""]
    if article.weather:
        for name, condition, temp in article.weather:
            lines.append(f"  • {condition or ''}{name} {temp:.1f}℃")
        lines.append("기상청 제공")
    lines += ["", article.section, "", article.title, "", "URL복사", "", "\xa0", "", "\xa0", ""]
    for paragraph in article.paragraphs:
        lines += [paragraph + " ", "", "\xa0", ""]
    if article.byline:
        lines += [f"{article.byline[0]} 기자 {article.byline[1]}", ""]
    if article.source:
        lines += [f"[출처={article.source}]", ""]
    lines += ["배너", "배너", "", "", "", "", "", "", "", "배너", ""]
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")


def _escape(text: str) -> str:
    # Every ASCII punctuation mark may be backslash-escaped in CommonMark: raw text stays text.
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(article: SynthArticle, raw_rel: str, raw_sha256: str, slug: str) -> str:
    """The Markdown file the importer would write (a stand-in used only without an importer)."""
    meta = {
        "title": article.title,
        "date": article.date.isoformat(),
        "date_source": "dateline",
        "section": article.section,
        "outlet": article.outlet,
        "source": article.source,
        "byline": None
        if article.byline is None
        else {"name": article.byline[0], "email": article.byline[1]},
        "weather": None
        if article.weather is None
        else {
            "observed": article.date.isoformat(),
            "provider": "기상청",
            "stations": [{"name": n, "condition": c, "temp_c": t} for n, c, t in article.weather],
        },
        "people": [{"name": p.name, "role": p.title} for p in article.people],
        "companies": article.companies,
        "topics": article.topics,
        "slug": slug,
        "raw": raw_rel,
        "raw_sha256": raw_sha256,
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    front = yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)
    blocks = []
    for paragraph in article.paragraphs:
        lines = paragraph.split("\n")
        if paragraph.startswith("▲ ") and "(사진=" in paragraph:
            blocks.append(f"::: photo-caption\n{_escape(paragraph[2:])}\n:::")
        elif len(lines) > 1 and all(line.startswith("▲") for line in lines):
            blocks.append("\n".join(f"- {_escape(ln[1:])}" for ln in lines))
        else:
            blocks.append(_escape(paragraph))
    return f"---\n{front}---\n\n" + "\n\n".join(blocks) + "\n"


def iter_articles(count: int, seed: int = 0) -> Iterator[SynthArticle]:
    cast = make_cast(seed)
    for index in range(count):
        yield make_article(index, cast, seed)


def write_raw_archive(raw_dir: Path, count: int, seed: int = 0) -> int:
    """Write ``count`` dumps into ``raw_dir`` (UTF-8, like the seed); returns bytes written."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for article in iter_articles(count, seed):
        data = render_raw(article).encode("utf-8")
        (raw_dir / f"{article.file_stem}.txt").write_bytes(data)
        total += len(data)
    return total


def write_registry(path: Path, seed: int = 0) -> None:
    """``content/entities.yaml`` naming the whole cast, as an editorial registry would."""
    cast = make_cast(seed)
    data = {
        "people": [
            {"name": p.name, "roles": [{"title": p.title, "affiliation": p.affiliation}]}
            for p in cast.people
        ],
        "companies": [{"name": c} for c in cast.companies],
        "topics": [{"name": t} for t in sorted({t for ts in TOPICS.values() for t in ts})],
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
