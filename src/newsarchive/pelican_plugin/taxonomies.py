"""People, companies and topics as browsable taxonomies.

Names in front matter are resolved to canonical entries of the editorial registry
(aliases -> canonical name), so ``MS`` and ``Microsoft`` land on one 마이크로소프트 page.
Every entity gets a stable, unique slug: the registry's slug when it has one, else the
Unicode slug of its name; names that slugify alike get a short hash of the name appended
(all but a registry entry), so two entities never share a URL. Everything here is
computed once per build in linear passes over the articles.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from newsarchive.entities.registry import KINDS, SECTION_OF_KIND, Entity, Kind, Registry
from newsarchive.slugs import slugify

KIND_LABEL: dict[Kind, str] = {"person": "인물", "company": "기업·기관", "topic": "주제"}
CO_OCCURRING = 10  # entities listed as "often seen with" on an entity page

_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_FOLD = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
HANGUL_INITIALS = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
LATIN_INITIALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OTHER_INITIAL = "기타"


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


def _initial_rank(initial: str) -> tuple[int, int]:
    if initial in HANGUL_INITIALS:
        return (0, HANGUL_INITIALS.index(initial))
    if initial in LATIN_INITIALS:
        return (1, LATIN_INITIALS.index(initial))
    return (2, 0)


def sort_key(name: str) -> tuple[tuple[int, int], str]:
    return (_initial_rank(initial_of(name)), unicodedata.normalize("NFC", name).casefold())


def top_counts(counter: Counter[int], limit: int) -> list[tuple[int, int]]:
    """The *limit* highest counts, ties by smaller key: two C-level sorts (stable, so the
    key order survives the count sort) instead of a Python key function per item."""
    return sorted(sorted(counter.items()), key=itemgetter(1), reverse=True)[:limit]


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


@dataclass(eq=False)
class EntityPage:
    """One person, company or topic as the templates see it."""

    kind: Kind
    name: str
    slug: str
    entity: Entity | None
    articles: list[Any] = field(default_factory=list)  # newest first
    related: list[tuple[EntityPage, int]] = field(default_factory=list)
    index: int = -1  # position among all entity pages of the build

    @property
    def section(self) -> str:
        return SECTION_OF_KIND[self.kind]

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]

    @property
    def url(self) -> str:
        return f"{self.section}/{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"{self.section}/{self.slug}/index.html"

    @property
    def feed_url(self) -> str:
        return f"feeds/{self.section}/{self.slug}.atom.xml"

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def initial(self) -> str:
        return initial_of(self.name)

    @property
    def by_year(self) -> list[tuple[int, list[Any]]]:
        years: dict[int, list[Any]] = defaultdict(list)
        for article in self.articles:
            years[article.date.year].append(article)
        return sorted(years.items(), reverse=True)

    @property
    def latest_date(self) -> Any:
        return self.articles[0].date if self.articles else None


@dataclass
class Taxonomy:
    kind: Kind
    pages: dict[str, EntityPage]  # by canonical name

    @property
    def section(self) -> str:
        return SECTION_OF_KIND[self.kind]

    @property
    def label(self) -> str:
        return KIND_LABEL[self.kind]

    @property
    def url(self) -> str:
        return f"{self.section}/"

    @property
    def save_as(self) -> str:
        return f"{self.section}/index.html"

    def sorted_pages(self) -> list[EntityPage]:
        return sorted(self.pages.values(), key=lambda p: sort_key(p.name))

    def groups(self) -> list[tuple[str, list[EntityPage]]]:
        """``[(initial, pages)]``: ㄱ…ㅎ, then A–Z, then 기타."""
        grouped: dict[str, list[EntityPage]] = defaultdict(list)
        for page in self.sorted_pages():
            grouped[page.initial].append(page)
        return sorted(grouped.items(), key=lambda item: _initial_rank(item[0]))


@dataclass
class Chip:
    page: EntityPage
    role: str | None = None


def _names(article: Any, kind: Kind) -> list[tuple[str, str | None]]:
    model = getattr(article, "na", None)
    if model is None:
        return []
    if kind == "person":
        return [(p.name, p.role) for p in model.people]
    return [(name, None) for name in (model.companies if kind == "company" else model.topics)]


def build_taxonomies(
    articles: Sequence[Any], registry: Registry
) -> tuple[dict[Kind, Taxonomy], dict[int, dict[Kind, list[Chip]]]]:
    """Taxonomies by kind, and each article's chips (keyed by ``id(article)``).

    *articles* must already be in display order (newest first): entity pages keep it.
    """
    resolved: dict[int, dict[Kind, list[tuple[str, str | None]]]] = {}
    all_names: dict[Kind, set[str]] = {kind: set() for kind in KINDS}
    for article in articles:
        per_kind: dict[Kind, list[tuple[str, str | None]]] = {}
        for kind in KINDS:
            seen: dict[str, str | None] = {}
            for raw_name, role in _names(article, kind):
                name = registry.canonical_name(kind, raw_name)
                if name and (name not in seen or (role and not seen[name])):
                    seen[name] = role
            per_kind[kind] = list(seen.items())
            all_names[kind].update(seen)
        resolved[id(article)] = per_kind

    taxonomies: dict[Kind, Taxonomy] = {}
    for kind in KINDS:
        slugs = assign_slugs(all_names[kind], kind, registry)
        taxonomies[kind] = Taxonomy(
            kind,
            {
                name: EntityPage(kind, name, slugs[name], registry.resolve(kind, name))
                for name in sorted(all_names[kind])
            },
        )

    # Every page gets a small integer so the counting below runs on ints in C (Counter.update).
    all_pages = [page for kind in KINDS for page in taxonomies[kind].sorted_pages()]
    for index, page in enumerate(all_pages):
        page.index = index
    chips: dict[int, dict[Kind, list[Chip]]] = {}
    pair_counts: list[Counter[int]] = [Counter() for _ in all_pages]
    for article in articles:
        article_chips: dict[Kind, list[Chip]] = {}
        indexes: list[int] = []
        for kind in KINDS:
            entries = []
            for name, role in resolved[id(article)][kind]:
                page = taxonomies[kind].pages[name]
                page.articles.append(article)
                entries.append(Chip(page, role))
                indexes.append(page.index)
            article_chips[kind] = entries
        chips[id(article)] = article_chips
        for index in indexes:
            pair_counts[index].update(indexes)  # counts itself too: skipped when ranking
    for page in all_pages:
        counter = pair_counts[page.index]
        counter.pop(page.index, None)
        # sorted_pages order is (kind, initial, name): the index breaks ties deterministically
        best = top_counts(counter, CO_OCCURRING)
        page.related = [(all_pages[other], count) for other, count in best]
    return taxonomies, chips
