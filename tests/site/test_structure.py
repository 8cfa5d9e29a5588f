"""The site's structure and derived facts give what the straightforward computations give.

Related articles and an entity's companions are computed on demand, one article or entity
at a time; here they are compared with eager passes over the whole archive, whatever order
pages ask in. The structure kept in the record, and the one kept up to date edit by edit,
equal the one built anew from every article.
"""

from __future__ import annotations

import marshal
import random
from collections import Counter

import pytest

from newsarchive.config import load_settings
from newsarchive.engine.structural import resolver
from newsarchive.entities.registry import Registry
from newsarchive.site.articles import ALL_FIELDS, BIT, ArticleData
from newsarchive.site.entities import top_counts
from newsarchive.site.facts import all_scopes, scope_facts, scope_key, touched_scopes
from newsarchive.site.site import CO_OCCURRING, RELATED_MAX_POSTING, BuildMode, Site
from newsarchive.site.structure import Structure


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


def built(
    articles: dict[int, ArticleData], *, per_page: int = 5, listed=lambda a: True
) -> Structure:
    """The structure built from every article at once."""
    structure = Structure(articles, Registry(), per_page=per_page, feed_entries=5)
    structure.build([i for i, a in articles.items() if listed(a)], resolver(articles, Registry()))
    return structure


def _site(tmp_path, articles: dict[int, ArticleData], related: int = 5) -> Site:
    settings = load_settings(tmp_path, overrides={"related_articles": related})
    site = Site(
        settings,
        BuildMode(publish=False, base_url=""),
        Registry,
        articles,
        {},
        lambda i: "",
        lambda p: "",
        lambda: built(articles, per_page=settings.articles_per_page),
    )
    return site


def eager_related(structure: Structure, limit: int) -> dict[int, tuple[int, ...]]:
    order, position = structure.order, structure.position
    result = {}
    for i in order:
        scores: Counter[int] = Counter()
        for kind, name, _slug, _role in structure.chips(i):
            ids = structure.groups[("entity", kind, name)]
            if len(ids) <= RELATED_MAX_POSTING:
                scores.update(position[a] for a in ids)
        scores.pop(position[i], None)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        result[i] = tuple(order[p] for p, _ in ranked)
    return result


def eager_companions(structure: Structure) -> dict[tuple[str, str], tuple]:
    pages = list(structure.entity_pages())
    rank = {(p.kind, p.name): r for r, p in enumerate(pages)}
    counts: dict[int, Counter[int]] = {r: Counter() for r in rank.values()}
    for i in structure.order:
        mine = [rank[(k, n)] for k, n, _s, _r in structure.chips(i)]
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
    assert len(structure.groups[("entity", "topic", "흔한주제")]) > RELATED_MAX_POSTING
    companions = {
        (p.kind, p.name): site.cooccurring(p.kind, p.name) for p in structure.entity_pages()
    }
    assert companions == eager_companions(structure)


def test_neighbours_follow_the_archive_order(tmp_path):
    structure = _site(tmp_path, synthetic(50, seed=1)).structure
    order = structure.order
    keys = [(-int(a.date.replace("-", "")), a.slug) for a in map(structure.articles.get, order)]
    assert keys == sorted(keys)
    for n, i in enumerate(order):
        older, newer = structure.neighbours(i)
        assert older == (order[n + 1] if n + 1 < len(order) else None)
        assert newer == (order[n - 1] if n else None)


def test_related_off_and_single_article(tmp_path):
    site = _site(tmp_path, synthetic(30, seed=5), related=0)
    assert all(site.related(i) == () for i in site.structure.order)
    one = _site(tmp_path, synthetic(1, seed=5))
    (only,) = one.structure.order
    assert one.related(only) == () and one.structure.neighbours(only) == (None, None)


def every_fact(structure: Structure) -> dict[str, dict]:
    return {scope_key(s): scope_facts(structure, s) for s in all_scopes(structure)}


