"""Hand-written rules for Korean (and some English) news text: the part Kiwi cannot do alone.

Kiwi's NNP tag is untyped and misses or cuts names (it splits 은석현 into 은/석/현 and cuts
김원범 to 김원), so people are found by shape: a Korean surname, a two-syllable given name,
and a title or role right after (``박형세 HE사업본부장(사장)``) or right before
(``대표이사 조주완은``). Organisations are found by suffix (``…전자``, ``…대학교``, ``…부``).
Everything here is pure string work, so it is cheap and testable without loading Kiwi.

Boundaries are explicit: Python's ``\\b`` treats Hangul as word characters, so ``\\bLG전자\\b``
would not match ``LG전자가``. A match must not be preceded by a letter or digit, and must be
followed by the end of the word or by particles only (:func:`is_particle_tail`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from newsarchive.entities.places import is_place


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (easier to read and extend)."""
    return frozenset(text.split())


# ----------------------------------------------------------------------------- text clean-up

# Credits and datelines carry the outlet or the photo source, not a mention in the story.
_CREDIT_RES = (
    re.compile(r"\[\s*(?:출처|사진|자료|제공|그래픽)\s*[=:][^\]]{0,60}\]"),
    re.compile(r"[(<]\s*(?:사진|자료|그래픽|영상|출처)(?:\s*제공)?\s*[=:][^)>]{0,60}[)>]"),
    re.compile(r"(?:ⓒ|©|\(c\)|Copyright)[^\n]{0,80}", re.IGNORECASE),
    re.compile(r"무단\s*전재[^\n]{0,40}"),
)
# ``(서울=연합뉴스)`` or ``(시사미래신문)`` at the start of a paragraph: the dateline.
_DATELINE_RE = re.compile(r"^\s*[\[(]\s*(?:[가-힣A-Za-z]{1,10}\s*=\s*)?[^()\[\]\n]{1,30}[)\]]\s*")
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# ``홍길동 기자 a@b.kr``, ``[시사미래신문 홍길동 기자]``, ``= 홍길동 기자``: the reporter's byline.
_BYLINE_RES = (
    re.compile(
        rf"[\[(]?[가-힣A-Za-z ]{{0,20}}?([가-힣]{{2,4}})\s*(?:기자|특파원|객원기자)\s*[\])]?\s*\(?{EMAIL}\)?"
    ),
    re.compile(r"^\s*[\[(=]\s*[가-힣A-Za-z]{0,12}\s*([가-힣]{2,4})\s*(?:기자|특파원)\s*[\])]"),
    re.compile(r"^\s*=?\s*([가-힣]{2,4})\s*(?:기자|특파원)\s*$"),
    re.compile(rf"^\s*{EMAIL}\s*$"),
)


