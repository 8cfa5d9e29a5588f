"""The site one build renders: every article's record, the static pages, the registry,
the derived structure and the derived facts (related articles, an entity's companions).

Render steps and template views read everything through this object, and every read is
recorded (:mod:`newsarchive.engine.tracking`), so the planner knows what each output was
made from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from newsarchive.config import Settings
from newsarchive.engine import tracking
from newsarchive.engine.tracking import Derived
from newsarchive.entities.registry import Registry
from newsarchive.site.articles import DATE, SLUG, ArticleData, PageData
from newsarchive.site.derive import Structure, derive
from newsarchive.site.entities import top_counts

# An entity found in more articles than this says little about relatedness and would
# make the related-articles computation quadratic on a large archive.
RELATED_MAX_POSTING = 400
CO_OCCURRING = 10  # entities listed as "often seen with" on an entity page


@dataclass(frozen=True)
class BuildMode:
    """What a build is for: development (relative URLs, drafts shown) or publishing."""

    publish: bool
    base_url: str  # "" in development builds

    def listed(self, article: ArticleData) -> bool:
        """Whether an article is part of this build: drafts exist only in development."""
        return not (self.publish and article.is_draft)


class Site:
    def __init__(
        self,
        settings: Settings,
        mode: BuildMode,
        registry: Callable[[], Registry],
        articles: Mapping[int, ArticleData],
        pages: Mapping[str, PageData],
        body: Callable[[int], str],
        page_body: Callable[[str], str],
    ) -> None:
        self.settings = settings
        self.mode = mode
        self._registry = registry  # loaded when first needed
        self._kept_structure: Any = None
        self._reuse: Callable[[], Any] | None = None
        self.articles = articles
        self.pages = pages
        self._body = body
        self._page_body = page_body
        self.derived = Derived({"related": self._related, "cooccur": self._cooccur})

    @cached_property
    def registry(self) -> Registry:
        return self._registry()

    def use_structure(self, structure: Structure) -> None:
        """The structure a long-lived process kept from its last build (no structural
        field changed since)."""
        self.__dict__["structure"] = structure

    def keep_structure(self, plain: Callable[[], tuple[Any, Any]]) -> None:
        """Take the structure the last build derived (*plain* loads it and the entity
        resolutions from the record) instead of deriving it again: valid while no
        structural field changed."""
        self._kept_structure = plain

    def reuse_resolutions(self, resolved: Callable[[], Any]) -> None:
        """Entity resolutions still valid for a structure derived anew (see derive)."""
        self._reuse = resolved

    @property
    def structure_derived(self) -> bool:
        """Whether this build derives the structure anew (rather than keeping the last)."""
        return self._kept_structure is None

    @cached_property
    def structure(self) -> Structure:
        if self._kept_structure is not None:
            plain, resolved = self._kept_structure()
            return Structure.from_plain(
                plain,
                resolved,
                self.articles,
                self.registry,
                per_page=self.settings.articles_per_page,
                feed_entries=self.settings.feed_entries,
            )
        return derive(
            self.articles,
            self.registry,
            per_page=self.settings.articles_per_page,
            feed_entries=self.settings.feed_entries,
            listed=self.mode.listed,
            reuse=None if self._reuse is None else self._reuse(),
        )

    def body(self, article_id: int) -> str:
        """The article's rendered body (HTML)."""
        return self._body(article_id)

    def page_body(self, path: str) -> str:
        return self._page_body(path)

    # ------------------------------------------------------------------ derived facts
    def related(self, article_id: int) -> tuple[int, ...]:
        return self.derived.get(f"related:{article_id}")

    def cooccurring(self, kind: str, name: str) -> tuple[tuple[str, str, str, int], ...]:
        return self.derived.get(f"cooccur:{kind}:{name}")

    def _related(self, argument: str) -> tuple[int, ...]:
        """Most shared entities first; ties: newer first (the archive's order)."""
        article_id = int(argument)
        limit = self.settings.related_articles
        structure = self.structure
        tracking.fact(f"chips:{article_id}")
        if limit <= 0 or article_id not in structure.position:
            return ()
        position = structure.position
        order = structure.order
        scores: Counter[int] = Counter()
        for kind, name, _slug, _role in structure.chips[article_id]:
            page = structure.entity_by_name[(kind, name)]
            tracking.fact(f"entity:{kind}:{name}")
            if len(page.ids) <= RELATED_MAX_POSTING:
                scores.update(position[i] for i in page.ids)
        scores.pop(position[article_id], None)
        ranked = top_counts(scores, limit)
        if ranked:  # ties at the cut are ordered by date and slug: they are read too
            threshold = ranked[-1][1]
            for pos, count in scores.items():
                if count >= threshold:
                    tracking.article(order[pos], DATE | SLUG)
        return tuple(order[pos] for pos, _count in ranked)

    def _cooccur(self, argument: str) -> tuple[tuple[str, str, str, int], ...]:
        """An entity's companions: (kind, name, slug, shared articles), most shared first,
        then in index order."""
        kind, _, name = argument.partition(":")
        structure = self.structure
        page = structure.entity_by_name.get((kind, name))  # type: ignore[arg-type]
        tracking.fact(f"entity:{kind}:{name}")
        if page is None:
            return ()
        rank = self._entity_rank
        counts: Counter[int] = Counter()
        chips = structure.chips
        for i in page.ids:
            tracking.fact(f"chips:{i}")
            counts.update(rank[(k, n)] for k, n, _s, _r in chips[i])
        counts.pop(rank[(kind, name)], None)
        pages = self._entity_list
        return tuple(
            (pages[r].kind, pages[r].name, pages[r].slug, count)
            for r, count in top_counts(counts, CO_OCCURRING)
        )

    @cached_property
    def _entity_list(self) -> list:
        return list(self.structure.entity_pages())

    @cached_property
    def _entity_rank(self) -> dict[tuple[str, str], int]:
        return {(p.kind, p.name): r for r, p in enumerate(self._entity_list)}
