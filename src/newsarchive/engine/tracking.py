"""What each output read while it was rendered: the dependency record's raw material.

Templates only see our own view objects (:mod:`newsarchive.engine.views`); every property
that hands a template something of an article calls :func:`article` with the article's id
and the field's bit, and everything else a page can read of the site (what page 3 of a
section lists, an article's neighbours, the list of sections...) is a named *fact* read
through :func:`fact`. The reads go to the innermost open :class:`Reads`: the output being
rendered, or a *derived fact* being computed for it (see :class:`Derived`).

Nothing is patched: a template can only reach site data through these views, so a read
that is not recorded cannot happen. A process renders one output at a time (forked
workers each have their own stack).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from typing import Any

from newsarchive.site.articles import fact_digest


class Reads:
    """The articles (by id, with the bits of the fields read) and the facts one output or
    derived fact read."""

    __slots__ = ("articles", "facts")

    def __init__(self) -> None:
        self.articles: dict[int, int] = {}
        self.facts: set[str] = set()

    def dumps(self) -> bytes:
        return marshal.dumps((self.articles, sorted(self.facts)))

    @classmethod
    def loads(cls, data: bytes) -> Reads:
        reads = cls()
        articles, facts = marshal.loads(data)  # noqa: S302 - our own record's plain values
        reads.articles, reads.facts = articles, set(facts)
        return reads


_stack: list[Reads] = []
_current: Reads | None = None


def article(article_id: int, bits: int) -> None:
    """Record that the current output reads fields *bits* of an article."""
    reads = _current
    if reads is not None:
        articles = reads.articles
        articles[article_id] = articles.get(article_id, 0) | bits


def fact(key: str) -> None:
    """Record that the current output reads the fact *key*."""
    if _current is not None:
        _current.facts.add(key)


def push() -> Reads:
    global _current
    reads = Reads()
    if _current is not None:
        _stack.append(_current)
    _current = reads
    return reads


def pop() -> Reads:
    global _current
    reads = _current
    assert reads is not None, "pop() without push()"
    _current = _stack.pop() if _stack else None
    return reads


class Derived:
    """Derived facts: values computed from the site on demand (an article's related
    articles, an entity's companions), each with the reads it made and a digest.

    A derived fact is computed at most once per build, when an output first asks for it;
    the output records that it read the fact (not what the fact read). The planner
    recomputes a derived fact when something it read changed and re-renders the outputs
    that read it only if its digest changed: a person added to one article changes many
    posting lists, but only the few related-article lists that really move.
    """

    def __init__(self, functions: dict[str, Callable[[str], Any]]) -> None:
        self.functions = functions  # prefix ("related") -> compute(argument)
        self.values: dict[str, Any] = {}
        self.reads: dict[str, Reads] = {}
        self.digests: dict[str, bytes] = {}

    def get(self, key: str) -> Any:
        fact(key)
        if key in self.values:
            return self.values[key]
        return self.compute(key)

    def compute(self, key: str) -> Any:
        prefix, _, argument = key.partition(":")
        push()
        try:
            value = self.functions[prefix](argument)
        finally:
            reads = pop()
        self.values[key] = value
        self.reads[key] = reads
        self.digests[key] = fact_digest(value)
        return value
