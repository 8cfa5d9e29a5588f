"""People, companies and topics: index letters, ordering and unique slugs.

Names in front matter are resolved to canonical entries of the editorial registry
(aliases -> canonical name), so ``MS`` and ``Microsoft`` land on one 마이크로소프트 page.
Every entity gets a stable, unique slug: the registry's slug when it has one, else the
Unicode slug of its name; names that slugify alike get a short hash of the name appended
(all but a registry entry), so two entities never share a URL.
"""

from __future__ import annotations

import hashlib
import heapq
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from operator import itemgetter

from newsarchive.entities.registry import KINDS, SECTION_OF_KIND, Kind, Registry
from newsarchive.slugs import slugify

__all__ = ["KINDS", "KIND_LABEL", "SECTION_OF_KIND", "Kind"]

KIND_LABEL: dict[Kind, str] = {"person": "인물", "company": "기업·기관", "topic": "주제"}

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
HANGUL_INITIALS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
LATIN_INITIALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OTHER_INITIAL = "기타"


@cache  # pure, and asked again for every name on every structural build
def initial_of(name: str) -> str:
    """Index letter of a name: its Hangul initial consonant (doubled ones folded into
    their base, so 쌍용 files under ㅅ), else its Latin letter, else 기타."""
    text = unicodedata.normalize("NFC", name).strip()
    if not text:
        return OTHER_INITIAL
    first = text[0]
    if "가" <= first <= "힣":
        consonant = _CHOSEONG[(ord(first) - 0xAC00) // 588]
        return _FOLD.get(consonant, consonant)
    if first in HANGUL_INITIALS or first in _FOLD:  # a bare jamo
        return _FOLD.get(first, first)
    upper = unicodedata.normalize("NFKD", first)[:1].upper()
    if "A" <= upper <= "Z":
        return upper
    return OTHER_INITIAL


def initial_rank(initial: str) -> tuple[int, int]:
    """ㄱ…ㅎ, then A–Z, then 기타."""
    if initial in HANGUL_INITIALS:
        return (0, HANGUL_INITIALS.index(initial))
    if initial in LATIN_INITIALS:
        return (1, LATIN_INITIALS.index(initial))
    return (2, 0)


@cache
def sort_key(name: str) -> tuple[tuple[int, int], str]:
    return (initial_rank(initial_of(name)), unicodedata.normalize("NFC", name).casefold())


def top_counts(counter: Counter[int], limit: int) -> list[tuple[int, int]]:
    """The *limit* highest counts, ties by smaller key.

    Only items counted at least as often as the *limit*-th highest count can be among
    them (``nlargest`` over the bare counts finds it); only those are ordered, by two
    C-level sorts (stable, so the key order survives the count sort).
    """
    if limit <= 0:
        return []
    if len(counter) > limit:
        threshold = heapq.nlargest(limit, counter.values())[-1]
        items = [item for item in counter.items() if item[1] >= threshold]
    else:
        items = list(counter.items())
    items.sort()
    items.sort(key=itemgetter(1), reverse=True)
    return items[:limit]


def _short_hash(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]


def assign_slugs(names: Iterable[str], kind: Kind, registry: Registry) -> dict[str, str]:
    """Canonical name -> slug, unique within *kind* and independent of iteration order."""
    wanted: dict[str, list[str]] = defaultdict(list)
    fixed: dict[str, str] = {}
    for name in sorted(set(names)):
        entity = registry.resolve(kind, name)
        if entity is not None and entity.name == name:
            fixed[name] = entity.slug
            wanted[entity.slug].append(name)
        else:
            wanted[slugify(name)].append(name)
    slugs: dict[str, str] = {}
    taken = set(fixed.values())
    for slug, group in sorted(wanted.items()):
        if len(group) == 1 and (group[0] in fixed or slug not in taken):
            slugs[group[0]] = slug
            continue
        for name in group:
            slugs[name] = fixed.get(name) or f"{slug}-{_short_hash(name)}"
    return slugs


def entity_url(kind: Kind, slug: str) -> str:
    return f"{SECTION_OF_KIND[kind]}/{slug}/"


def entity_feed(kind: Kind, slug: str) -> str:
    return f"feeds/{SECTION_OF_KIND[kind]}/{slug}.atom.xml"