def normalise_text(text: str) -> str:
    """NFC (decomposed Hangul matches no ``[가-힣]``) and plain spaces."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\u3000", " ")


def strip_credits(paragraph: str, outlet: str | None) -> tuple[str, list[str]]:
    """Remove datelines, bylines and credits; return the text and the byline names seen.

    Removed spans are replaced by spaces of the same length so offsets stay meaningful
    for contexts, and no two words are glued together.
    """
    bylines: list[str] = []

    def blank(match: re.Match[str]) -> str:
        return " " * len(match.group(0))

    text = paragraph
    for regex in _BYLINE_RES:  # before datelines: ``[경제투데이 한도윤 기자]`` looks like one
        for match in regex.finditer(text):
            if match.groups():
                bylines.append(match.group(1))
        text = regex.sub(blank, text)
    dateline = _DATELINE_RE.match(text)
    if dateline and (outlet is None or outlet in dateline.group(0) or "=" in dateline.group(0)):
        text = blank(dateline) + text[dateline.end() :]
    for regex in _CREDIT_RES:
        text = regex.sub(blank, text)
    return text, bylines


# ----------------------------------------------------------------------------- boundaries

_WORD_CHAR = re.compile(r"[0-9A-Za-z가-힣]")
# Case markers, postpositions and copula endings that may follow a name inside one word.
_PARTICLES = _words(
    """
    이 가 은 는 을 를 의 에 에서 에게 께 께서 한테 와 과 도 로 으로 만 까지 부터 보다 처럼 조차 마저 이나 나 이며 며 이고 고 이다 다 였다 이었다 이라는
    라는 이란 란 이라고 라고 측 측은 측도 측의 측이 로서 으로서 로부터 으로부터 에서는 에서도 에서의 에게는 에게도 에는 에도 와는 과는 와의 과의 으로는 로는
    으로도 로도 만의 까지도 부터는 이랑 랑 하고 에선 엔 이지만 지만 이자 자 이었던 였던 인 의해 에의 이든 씨 씨는 씨가 씨의 씨를 씨에게 씨와 씨도 씨로부터
    """
)
PARTICLES: frozenset[str] = _PARTICLES
# ``씨`` (Mr/Ms) follows people only: organisation words are split with this narrower set.
ORG_PARTICLES: frozenset[str] = frozenset(p for p in PARTICLES if not p.startswith("씨"))


def is_particle_tail(tail: str, particles: frozenset[str] = ORG_PARTICLES) -> bool:
    return tail == "" or tail in particles


def word_end(text: str, pos: int) -> int:
    """Index just past the word that continues at *pos* (letters, digits, Hangul)."""
    end = pos
    while end < len(text) and _WORD_CHAR.match(text[end]):
        end += 1
    return end


def left_boundary(text: str, start: int) -> bool:
    return start == 0 or not _WORD_CHAR.match(text[start - 1])


def right_boundary(
    text: str, end: int, name: str, particles: frozenset[str] = ORG_PARTICLES
) -> bool:
    """A known name ends here: end of word, or particles only until the end of the word.

    A Latin name may run into Hangul only through a particle (``MS와``), never into more
    Latin letters (``MSCI``); a Hangul name likewise (``LG전자가`` but not ``LG전자서비스``).
    """
    if end >= len(text) or not _WORD_CHAR.match(text[end]):
        return True
    last = name[-1]
    if last.isascii() and last.isalnum() and text[end].isascii():
        return False
    return is_particle_tail(text[end : word_end(text, end)], particles)


# ----------------------------------------------------------------------------- people


# The common Korean surnames (covering well over 99 % of the population), then the two-syllable ones.
SURNAMES: frozenset[str] = _words(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백 허 남 심 노 "
    "하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소 석 선 설 마 길 연 "
    "위 표 명 기 반 라 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉 사 부 황 가 복 태 목 형 "
    "피 두 감 음 빈 동 온 호 범 좌 승 상 시 갈 견 당 화 창 옹 단 계 평 대 종 국 "
    "남궁 황보 제갈 선우 독고 사공 서문 동방"
)

# Title words: a role ends with one of these (``HE사업본부장`` ends with ``본부장``).
TITLE_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        _words(
            """
            CCO CDO CEO CFO CHO CIO CISO CMO COO CPO CSO CTO 가수 간호사 감독 감독관 검사 검찰총장 겸임교수 경감 경위
            경정 고검장 과장 관장 교사 교수 교육감 교장 구의원 구청장 국장 군수 군의원 기자 단장 당선인 대법관 대법원장 대변인 대사 대통령 대표 대표이사
            도의원 도지사 디렉터 리더 매니저 명예교수 박물관장 박사 배우 변호사 본부장 부교수 부문장 부사장 부위원장 부장 부장검사 부장판사 부총리 부총장
            부총재 부회장 비서관 비서실장 사무관 사무국장 사무처장 사무총장 사업부장 사장 상무 상임위원 서기관 석좌교수 선수 선임연구원 센터장 소장 수석 시의원
            시장 실장 씨 애널리스트 약사 연구관 연구교수 연구소장 연구원 연구위원 예비후보 원내대변인 원내대표 원장 위원 위원장 은행장 의사 의원 의장 이사
            이사장 이사회장 이장 작가 장관 재판관 전무 전문위원 정책실장 조합장 주무관 지검장 지부장 지사 차관 차장 창업자 책임연구원 책임자 처장 청장
            초빙교수 총경 총괄 총리 총장 총재 최고경영자 최고위원 코치 특파원 팀장 파트너 판사 학원장 학장 행장 헌법재판관 회계사 회장 후보 후보자
            세터 리베로 투수 포수 타자 내야수 외야수 유격수 지명타자 공격수 수비수 미드필더 골키퍼 윙어 스트라이커 가드 포워드
            센터백 풀백
            """
        ),
        key=lambda t: (-len(t), t),
    )
)
# Titles that name no role worth showing (``김철수 씨``: a person, no role).
ROLELESS = frozenset({"씨"})
# Words before a title that qualify it: ``김철수 전 장관``.
TITLE_QUALIFIERS = ("전", "현", "신임", "前", "現", "초대", "차기", "공동", "수석", "선임")

# Words shaped like a surname + given name that are ordinary words or places, seen before
# titles in news text (``신임 대표``, ``한국 대표``, ``이번 사장``). Kiwi vetoes most of them
# in context; this list catches the ones it tags as proper nouns (places) or gets wrong.
NOT_NAMES: frozenset[str] = _words(
    """
    신임 전임 이번 이날 이후 이전 이어 이에 이미 이상 이하 이를 이와 이런 이번에 공동 한국 한편 한때
    한번 정부 정식 정규 정책 장기 전국 전체 전원 전날 전년 전문 전담 전략 전직 현직 현재 현지 현장
    최고 최근 최대 최초 최종 강력 조직 조기 윤리 임시 임기 임원 오는 오전 오후 서울 서면 신규
    신설 신년 권한 황제 안팎 송년 유명 유력 유일 전북 전남 경북 경남 충북 충남 강원 제주 부산 대구
    대전 광주 울산 인천 세종 경기 홍보 고위 고문 문화 양측 양사 손해 배석 백악관 남북 남측 노조
    하반기 상반기 성공 차기 주요 주주 우리 구성 민간 진행 나라 지난 지역 지방 채용 원장 천안 방송
    공식 공공 현대 함께 변경 여당 여야 추가 도내 소속 석좌 선거 선임 설립 마지막 길이 연임 연구
    위원 표결 명예 기존 반도 금융 옥외 육군 인사 제도 모든 국내 국회 국가 어제 은행 경영 봉사 사내
    부대 부문 부부 가운데 복수 태스크 목표 형사 두산 동시 호남 범정부 당사 당시 당국 화상 대형 대변
    계열 단독 시장 시민 상임 상근 상무 사장 사외 평소 대외 대내 대표 종합 해당 각각 관계 기업 정상
    미국 중국 일본 북한 영국 독일 프랑스 인도 대만 홍콩 호주 러시아 유럽 베트남 캐나다 조선 고려
    백제 신라 경주 공주 나주 여수 목천 구미 김해 김포 김천 남원 안산 안양 오산 양산 정읍 이천
    고양 하남 성남 용인 수원 부천 시흥 군포 의왕 과천 광명 안성 평택 원주 춘천 강릉 속초 동해
    제천 청주 충주 천안 아산 서산 당진 공주 논산 전주 군산 익산 목포 순천 광양 포항 경산 안동
    진주 창원 통영 거제 사천 밀양 양주 파주 연천 포천 가평 양평 여주 이천 홍천 철원 화천 양구
    인제 고성 영월 평창 정선 태백 삼척 강화 옹진 보은 금산 강진 거창 함양 합천 고창 부안 무주
    장수 임실 순창 진안 완주 화순 담양 곡성 구례 고흥 보성 장흥 해남 영암 무안 함평 영광 장성
    완도 진도 신안 영덕 울진 봉화 청송 영양 의성 군위 칠곡 성주 고령 예천 문경 상주 영주 의령
    함안 창녕 남해 하동 산청 국제 국립 장관 차관 회장 본부 총괄 연합 일반 전무 이사 공사 구청 시청
    도청 군청 의원 선수 감독 교수 기자 특파원 사무 비서 수석 실장 국장 과장 부장 팀장 검사 판사
    변호 대사 영사 위원장 최고위 원내 당대표 대통령 총리 부총리 시민단체 신한 신세계 한화 한진
    동원 동아 동부 대우 대상 대림 효성 현대차 기아 롯데 하나 우리은행 국민 농협 기업은행 교보
    미래 삼성 성신 이마트 홈플 쿠팡 배민 정의 진보 보수 민주 국힘 자유 공화 전자 반도체 기후 인공
    조치 조사 조정 조건 조합 조약 장비 장소 장애 장점 임대 임금 오류 서비스 신용 신고 신청 신청자
    권리 황금 안전 안정 송금 유지 유통 홍수 고객 고용 고려 문제 양국 손님 배터리 백신 허가 남부
    남쪽 심사 노동 노사 하락 곽씨 성장 차량 차이 주가 주식 주택 우선 구축 구조 민원 진출 나머지
    지원 지분 지급 지금 엄격 채권 원전 원화 천연 방안 방식 공급 공개 현황 함량 변화 염두 여전
    추진 도입 소비 석유 선정 설명 마련 길목 연말 연초 위기 표준 명단 기술 반면 라인 왕복 금리 옥상
    육성 인공지능 맹점 제품 모바일 탁월 국정 어린이 은퇴 편의 용량 예산 경제 봉쇄 사업 부담 가격
    복지 태양광 목소리 형태 피해 두께 감소 음식 빈곤 동향 온실 호황 범위 좌석 승인 상승 시간 갈등
    견해 당정 화재 창업 옹호 단계 계획 평가 대응 대책 종목
    """
)

_HANGUL = "[가-힣]"
# One Korean name candidate: surname + given name; 2-4 syllables in all.
_NAME = r"(?P<name>[가-힣]{2,4})"
_AGE = r"(?:\(\s*\d{1,3}\s*(?:세|살)?\s*\))?"
_ROLE_PARENS = r"(?:\([^()\n]{1,40}\))?"
_QUAL = "(?:" + "|".join(TITLE_QUALIFIERS) + r")\s+"
_TITLE_ALT = "|".join(re.escape(t) for t in TITLE_SUFFIXES)
# ``박형세 HE사업본부장(사장)과``: a whole word as the name, optional age, then a role word that
# ends with a title (``김철수씨`` too: 씨 may be glued to the name).
# Up to two affiliation words may come between (``조주완 LG전자 CEO``); they must not end like a
# particle or a verb, which would mean the sentence went on (``김철수 씨가 만난 교수``).
# (Two-syllable words may: ``이창용 한은 총재``.)
_AFFIL = r"(?:(?:[가-힣]{1,8}(?:학과|학부)|[A-Za-z0-9가-힣·&]{1,2}|[A-Za-z0-9가-힣·&]{3,}(?<![은는을를의와과도며다]))\s+){0,2}?"
# What may follow a title inside its word: particles only (``교수진`` is not ``교수``).
_PARTICLE_TAIL = (
    "(?P<tail>(?:"
    + "|".join(sorted(PARTICLES, key=lambda p: (-len(p), p)))
    + "))?(?![0-9A-Za-z가-힣])"
)
NAME_TITLE_RE = re.compile(
    # a lookahead, so that every word is tried as a name (matches overlap)
    rf"(?=(?<![0-9A-Za-z가-힣]){_NAME}{_AGE}(?:\s+"
    rf"(?P<role>{_AFFIL}(?:{_QUAL})?(?:[A-Za-z0-9가-힣·&]*?)(?:{_TITLE_ALT}){_ROLE_PARENS})"
    rf"|(?P<ssi>씨)){_PARTICLE_TAIL})"
)
_MORE_ROLE_RE = re.compile(
    rf"\s+(?P<role>(?:[A-Za-z0-9가-힣·&]*?)(?:{_TITLE_ALT}){_ROLE_PARENS}){_PARTICLE_TAIL}"
)
_KO_TITLE_ALT = "|".join(re.escape(t) for t in TITLE_SUFFIXES if not t.isascii() and t != "씨")
# ``대표이사 조주완은``: an exact Korean title word, then a name and particles only.
TITLE_NAME_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?P<role>[가-힣]{{0,6}}?(?:{_KO_TITLE_ALT}))\s+(?P<word>[가-힣]{{3,9}})(?![0-9A-Za-z가-힣])"
)

# English: ``CEO Satya Nadella``, ``Satya Nadella, CEO of …``, ``Prof. Kim Min-su``.
_EN_NAME = r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}(?:-[a-z]+)?)"
_EN_TITLES = (
    r"CEO|CTO|CFO|COO|Chairman|Chairwoman|Chair|President|Vice President|Minister|Professor|"
    r"Prof\.|Dr\.|Director|Senator|Governor|Mayor|Ambassador|Chief Executive|Founder|Head"
)
EN_TITLE_NAME_RE = re.compile(rf"(?<![A-Za-z])(?P<role>{_EN_TITLES})\s+{_EN_NAME}(?![A-Za-z])")
EN_NAME_TITLE_RE = re.compile(
    rf"(?<![A-Za-z]){_EN_NAME},\s+(?:the\s+)?(?P<role>{_EN_TITLES}|chief executive|president|professor|"
    r"minister|founder|director|chairman)(?![A-Za-z])"
)
# Capitalised words an English name pattern should never take for a name.
EN_NOT_NAMES = _words(
    "The This That These Those Korea Korean South North United States America American Seoul "
    "Asia Asian Europe European Inc Corp Group University Electronics Company Ministry National "
    "Global World Summit Conference Center Centre Institute Bank Fund Agency Association "
    "Organization Organisation Council Commission Programme Program Federation Forum Reserve "
    "Foundation Holdings Motors Technologies Development International Department Office"
)


@dataclass(frozen=True)
class NameHit:
    name: str
    role: str | None
    start: int
    end: int
    role_end: int = 0  # where the role (with its affiliation) ends; 0 when there is none


def looks_like_name(name: str) -> bool:
    """Three syllables with a one-syllable surname, or four with a two-syllable one.

    Two-syllable names (김구) are left to the registry: as a shape they are mostly other
    things (``구글 CEO``, ``인텔 대표``).
    """
    if name in NOT_NAMES or re.fullmatch(f"{_HANGUL}+", name) is None:
        return False
    if len(name) == 3:
        return name[0] in SURNAMES
    return len(name) == 4 and name[:2] in SURNAMES


def _tidy_role(role: str) -> str | None:
    role = re.sub(r"\s+", " ", role).strip()
    return None if role in ROLELESS or not role else role


# Surnames that may follow a foreign given name; not the syllables that qualify a title
# (``김철수 전 장관``: 전 means former).
_FOREIGN_SURNAMES = SURNAMES - {"전", "현", "부", "양", "총", "동", "대", "상", "시", "당", "단"}


def name_title_hits(text: str) -> list[NameHit]:
    """``이름 직함`` and ``직함 이름`` candidates; Kiwi vetoes the bad ones later.

    Candidates may nest (``민주당 한지석 원내대표`` gives 민주당 and 한지석): resolve them with
    :func:`drop_nested` once the vetoes have removed what is not a name.
    """
    hits: list[NameHit] = []
    for match in NAME_TITLE_RE.finditer(text):
        name = match.group("name")
        role = match.group("role") or ""
        end = match.end("role") if role else match.end("ssi")
        name_end, role_start = match.end("name"), match.start("role")
        # ``제이슨 권 오픈AI 최고전략책임자``: a given name, then a one-syllable surname.
        foreign = re.match(r"([가-힣])\s+", role)
        if (
            foreign
            and foreign.group(1) in _FOREIGN_SURNAMES
            and name not in NOT_NAMES
            # ``끝으로 조 CEO``: a word with a particle, then a surname and a title (a back-reference)
            and not any(tail for _stem, tail in split_particles(name))
        ):
            name = f"{name} {foreign.group(1)}"
            name_end = role_start + 1
            role_start += foreign.end()
        elif not looks_like_name(name) or is_place(text, match.start("name"), name_end):
            continue  # 종로구 구청장, 평창군 대관령면 주민 대표: places
        # ``한국자동차연구원 선임연구원``: the first title word was an affiliation; keep going.
        more = _MORE_ROLE_RE.match(text, end) if role else None
        if more:
            end = more.end("role")
        role = text[role_start:end] if role else ""
        hits.append(NameHit(name, _tidy_role(role), match.start("name"), name_end, end))
    for match in TITLE_NAME_RE.finditer(text):
        word = match.group("word")
        for size in (4, 3) if word[:2] in SURNAMES else (3,):
            name, tail = word[:size], word[size:]
            if len(word) >= size and is_particle_tail(tail, PARTICLES) and looks_like_name(name):
                start = match.start("word")
                hits.append(NameHit(name, _tidy_role(match.group("role")), start, start + size))
                break
    return hits


def drop_nested(hits: list[NameHit]) -> list[NameHit]:
    """When a name sits inside another candidate's affiliation, the one nearest the title wins."""
    starts = sorted(hit.start for hit in hits)

    def nested(hit: NameHit) -> bool:
        # is any candidate's start strictly between this name's end and its role's end?
        return bisect.bisect_right(starts, hit.end) < bisect.bisect_left(starts, hit.role_end)

    return [hit for hit in hits if not nested(hit)]


