"""Parsed dump -> :class:`~newsarchive.model.Article` -> the Markdown file's bytes.

The front matter is emitted by PyYAML's safe dumper from the model's fixed key order, so
any headline (``:``, quotes, ``---``, ``{{ }}``, ``#``) is quoted as YAML needs and loads
back to exactly the same string; nothing from a dump can add a key or a YAML tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from newsarchive.importer.parse import ParsedDump
from newsarchive.model import Article, Person

try:  # libyaml when PyYAML was built with it: same output, several times faster
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Dumper = yaml.SafeDumper


@dataclass(frozen=True)
class Entities:
    """What entity extraction found (empty when it is off or unavailable)."""

    people: tuple[Person, ...] = ()
    companies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    extracted: bool = False  # False: extraction did not run for this article

    @classmethod
    def from_result(cls, result: Any) -> Entities:
        people: Sequence[Person] = getattr(result, "people", ()) or ()
        return cls(
            people=tuple(people),
            companies=tuple(getattr(result, "companies", ()) or ()),
            topics=tuple(getattr(result, "topics", ()) or ()),
            extracted=True,
        )


def build_article(
    parsed: ParsedDump, *, slug: str, raw: str, raw_sha256: str, entities: Entities
) -> Article:
    return Article(
        title=parsed.title,
        date=parsed.date,
        slug=slug,
        section=parsed.section,
        outlet=parsed.outlet,
        source=parsed.source,
        byline=parsed.byline,
        weather=parsed.weather,
        people=entities.people,
        companies=entities.companies,
        topics=entities.topics,
        date_source=parsed.date_source,
        raw=raw,
        raw_sha256=raw_sha256,
    )


def dump_front_matter(meta: dict[str, Any]) -> str:
    return yaml.dump(
        meta,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,  # never fold a long headline over lines
    )


@dataclass(frozen=True)
class Parts:
    """The file minus its slug, rendered where the dump was parsed (a worker process).

    A top-level YAML block mapping is emitted key by key, so dumping the keys before
    ``slug``, then ``slug``, then the keys after it gives the same bytes as dumping the whole
    mapping (tests/importer/test_hostile.py holds :meth:`assemble` to that). The file is
    ``---\\n<YAML>\\n---\\n\\n<body>\\n`` (docs/front-matter.md).
    """

    head: str
    tail: str
    body: str
    title: str
    date: dt.date

    def assemble(self, slug: str) -> bytes:
        slug_yaml = dump_front_matter({"slug": slug})
        return f"---\n{self.head}{slug_yaml}{self.tail}---\n\n{self.body}\n".encode()


_PLACEHOLDER_SLUG = "slug-placeholder"


def render_parts(
    parsed: ParsedDump, *, raw: str, raw_sha256: str, entities: Entities, body: str
) -> Parts:
    article = build_article(
        parsed, slug=_PLACEHOLDER_SLUG, raw=raw, raw_sha256=raw_sha256, entities=entities
    )
    meta = article.to_front_matter()
    keys = list(meta)
    at = keys.index("slug")
    head = dump_front_matter({k: meta[k] for k in keys[:at]})
    tail = dump_front_matter({k: meta[k] for k in keys[at + 1 :]})
    return Parts(head, tail, body, parsed.title, parsed.date)
