"""The editorial registry (``content/entities.yaml``): canonical entities and their aliases.

Format::

    people:
      - name: 조주완
        slug: cho-joo-wan            # optional: editor-chosen; Unicode slug otherwise
        aliases: [Cho Joo-wan]
        description: LG전자 최고경영자
        roles:
          - {title: CEO, affiliation: LG전자, from: 2021-12-01}
          - {title: CEO, affiliation: LG전자, as_of: 2024-06-08}   # seen in an article
        links:
          - {title: LG전자 뉴스룸, url: "https://www.lgcorp.com"}
    companies:
      - name: 마이크로소프트
        slug: microsoft
        aliases: [MS, Microsoft, 마이크로소프트사]
    topics:
      - name: 인공지능
        aliases: [AI]

Lookups normalise to NFC and compare Latin letters case-insensitively. Every slug is unique
within its kind, every alias names one entity: violations fail loading with the file named.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from newsarchive.errors import EntityError
from newsarchive.model import SLUG_RE
from newsarchive.slugs import slugify

Kind = Literal["person", "company", "topic"]
KINDS: tuple[Kind, ...] = ("person", "company", "topic")
SECTION_OF_KIND: dict[Kind, str] = {"person": "people", "company": "companies", "topic": "topics"}
KIND_OF_SECTION = {v: k for k, v in SECTION_OF_KIND.items()}

try:  # libyaml is much faster; the pure-Python loader is the same safe subset
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@lru_cache(maxsize=65536)  # pure; every build resolves the archive's names again
def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


@dataclass(frozen=True)
class Role:
    title: str
    affiliation: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    # "seen in an article of this date" when the start/end dates are not known
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Entity:
    kind: Kind
    name: str
    slug: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    roles: tuple[Role, ...] = ()
    links: tuple[Link, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Registry:
    path: Path | None = None
    _by_kind: dict[Kind, list[Entity]] = field(default_factory=lambda: {k: [] for k in KINDS})
    _index: dict[tuple[Kind, str], Entity] = field(default_factory=dict)
    # slug -> entity per kind: a dict keeps loading linear (thousands of entries)
    _slugs: dict[tuple[Kind, str], Entity] = field(default_factory=dict)

    def add(self, entity: Entity) -> None:
        other = self._slugs.get((entity.kind, entity.slug))
        if other is not None:
            raise EntityError(
                f"{entity.kind} {entity.name!r} and {other.name!r} share slug {entity.slug!r}",
                path=self.path,
            )
        for name in entity.names():
            key = (entity.kind, normalise_name(name))
            if key in self._index and self._index[key] is not entity:
                raise EntityError(
                    f"{entity.kind} name {name!r} belongs to both "
                    f"{self._index[key].name!r} and {entity.name!r}",
                    path=self.path,
                )
            self._index[key] = entity
        self._slugs[(entity.kind, entity.slug)] = entity
        self._by_kind[entity.kind].append(entity)

    def resolve(self, kind: Kind, name: str) -> Entity | None:
        """The canonical entity for a name or alias, or None when the registry lacks it."""
        return self._index.get((kind, normalise_name(name)))

    def canonical_name(self, kind: Kind, name: str) -> str:
        entity = self.resolve(kind, name)
        return entity.name if entity else unicodedata.normalize("NFC", name).strip()

    def entities(self, kind: Kind) -> list[Entity]:
        return list(self._by_kind[kind])

    def __iter__(self) -> Iterator[Entity]:
        for kind in KINDS:
            yield from self._by_kind[kind]

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_kind.values())


def to_plain(registry: Registry) -> tuple[Any, ...]:
    """The registry as tuples of strings (dates in ISO form): what the build's record keeps,
    so that a build whose registry did not change does not parse its YAML again."""

    def day(value: dt.date | None) -> str | None:
        return None if value is None else value.isoformat()

    return tuple(
        (
            e.kind,
            e.name,
            e.slug,
            e.aliases,
            e.description,
            tuple(
                (r.title, r.affiliation, day(r.start), day(r.end), day(r.as_of)) for r in e.roles
            ),
            tuple((link.title, link.url) for link in e.links),
        )
        for e in registry
    )


def from_plain(data: tuple[Any, ...], path: Path | None = None) -> Registry:
    def day(value: str | None) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)

    registry = Registry(path=path)
    for kind, name, slug, aliases, description, roles, links in data:
        registry.add(
            Entity(
                kind=kind,
                name=name,
                slug=slug,
                aliases=tuple(aliases),
                description=description,
                roles=tuple(
                    Role(title, affiliation, day(start), day(end), day(as_of))
                    for title, affiliation, start, end, as_of in roles
                ),
                links=tuple(Link(title, url) for title, url in links),
            )
        )
    return registry


def _text(value: Any, where: str, path: Path | None) -> str:
    if (
        isinstance(value, bool)
        or not isinstance(value, str | int | float)
        or not str(value).strip()
    ):
        raise EntityError(f"{where} must be non-empty text", path=path)
    return unicodedata.normalize("NFC", str(value).strip())


def _date(value: Any, where: str, path: Path | None) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise EntityError(f"{where} must be an ISO date, not {value!r}", path=path) from None


def _entity(kind: Kind, item: Any, where: str, path: Path | None) -> Entity:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping):
        raise EntityError(f"{where} must be a mapping with at least a name", path=path)
    name = _text(item.get("name"), f"{where}.name", path)
    slug = item.get("slug")
    if slug in (None, ""):
        slug = slugify(name)
    elif not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise EntityError(
            f"{where}.slug {slug!r} may hold only a-z, 0-9, Hangul and '-'", path=path
        )
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list):
        raise EntityError(f"{where}.aliases must be a list", path=path)
    roles = []
    for i, role in enumerate(item.get("roles") or []):
        if not isinstance(role, Mapping):
            raise EntityError(f"{where}.roles[{i}] must be a mapping", path=path)
        roles.append(
            Role(
                title=_text(role.get("title"), f"{where}.roles[{i}].title", path),
                affiliation=None
                if role.get("affiliation") in (None, "")
                else _text(role.get("affiliation"), f"{where}.roles[{i}].affiliation", path),
                start=_date(role.get("from"), f"{where}.roles[{i}].from", path),
                end=_date(role.get("to"), f"{where}.roles[{i}].to", path),
                as_of=_date(role.get("as_of"), f"{where}.roles[{i}].as_of", path),
            )
        )
    links = []
    for i, link in enumerate(item.get("links") or []):
        if not isinstance(link, Mapping):
            raise EntityError(f"{where}.links[{i}] must be a mapping", path=path)
        url = _text(link.get("url"), f"{where}.links[{i}].url", path)
        if not url.startswith(("https://", "http://")):
            raise EntityError(f"{where}.links[{i}].url must be an http(s) URL", path=path)
        links.append(Link(_text(link.get("title", url), f"{where}.links[{i}].title", path), url))
    description = item.get("description")
    return Entity(
        kind=kind,
        name=name,
        slug=str(slug),
        aliases=tuple(_text(a, f"{where}.aliases", path) for a in aliases),
        description=None if description in (None, "") else _text(description, where, path),
        roles=tuple(roles),
        links=tuple(links),
    )


def parse_registry(
    data: Any, path: Path | None = None, lines: Mapping[tuple[str, int], int] | None = None
) -> Registry:
    """Build a registry from parsed YAML; *lines* maps (section, index) to the entry's line,
    so an error about one entry names where it is."""
    registry = Registry(path=path)
    if data is None:
        return registry
    if not isinstance(data, Mapping):
        raise EntityError("the registry must be a mapping of people/companies/topics", path=path)
    for section, items in data.items():
        kind = KIND_OF_SECTION.get(section)
        if kind is None:
            raise EntityError(
                f"unknown registry section {section!r} (use people, companies, topics)", path=path
            )
        if not isinstance(items, list):
            raise EntityError(f"{section} must be a list", path=path)
        for i, item in enumerate(items):
            try:
                registry.add(_entity(kind, item, f"{section}[{i}]", path))
            except EntityError as exc:
                if exc.line is None and lines and (section, i) in lines:
                    raise EntityError(exc.message, path=path, line=lines[(section, i)]) from None
                raise
    return registry


def _entry_lines(text: str) -> dict[tuple[str, int], int]:
    """(section, index) -> 1-based line of each entry, from the YAML node tree."""
    root = yaml.compose(text, Loader=_Loader)  # nodes only: nothing is constructed
    lines: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    lines[(str(key.value), i)] = item.start_mark.line + 1
    return lines


def load_registry(path: Path) -> Registry:
    """Load the registry; a missing file is an empty registry, a malformed one an error."""
    if not path.exists():
        return Registry(path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise EntityError(f"the registry must be UTF-8 ({exc.reason})", path=path) from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EntityError(
            f"cannot parse the registry: {getattr(exc, 'problem', exc)}",
            path=path,
            line=None if mark is None else mark.line + 1,
        ) from exc
    try:
        return parse_registry(data, path)
    except EntityError as exc:
        if exc.line is not None:
            raise
        lines = _entry_lines(text)  # only on the error path: parsing twice costs nothing then
        return parse_registry(data, path, lines)
