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

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsarchive.entities import judge, rules
from newsarchive.entities.registry import Entity, Kind, Registry, normalise_name
from newsarchive.model import Person

if TYPE_CHECKING:  # the importer imports this module's users, not the other way round
    from newsarchive.importer.parse import ParsedDump

_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,4}$")
_CONTEXT = 40  # characters either side of a candidate in its sample context


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
        """Every mention in one paragraph, step by step, strongest evidence first.

        Each step sees the spans the steps before it took, so a registry name is never also
        a rule candidate and a person's name never also an organisation. Mentions are then
        recorded in text order (ties in the order the steps found them).
        """
        para = _Paragraph(text)
        registry_matches = self._registry_step(para)
        hits = _RuleHits.find(para, bare_candidates)
        company_spans = [
            (m.start, m.end)
            for m in registry_matches
            if any(e.kind == "company" for e in m.entities)
        ]
        if hits.need_kiwi(para, company_spans):
            para.tokens = self._tokens(text)
        accepted = self._people_step(para, hits)
        _bare_name_step(para, hits.bare, found.paragraph, bare)
        self._paren_alias_step(para, hits.paren, local_aliases)
        self._suffix_org_step(para, hits)
        if para.tokens:
            self._context_org_step(para, accepted, hits.context_orgs, local_aliases)
        self._local_alias_step(para, local_aliases)

        para.events.sort(key=lambda e: (e[0], e[1]))
        for start, end, kind, name, known, role in para.events:
            context = _context(text, start, end)
            found.add(kind, name, known=known, role=role, context=context, start=start)

    def _registry_step(self, para: _Paragraph) -> list[_Match]:
        """Registry names and aliases: known entities, taken before any rule looks."""
        matches = self._registry_matches(para.text)
        for match in matches:
            para.taken.add(match.start, match.end)
            for entity in match.entities:
                para.note(match.start, match.end, entity.kind, entity.name, known=True)
        return matches

    def _people_step(self, para: _Paragraph, hits: _RuleHits) -> list[rules.NameHit]:
        """People from the rule shapes: foreign and two-syllable names only when Kiwi
        confirms them, the others unless Kiwi vetoes them (or the registry knows them)."""
        tokens, free = para.tokens, para.free
        people: list[rules.NameHit] = []
        if tokens:
            # Kiwi must confirm these shapes; without Kiwi they are not used at all.
            last_end = -1
            for hit in hits.foreign:  # 하워드 러트닉 미 상무장관: not also 러트닉 미
                if hit.start > last_end and judge.confirms_foreign(tokens, hit):
                    people.append(hit)
                    last_end = hit.end
        foreign_spans = [(h.start, h.end) for h in people]
        for hit in hits.short + hits.person + rules.english_speaker_hits(para.text):
            if any(s <= hit.start < e for s, e in foreign_spans):
                continue  # 크리스천 소봇카: the surname alone is not another person
            if hit in hits.short:
                if judge.confirms_short(tokens, hit, para.text):
                    people.append(hit)
                continue
            if self.registry.resolve("person", hit.name) is not None or (
                free(hit.start, hit.end) and not (tokens and judge.vetoes_name(tokens, hit))
            ):
                people.append(hit)
        accepted: list[rules.NameHit] = []
        for hit in rules.drop_nested(people):
            known = self.registry.resolve("person", hit.name)
            # A registry person next to a title: the role is recorded at that mention.
            name = known.name if known is not None else hit.name
            para.take(hit.start, hit.end, "person", name, known=known is not None, role=hit.role)
            accepted.append(hit)
        return accepted

    def _paren_alias_step(
        self, para: _Paragraph, parens: list[re.Match[str]], local_aliases: dict[str, str]
    ) -> None:
        """``서던캘리포니아대학교(USC)``: the acronym names the organisation for the rest of
        the article; an unknown organisation word with an acronym is an organisation."""
        for paren in parens:
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
                para.take(start, start + len(stem), "company", stem, known=False)
                local_aliases[alias] = stem

    def _suffix_org_step(self, para: _Paragraph, hits: _RuleHits) -> None:
        """Organisations by their shape: 한국 + a known company, a suffix Kiwi confirms,
        a committee of the National Assembly, an English name ending in an organisation word."""
        text, free = para.text, para.free
        for hit in rules.korean_subsidiary_hits(text, self._company_names()):
            if free(hit.start, hit.end):
                para.take(hit.start, hit.end, "company", hit.stem, known=False)
        for hit in hits.org:
            if free(hit.start, hit.end) and para.tokens and judge.confirms_org(para.tokens, hit):
                para.take(hit.start, hit.end, "company", hit.stem, known=False)
        for match in rules.ASSEMBLY_COMMITTEE_RE.finditer(text):
            start, end = match.span("word")
            if free(start, end):
                para.take(start, end, "company", match.group("word"), known=False)
        for match in hits.en_org:
            start, end = match.span("name")
            if free(start, end):
                para.take(start, end, "company", match.group("name"), known=False)

    def _context_org_step(
        self,
        para: _Paragraph,
        accepted: list[rules.NameHit],
        context_matches: list[re.Match[str]],
        local_aliases: dict[str, str],
    ) -> None:
        """Organisations without a suffix, by context (Kiwi must read them as proper nouns)."""
        text = para.text
        spans = [(s, e) for s, e, kind, *_rest in para.events if kind == "company"]
        for start, end in self._context_orgs(text, para.tokens, accepted, context_matches, spans):
            if para.free(start, end) and text[start:end] not in local_aliases:
                para.take(start, end, "company", text[start:end], known=False)

    def _local_alias_step(self, para: _Paragraph, local_aliases: dict[str, str]) -> None:
        """Every later use of an acronym learnt from ``이름(ACR)`` in this article."""
        for alias, company in local_aliases.items():
            known_company = self.registry.resolve("company", company) is not None
            pattern = rf"(?<![0-9A-Za-z]){re.escape(alias)}(?![0-9A-Za-z])"
            for match in re.finditer(pattern, para.text):
                if para.free(match.start(), match.end()):
                    para.note(match.start(), match.end(), "company", company, known=known_company)

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
            before = [
                t for t in judge.covering(tokens, hit.end, title_start) if t.end <= title_start
            ]
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
                if self.registry.resolve("person", stem) is None and judge.proper_run(
                    tokens, start, end
                ):
                    found.append((start, end))
                    break
        return found


