"""Find the people, companies and topics an article mentions.

Three sources of evidence, strongest first:

1. the registry: every canonical name and alias, matched with explicit boundaries (no
   letter before, end of word or particles after) on NFC text; aliases resolve to the
   canonical entry (``MS`` -> 마이크로소프트);
2. rules (:mod:`newsarchive.entities.rules`): a Korean name next to a title or role
   (``박형세 HE사업본부장(사장)``, ``대표이사 조주완은``), a word with an organisation suffix
   (``…전자``, ``…대학교``), an acronym in parentheses (``서던캘리포니아대학교(USC)``);
   and recall rules that are only shapes until Kiwi confirms them: foreign names in Hangul
   before a role, two-syllable names before a strong title, names with particles only that
   are quoted or repeated, English speakers, organisations without a suffix by context;
3. Kiwi, which vetoes rule candidates that are ordinary words (``연구자 박사``: 연구자 is a
   common noun) and confirms organisation words by their proper-noun (NNP) morphemes.

What is never a mention: the reporter's byline, the outlet (the dateline ``(시사미래신문)``),
and credits (``[출처=…]``, ``(사진=…)``). A surname followed by a title (``조 CEO``, ``김 대표``)
refers back to someone already named and never creates a person.

Output order is the order of first appearance (title first, then paragraphs), so the same
input always gives the same lists.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsarchive.entities import rules
from newsarchive.entities.registry import Entity, Kind, Registry, normalise_name
from newsarchive.model import Person

if TYPE_CHECKING:  # the importer imports this module's users, not the other way round
    from newsarchive.importer.parse import ParsedDump

_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,4}$")
_CONTEXT = 40  # characters either side of a candidate in its sample context
# Tags Kiwi gives to words that cannot be (part of) a name.
# (Not particles: Kiwi sometimes reads a name's last syllable as one, 최지환 -> 최지화 + ㄴ.)
_PREDICATE_TAGS = ("VV", "VA", "VX", "VCP", "VCN", "E", "XSV", "XSA", "MAG", "MAJ", "IC")
_ADMIN_UNITS = frozenset("시군구도동읍면리")
_LONGEST_TOKEN = 64  # characters; longer user words are cut off here, not mis-read


@dataclass(frozen=True)
class Candidate:
    """A name the registry does not know, for ``newsarchive entities --suggest``."""

    kind: Kind
    name: str
    count: int
    context: str


@dataclass
class ExtractionResult:
    people: list[Person] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class _Match:
    """One registry name found in a paragraph."""

    start: int
    end: int
    entities: tuple[Entity, ...]


@dataclass
class _Found:
    """What one article mentions, in order of first appearance."""

    kind: Kind
    name: str
    known: bool
    role: str | None = None
    count: int = 0
    context: str = ""
    order: tuple[int, int] = (0, 0)  # (paragraph, offset) of the first mention


class _Collector:
    def __init__(self) -> None:
        self.items: dict[tuple[Kind, str], _Found] = {}
        self.paragraph = 0  # index of the paragraph being read, for the order of mentions

    def add(
        self,
        kind: Kind,
        name: str,
        *,
        known: bool,
        role: str | None = None,
        context: str = "",
        start: int = 0,
    ) -> None:
        key = (kind, normalise_name(name))
        found = self.items.get(key)
        if found is None:
            order = (self.paragraph, start)
            found = self.items[key] = _Found(kind, name, known, role, 0, context, order)
        elif found.role is None and role:
            found.role = role
        found.count += 1


def _context(text: str, start: int, end: int) -> str:
    snippet = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return re.sub(r"\s+", " ", snippet).strip()


class Extractor:
    """Extracts entities with one registry; cheap to create, picklable for worker processes.

    Kiwi itself lives in :mod:`newsarchive.entities.kiwi` (one per process), so pickling an
    Extractor sends only the registry; the worker loads Kiwi on its first article.
    """

    def __init__(self, registry: Registry, *, use_kiwi: bool = True) -> None:
        self.registry = registry
        self.use_kiwi = use_kiwi
        self._by_first: dict[str, list[tuple[str, tuple[Entity, ...]]]] | None = None
        self._words_added = False
        self._companies: frozenset[str] | None = None

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_by_first"] = None  # rebuilt on demand; keeps the pickle small
        state["_words_added"] = False  # the worker's Kiwi has not seen the names yet
        return state

    # ------------------------------------------------------------------ registry matching
    def _index(self) -> dict[str, list[tuple[str, tuple[Entity, ...]]]]:
        if self._by_first is None:
            owners: dict[str, list[Entity]] = {}
            for entity in self.registry:
                for name in entity.names():
                    key = _fold(rules.normalise_text(name))
                    if entity not in owners.setdefault(key, []):
                        owners[key].append(entity)
            by_first: dict[str, list[tuple[str, tuple[Entity, ...]]]] = {}
            for key, entities in owners.items():
                by_first.setdefault(key[0], []).append((key, tuple(entities)))
            for names in by_first.values():
                names.sort(key=lambda item: (-len(item[0]), item[0]))
            self._by_first = by_first
        return self._by_first

    def _registry_matches(self, text: str) -> list[_Match]:
        """Leftmost-longest registry names with explicit boundaries."""
        index = self._index()
        folded = _fold(text)
        matches: list[_Match] = []
        pos = 0
        while pos < len(text):
            candidates = index.get(folded[pos])
            if candidates and rules.left_boundary(text, pos):
                for key, entities in candidates:
                    end = pos + len(key)
                    if not folded.startswith(key, pos):
                        continue
                    surface = text[pos:end]
                    # Short all-caps acronyms match their exact case only (MS, not "Ms").
                    entities = tuple(e for e in entities if _case_ok(e, surface))
                    if entities and (
                        rules.right_boundary(text, end, surface, rules.PARTICLES)
                        or _org_title_tail(text, end, entities)
                    ):
                        matches.append(_Match(pos, end, entities))
                        pos = end - 1
                        break
            pos += 1
        return matches

    def _company_names(self) -> frozenset[str]:
        if self._companies is None:
            self._companies = frozenset(
                name for e in self.registry.entities("company") for name in e.names()
            )
        return self._companies

    def _ensure_user_words(self) -> None:
        if not self._words_added:
            from newsarchive.entities import kiwi

            kiwi.add_user_words(name for entity in self.registry for name in entity.names())
            self._words_added = True

    def _tokens(self, text: str) -> list:
        if not self.use_kiwi:
            return []
        from newsarchive.entities import kiwi

        self._ensure_user_words()
        return kiwi.tokenize(text)

    # ------------------------------------------------------------------ the entry point
    def extract(
        self,
        *,
        title: str,
        paragraphs: Sequence[str],
        byline_name: str | None = None,
        outlet: str | None = None,
        source: str | None = None,
    ) -> ExtractionResult:
        """Entities of one article. *source* is the ``[출처=…]`` credit: it counts only when
        the story itself names it, so it needs no special handling beyond stripping credits."""
        del source  # documented above: credits are stripped from the text, never counted
        excluded_people = {normalise_name(byline_name)} if byline_name else set()
        excluded_orgs: set[str] = set()
        if outlet:
            excluded_orgs.add(normalise_name(outlet))
            known = self.registry.resolve("company", outlet)
            if known is not None:
                excluded_orgs.update(normalise_name(n) for n in known.names())

        found = _Collector()
        local_aliases: dict[str, str] = {}  # acronym -> company, from ``이름(ACR)`` in this article
        bare: dict[str, list[tuple[int, int, bool, str]]] = {}  # name -> mentions without a title
        texts = []
        for raw in [title, *paragraphs]:
            text, bylines = rules.strip_credits(rules.normalise_text(raw), outlet)
            excluded_people.update(normalise_name(b) for b in bylines)
            texts.append(text)
        # Names with particles only count when quoted or named twice: filtering them here,
        # by string, keeps Kiwi away from paragraphs where no such name can count.
        bare_hits = [rules.bare_name_hits(text) for text in texts]
        named = Counter(hit.name for hits in bare_hits for hit in hits)
        for index, text in enumerate(texts):
            found.paragraph = index
            if text.strip():
                useful = [h for h in bare_hits[index] if h.speaker or named[h.name] >= 2]
                self._paragraph(text, found, local_aliases, bare, useful)
        self._bare_names(found, bare)

        result = ExtractionResult()
        for item in sorted(found.items.values(), key=lambda item: item.order):
            norm = normalise_name(item.name)
            if item.kind == "person":
                if norm in excluded_people:
                    continue
                result.people.append(Person(item.name, item.role))
            elif item.kind == "company":
                if norm in excluded_orgs:
                    continue
                result.companies.append(item.name)
            else:
                result.topics.append(item.name)
            if not item.known:
                result.candidates.append(Candidate(item.kind, item.name, item.count, item.context))
        return result

    # ------------------------------------------------------------------ one paragraph
    def _bare_names(
        self, found: _Collector, bare: dict[str, list[tuple[int, int, bool, str]]]
    ) -> None:
        """A name with particles only (``김하성은``) counts when quoted as a speaker or named
        twice in the article, and when no title-bearing mention already found it."""
        people = {normalise_name(f.name) for f in found.items.values() if f.kind == "person"}
        for name, mentions in bare.items():
            if normalise_name(name) in people:
                continue
            if len(mentions) >= 2 or any(speaker for _p, _s, speaker, _c in mentions):
                paragraph, start, _speaker, context = mentions[0]
                saved, found.paragraph = found.paragraph, paragraph
                for _mention in mentions:
                    found.add("person", name, known=False, context=context, start=start)
                found.paragraph = saved

    def _paragraph(
        self,
        text: str,
        found: _Collector,
        local_aliases: dict[str, str],
        bare: dict[str, list[tuple[int, int, bool, str]]],
        bare_candidates: list[rules.BareName],
    ) -> None:
        events: list[tuple[int, int, Kind, str, bool, str | None]] = []
        taken = _Spans(len(text))
        free = taken.free

        registry_matches = self._registry_matches(text)
        for match in registry_matches:
            taken.add(match.start, match.end)
            for entity in match.entities:
                events.append((match.start, match.end, entity.kind, entity.name, True, None))

        person_hits = rules.name_title_hits(text) + rules.english_name_hits(text)
        foreign_hits = [h for h in rules.foreign_name_hits(text) if free(h.start, h.end)]
        short_hits = [h for h in rules.short_name_hits(text) if free(h.start, h.end)]
        bare_hits = [h for h in bare_candidates if free(h.start, h.end)]
        org_hits = rules.org_hits(text)
        paren_hits = list(rules.PAREN_ALIAS_RE.finditer(text))
        en_org_hits = list(rules.EN_ORG_RE.finditer(text))
        context_matches = [
            *rules.ORG_BEFORE_RE.finditer(text),
            *rules.ORG_AFTER_RE.finditer(text),
            *rules.ORG_DEAL_RE.finditer(text),
            *rules.acronym_subjects(text),
        ]
        context_orgs = [
            m
            for m in context_matches
            if free(m.start("word"), m.end("word")) and rules.org_stems(m.group("word"))
        ]
        company_spans = [
            (m.start, m.end)
            for m in registry_matches
            if any(e.kind == "company" for e in m.entities)
        ]
        # Kiwi is consulted only when some rule candidate is not already a registry name.
        needs_kiwi = (
            any(free(h.start, h.end) for h in person_hits)
            or any(free(h.start, h.end) for h in org_hits)
            or bool(foreign_hits or short_hits or bare_hits or context_orgs)
            or bool(_coordinated(text, company_spans))
        )
        tokens = self._tokens(text) if needs_kiwi else []

        people: list[rules.NameHit] = []
        if tokens:
            # Kiwi must confirm these shapes; without Kiwi they are not used at all.
            last_end = -1
            for hit in foreign_hits:  # 하워드 러트닉 미 상무장관: not also 러트닉 미
                if hit.start > last_end and _kiwi_confirms_foreign(tokens, hit):
                    people.append(hit)
                    last_end = hit.end
        foreign_spans = [(h.start, h.end) for h in people]
        for hit in short_hits + person_hits + rules.english_speaker_hits(text):
            if any(s <= hit.start < e for s, e in foreign_spans):
                continue  # 크리스천 소봇카: the surname alone is not another person
            if hit in short_hits:
                if _kiwi_confirms_short(tokens, hit, text):
                    people.append(hit)
                continue
            if self.registry.resolve("person", hit.name) is not None or (
                free(hit.start, hit.end) and not (tokens and _kiwi_vetoes_name(tokens, hit))
            ):
                people.append(hit)
        accepted: list[rules.NameHit] = []
        for hit in rules.drop_nested(people):
            known = self.registry.resolve("person", hit.name)
            # A registry person next to a title: the role is recorded at that mention.
            name = known.name if known is not None else hit.name
            events.append((hit.start, hit.end, "person", name, known is not None, hit.role))
            taken.add(hit.start, hit.end)
            accepted.append(hit)

        for bare_hit in bare_hits:
            if free(bare_hit.start, bare_hit.end) and _single_token(
                tokens, bare_hit.start, bare_hit.end, ("NNP",)
            ):
                mention = (
                    found.paragraph,
                    bare_hit.start,
                    bare_hit.speaker,
                    _context(text, bare_hit.start, bare_hit.end),
                )
                bare.setdefault(bare_hit.name, []).append(mention)

        for paren in paren_hits:
            name, alias = paren.group("name"), paren.group("alias").strip()
            stem = _org_stem(name)
            known = self.registry.resolve("company", stem) or self.registry.resolve(
                "company", alias
            )
            if known is not None:
                local_aliases[alias] = known.name
            elif (
                rules.org_suffix(stem) is not None or stem.endswith(rules.PAREN_ORG_SUFFIXES)
            ) and stem not in rules.NOT_ORGS:
                # An organisation word with its acronym: the acronym is the evidence.
                start = paren.start("name")
                events.append((start, start + len(stem), "company", stem, False, None))
                taken.add(start, start + len(stem))
                local_aliases[alias] = stem

        for hit in rules.korean_subsidiary_hits(text, self._company_names()):
            if free(hit.start, hit.end):
                events.append((hit.start, hit.end, "company", hit.stem, False, None))
                taken.add(hit.start, hit.end)

        for hit in org_hits:
            if not free(hit.start, hit.end):
                continue
            if tokens and _kiwi_confirms_org(tokens, hit):
                events.append((hit.start, hit.end, "company", hit.stem, False, None))
                taken.add(hit.start, hit.end)

        for match in rules.ASSEMBLY_COMMITTEE_RE.finditer(text):
            start, end = match.span("word")
            if free(start, end):
                events.append((start, end, "company", match.group("word"), False, None))
                taken.add(start, end)

        for match in en_org_hits:
            start, end = match.span("name")
            if free(start, end):
                events.append((start, end, "company", match.group("name"), False, None))
                taken.add(start, end)

        if tokens:
            spans = [(s, e) for s, e, kind, *_rest in events if kind == "company"]
            for start, end in self._context_orgs(text, tokens, accepted, context_orgs, spans):
                if free(start, end) and text[start:end] not in local_aliases:
                    events.append((start, end, "company", text[start:end], False, None))
                    taken.add(start, end)

        for alias, company in local_aliases.items():
            known_company = self.registry.resolve("company", company) is not None
            for match in re.finditer(rf"(?<![0-9A-Za-z]){re.escape(alias)}(?![0-9A-Za-z])", text):
                if free(match.start(), match.end()):
                    events.append(
                        (match.start(), match.end(), "company", company, known_company, None)
                    )

        events.sort(key=lambda e: (e[0], e[1]))
        for start, end, kind, name, known, role in events:
            context = _context(text, start, end)
            found.add(kind, name, known=known, role=role, context=context, start=start)

    def _context_orgs(
        self,
        text: str,
        tokens: list,
        people: list[rules.NameHit],
        context_matches: list[re.Match[str]],
        company_spans: list[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """Organisations without a suffix, found by their context and confirmed by Kiwi:
        the affiliation in a person's role (``송호준 에코프로 대표``), a descriptor before
        (``자회사 하만``), a company noun after (``…의 주가``), or a listing with another
        organisation (``하이브와 JYP``)."""
        words: list[tuple[int, str]] = []
        for hit in people:
            if hit.role is None or not hit.role_end:
                continue
            # The proper noun right before the title word (``에코프로 대표``, ``토트넘 홋스퍼
            # 감독``); words further left may be part of the name or a place.
            title_start = text.rfind(" ", hit.end, hit.role_end) + 1
            before = [t for t in _covering(tokens, hit.end, title_start) if t.end <= title_start]
            if title_start > hit.end and before and before[-1].start > hit.end:
                token = before[-1]
                if (
                    token.tag in ("NNP", "SL")
                    and rules.left_boundary(text, token.start)
                    and not text[token.end : title_start].strip()
                ):
                    words.append((token.start, text[token.start : token.end]))
        words += [(m.start("word"), m.group("word")) for m in context_matches]
        words += _coordinated(text, company_spans)
        found = []
        found = self._confirm_org_words(tokens, words)
        # ``리벨리온과 사피온의 합병``: a word listed with an organisation found by context
        found += self._confirm_org_words(tokens, _coordinated(text, found))
        return found

    def _confirm_org_words(
        self, tokens: list, words: list[tuple[int, str]]
    ) -> list[tuple[int, int]]:
        found = []
        for start, word in words:
            for stem in rules.org_stems(word):
                end = start + len(stem)
                if self.registry.resolve("person", stem) is None and _proper_run(
                    tokens, start, end
                ):
                    found.append((start, end))
                    break
        return found


def _fold(text: str) -> str:
    """Lower-case ASCII only: keeps offsets identical to the original text."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _case_ok(entity: Entity, surface: str) -> bool:
    for name in entity.names():
        if _ACRONYM_RE.match(name) and name.casefold() == surface.casefold():
            return name == surface
    return True


