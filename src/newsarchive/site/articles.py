"""What the build keeps of each article: plain data, one value per field.

A record is small enough that every article's is loaded on each build (the listings, the
neighbours and the entity pages need all of them), and made of tuples, strings and
numbers only, so the dependency record stores it with :mod:`marshal`. The article's body
is not kept (only its digest): the few pages that print a body parse the file again.

Each field has a bit. An output that shows an article's title records the article's id
with the ``TITLE`` bit; an edit that changes only the title re-renders exactly the outputs
that recorded that bit for that article (see :mod:`newsarchive.build.tracking`).
"""

from __future__ import annotations

import hashlib
import marshal
from typing import Any, NamedTuple

# Where an article is published (below the site's root; its page is this + index.html):
# Pelican's ARTICLE_URL, and what the search step of another process works out for an
# article it reads off the disk.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"

# Field names, in record order after ``path``; a field's bit is 1 << its index here.
FIELDS = (
    "title",
    "date",
    "slug",
    "url",
    "save_as",
    "section",
    "summary",
    "body",
    "byline",
    "outlet",
    "source",
    "weather",
    "people",
    "companies",
    "topics",
    "status",
    "meta",
)
BIT = {name: 1 << i for i, name in enumerate(FIELDS)}
TITLE, DATE, SLUG, URL, SAVE_AS, SECTION, SUMMARY, BODY = (
    BIT[n] for n in ("title", "date", "slug", "url", "save_as", "section", "summary", "body")
)
BYLINE, OUTLET, SOURCE, WEATHER, PEOPLE, COMPANIES, TOPICS, STATUS = (
    BIT[n]
    for n in ("byline", "outlet", "source", "weather", "people", "companies", "topics", "status")
)
META = BIT["meta"]
ENTITIES = PEOPLE | COMPANIES | TOPICS
# What decides which pages exist and what each lists (order, membership, URLs): a change of
# any of these moves the article in the site's structure (newsarchive.site.structure).
STRUCTURE = DATE | SLUG | URL | SAVE_AS | SECTION | WEATHER | ENTITIES | STATUS
DRAFT = "draft"


class ArticleData(NamedTuple):
    """One article as the build knows it (front matter, URL and digests)."""

    path: str  # source file, relative to the project root (POSIX): the article's identity
    title: str
    date: str  # YYYY-MM-DD
    slug: str
    url: str  # site-relative, e.g. "2024/06/slug/"
    save_as: str  # output-relative file, e.g. "2024/06/slug/index.html"
    section: str | None
    summary: str  # plain text of the first paragraph
    body: str  # digest of the rendered body
    byline: tuple[str, str | None] | None  # (name, e-mail)
    outlet: str | None
    source: str | None
    # (observed YYYY-MM-DD, provider, ((station, condition or None, °C), ...))
    weather: tuple[str, str, tuple[tuple[str, str | None, float], ...]] | None
    people: tuple[tuple[str, str | None], ...]  # (name, role)
    companies: tuple[str, ...]
    topics: tuple[str, ...]
    status: str  # "published" or "draft"
    meta: str  # digest of what no page shows (provenance, unknown fields)

    def changed(self, other: ArticleData) -> int:
        """The bits of the fields whose values differ."""
        mask = 0
        for i, (mine, theirs) in enumerate(zip(self[1:], other[1:], strict=True)):
            if mine != theirs:
                mask |= 1 << i
        return mask

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT


ALL_FIELDS = (1 << len(FIELDS)) - 1


class PageData(NamedTuple):
    """A static page (content/pages): few, so kept whole but for the body."""

    path: str
    title: str
    slug: str
    url: str
    save_as: str
    summary: str
    body: str  # digest of the rendered body


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def fact_digest(value: Any) -> bytes:
    """A stable digest of a fact's value (tuples, strings, numbers, None)."""
    return hashlib.blake2b(marshal.dumps(value), digest_size=12).digest()


def from_content(content: Any, path: str) -> tuple[ArticleData, str]:
    """The record and the body HTML of an article Pelican's reader has just read.

    *content* is Pelican's ``Article``; its ``article_model`` attribute is the front matter
    validated by :class:`newsarchive.model.Article` (set by our reader).
    """
    model = content.article_model
    body = content._content or ""  # the reader's HTML; Pelican's .content adds a memo
    weather = None
    if model.weather is not None:
        w = model.weather
        weather = (
            w.observed.isoformat(),
            w.provider,
            tuple((s.name, s.condition, s.temp_c) for s in w.stations),
        )
    meta = repr((model.date_source, model.raw, model.raw_sha256, sorted(model.extra.items())))
    record = ArticleData(
        path=path,
        title=model.title,
        date=model.date.isoformat(),
        slug=content.slug,
        url=content.url,
        save_as=content.save_as,
        section=model.section,
        summary=content.summary_text,
        body=digest(body),
        byline=None if model.byline is None else (model.byline.name, model.byline.email),
        outlet=model.outlet,
        source=model.source,
        weather=weather,
        people=tuple((p.name, p.role) for p in model.people),
        companies=model.companies,
        topics=model.topics,
        status=getattr(content, "status", "published"),
        meta=digest(meta),
    )
    return record, body