def english_name_hits(text: str) -> list[NameHit]:
    hits = []
    for regex in (EN_TITLE_NAME_RE, EN_NAME_TITLE_RE):
        for match in regex.finditer(text):
            name = match.group("name")
            if any(part in EN_NOT_NAMES for part in re.split(r"[ -]", name)):
                continue
            hits.append(NameHit(name, match.group("role"), match.start("name"), match.end("name")))
    return hits


# ----------------------------------------------------------------------------- organisations

# A word ending with one of these names an organisation (checked against Kiwi and NOT_ORGS).
ORG_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        _words(
            """
            감독원 개발원 건설 검찰청 게임즈 경찰청 고등학교 고법 공단 공사 공장 공제회 과학기술원 교육원 교육청 구청 군청 그룹 금융지주 기술원 네트웍스 당
            대 대학교 대학원 도서관 도청 디스플레이 랩스 모빌리티 물산 미술관 바이오 박물관 반도체 방송 백화점 뱅크 법원 벤처스 병원 보험 부 산업 상사 생명
            센터 소프트 솔루션 시스템즈 시청 식품 신문 에너지 엔터테인먼트 연구센터 연구소 연구원 연맹 연합회 위원회 은행 의료원 이노베이션 인베스트먼트 일보
            자동차 자산운용 재단 재판소 전자 정보원 정책원 제약 제철 조선 조합 중공업 중학교 증권 지검 지법 지주 진흥원 처 철강 청 초등학교 카드 캐피탈
            캐피털 텔레콤 통신 파트너스 페이 평가원 학원 학회 항공 해운 협의회 협회 홀딩스 화재 화학
                기구 로보틱스 코리아 테크놀로지 일렉트릭 케미칼 푸드 컴퍼니
            """
        ),
        key=lambda t: (-len(t), t),
    )
)