def _org_stem(word: str) -> str:
    for stem, _tail in rules.split_particles(word):
        if rules.org_suffix(stem) is not None:
            return stem
    return word


class _Spans:
    """Character spans already claimed in a paragraph (linear, whatever the number of hits)."""

    def __init__(self, size: int) -> None:
        self._mask = bytearray(size)

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) < 0


def _covering(tokens: Sequence, start: int, end: int) -> list:
    """Tokens overlapping [start, end); *tokens* are in text order (binary search, with a
    margin for a long token that starts well before *start*)."""
    first = bisect.bisect_left(tokens, start - _LONGEST_TOKEN, key=lambda t: t.start)
    inside = []
    for token in tokens[first:]:
        if token.start >= end:
            break
        if token.end > start:
            inside.append(token)
    return inside


def _kiwi_vetoes_name(tokens: list, hit: rules.NameHit) -> bool:
    """True when Kiwi reads the name-shaped word as an ordinary word."""
    inside = _covering(tokens, hit.start, hit.end)
    if not inside or not any("가" <= ch <= "힣" for ch in hit.name):
        return False
    first = inside[0]
    if any(t.tag.startswith(_PREDICATE_TAGS) for t in inside):
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
        and inside[1].form in _ADMIN_UNITS
    )


def _org_title_tail(text: str, end: int, entities: tuple[Entity, ...]) -> bool:
    """``우주항공청장은``: a known organisation with a title glued on still names it."""
    if not all(e.kind == "company" for e in entities):
        return False
    word_end = rules.word_end(text, end)
    for stem, _tail in rules.split_particles(text[end:word_end]):
        if stem in rules.ORG_TITLE_TAILS:
            return True
    return False