def test_the_kept_structure_is_the_built_one():
    articles = synthetic(300, seed=9)
    first = built(articles)
    kept = Structure(articles, Registry(), per_page=first.per_page, feed_entries=5).load_plain(
        marshal.loads(marshal.dumps(first.to_plain()))
    )
    assert every_fact(kept) == every_fact(first)
    assert {i: set(g) for i, g in kept.member_of.items()} == {
        i: set(g) for i, g in first.member_of.items()
    }


def test_drafts_exist_only_in_development_builds():
    articles = synthetic(20, seed=2)
    first = next(iter(articles))
    articles[first] = articles[first]._replace(status="draft")
    dev = built(articles, listed=BuildMode(False, "").listed)
    pub = built(articles, listed=BuildMode(True, "https://example.org").listed)
    assert first in dev.order and first not in pub.order
    assert len(pub.order) == len(dev.order) - 1


STEPS = 150


def _edit(rng: random.Random, articles: dict[int, ArticleData], i: int) -> int:
    """Change one structural field of article *i*, or remove it, at random; returns the
    field's bit (ALL_FIELDS: removed)."""
    a = articles[i]
    what = rng.choice(["date", "section", "people", "topics", "slug", "weather", "status", "gone"])
    if what == "date":
        a = a._replace(date=f"20{rng.choice(['23', '24'])}-{rng.randint(1, 12):02d}-01")
    elif what == "section":
        a = a._replace(section=rng.choice(["경제", "사회", "문화", None]))
    elif what == "people":
        a = a._replace(people=tuple((f"사람{rng.randrange(8)}", None) for _ in range(2)))
    elif what == "topics":
        a = a._replace(topics=tuple(rng.sample(["주제A", "주제B", "새주제"], rng.randint(0, 2))))
    elif what == "slug":
        a = a._replace(slug=f"moved-{i}-{rng.randrange(1000)}")
    elif what == "weather":
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        stations = tuple(
            (name, rng.choice([None, "맑음", "비"]), rng.choice([-3.5, 0.0, 21.0]))
            for name in rng.sample(["서울", "부산", "제주"], rng.randint(1, 3))
        )
        a = a._replace(weather=rng.choice([None, (day, "기상청", stations)]))
    elif what == "status":
        a = a._replace(status=rng.choice(["draft", "published"]))
    else:
        del articles[i]
        return ALL_FIELDS
    articles[i] = a
    return BIT[what]


@pytest.mark.parametrize("per_page", [2, 5])
def test_moving_articles_gives_the_built_structure_and_names_every_changed_scope(per_page):
    """After each random edit (a few articles changed, added or removed), the structure
    kept up to date by apply equals the one built anew, and every scope whose facts differ
    from before the edit is among the scopes apply names."""
    rng = random.Random(per_page)
    articles = synthetic(60, seed=per_page)
    listed = BuildMode(True, "https://example.org").listed
    kept = built(articles, per_page=per_page, listed=listed)
    next_id = max(articles) + 1
    for _step in range(STEPS):
        before = every_fact(kept)
        moved: dict[int, bool] = {}
        fields: dict[int, int] = {}
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.2 or not articles:
                new = synthetic(1, seed=rng.randrange(10**6))
                articles[next_id] = next(iter(new.values()))._replace(slug=f"new-{next_id}")
                i, next_id = next_id, next_id + 1
                fields[i] = ALL_FIELDS
            else:
                i = rng.choice(sorted(articles))
                fields[i] = fields.get(i, 0) | _edit(rng, articles, i)
            moved[i] = i in articles and listed(articles[i])
        moved = dict(rng.sample(sorted(moved.items()), len(moved)))  # a new id may come first
        if rng.random() < 0.5:  # as the next build finds it: kept in the record, read back
            kept = Structure(articles, Registry(), per_page=per_page, feed_entries=5).load_plain(
                marshal.loads(marshal.dumps(kept.to_plain()))
            )
        touched = kept.apply(moved, resolver(articles, Registry()), fields)
        fresh = built(articles, per_page=per_page, listed=listed)
        after = every_fact(kept)
        assert after == every_fact(fresh)
        assert kept.groups == fresh.groups and kept.slugs == fresh.slugs
        named = {scope_key(s) for s in touched_scopes(kept, touched)}
        differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        assert differing <= named, sorted(differing - named)
