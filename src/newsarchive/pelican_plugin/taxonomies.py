"""People, companies and topics as browsable taxonomies.

Names in front matter are resolved to canonical entries of the editorial registry
(aliases -> canonical name), so ``MS`` and ``Microsoft`` land on one 마이크로소프트 page.
Every entity gets a stable, unique slug: the registry's slug when it has one, else the
Unicode slug of its name; names that slugify alike get a short hash of the name appended
(all but a registry entry), so two entities never share a URL. Which pages exist and
what they list is computed once per build in linear passes over the articles; what only
an entity page shows (its "often seen with" list) is computed when a template first asks
for it, so a build whose render cache skips that page never counts its co-occurrences.
Lazy values are pure functions of the build's articles: the same whichever page (or
forked worker) asks first.
"""

from __future__ import annotations

import hashlib
import heapq
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

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
    """The *limit* highest counts, ties by smaller key.

    Only items counted at least as often as the *limit*-th highest count can be among
    them (``nlargest`` over the bare counts, no key function, finds it); only those are
    ordered, by two C-level sorts (stable, so the key order survives the count sort)
    instead of a Python key function per item. On the 10,000-article bench the counters
    hold ~400 items and this takes about half the time of sorting them all.
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


class CoOccurrence:
    """Which entity pages each article is on, to rank an entity's companions on demand."""

    def __init__(self, pages: list[EntityPage]) -> None:
        self.pages = pages  # every entity page of the build, by index
        self.indexes: dict[int, list[int]] = {}  # id(article) -> its pages' indexes

    def related(self, page: EntityPage) -> list[tuple[EntityPage, int]]:
        counter: Counter[int] = Counter()
        indexes = self.indexes
        for article in page.articles:
            counter.update(indexes[id(article)])  # counts the page itself: dropped below
        counter.pop(page.index, None)
        # pages are indexed in (kind, initial, name) order: the index breaks ties
        return [(self.pages[other], count) for other, count in top_counts(counter, CO_OCCURRING)]


@dataclass(eq=False)
class EntityPage:
    """One person, company or topic as the templates see it."""

    kind: Kind
    name: str
    slug: str
    entity: Entity | None
    articles: list[Any] = field(default_factory=list)  # newest first
    index: int = -1  # position among all entity pages of the build
    co_occurrence: CoOccurrence | None = field(default=None, repr=False)
    _related: list[tuple[EntityPage, int]] | None = field(default=None, repr=False)

    @property
    def related(self) -> list[tuple[EntityPage, int]]:
        """The entities most often in the same articles: ``[(page, shared articles)]``,
        most shared first, then in index order."""
        if self._related is None:
            self._related = [] if self.co_occurrence is None else self.co_occurrence.related(self)
        return self._related

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
    _sorted: list[EntityPage] | None = field(default=None, repr=False)

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
        """Index order: ㄱ…ㅎ, then A–Z, then 기타, by name (sorted once: the pages of a
        build do not change once :func:`build_taxonomies` returns)."""
        if self._sorted is None or len(self._sorted) != len(self.pages):
            self._sorted = sorted(self.pages.values(), key=lambda p: sort_key(p.name))
        return list(self._sorted)

    def groups(self) -> list[tuple[str, list[EntityPage]]]:
        """``[(initial, pages)]``: ㄱ…ㅎ, then A–Z, then 기타."""
        grouped: dict[str, list[EntityPage]] = defaultdict(list)
        for page in self.sorted_pages():
            grouped[page.initial].append(page)
        return sorted(grouped.items(), key=lambda item: _initial_rank(item[0]))


class Chip(NamedTuple):
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
    # Names repeat across thousands of articles: resolve each (kind, name) once.
    canonical: dict[tuple[Kind, str], str] = {}
    resolved: list[dict[Kind, list[tuple[str, str | None]]]] = []
    all_names: dict[Kind, set[str]] = {kind: set() for kind in KINDS}
    for article in articles:
        per_kind: dict[Kind, list[tuple[str, str | None]]] = {}
        for kind in KINDS:
            seen: dict[str, str | None] = {}
            for raw_name, role in _names(article, kind):
                name = canonical.get((kind, raw_name))
                if name is None:
                    name = canonical[(kind, raw_name)] = registry.canonical_name(kind, raw_name)
                if name and (name not in seen or (role and not seen[name])):
                    seen[name] = role
            per_kind[kind] = list(seen.items())
            all_names[kind].update(seen)
        resolved.append(per_kind)

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

    # Every page gets a small integer so co-occurrences are counted on ints in C.
    all_pages = [page for kind in KINDS for page in taxonomies[kind].sorted_pages()]
    co_occurrence = CoOccurrence(all_pages)
    for index, page in enumerate(all_pages):
        page.index = index
        page.co_occurrence = co_occurrence
    chips: dict[int, dict[Kind, list[Chip]]] = {}
    indexes_of = co_occurrence.indexes
    for article, per_kind in zip(articles, resolved, strict=True):
        article_chips: dict[Kind, list[Chip]] = {}
        indexes: list[int] = []
        for kind in KINDS:
            pages = taxonomies[kind].pages
            entries = []
            for name, role in per_kind[kind]:
                page = pages[name]
                page.articles.append(article)
                entries.append(Chip(page, role))
                indexes.append(page.index)
            article_chips[kind] = entries
        chips[id(article)] = article_chips
        indexes_of[id(article)] = indexes
    return taxonomies, chips