# Public bodies: ``한국부동산원``, ``중앙선거관리위원회``, ``대한체육회``, ``국가수사본부``.
# (Not 한국사회 "Korean society", 국가공무원 "civil servant", 한국선수단 "the team".)
def _not_after(*words: str) -> str:
    return "".join(f"(?<!{w})" for w in words)


PUBLIC_BODY_RE = re.compile(
    r"^(?:한국|대한|국립|국가|중앙)[가-힣]{2,12}(?:"
    + _not_after(
        "공무", "직", "회", "의", "위", "인", "요", "사", "지", "동", "복", "자", "관", "구", "성"
    )
    + "원|(?:협|학|위원|연합|협의|공제|체육|중앙|의사)회|"
    + _not_after("선수", "대표", "사절", "응원", "취재", "방문", "참관")
    + "단|청|처|본부|공사|공단|재단|기구)$"
)
# Suffixes that make so many ordinary words that only Kiwi's NNP (or the registry) may use them.
WEAK_ORG_SUFFIXES = _words(
    """
    공장 당 대 반도체 병원 보험 부 산업 상사 생명 센터 소프트 조선 조합 지주 처 청 카드 통신 페이 학원 화재
    """
)
# Ordinary words with an organisation suffix.
NOT_ORGS: frozenset[str] = _words(
    """
    정부 일부 내부 외부 전부 본부 지부 세부 간부 대부 상부 하부 남부 북부 동부 서부 중부 전반부 후반부
    수도권 여부 부부 국부 학부 학부모 사령부 흉부 복부 두부 노부 안부 거부 기부 장부 환부 고부
    요청 신청 관청 민원청 경청 청청 대청 위원회 재단 협회 연구소 연구원 병원 법원 학교 대학 대학교
    대학원 은행 증권 보험 신문 방송 그룹 산업 통신 조선 센터 공장 이사회 지주 상사 자동차 반도체
    전자 화학 제약 바이오 건설 항공 해운 식품 에너지 금융 조합 학회 연맹 연합회 박물관 미술관 도서관
    처 부 청 대 당 해당 정당 야당 여당 여야당 식당 강당 성당 빈대 세대 시대 최대 확대 기대 반대
    상대 현대 근대 고대 절대 부대 연대 군대 무대 교대 대대 중대 청년대 대학가 수당 정당성 각당
    사업부 사업본부 본사 지사 계열사 자회사 모회사 협력사 중소기업 대기업 공기업 스타트업 생명보험
    손해보험 인터넷은행 시중은행 지방은행 투자은행 중앙은행 저축은행 지방정부 중앙정부 연방정부
    전 세계 연구센터 데이터센터 콜센터 고객센터 서비스센터 지원센터 물류센터 상담센터 보건소
    종합병원 대학병원 동물병원 요양병원 지방법원 가정법원 행정법원 고등법원 대법원 헌법재판소
    초등학교 중학교 고등학교 교육청 시청 도청 구청 군청 경찰청 검찰청 국세청 관세청 외청
    이노베이션 솔루션 뱅크 페이 랩스 소프트 게임즈 플랫폼 관계부 부처 관계부처 정부부처 각부처
    """
)
# ``서던캘리포니아대학교(USC)``: a name and its Latin acronym or English name in parentheses.
# With an acronym in parentheses these words name a body (``유엔환경계획(UNEP)``,
# ``국제통화기금(IMF)``, ``세계경제포럼(WEF)``, ``유럽연합(EU)``); alone they are too common.
PAREN_ORG_SUFFIXES = ("계획", "기금", "포럼", "연합", "동맹", "협력체", "프로그램")
PAREN_ALIAS_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<name>[0-9A-Za-z가-힣&·]{2,40})\((?P<alias>[A-Z][A-Za-z0-9&.\- ]{1,40})\)"
)
_ORG_WORD_RE = re.compile(r"(?<![0-9A-Za-z가-힣&])[0-9A-Za-z가-힣&]*[가-힣][0-9A-Za-z가-힣&]*")
# ``Asian Development Bank``: capitalised words ending with an organisation word; a leading
# article (``The Asian Development Bank``) is no part of the name, nor is anything after it.
EN_ORG_RE = re.compile(
    r"(?<![A-Za-z])(?:(?:The|A|An) )?(?P<name>(?!(?:The|A|An) )(?:[A-Z][A-Za-z0-9&]+ ){0,3}[A-Z][A-Za-z0-9&]+"
    r"(?: (?:Inc|Corp|Co|Ltd|LLC|Group|University|Electronics|Institute|Foundation|Bank|Fund|"
    r"Agency|Association|Organization|Organisation|Council|Commission|Programme|Federation|"
    r"Forum|Holdings|Motors|Technologies)\.?))(?![A-Za-z])"
)


