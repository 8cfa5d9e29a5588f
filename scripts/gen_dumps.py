"""Write N synthetic raw dumps in the exact format of content/raw/ (deterministic).

    python scripts/gen_dumps.py 5000 /some/empty/folder [--seed 1] [--encodings mixed|utf-8]

Each dump is a page as the scraper saves it: date line, a 16-station weather box (the
condition glued to the station name, sometimes missing; negative temperatures in winter),
"기상청 제공", one of 8 sections, the headline, "URL복사", no-break-space separator lines,
the "(시사미래신문)" dateline, 8-20 paragraphs of Korean prose (a few thousand characters,
like the seed), sometimes a ▲ list, a photo caption, a byline, a copyright notice, the
"[출처=…]" credit and "배너" lines. About 2 % reuse an earlier headline on another day.
With ``--encodings mixed`` (the default) some dumps are CP949 (with ⓒ and · standing in
for © and •, which CP949 lacks), UTF-8 with a BOM, UTF-16, or have CRLF line ends.
The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import hashlib
import random
from pathlib import Path

SECTIONS = ["정치", "경제", "사회", "국제", "문화", "스포츠", "IT/과학", "오피니언"]
STATIONS = ["동두천", "강릉", "서울", "대전", "대구", "울산", "광주", "부산", "고창", "제주",
            "강화", "보은", "금산", "강진군", "경주시", "거제"]  # fmt: skip
SUMMER = ["맑음", "구름조금", "구름많음", "흐림", "비", "소나기"]
WINTER = ["맑음", "구름조금", "구름많음", "흐림", "눈", "비/눈", "눈/비"]
WEEKDAYS = "월화수목금토일"
COMPANIES = ["LG전자", "삼성전자", "현대자동차", "SK하이닉스", "네이버", "카카오", "포스코",
             "한화에어로스페이스", "CJ제일제당", "KT", "마이크로소프트", "엔비디아"]  # fmt: skip
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = [
    "민준",
    "서연",
    "도윤",
    "지우",
    "주완",
    "형세",
    "병훈",
    "은정",
    "석우",
    "하준",
    "수아",
    "지호",
]
TITLES = ["대표", "사장", "부사장", "상무", "CEO", "CTO", "장관", "의원", "교수", "연구원"]
TOPICS = ["인공지능", "반도체", "전기차", "기후위기", "저출생", "부동산 시장", "수출", "금리",
          "디지털 전환", "탄소중립", "지역 균형발전", "K-콘텐츠", "배터리", "원전", "의료개혁"]  # fmt: skip
VERBS = ["밝혔다", "강조했다", "설명했다", "전망했다", "덧붙였다", "발표했다", "평가했다",
         "지적했다", "예상했다", "말했다"]  # fmt: skip
CLAUSES = [
    "{c}는 올해 {t} 분야에 {n}조 원을 투자하기로 했다",
    '{p} {r}은 "{t} 경쟁력이 곧 국가 경쟁력"이라고 {v}',
    "업계에서는 {t} 수요가 하반기에 {n}% 이상 늘어날 것으로 보고 있다",
    "{c}와 {c2}는 {t} 협력을 위한 업무협약(MOU)을 체결했다",
    "정부는 {t} 관련 규제를 완화하고 지원을 확대하겠다고 {v}",
    "전문가들은 {t}가 향후 {n}년간 산업 지형을 바꿀 것이라고 {v}",
    "이번 행사에는 국내외 기업 관계자 {n}00여 명이 참석했다",
    "{p} {r}은 현지시간 {d}일 기자간담회에서 이같이 {v}",
    "시장에서는 {c}의 실적 개선 여부에 관심이 쏠리고 있다",
    "지난해 같은 기간과 비교하면 {n}.{n2}% 증가한 수치다",
    "'{t}'을(를) 둘러싼 논의는 당분간 이어질 전망이다",
    '{c} 관계자는 "고객 경험을 최우선으로 두겠다"고 {v}',
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _sentence(rng: random.Random) -> str:
    c, c2 = rng.sample(COMPANIES, 2)
    text = rng.choice(CLAUSES).format(
        c=c, c2=c2, p=_person(rng), r=rng.choice(TITLES), t=rng.choice(TOPICS),
        v=rng.choice(VERBS), n=rng.randint(2, 9), n2=rng.randint(0, 9), d=rng.randint(1, 28),
    )  # fmt: skip
    return text if text.endswith("다") else text + "."


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(2, 5)):
        s = _sentence(rng)
        sentences.append(s if s.endswith(".") else s + ".")
    return " ".join(sentences)


def _headline(rng: random.Random) -> str:
    c = rng.choice(COMPANIES)
    t = rng.choice(TOPICS)
    forms = [
        f"{c}, {t} 승부수… “{rng.randint(2, 9)}년 내 글로벌 1위”",
        f"{_person(rng)} {rng.choice(TITLES)} “{t}, 지금이 골든타임”",
        f"{t} 시장 급성장에 {c} 투자 확대",
        f"[단독] {c}, {t} 전담 조직 신설",
        f"{t} 둘러싼 논쟁 재점화… 정부 “대책 마련”",
    ]
    return rng.choice(forms)


def _weather(rng: random.Random, day: dt.date) -> list[str]:
    winter = day.month in (12, 1, 2)
    base = rng.uniform(-12, 3) if winter else rng.uniform(14, 30)
    lines = []
    for station in STATIONS:
        condition = "" if rng.random() < 0.08 else rng.choice(WINTER if winter else SUMMER)
        temp = base + rng.uniform(-4, 4)
        lines.append(f"  • {condition}{station} {temp:.1f}℃")
    return lines


def make_dump(rng: random.Random, day: dt.date, headline: str) -> str:
    nbsp = "\u00a0"
    lines = [f"{day:%Y.%m.%d} ({WEEKDAYS[day.weekday()]})", ""]
    lines += _weather(rng, day)
    lines += [
        "기상청 제공",
        "",
        rng.choice(SECTIONS),
        "",
        headline,
        "",
        "URL복사",
        "",
        nbsp,
        "",
        nbsp,
        "",
    ]
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(8, 20))]
    paragraphs[0] = "(시사미래신문) " + paragraphs[0]
    if rng.random() < 0.3:
        at = rng.randint(1, len(paragraphs) - 1)
        paragraphs.insert(
            at,
            f"▲ {_person(rng)} {rng.choice(TITLES)}가 발표하고 있다 (사진={rng.choice(COMPANIES)})",
        )
    if rng.random() < 0.3:
        at = rng.randint(2, len(paragraphs) - 1)
        paragraphs[at:at] = [
            "\n".join(f"▲{rng.choice(TOPICS)} 대응" for _ in range(rng.randint(2, 4)))
        ]
    for p in paragraphs:
        lines += [p + nbsp, "", nbsp, ""]
    if rng.random() < 0.5:
        lines += [f"{_person(rng)} 기자 reporter{rng.randint(1, 99)}@sisafuture.example.com", ""]
    if rng.random() < 0.4:
        lines += ["<저작권자 © 시사미래신문 무단전재 및 재배포 금지>", ""]
    lines += [f"[출처={rng.choice(COMPANIES)}]", "", "배너", "배너", *[""] * 7, "배너"]
    return "\n".join(lines)


def encode(text: str, rng: random.Random, mixed: bool) -> bytes:
    roll = rng.random() if mixed else 1.0
    if roll < 0.08:  # CP949 lacks ©, • and the no-break space: the scraper's stand-ins
        text = text.replace("©", "ⓒ").replace("•", "·").replace("\u00a0", " ")
        return text.encode("cp949")
    if roll < 0.12:
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if roll < 0.15:
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if roll < 0.20:
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode("utf-8")


def generate(count: int, folder: Path, *, seed: int = 1, mixed: bool = True) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.date(2023, 1, 1)
    headlines: list[str] = []
    paths = []
    for i in range(count):
        day = start + dt.timedelta(days=rng.randint(0, 730))
        if headlines and rng.random() < 0.02:
            headline = rng.choice(headlines)  # same headline, another day
        else:
            headline = _headline(rng)
            headlines.append(headline)
        data = encode(make_dump(rng, day, headline), rng, mixed)
        path = folder / f"{i:06d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"
        path.write_bytes(data)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--encodings", choices=["mixed", "utf-8"], default="mixed")
    args = parser.parse_args()
    paths = generate(args.count, args.folder, seed=args.seed, mixed=args.encodings == "mixed")
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} dumps, {size / 1e6:.1f} MB, into {args.folder}")


if __name__ == "__main__":
    main()
