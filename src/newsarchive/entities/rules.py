"""Hand-written rules for Korean (and some English) news text: the part Kiwi cannot do alone.

Kiwi's NNP tag is untyped and misses or cuts names (it splits 은석현 into 은/석/현 and cuts
김원범 to 김원), so people are found by shape: a Korean surname, a one- or two-syllable given
name, and a title or role right after (``박형세 HE사업본부장(사장)``) or right before
(``대표이사 조주완은``). Organisations are found by suffix (``…전자``, ``…대학교``, ``…부``).
Everything here is pure string work, so it is cheap and testable without loading Kiwi.

Boundaries are explicit: Python's ``\\b`` treats Hangul as word characters, so ``\\bLG전자\\b``
would not match ``LG전자가``. A match must not be preceded by a letter or digit, and must be
followed by the end of the word or by particles only (:func:`is_particle_tail`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
    dateline = _DATELINE_RE.match(text)
    if dateline and (outlet is None or outlet in dateline.group(0) or "=" in dateline.group(0)):
        text = blank(dateline) + text[dateline.end() :]
    for regex in _BYLINE_RES:
        for match in regex.finditer(text):
            if match.groups():
                bylines.append(match.group(1))
        text = regex.sub(blank, text)
    for regex in _CREDIT_RES:
        text = regex.sub(blank, text)
    return text, bylines


# ----------------------------------------------------------------------------- boundaries

_WORD_CHAR = re.compile(r"[0-9A-Za-z가-힣]")
# Case markers, postpositions and copula endings that may follow a name inside one word.
_PARTICLES = (
    "이",
    "가",
    "은",
    "는",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "에게",
    "께",
    "께서",
    "한테",
    "와",
    "과",
    "도",
    "로",
    "으로",
    "만",
    "까지",
    "부터",
    "보다",
    "처럼",
    "조차",
    "마저",
    "이나",
    "나",
    "이며",
    "며",
    "이고",
    "고",
    "이다",
    "다",
    "였다",
    "이었다",
    "이라는",
    "라는",
    "이란",
    "란",
    "이라고",
    "라고",
    "측",
    "측은",
    "측도",
    "측의",
    "측이",
    "로서",
    "으로서",
    "로부터",
    "으로부터",
    "에서는",
    "에서도",
    "에서의",
    "에게는",
    "에게도",
    "에는",
    "에도",
    "와는",
    "과는",
    "와의",
    "과의",
    "으로는",
    "로는",
    "으로도",
    "로도",
    "만의",
    "까지도",
    "부터는",
    "이랑",
    "랑",
    "하고",
    "에선",
    "엔",
    "이지만",
    "지만",
    "이자",
    "자",
    "이며",
    "이었던",
    "였던",
    "인",
    "의해",
    "에의",
    "이든",
    "씨",
    "씨는",
    "씨가",
    "씨의",
    "씨를",
    "씨에게",
    "씨와",
    "씨도",
    "씨로부터",
)
PARTICLES: frozenset[str] = frozenset(_PARTICLES)
# Particles that are also the whole following word would be too loose; "씨" belongs to
# people only, so organisation matching uses this narrower set.
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
def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (easier to read and extend)."""
    return frozenset(text.split())


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
        {
            "대표",
            "대표이사",
            "회장",
            "부회장",
            "사장",
            "부사장",
            "전무",
            "상무",
            "이사",
            "이사장",
            "본부장",
            "센터장",
            "소장",
            "원장",
            "총장",
            "부총장",
            "학장",
            "교수",
            "부교수",
            "연구원",
            "연구위원",
            "책임연구원",
            "선임연구원",
            "장관",
            "차관",
            "의원",
            "대통령",
            "총리",
            "부총리",
            "시장",
            "지사",
            "도지사",
            "구청장",
            "군수",
            "청장",
            "위원장",
            "부위원장",
            "위원",
            "대변인",
            "감독",
            "선수",
            "코치",
            "기자",
            "특파원",
            "변호사",
            "판사",
            "검사",
            "검찰총장",
            "의장",
            "총재",
            "부총재",
            "행장",
            "은행장",
            "팀장",
            "부장",
            "차장",
            "과장",
            "실장",
            "국장",
            "처장",
            "단장",
            "교사",
            "교장",
            "박사",
            "작가",
            "배우",
            "가수",
            "감독관",
            "사무총장",
            "대사",
            "원내대표",
            "최고위원",
            "비서실장",
            "수석",
            "비서관",
            "정책실장",
            "이사회장",
            "사무국장",
            "조합장",
            "지부장",
            "회계사",
            "연구관",
            "주무관",
            "사무관",
            "서기관",
            "경위",
            "경감",
            "경정",
            "총경",
            "부장판사",
            "부장검사",
            "지검장",
            "고검장",
            "대법관",
            "대법원장",
            "헌법재판관",
            "재판관",
            "당선인",
            "후보",
            "후보자",
            "예비후보",
            "군의원",
            "구의원",
            "시의원",
            "도의원",
            "교육감",
            "이장",
            "사무처장",
            "상임위원",
            "명예교수",
            "석좌교수",
            "겸임교수",
            "초빙교수",
            "연구교수",
            "전문위원",
            "애널리스트",
            "연구소장",
            "창업자",
            "의사",
            "간호사",
            "약사",
            "씨",
            "총괄",
            "리더",
            "매니저",
            "디렉터",
            "파트너",
            "CEO",
            "CTO",
            "CFO",
            "COO",
            "CHO",
            "CIO",
            "CMO",
            "CSO",
            "CPO",
            "CDO",
            "CISO",
            "CCO",
        },
        key=len,
        reverse=True,
    )
)
_LATIN_TITLES = frozenset(t for t in TITLE_SUFFIXES if t.isascii())
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
NAME_TITLE_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣]){_NAME}{_AGE}(?:\s+"
    rf"(?P<role>(?:{_QUAL})?(?:[A-Za-z0-9가-힣·&]*?)(?:{_TITLE_ALT}){_ROLE_PARENS})|(?P<ssi>씨))"
    rf"(?P<tail>[가-힣]*)"
)
_KO_TITLE_ALT = "|".join(re.escape(t) for t in TITLE_SUFFIXES if not t.isascii() and t != "씨")
# ``대표이사 조주완은``: an exact Korean title word, then a name and particles only.
TITLE_NAME_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?P<role>{_KO_TITLE_ALT})\s+(?P<word>[가-힣]{{3,9}})(?![0-9A-Za-z가-힣])"
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
    "Asia Europe Inc Corp Group University Electronics Company Ministry National Global "
    "World Summit Conference Center Centre Institute"
)