@dataclass(frozen=True)
class OrgHit:
    stem: str
    suffix: str
    start: int
    end: int


# One regex instead of a loop over the suffixes: the leftmost match is the longest suffix.
_ORG_SUFFIX_RE = re.compile("(?:" + "|".join(map(re.escape, ORG_SUFFIXES)) + ")$")


def org_suffix(stem: str) -> str | None:
    """The longest organisation suffix *stem* ends with, if something comes before it."""
    match = _ORG_SUFFIX_RE.search(stem, 1)
    return match.group(0) if match else None


_LONGEST_PARTICLE = max(map(len, PARTICLES))


def split_particles(word: str) -> list[tuple[str, str]]:
    """Every (stem, particle tail) reading of *word*, the whole word first."""
    readings = [(word, "")]
    for cut in range(len(word) - 1, max(0, len(word) - _LONGEST_PARTICLE - 1), -1):
        tail = word[cut:]
        if tail in ORG_PARTICLES:
            readings.append((word[:cut], tail))
    return readings


def org_hits(text: str) -> list[OrgHit]:
    """Words (minus their particles) that end with an organisation suffix."""
    hits = []
    for match in _ORG_WORD_RE.finditer(text):
        for stem, _tail in split_particles(match.group(0)):
            if stem in NOT_ORGS:
                break
            suffix = org_suffix(stem)
            if suffix is None and PUBLIC_BODY_RE.match(stem):
                suffix = ""
            if suffix is not None:
                hits.append(OrgHit(stem, suffix, match.start(), match.start() + len(stem)))
                break
    return hits