# A mention found in a paragraph: start, end, kind, name, known to the registry, role.
_Event = tuple[int, int, Kind, str, bool, str | None]


class _Paragraph:
    """One paragraph being read: its text, the spans already taken, the mentions found so
    far and Kiwi's tokens (empty when Kiwi is off or no candidate needed it)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken = _Spans(len(text))
        self.events: list[_Event] = []
        self.tokens: list = []

    def free(self, start: int, end: int) -> bool:
        return self.taken.free(start, end)

    def note(
        self, start: int, end: int, kind: Kind, name: str, *, known: bool, role: str | None = None
    ) -> None:
        """Record a mention without claiming its span."""
        self.events.append((start, end, kind, name, known, role))

    def take(
        self, start: int, end: int, kind: Kind, name: str, *, known: bool, role: str | None = None
    ) -> None:
        """Record a mention and claim its span, so later steps leave it alone."""
        self.note(start, end, kind, name, known=known, role=role)
        self.taken.add(start, end)


@dataclass
class _RuleHits:
    """The rule candidates of one paragraph, found once the registry names are taken."""

    person: list[rules.NameHit]
    foreign: list[rules.NameHit]
    short: list[rules.NameHit]
    bare: list[rules.BareName]
    org: list[rules.OrgHit]
    paren: list[re.Match[str]]
    en_org: list[re.Match[str]]
    context_orgs: list[re.Match[str]]

    @classmethod
    def find(cls, para: _Paragraph, bare_candidates: list[rules.BareName]) -> _RuleHits:
        text, free = para.text, para.free
        context_matches = [
            *rules.ORG_BEFORE_RE.finditer(text),
            *rules.ORG_AFTER_RE.finditer(text),
            *rules.ORG_DEAL_RE.finditer(text),
            *rules.acronym_subjects(text),
        ]
        return cls(
            person=rules.name_title_hits(text) + rules.english_name_hits(text),
            foreign=[h for h in rules.foreign_name_hits(text) if free(h.start, h.end)],
            short=[h for h in rules.short_name_hits(text) if free(h.start, h.end)],
            bare=[h for h in bare_candidates if free(h.start, h.end)],
            org=rules.org_hits(text),
            paren=list(rules.PAREN_ALIAS_RE.finditer(text)),
            en_org=list(rules.EN_ORG_RE.finditer(text)),
            context_orgs=[
                m
                for m in context_matches
                if free(m.start("word"), m.end("word")) and rules.org_stems(m.group("word"))
            ],
        )

    def need_kiwi(self, para: _Paragraph, company_spans: list[tuple[int, int]]) -> bool:
        """Kiwi is consulted only when some rule candidate is not already a registry name."""
        free = para.free
        return (
            any(free(h.start, h.end) for h in self.person)
            or any(free(h.start, h.end) for h in self.org)
            or bool(self.foreign or self.short or self.bare or self.context_orgs)
            or bool(_coordinated(para.text, company_spans))
        )


def _bare_name_step(
    para: _Paragraph,
    hits: list[rules.BareName],
    paragraph: int,
    bare: dict[str, list[tuple[int, int, bool, str]]],
) -> None:
    """Names with particles only that Kiwi reads as one proper noun: kept aside, counted
    at the end of the article (:meth:`Extractor._bare_names`)."""
    for hit in hits:
        if para.free(hit.start, hit.end) and judge.single_token(
            para.tokens, hit.start, hit.end, ("NNP",)
        ):
            mention = (paragraph, hit.start, hit.speaker, _context(para.text, hit.start, hit.end))
            bare.setdefault(hit.name, []).append(mention)


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
