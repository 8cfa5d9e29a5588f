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
from importlib import resources

from newsarchive.entities.places import is_place

# Word lists live in data/*.txt next to this module: editors extend them without touching
# the rules, and each file says what its words are for. Read once, when this module loads.
_DATA = resources.files("newsarchive.entities").joinpath("data")


def _word_list(name: str) -> tuple[str, ...]:
    """The words of ``data/<name>.txt`` in file order (whitespace-separated, ``#`` comments)."""
    text = _DATA.joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return tuple(word for line in text.splitlines() for word in line.split("#", 1)[0].split())


def _words(name: str) -> frozenset[str]:
    return frozenset(_word_list(name))


def _alternation(name: str) -> str:
    """A regex alternation of the file's words, in file order (the first that fits wins)."""
    return "|".join(map(re.escape, _word_list(name)))


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
_PARTICLES = _words("particles")
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
SURNAMES: frozenset[str] = _words("surnames")

# Title words: a role ends with one of these (``HE사업본부장`` ends with ``본부장``).
TITLE_SUFFIXES: tuple[str, ...] = tuple(sorted(_words("titles"), key=lambda t: (-len(t), t)))
# Titles that name no role worth showing (``김철수 씨``: a person, no role).
ROLELESS = frozenset({"씨"})
# Words before a title that qualify it: ``김철수 전 장관``.
TITLE_QUALIFIERS = ("전", "현", "신임", "前", "現", "초대", "차기", "공동", "수석", "선임")

# Words shaped like a surname + given name that are ordinary words or places, seen before
# titles in news text (``신임 대표``, ``한국 대표``, ``이번 사장``). Kiwi vetoes most of them
# in context; this list catches the ones it tags as proper nouns (places) or gets wrong.
NOT_NAMES: frozenset[str] = _words("not_names")

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
EN_NOT_NAMES = _words("en_not_names")


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
ORG_SUFFIXES: tuple[str, ...] = tuple(sorted(_words("org_suffixes"), key=lambda t: (-len(t), t)))


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
WEAK_ORG_SUFFIXES = _words("weak_org_suffixes")
# Ordinary words with an organisation suffix.
NOT_ORGS: frozenset[str] = _words("not_orgs")
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
_NOT_FOREIGN_LAST = _words("not_foreign_last")
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
STRONG_TITLES: tuple[str, ...] = tuple(sorted(_words("strong_titles"), key=lambda t: (-len(t), t)))
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
_SPEECH_VERBS = _alternation("speech_verbs")
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
_COMMON_BARE_WORDS = _words("common_bare_words")


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
_ORG_DESCRIPTORS = _alternation("org_descriptors")
ORG_BEFORE_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?:{_ORG_DESCRIPTORS})\s+(?P<word>[0-9A-Za-z가-힣&]{{2,}})(?![0-9A-Za-z가-힣])"
)
_ORG_NOUNS_AFTER = _alternation("org_nouns_after")
ORG_AFTER_RE = re.compile(
    rf"(?<![0-9A-Za-z가-힣])(?P<word>[0-9A-Za-z가-힣&]{{2,}}?)(?:의)?\s+(?:{_ORG_NOUNS_AFTER})"
    rf"(?![가-힣]*(?:들|자))"
)
# ``에코프로비엠에 투자``, ``하만을 인수``: the object of a deal.
# ``UNEP는 …보고서를 발표했다``: an all-caps acronym as the subject of what only an
# organisation (or a person) does; concepts (GDP, ESG, LNG) grow, fall and get adopted.
# Not when the verb reports a clause the acronym belongs to (``GDP가 늘 것으로 전망했다``,
# ``ESG는 화두라고 밝혔다``): quoted speech aside, 것으로/다고/라고/다며 end such a clause.
_AGENT_VERBS = _alternation("agent_verbs")
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
ORG_TITLE_TAILS = _words("org_title_tails")

# ``A와 B``, ``A·B``: a word listed with an organisation is one too (checked by Kiwi).
COORD_AFTER_RE = re.compile(
    r"^(?:와|과|·|\s및)\s*(?P<word>[0-9A-Za-z가-힣&]{2,})(?![0-9A-Za-z가-힣])"
)
COORD_BEFORE_RE = re.compile(
    r"(?<![0-9A-Za-z가-힣])(?P<word>[0-9A-Za-z가-힣&]{2,}?)(?:와|과|·)\s*$"
)
# Places that Kiwi tags as proper nouns and contexts such as ``관계자`` follow.
PLACES = _words("places")


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