@dataclass(frozen=True)
class NameHit:
    name: str
    role: str | None
    start: int
    end: int


def split_surname(name: str) -> tuple[str, str] | None:
    """``"남궁민수"`` -> ``("남궁", "민수")``; None when *name* does not start with a surname."""
    if len(name) >= 3 and name[:2] in SURNAMES:
        return name[:2], name[2:]
    if name[:1] in SURNAMES and 1 <= len(name) - 1 <= 2:
        return name[:1], name[1:]
    return None


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


def name_title_hits(text: str) -> list[NameHit]:
    """``이름 직함`` and ``직함 이름`` candidates in order; Kiwi vetoes the bad ones later."""
    hits: list[NameHit] = []
    for match in NAME_TITLE_RE.finditer(text):
        name, tail = match.group("name"), match.group("tail")
        role = match.group("role") or ""
        # The role must end the word (or be followed by particles): ``교수진`` is not ``교수``.
        if tail and not is_particle_tail(tail, PARTICLES):
            continue
        if not looks_like_name(name):
            continue
        # A Latin title glued to more Latin letters is not the title (``CEOs``, ``CHOICE``).
        end = match.end("role") if role else match.end("ssi")
        if end < len(text) and text[end].isascii() and text[end].isalpha():
            continue
        hits.append(NameHit(name, _tidy_role(role), match.start("name"), match.end("name")))
    for match in TITLE_NAME_RE.finditer(text):
        word = match.group("word")
        for size in (4, 3) if word[:2] in SURNAMES else (3,):
            name, tail = word[:size], word[size:]
            if len(word) >= size and is_particle_tail(tail, PARTICLES) and looks_like_name(name):
                start = match.start("word")
                hits.append(NameHit(name, _tidy_role(match.group("role")), start, start + size))
                break
    return hits


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
        {
            "전자",
            "그룹",
            "대학교",
            "대학원",
            "부",
            "처",
            "청",
            "공사",
            "공단",
            "은행",
            "증권",
            "보험",
            "생명",
            "화재",
            "카드",
            "캐피탈",
            "건설",
            "중공업",
            "화학",
            "제약",
            "바이오",
            "자동차",
            "텔레콤",
            "에너지",
            "디스플레이",
            "물산",
            "상사",
            "홀딩스",
            "지주",
            "재단",
            "협회",
            "연구소",
            "위원회",
            "병원",
            "지법",
            "지검",
            "법원",
            "고법",
            "신문",
            "일보",
            "방송",
            "엔터테인먼트",
            "자산운용",
            "금융지주",
            "조선",
            "해운",
            "항공",
            "제철",
            "철강",
            "식품",
            "백화점",
            "랩스",
            "모빌리티",
            "연구원",
            "진흥원",
            "감독원",
            "개발원",
            "평가원",
            "과학기술원",
            "의료원",
            "교육원",
            "정보원",
            "연합회",
            "연맹",
            "협의회",
            "학회",
            "조합",
            "공제회",
            "박물관",
            "미술관",
            "도서관",
            "경찰청",
            "검찰청",
            "기술원",
            "정책원",
            "산업",
            "통신",
            "반도체",
            "이노베이션",
            "솔루션",
            "시스템즈",
            "소프트",
            "게임즈",
            "네트웍스",
            "인베스트먼트",
            "벤처스",
            "파트너스",
            "캐피털",
            "뱅크",
            "페이",
            "대",
            "당",
            "시청",
            "도청",
            "구청",
            "군청",
            "교육청",
            "고등학교",
            "중학교",
            "초등학교",
            "센터",
            "공장",
            "연구센터",
            "재판소",
        },
        key=len,
        reverse=True,
    )
)
# Suffixes that make so many ordinary words that only Kiwi's NNP (or the registry) may use them.
WEAK_ORG_SUFFIXES = frozenset(
    {
        "부",
        "처",
        "청",
        "대",
        "당",
        "산업",
        "통신",
        "조선",
        "센터",
        "공장",
        "보험",
        "화재",
        "생명",
        "카드",
        "지주",
        "상사",
        "반도체",
        "페이",
        "소프트",
        "조합",
        "병원",
    }
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
PAREN_ALIAS_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<name>[0-9A-Za-z가-힣&·]{2,40})\((?P<alias>[A-Z][A-Za-z0-9&.\- ]{1,40})\)"
)
_ORG_WORD_RE = re.compile(r"(?<![0-9A-Za-z가-힣&])[0-9A-Za-z가-힣&]*[가-힣][0-9A-Za-z가-힣&]*")
EN_ORG_RE = re.compile(
    r"(?<![A-Za-z])(?P<name>(?:[A-Z][A-Za-z0-9&]+ ){0,3}[A-Z][A-Za-z0-9&]+"
    r"(?: (?:Inc|Corp|Co|Ltd|LLC|Group|University|Electronics|Institute|Foundation|Bank)\.?))(?![A-Za-z])"
)


@dataclass(frozen=True)
class OrgHit:
    stem: str
    suffix: str
    start: int
    end: int


def org_suffix(stem: str) -> str | None:
    for suffix in ORG_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            return suffix
    return None


def split_particles(word: str) -> list[tuple[str, str]]:
    """Every (stem, particle tail) reading of *word*, the whole word first."""
    readings = [(word, "")]
    for cut in range(len(word) - 1, 0, -1):
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
            if suffix is not None:
                hits.append(OrgHit(stem, suffix, match.start(), match.start() + len(stem)))
                break
    return hits
