"""Slug allocation: unique across the whole archive, stable once given.

The base slug comes from the headline (:func:`newsarchive.slugs.slugify`, Unicode), cut at a
word boundary at ``slug_max_length`` characters (a setting: every link to an article carries
its slug, so shorter slugs make a smaller site). When it is taken, the article's month and
day are appended (``…-0608``): the usual reason is the same headline on another day, and the
suffix says which. Should that be taken too, ``-2``, ``-3``… follow. The manifest stores
every assignment, so a dump keeps its slug (and its URL) on every re-import even if its
headline changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator

from newsarchive.model import SLUG_RE
from newsarchive.slugs import DEFAULT_MAX_LENGTH, slugify


class SlugAllocator:
    def __init__(self, taken: Iterable[str] = (), *, max_length: int = DEFAULT_MAX_LENGTH):
        self.taken: set[str] = set(taken)
        self.max_length = max_length  # of the base slug; suffixes come on top

    def _candidates(self, base: str, date: dt.date) -> Iterator[str]:
        dated = f"{base}-{date:%m%d}"
        yield base
        yield dated
        for n in itertools.count(2):
            yield f"{dated}-{n}"

    def allocate(self, title: str, date: dt.date) -> str:
        base = slugify(title, max_length=self.max_length)
        for candidate in self._candidates(base, date):
            if candidate not in self.taken:
                assert SLUG_RE.match(candidate), candidate  # slugify's alphabet plus digits and '-'
                self.taken.add(candidate)
                return candidate
        raise AssertionError("unreachable: the candidates are infinite")
