"""The site's structure and derived facts give what the straightforward computations give.

Related articles and an entity's companions are computed on demand, one article or entity
at a time; here they are compared with eager passes over the whole archive, whatever order
pages ask in. The structure kept in the record between builds equals the one derived anew.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from newsarchive.config import load_settings
from newsarchive.entities.registry import KINDS, Registry
from newsarchive.site.articles import ArticleData
from newsarchive.site.derive import Structure, derive
from newsarchive.site.entities import top_counts
from newsarchive.site.site import CO_OCCURRING, RELATED_MAX_POSTING, BuildMode, Site


def synthetic(n: int, seed: int) -> dict[int, ArticleData]:
    """*n* articles sharing entities a lot (흔한주제 is in more than RELATED_MAX_POSTING)."""
    rng = random.Random(seed)
    people = [f"사람{i}" for i in range(60)]
    companies = [f"회사{i}" for i in range(25)]
    articles = {}
    for i in range(n):
        day = 1 + rng.randrange(28)
        articles[i + 100] = ArticleData(
            path=f"content/articles/{i}.md",
            title=f"기사 {i}",
            date=f"2024-{1 + rng.randrange(12):02d}-{day:02d}",
            slug=f"article-{i}",
            url=f"2024/01/article-{i}/",
            save_as=f"2024/01/article-{i}/index.html",
            section=rng.choice(["경제", "사회", None]),
            summary="",
            body="",
            byline=None,
            outlet=None,
            source=None,
            weather=None,
            people=tuple((p, None) for p in rng.sample(people, rng.randint(0, 4))),
            companies=tuple(rng.sample(companies, rng.randint(0, 3))),
            topics=("흔한주제", *rng.sample(["주제A", "주제B", "주제C"], rng.randint(0, 2))),
            status="published",
            meta="",
        )
    return articles


def _site(tmp_path, articles: dict[int, ArticleData], related: int = 5) -> Site:
    settings = load_settings(tmp_path, overrides={"related_articles": related})
    return Site(
        settings,
        BuildMode(publish=False, base_url=""),
        Registry,
        articles,
        {},
        lambda i: "",
        lambda p: "",
    )


def eager_related(structure: Structure, limit: int) -> dict[int, tuple[int, ...]]:
    order, position = structure.order, structure.position
    result = {}
    for i in order:
        scores: Counter[int] = Counter()
        for kind, name, _slug, _role in structure.chips[i]:
            page = structure.entity_by_name[(kind, name)]
            if len(page.ids) <= RELATED_MAX_POSTING:
                scores.update(position[a] for a in page.ids)
        scores.pop(position[i], None)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        result[i] = tuple(order[p] for p, _ in ranked)
    return result


def eager_companions(structure: Structure) -> dict[tuple[str, str], tuple]:
    pages = list(structure.entity_pages())
    rank = {(p.kind, p.name): r for r, p in enumerate(pages)}
    counts: dict[int, Counter[int]] = {r: Counter() for r in rank.values()}
    for i in structure.order:
        mine = [rank[(k, n)] for k, n, _s, _r in structure.chips[i]]
        for r in mine:
            counts[r].update(o for o in mine if o != r)
    return {
        (p.kind, p.name): tuple(
            (pages[o].kind, pages[o].name, pages[o].slug, c)
            for o, c in sorted(counts[r].items(), key=lambda item: (-item[1], item[0]))[
                :CO_OCCURRING
            ]
        )
        for p, r in ((p, rank[(p.kind, p.name)]) for p in pages)
    }


def test_top_counts_is_the_full_sort():
    rng = random.Random(7)
    for _ in range(300):
        counter = Counter({rng.randrange(200): rng.randint(1, 6) for _ in range(rng.randrange(60))})
        for limit in (0, 1, 3, 10, 100):
            expected = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
            assert top_counts(counter, limit) == expected


@pytest.mark.parametrize("order", ["forward", "backward", "shuffled"])
def test_derived_facts_equal_the_eager_passes_in_any_order(tmp_path, order: str):
    site = _site(tmp_path, synthetic(RELATED_MAX_POSTING + 200, seed=3))
    structure = site.structure
    visit = list(structure.order)
    if order == "backward":
        visit.reverse()
    elif order == "shuffled":
        random.Random(11).shuffle(visit)
    related = {i: site.related(i) for i in visit}
    expected = eager_related(structure, 5)
    assert related == expected
    assert any(len(r) == 5 for r in expected.values())  # the ranking is exercised
    common = structure.entity_by_name[("topic", "흔한주제")]
    assert len(common.ids) > RELATED_MAX_POSTING
    companions = {
        (p.kind, p.name): site.cooccurring(p.kind, p.name) for p in structure.entity_pages()
    }
    assert companions == eager_companions(structure)


def test_neighbours_follow_the_archive_order(tmp_path):
    structure = _site(tmp_path, synthetic(50, seed=1)).structure
    order = structure.order
    keys = [
        (-int(a.date.replace("-", "")), a.slug)
        for a in (_site_article(structure, i) for i in order)
    ]
    assert keys == sorted(keys)
    for n, i in enumerate(order):
        older, newer = structure.neighbours(i)
        assert older == (order[n + 1] if n + 1 < len(order) else None)
        assert newer == (order[n - 1] if n else None)


def _site_article(structure: Structure, i: int) -> ArticleData:
    return structure.articles[i]


def test_related_off_and_single_article(tmp_path):
    site = _site(tmp_path, synthetic(30, seed=5), related=0)
    assert all(site.related(i) == () for i in site.structure.order)
    one = _site(tmp_path, synthetic(1, seed=5))
    (only,) = one.structure.order
    assert one.related(only) == () and one.structure.neighbours(only) == (None, None)


def test_the_kept_structure_is_the_derived_one(tmp_path):
    articles = synthetic(300, seed=9)
    site = _site(tmp_path, articles)
    derived = site.structure
    kept = Structure.from_plain(
        derived.to_plain(),
        derived.resolved,
        articles,
        Registry(),
        per_page=derived.home.per_page,
        feed_entries=20,
    )
    assert kept.facts == derived.facts
    assert kept.chips == derived.chips
    assert [s.name for s in kept.sections] == [s.name for s in derived.sections]
    for kind in KINDS:
        assert [(p.name, p.slug, p.ids) for p in kept.entities[kind]] == [
            (p.name, p.slug, p.ids) for p in derived.entities[kind]
        ]


def test_drafts_exist_only_in_development_builds(tmp_path):
    articles = synthetic(20, seed=2)
    first = next(iter(articles))
    articles[first] = articles[first]._replace(status="draft")
    settings = load_settings(tmp_path)
    dev = derive(
        articles, Registry(), per_page=5, feed_entries=5, listed=BuildMode(False, "").listed
    )
    pub = derive(
        articles,
        Registry(),
        per_page=5,
        feed_entries=5,
        listed=BuildMode(True, "https://example.org").listed,
    )
    assert first in dev.order and first not in pub.order
    assert len(pub.order) == len(dev.order) - 1
    assert settings.articles_per_page  # the settings object is valid for the mode's use


def test_reused_resolutions_give_the_structure_derived_anew(tmp_path):
    articles = synthetic(300, seed=10)
    first = derive(articles, Registry(), per_page=5, feed_entries=5, listed=lambda a: True)
    changed = next(iter(articles))
    articles[changed] = articles[changed]._replace(companies=("새회사",))
    reuse = {i: r for i, r in first.resolved.items() if i != changed}
    again = derive(
        articles, Registry(), per_page=5, feed_entries=5, listed=lambda a: True, reuse=reuse
    )
    fresh = derive(articles, Registry(), per_page=5, feed_entries=5, listed=lambda a: True)
    assert again.facts == fresh.facts and again.chips == fresh.chips