_SUBSIDIARY_RE = re.compile(r"(?<![0-9A-Za-z가-힣])한국(?P<parent>[0-9A-Za-z가-힣]{2,20})")


def korean_subsidiary_hits(text: str, companies: frozenset[str]) -> list[OrgHit]:
    """``한국마이크로소프트``: 한국 + a known company is its Korean subsidiary."""
    hits = []
    for match in _SUBSIDIARY_RE.finditer(text):
        for stem, _tail in split_particles(match.group("parent")):
            if stem in companies:
                end = match.start("parent") + len(stem)
                hits.append(OrgHit(f"한국{stem}", stem, match.start(), end))
                break
    return hits


# ----------------------------------------------------------------------------- recall rules
# Candidates below are shapes only: each one needs Kiwi's confirmation in extract.py
# (a proper-noun or Latin morpheme exactly where the name is), because as strings they
# match ordinary words as often as names.

# ``제롬 파월 의장``, ``요아힘 나겔 독일 분데스방크 총재``: two Hangul words, then a role.
# The role may carry affiliation words; which words are the name is decided in
# :func:`foreign_name_hits` (the first two words that are not a place or an organisation).
FOREIGN_NAME_RE = re.compile(
    rf"(?=(?<![0-9A-Za-z가-힣])(?P<first>[가-힣]{{2,6}})\s(?P<last>[가-힣]{{1,6}})\s+"
    rf"(?P<role>{_AFFIL}(?:{_QUAL})?(?:[A-Za-z0-9가-힣·&]*?)(?:{_TITLE_ALT}){_ROLE_PARENS})"
    rf"{_PARTICLE_TAIL})"
)
# Words after a foreign given name that are not a surname (``김철수 전 장관``, ``등``).
_NOT_FOREIGN_LAST = _words(
    "전 현 등 및 겸 측 씨 군 양 옹 님 새 옛 각 총 당 본 그 이 저 동 단 대 부 상 시 신 첫 한 두 세 네 "
    "미 중 일 영 독 북 남 러 불 호 캐"
)
# Syllables that transliterations use and Korean given names almost never do: the vowel ㅡ
# with no final consonant (크, 스, 트, 드, 르…) or a final ㅅ (봇, 잇).
_FOREIGN_SYLLABLE_RE = re.compile(
    "[" + "".join(chr(0xAC00 + (initial * 21 + 18) * 28) for initial in range(19)) + "]"
)


def looks_foreign(word: str) -> bool:
    """True when *word* has a syllable typical of a transliteration (``크리스천``, ``소봇카``)."""
    if _FOREIGN_SYLLABLE_RE.search(word):
        return True
    return any("가" <= ch <= "힣" and (ord(ch) - 0xAC00) % 28 == 19 for ch in word)


def _plain_word(word: str) -> bool:
    """A bare noun: not a known non-name, not a title, no organisation suffix."""
    return (
        word not in NOT_NAMES
        and word not in TITLE_SUFFIXES
        and word not in TITLE_QUALIFIERS
        and org_suffix(word) is None
        and word not in NOT_ORGS
    )


def foreign_name_hits(text: str) -> list[NameHit]:
    """``크리스틴 라가르드 ECB 총재``: a given name and a surname written in Hangul, then a role.

    Korean three-syllable names are left to :func:`name_title_hits` unless the word before
    is itself marked as foreign (``크리스천 소봇카``): ``에코프로 송호준 대표`` is a company and
    a Korean name, not a foreign name.
    """
    hits = []
    for match in FOREIGN_NAME_RE.finditer(text):
        first, last = match.group("first"), match.group("last")
        if not (_plain_word(first) and _plain_word(last)) or last in _NOT_FOREIGN_LAST:
            continue
        if looks_like_name(first) and not looks_foreign(first):
            continue
        if looks_like_name(last) and not looks_foreign(last):  # 에코프로 송호준 대표
            continue
        role = _tidy_role(match.group("role"))
        end = match.end("role")
        more = _MORE_ROLE_RE.match(text, end)
        if more:
            end = more.end("role")
            role = _tidy_role(text[match.start("role") : end])
        hits.append(NameHit(f"{first} {last}", role, match.start("first"), match.end("last"), end))
    return hits


