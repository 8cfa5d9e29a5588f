"""Kiwi's judgement of rule candidates: which shapes are names and organisations in context.

The rules (:mod:`newsarchive.entities.rules`) find shapes by string; these functions read
Kiwi's tokens of the same paragraph (offsets into its text, in text order) to veto a
name-shaped ordinary word (``연구자 박사``) or to confirm a shape that is a name only when
Kiwi reads it as a proper noun. Pure functions of the tokens, so tests can feed any.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from newsarchive.entities import rules

# Tags Kiwi gives to words that cannot be (part of) a name.
# (Not particles: Kiwi sometimes reads a name's last syllable as one, 최지환 -> 최지화 + ㄴ.)
PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "E", "XSV", "XSA", "MAG", "MAJ", "IC")
ADMIN_UNITS = frozenset("시군구도동읍면리")
LONGEST_TOKEN = 64  # characters; longer user words are cut off here, not mis-read


def covering(tokens: Sequence, start: int, end: int) -> list:
    """Tokens overlapping [start, end); *tokens* are in text order (binary search, with a
    margin for a long token that starts well before *start*)."""
    first = bisect.bisect_left(tokens, start - LONGEST_TOKEN, key=lambda t: t.start)
    inside = []
    for token in tokens[first:]:
        if token.start >= end:
            break
        if token.end > start:
            inside.append(token)
    return inside


def vetoes_name(tokens: list, hit: rules.NameHit) -> bool:
    """True when Kiwi reads the name-shaped word as an ordinary word."""
    inside = covering(tokens, hit.start, hit.end)
    if not inside or not any("가" <= ch <= "힣" for ch in hit.name):
        return False
    first = inside[0]
    if any(t.tag.startswith(PREDICATE_TAGS) for t in inside):
        return True
    last = inside[-1]
    if last.tag.startswith("J") and "가" <= last.form[:1] <= "힣" and last.end >= hit.end:
        return True  # 한국은: a noun and a particle (a lone jamo ᆫ is a misparse, kept)
    if len(inside) == 1 and first.tag != "NNP":
        return True  # 연구자, 이사회: one dictionary word that is not a proper noun
    if first.start == hit.start and first.end - first.start >= 2 and first.tag != "NNP":
        return True  # 선수들: a common noun starts the word
    # 강남구: a place name plus an administrative unit
    return (
        first.tag == "NNP"
        and first.end - first.start >= 2
        and len(inside) == 2
        and inside[1].form in ADMIN_UNITS
    )


def proper_run(tokens: list, start: int, end: int) -> bool:
    """Kiwi reads exactly [start, end) as proper nouns and Latin letters only
    (``오라클``, ``JYP``, ``퓨리오사`` + ``AI``)."""
    inside = covering(tokens, start, end)
    return (
        bool(inside)
        and inside[0].start == start
        and inside[-1].end == end
        and all(t.tag in ("NNP", "SL") for t in inside)
    )


def single_token(tokens: list, start: int, end: int, tags: tuple[str, ...]) -> bool:
    """Kiwi reads exactly [start, end) as one morpheme with one of *tags*."""
    inside = covering(tokens, start, end)
    return (
        len(inside) == 1
        and inside[0].start == start
        and inside[0].end == end
        and inside[0].tag in tags
    )


def confirms_foreign(tokens: list, hit: rules.NameHit) -> bool:
    """Both words of a transliterated name are proper nouns to Kiwi (``제롬 파월`` may be one
    morpheme); a common-noun reading is allowed only for a word shaped like a
    transliteration (``크리스천``) or a one-syllable surname (``리사 수``)."""
    inside = covering(tokens, hit.start, hit.end)
    if not inside or inside[0].start != hit.start or inside[-1].end != hit.end:
        return False
    if not any(t.tag == "NNP" for t in inside):
        return False
    for token in inside:
        if token.tag == "NNP":
            continue
        if token.tag == "NNG" and (rules.looks_foreign(token.form) or len(token.form) == 1):
            continue
        return False
    return True


def confirms_short(tokens: list, hit: rules.NameHit, text: str) -> bool:
    """A two-syllable name is one proper noun to Kiwi and is not itself the affiliation of
    a name just before it (``크리스천 소봇카 하만 사장``: 하만 is the company)."""
    if not single_token(tokens, hit.start, hit.end, ("NNP",)):
        return False
    before = [t for t in covering(tokens, max(0, hit.start - 12), hit.start) if t.end <= hit.start]
    return not (
        before
        and before[-1].tag in ("NNP", "SL")
        and not text[before[-1].end : hit.start].strip(" ")
    )


def confirms_org(tokens: list, hit: rules.OrgHit) -> bool:
    """An organisation word needs a proper noun (or Latin) morpheme before its suffix."""
    inside = covering(tokens, hit.start, hit.end)
    if not inside:
        return False
    if rules.PUBLIC_BODY_RE.match(hit.stem):
        return True
    if hit.suffix in rules.WEAK_ORG_SUFFIXES:
        # 정의당, 서울대: too many ordinary words end like these; only a whole NNP counts.
        return len(inside) == 1 and inside[0].tag == "NNP" and inside[0].end >= hit.end
    suffix_start = hit.end - len(hit.suffix)
    return any(t.tag in ("NNP", "SL") and t.start < suffix_start for t in inside) or (
        len(inside) == 1 and inside[0].tag == "NNP"
    )
