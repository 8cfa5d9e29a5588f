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

from newsarchive.config import Settings
from newsarchive.engine import tracking
from newsarchive.engine.tracking import Derived
from newsarchive.entities.registry import KINDS, Registry
from newsarchive.site.articles import DATE, SLUG, ArticleData, PageData
from newsarchive.site.entities import top_counts
from newsarchive.site.structure import Structure

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
        structure: Callable[[], Structure],
    ) -> None:
        self.settings = settings
        self.mode = mode
        self._registry = registry  # loaded when first needed
        self._structure = structure  # loaded when first needed (a body edit may not)
        self.articles = articles
        self.pages = pages
        self._body = body
        self._page_body = page_body
        self.derived = Derived({"related": self._related, "cooccur": self._cooccur})

    @cached_property
    def registry(self) -> Registry:
        return self._registry()

    @cached_property
    def structure(self) -> Structure:
        return self._structure()

    def set_structure(self, structure: Structure) -> None:
        """The structure as the planner brought it up to date."""
        self.__dict__["structure"] = structure
        self.__dict__.pop("_entity_list", None)
        self.__dict__.pop("_entity_rank", None)

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
        if limit <= 0 or article_id not in structure.resolved:
            return ()
        position = structure.position
        order = structure.order
        scores: Counter[int] = Counter()
        for kind, name, _role in structure.resolved.get(article_id, ()):
            tracking.fact(f"entity:{kind}:{name}")
            scores.update(self._positions(kind, name))
        scores.pop(position[article_id], None)
        ranked = top_counts(scores, limit)
        if ranked:  # ties at the cut are ordered by date and slug: they are read too
            threshold = ranked[-1][1]
            for pos, count in scores.items():
                if count >= threshold:
                    tracking.article(order[pos], DATE | SLUG)
        return tuple(order[pos] for pos, _count in ranked)

    def _positions(self, kind: str, name: str) -> tuple[int, ...]:
        """An entity's articles by place in the archive's order (none past
        RELATED_MAX_POSTING), made once per state of the structure: a new article in a
        busy entity recomputes the related articles of each of that entity's articles."""
        structure = self.structure

        def make() -> tuple[int, ...]:
            ids = structure.groups[("entity", kind, name)]
            if len(ids) > RELATED_MAX_POSTING:
                return ()
            position = structure.position
            return tuple(position[i] for i in ids)

        return structure.memoised(("positions", kind, name), make)  # type: ignore[no-any-return]

    def _cooccur(self, argument: str) -> tuple[tuple[str, str, str, int], ...]:
        """An entity's companions: (kind, name, slug, shared articles), most shared first,
        then in index order."""
        kind, _, name = argument.partition(":")
        structure = self.structure
        tracking.fact(f"entity:{kind}:{name}")
        ids = structure.groups.get(("entity", kind, name))
        if ids is None:
            return ()
        rank = self._entity_rank
        counts: Counter[int] = Counter()
        for i in ids:
            tracking.fact(f"chips:{i}")
            counts.update(rank[(k, n)] for k, n, _r in structure.resolved[i])
        counts.pop(rank[(kind, name)], None)
        entities = self._entity_list
        return tuple(
            (entities[r][0], entities[r][1], structure.slugs[entities[r]], count)
            for r, count in top_counts(counts, CO_OCCURRING)
        )

    @cached_property
    def _entity_list(self) -> list[tuple[str, str]]:
        """Every entity in index order (kinds in order, then ㄱ…ㅎ, A–Z, 기타)."""
        structure = self.structure
        return [(kind, name) for kind in KINDS for name in structure.entity_names(kind)]

    @cached_property
    def _entity_rank(self) -> dict[tuple[str, str], int]:
        return {entity: r for r, entity in enumerate(self._entity_list)}