# ``허정 국방부 차관``, ``양훈 교수``: a two-syllable name before a title that names only people.
STRONG_TITLES: tuple[str, ...] = tuple(
    sorted(
        _words(
            """
            사장 부사장 대표 대표이사 공동대표 장관 차관 의원 교수 명예교수 회장 부회장 총장 위원장 의장 청장 원장
            감독 전무 상무 총재 판사 부장판사 검사 부장검사 지사 도지사 총리 부총리 이사장 대법관 대사 구청장 군수
            """
        ),
        key=lambda t: (-len(t), t),
    )
)
SHORT_NAME_RE = re.compile(
    rf"(?=(?<![0-9A-Za-z가-힣])(?P<name>[가-힣]{{2}})\s+"
    rf"(?P<role>(?:[0-9A-Za-z가-힣·&]{{2,}}(?<![은는을를의와과도며다])\s+){{0,2}}?(?:{_QUAL})?"
    rf"(?:{'|'.join(STRONG_TITLES)}){_ROLE_PARENS}){_PARTICLE_TAIL})"
)


def short_name_hits(text: str) -> list[NameHit]:
    """Two-syllable Korean names (surname + one syllable) before a strong title word."""
    hits = []
    for match in SHORT_NAME_RE.finditer(text):
        name = match.group("name")
        if name[0] not in SURNAMES or not _plain_word(name):
            continue
        if is_place(text, match.start("name"), match.end("name")):
            continue  # 남구 구청장: a district
        role = match.group("role")
        hits.append(
            NameHit(
                name, _tidy_role(role), match.start("name"), match.end("name"), match.end("role")
            )
        )
    return hits


# ``김연경은 "…"고 말했다`` / ``김하성이 …``: a name followed by particles only. Taken when Kiwi
# reads the word as one proper noun and the name is quoted as a speaker, or named twice.
_SPEAKER_PARTICLES = "이|가|은|는|도|의|와|과|에게|을|를|로서|이라는"
BARE_NAME_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?P<name>[가-힣]{{3,4}})(?P<tail>{_SPEAKER_PARTICLES})(?![0-9A-Za-z가-힣])"
)
_SPEECH_VERBS = (
    "말했|말한|밝혔|밝힌|했다|설명했|강조했|전했|덧붙였|주장했|칭찬했|비판했|지적했|답했|털어놨|"
    "강조한|설명한|덧붙인|반박했|호소했|촉구했|전망했|내다봤|분석했|조언했|당부했|다짐했"
)
# The quote opens within a few words of the name and closes on a speech verb.
SPEECH_AFTER_RE = re.compile(
    rf"[^\"“”.?!]{{0,40}}[\"“][^\"“”]{{2,400}}[\"”]\s*(?:이?라(?:고|며|면서)|고|며|면서)\s*"
    rf"(?:[가-힣]+\s+)?(?:{_SPEECH_VERBS})"
)


# Last syllables of words that are not names (plurals, verb stems, connective endings) and
# frequent words shaped like a surname + two syllables; filtering them here keeps Kiwi
# from being called for paragraphs where no name can count.
# (구, 군, 시, 읍, 면 end district names far more often than people's: 종로구는, 평창군이.)
_NOT_NAME_ENDINGS = frozenset("들하서다님적구군시읍면")
_COMMON_BARE_WORDS = _words(
    """
    가능성 노하우 경력자 관계자 기업인 이용자 사용자 소비자 투자자 근로자 고령자 신청자 지원자 조사단 주민들
    전문가 구성원 방문객 관광객 참가자 대표팀 우승팀 상대팀 정부안 개정안 수정안 이사회 위원회 시민단체
    """
)


@dataclass(frozen=True)
class BareName:
    name: str
    start: int
    end: int
    speaker: bool  # quoted as a speaker in this sentence


def bare_name_hits(text: str) -> list[BareName]:
    hits = []
    for match in BARE_NAME_RE.finditer(text):
        name = match.group("name")
        if not looks_like_name(name) or not _plain_word(name):
            continue
        if name.endswith(TITLE_SUFFIXES):  # 정관장: a surname and a title, not a name
            continue
        if name[-1] in _NOT_NAME_ENDINGS or name in _COMMON_BARE_WORDS:
            continue
        if is_place(text, match.start("name"), match.end("name")):
            continue
        speaker = match.group("tail") in ("이", "가", "은", "는") and bool(
            SPEECH_AFTER_RE.match(text, match.end())
        )
        hits.append(BareName(name, match.start("name"), match.end("name"), speaker))
    return hits


# English speech: ``said Forrest Norrod, …`` / ``Tom Bradley said``.
EN_SAID_RES = (
    re.compile(rf"(?<![A-Za-z])said\s+{_EN_NAME}(?![A-Za-z])"),
    re.compile(rf"(?<![A-Za-z]){_EN_NAME}\s+(?:said|says|told)(?![A-Za-z])"),
)
_EN_ROLE_AFTER_RE = re.compile(
    r",\s+(?:the\s+)?(?:company's\s+|firm's\s+)?(?P<role>(?:[a-z]+\s+){0,3}"
    r"(?:president|founder|chairman|chairwoman|director|officer|executive|minister|professor|"
    r"analyst|spokesperson|spokesman|spokeswoman|manager|head|CEO|CFO|CTO))(?![A-Za-z])"
)


def english_speaker_hits(text: str) -> list[NameHit]:
    hits = []
    for regex in EN_SAID_RES:
        for match in regex.finditer(text):
            name = match.group("name")
            if any(part in EN_NOT_NAMES for part in re.split(r"[ -]", name)):
                continue
            role = _EN_ROLE_AFTER_RE.match(text, match.end("name"))
            hits.append(
                NameHit(
                    name,
                    role.group("role") if role else None,
                    match.start("name"),
                    match.end("name"),
                )
            )
    return hits