def _coordinated(text: str, company_spans: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Words listed right next to an organisation (``하이브와 JYP``, ``혼다와 도요타``)."""
    words = []
    for start, end in company_spans:
        after = rules.COORD_AFTER_RE.match(text[end : end + 40])
        if after and rules.org_stems(after.group("word")):
            words.append((end + after.start("word"), after.group("word")))
        before = rules.COORD_BEFORE_RE.search(text[max(0, start - 40) : start])
        if before and rules.org_stems(before.group("word")):
            words.append((max(0, start - 40) + before.start("word"), before.group("word")))
    return words


def _proper_run(tokens: list, start: int, end: int) -> bool:
    """Kiwi reads exactly [start, end) as proper nouns and Latin letters only
    (``오라클``, ``JYP``, ``퓨리오사`` + ``AI``)."""
    inside = _covering(tokens, start, end)
    return (
        bool(inside)
        and inside[0].start == start
        and inside[-1].end == end
        and all(t.tag in ("NNP", "SL") for t in inside)
    )


def _single_token(tokens: list, start: int, end: int, tags: tuple[str, ...]) -> bool:
    """Kiwi reads exactly [start, end) as one morpheme with one of *tags*."""
    inside = _covering(tokens, start, end)
    return (
        len(inside) == 1
        and inside[0].start == start
        and inside[0].end == end
        and inside[0].tag in tags
    )


def _kiwi_confirms_foreign(tokens: list, hit: rules.NameHit) -> bool:
    """Both words of a transliterated name are proper nouns to Kiwi (``제롬 파월`` may be one
    morpheme); a common-noun reading is allowed only for a word shaped like a
    transliteration (``크리스천``) or a one-syllable surname (``리사 수``)."""
    inside = _covering(tokens, hit.start, hit.end)
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


def _kiwi_confirms_short(tokens: list, hit: rules.NameHit, text: str) -> bool:
    """A two-syllable name is one proper noun to Kiwi and is not itself the affiliation of
    a name just before it (``크리스천 소봇카 하만 사장``: 하만 is the company)."""
    if not _single_token(tokens, hit.start, hit.end, ("NNP",)):
        return False
    before = [t for t in _covering(tokens, max(0, hit.start - 12), hit.start) if t.end <= hit.start]
    return not (
        before
        and before[-1].tag in ("NNP", "SL")
        and not text[before[-1].end : hit.start].strip(" ")
    )


def _kiwi_confirms_org(tokens: list, hit: rules.OrgHit) -> bool:
    """An organisation word needs a proper noun (or Latin) morpheme before its suffix."""
    inside = _covering(tokens, hit.start, hit.end)
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


def extract_dump(extractor: Any, parsed: ParsedDump) -> ExtractionResult:
    """Entities of a parsed raw dump: its headline and paragraphs, with its byline and outlet
    excluded. *extractor* is anything with :meth:`Extractor.extract` (tests inject fakes)."""
    return extractor.extract(
        title=parsed.title,
        paragraphs=parsed.paragraphs(),
        byline_name=parsed.byline.name if parsed.byline else None,
        outlet=parsed.outlet,
        source=parsed.source,
    )