# Organisations without a suffix, by context: a word that names a kind of company before
# (``반도체 기업 AMD가``, ``자회사 하만을``), or a word about a company after (``에코프로비엠의
# 주가``, ``청와대 관계자는``). Kiwi must read the word as one proper noun (or Latin).
_ORG_DESCRIPTORS = (
    "기업|업체|회사|스타트업|플랫폼|경쟁사|자회사|계열사|고객사|협력사|신용평가사|증권사|운용사|"
    "제약사|유통사|게임사|완성차업체|브랜드|소속사|구단|투자사|모회사|지주사|제작사|배급사|운영사|"
    "제조사|통신사|항공사|건설사|보험사|카드사|조선사|완성차"
)
ORG_BEFORE_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?:{_ORG_DESCRIPTORS})\s+(?P<word>[0-9A-Za-z가-힣&]{{2,}})(?![0-9A-Za-z가-힣])"
)
_ORG_NOUNS_AFTER = (
    "합병|주가|시가총액|지분|주식|주주|매출|영업이익|순이익|실적|최대주주|이사회|관계자|대변인|본사|경영진|창업자|"
    # what only an organisation has: ``UNEP 사무총장``, ``IMF 총재``, ``OECD 회원국``
    "사무총장|사무국장|총재|회원국|이사국|의장국|총회"
)
ORG_AFTER_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?P<word>[0-9A-Za-z가-힣&]{{2,}}?)(?:의)?\s+(?:{_ORG_NOUNS_AFTER})"
    rf"(?![가-힣]*(?:들|자))"
)
# ``에코프로비엠에 투자``, ``하만을 인수``: the object of a deal.
# ``UNEP는 …보고서를 발표했다``: an all-caps acronym as the subject of what only an
# organisation (or a person) does; concepts (GDP, ESG, LNG) grow, fall and get adopted.
# Not when the verb reports a clause the acronym belongs to (``GDP가 늘 것으로 전망했다``,
# ``ESG는 화두라고 밝혔다``): quoted speech aside, 것으로/다고/라고/다며 end such a clause.
_AGENT_VERBS = (
    "밝혔|발표했|경고했|권고했|촉구했|공개했|내놨|추산했|집계했|보도했|보고했|지적했|전망했"
)
ACRONYM_SUBJECT_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣&])(?P<word>[A-Z][A-Z0-9&]{2,5})(?:은|는|이|가)\s"
    rf"(?P<rest>[^.?!\n]{{0,150}}?)(?:{_AGENT_VERBS})"
)
_QUOTED_RE = re.compile(r"[\"“][^\"“”]*[\"”]|[\'‘][^\'‘’]*[\'’]")
_EMBEDDED_CLAUSE_RE = re.compile(r"것으로|[다라]고\s|[다라]며\s|[다라]면서\s")


def acronym_subjects(text: str) -> list[re.Match[str]]:
    """``UNEP는 이날 보고서를 발표했다``: acronyms that are the subject of an agent's verb."""
    return [
        match
        for match in ACRONYM_SUBJECT_RE.finditer(text)
        if not _EMBEDDED_CLAUSE_RE.search(_QUOTED_RE.sub(" ", match.group("rest")))
    ]


ORG_DEAL_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<word>[0-9A-Za-z가-힣&]{2,}?)(?:에|을|를|와|과)\s+"
    r"(?:투자|인수|합병|제휴|납품|지분\s*투자)(?:하|했|한|할|를|을|에|\s|$)"
)
# ``국회 정보위원회``: a committee of the National Assembly (Kiwi reads 정보 as a common noun).
ASSEMBLY_COMMITTEE_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])국회\s+(?P<word>[가-힣]{1,12}위원회)(?![가-힣]*(?:위원|장))"
)
# Titles glued to an organisation's name: ``우주항공청장``, ``금감원장``, ``국립현대미술관장``.
ORG_TITLE_TAILS = _words("장 청장 원장 관장 처장 총장 회장 위원장")

# ``A와 B``, ``A·B``: a word listed with an organisation is one too (checked by Kiwi).
COORD_AFTER_RE = re.compile(
    r"^(?:와|과|·|\s및)\s*(?P<word>[0-9A-Za-z가-힣&]{2,})(?![0-9A-Za-z가-힣])"
)
COORD_BEFORE_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<word>[0-9A-Za-z가-힣&]{2,}?)(?:와|과|·)\s*$"
)
# Places that Kiwi tags as proper nouns and contexts such as ``관계자`` follow.
PLACES = _words(
    """
    헝가리 폴란드 체코 스페인 이탈리아 네덜란드 스웨덴 핀란드 노르웨이 덴마크 스위스 오스트리아 벨기에
    튀르키예 터키 이스라엘 이란 이라크 사우디 사우디아라비아 이집트 인도네시아 태국 필리핀 말레이시아
    싱가포르 멕시코 브라질 아르헨티나 칠레 우크라이나 워싱턴 뉴욕 도쿄 베이징 상하이 런던 파리 베를린
    브뤼셀 실리콘밸리 캘리포니아 텍사스 중동 아시아 아프리카 용산 여의도 강남 판교
    """
)


def org_stems(word: str) -> list[str]:
    """Readings of a context word (minus particles) that could name an organisation;
    Kiwi picks the one it reads as a single proper noun."""
    stems = []
    for stem, _tail in split_particles(word):
        if len(stem) < 2 or stem in NOT_NAMES or stem in NOT_ORGS or stem in PLACES:
            continue
        if stem in TITLE_SUFFIXES or looks_like_name(stem):
            continue
        if stem.isascii() and not re.fullmatch(r"[A-Z][A-Za-z0-9&]{1,15}", stem):
            continue
        stems.append(stem)
    return stems
