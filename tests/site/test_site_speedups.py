"""The build's shortcuts give what the straightforward computations give.

Lazy template data (related articles, neighbours, an entity's companions) against the
eager passes they replaced, whatever order pages ask in; Pelican's memoised URLs and
linear translations against Pelican's own functions; entity feeds against feedgenerator
writing every entry itself; the collector thresholds a build sets are given back.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import os
import random
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from feedgenerator import Atom1Feed, get_tag_uri
from sitehelpers import BASE_URL, copy_fixture

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.entities.registry import KINDS, Registry
from newsarchive.errors import FrontMatterError
from newsarchive.model import Article, Person
from newsarchive.pelican_plugin import linear, memo, state
from newsarchive.pelican_plugin.context import RELATED_MAX_POSTING, attach_views
from newsarchive.pelican_plugin.taxonomies import CO_OCCURRING, build_taxonomies, top_counts


# ---------------------------------------------------------------- eager references
def eager_related(articles: list[Any], limit: int) -> list[list[Any]]:
    """The pass the build ran before related articles became lazy (same ranking)."""
    position = {id(a): i for i, a in enumerate(articles)}
    result = []
    for i, article in enumerate(articles):
        scores: Counter[int] = Counter()
        for group in article.view.chip_groups:
            for chip in group.chips:
                if len(chip.page.articles) <= RELATED_MAX_POSTING:
                    scores.update(position[id(a)] for a in chip.page.articles)
        scores.pop(i, None)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        result.append([articles[j] for j, _ in ranked])
    return result


def eager_companions(pages: list[Any], articles: list[Any]) -> dict[int, list[tuple[int, int]]]:
    """Co-occurrence counted for every page in one pass over the articles."""
    counts: dict[int, Counter[int]] = {page.index: Counter() for page in pages}
    for article in articles:
        indexes = [c.page.index for g in article.view.chip_groups for c in g.chips]
        for index in indexes:
            counts[index].update(i for i in indexes if i != index)
    return {
        index: sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:CO_OCCURRING]
        for index, counter in counts.items()
    }


# ---------------------------------------------------------------- synthetic archive
def synthetic(n: int, seed: int) -> list[Any]:
    """*n* stand-ins for Pelican articles, newest first, sharing entities a lot (a few
    in more than RELATED_MAX_POSTING articles, so those are left out of the ranking)."""
    rng = random.Random(seed)
    people = [f"사람{i}" for i in range(60)]
    companies = [f"회사{i}" for i in range(25)]
    articles = []
    start = dt.date(2024, 1, 1)
    for i in range(n):
        date = start - dt.timedelta(days=i // 3)
        model = Article(
            title=f"기사 {i}",
            date=date,
            slug=f"article-{i}",
            people=tuple(Person(p) for p in rng.sample(people, rng.randint(0, 4))),
            companies=tuple(rng.sample(companies, rng.randint(0, 3))),
            # 흔한주제 is in every article: more than RELATED_MAX_POSTING of them
            topics=("흔한주제", *rng.sample(["주제A", "주제B", "주제C"], rng.randint(0, 2))),
        )
        articles.append(
            SimpleNamespace(na=model, date=date, url=f"{date:%Y/%m}/article-{i}/", title="")
        )
    return articles


def test_top_counts_is_the_full_sort():
    rng = random.Random(7)
    for _ in range(300):
        counter = Counter({rng.randrange(200): rng.randint(1, 6) for _ in range(rng.randrange(60))})
        for limit in (0, 1, 3, 10, 100):
            expected = sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]
            assert top_counts(counter, limit) == expected


@pytest.mark.parametrize("order", ["forward", "backward", "shuffled"])
def test_lazy_views_equal_the_eager_passes_in_any_order(order: str):
    articles = synthetic(RELATED_MAX_POSTING + 200, seed=3)
    taxonomies, chips = build_taxonomies(articles, Registry())
    attach_views(articles, chips, related=5, base_url="", site_name="site")
    visit = list(range(len(articles)))
    if order == "backward":
        visit.reverse()
    elif order == "shuffled":
        random.Random(11).shuffle(visit)
    related = {i: articles[i].view.related for i in visit}
    expected = eager_related(articles, 5)
    assert [related[i] for i in range(len(articles))] == expected
    assert any(len(r) == 5 for r in expected)  # the ranking is exercised, not empty
    for i, article in enumerate(articles):
        assert article.view.previous is (articles[i + 1] if i + 1 < len(articles) else None)
        assert article.view.next is (articles[i - 1] if i > 0 else None)
        assert article.view_url == article.url

    pages = [p for kind in KINDS for p in taxonomies[kind].sorted_pages()]
    common = taxonomies["topic"].pages["흔한주제"]
    assert len(common.articles) > RELATED_MAX_POSTING
    companions = {p.index: [(o.index, n) for o, n in p.related] for p in reversed(pages)}
    assert companions == eager_companions(pages, articles)


def test_related_off_and_single_article():
    articles = synthetic(30, seed=5)
    _, chips = build_taxonomies(articles, Registry())
    attach_views(articles, chips, related=0, base_url="", site_name="site")
    assert all(a.view.related == [] for a in articles)
    one = synthetic(1, seed=5)
    _, chips = build_taxonomies(one, Registry())
    attach_views(one, chips, related=5, base_url="", site_name="site")
    assert one[0].view.related == [] and one[0].view.previous is one[0].view.next is None


# ---------------------------------------------------------------- on the fixture site
@pytest.fixture
def fixture_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[Any]]:
    import newsarchive.build

    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    kept: list[Any] = []
    release = newsarchive.build._release_site

    def keep_then_release() -> None:  # the build lets go of its articles when it is done
        kept.extend(state.current().site_articles)
        release()

    monkeypatch.setattr(newsarchive.build, "_release_site", keep_then_release)
    build_site(settings, publish=True, site_url=BASE_URL, reuse=False, record=False)
    return settings, kept


def test_fixture_related_links_are_the_eager_ranking(fixture_build):
    settings, articles = fixture_build
    expected = eager_related(articles, settings.related_articles)
    for article, related in zip(articles, expected, strict=True):
        assert article.view.related == related
        page = settings.output_path / article.save_as
        html = page.read_text(encoding="utf-8")
        for other in related:  # each related article is linked from the page
            assert f'href="{BASE_URL}/{other.view_url}"' in html


def test_entity_feeds_are_feedgenerators_bytes(fixture_build):
    settings, articles = fixture_build
    pages = {c.page for a in articles for g in a.view.chip_groups for c in g.chips}
    assert len(pages) > 20
    for page in pages:
        feed = Atom1Feed(
            title=f"{settings.site_name} - {page.label} {page.name}",
            link=f"{BASE_URL}/",
            feed_url=f"{BASE_URL}/{page.feed_url}",
            description=settings.site_description,
            subtitle=settings.site_description,
        )
        for article in page.articles[:50]:
            url = f"{BASE_URL}/{article.view_url}"
            feed.add_item(
                title=article.title,
                link=url,
                unique_id=get_tag_uri(url, article.date),
                description=article.summary,
                pubdate=article.date,
                categories=[article.category.name] if getattr(article, "category", None) else None,
                author_name=str(getattr(article, "author", "")),
            )
        buffer = io.StringIO()
        feed.write(buffer, "utf-8")
        written = (settings.output_path / page.feed_url).read_bytes()
        assert written == buffer.getvalue().encode("utf-8"), page.feed_url


def test_urls_stay_right_after_an_in_place_body_edit(fixture_build):
    from newsarchive.devserver.incremental import _update_in_place

    _settings, articles = fixture_build
    article = articles[0]
    pelican_settings = article.settings
    before = (article.url, article.save_as, article.get_relative_source_path())
    expand = memo._original["_expand_settings"]
    assert before[0] == expand(article, "url", "article")
    assert before[1] == expand(article, "save_as", "article")
    ld = article.view.ld
    new = SimpleNamespace(
        _content="<p>새 본문</p>",
        metadata={"summary": "새 요약", "summary_text": "새 요약"},
    )
    _update_in_place(article, new, pelican_settings)
    assert article.summary == "새 요약"
    assert (article.url, article.save_as, article.get_relative_source_path()) == before
    assert article.view.ld["description"] == "새 요약" != ld.get("description")
    # another status formats another setting; a moved source is resolved again
    article.status = "draft"
    assert article.url == expand(article, "url", "draft")
    article.source_path = str(Path(article.source_path).with_name("moved.md"))
    assert article.get_relative_source_path() == memo._original["get_relative_source_path"](article)
    assert article.get_relative_source_path().endswith("/moved.md")


@pytest.mark.parametrize(
    ("source", "content"),
    [
        ("/site/content/articles/2024/a.md", "/site/content"),
        ("/site/content/articles/a.md", "/site/content/"),
        ("articles/a.md", "/site/content"),
        ("/site/content/x/../a.md", "/site/content"),
        ("/site/contentx/a.md", "/site/content"),  # a sibling folder, not below it
        ("/elsewhere/a.md", "/site/content"),
        ("/site/content", "/site/content"),
        ("/a.md", "/"),
        ("content/a.md", "content"),
    ],
)
def test_relative_source_path_as_pelican_computes_it(source: str, content: str):
    from pelican.utils import posixize_path

    full = os.path.abspath(os.path.join(content, source))
    expected = posixize_path(os.path.relpath(full, os.path.abspath(content)))
    assert memo._relative(source, content) == expected


def test_translations_as_pelican_finds_them():
    from pelican.utils import process_translations as pelicans

    class Item:  # compares by identity, as Pelican's Content does
        def __init__(self, n: int, slug: str, lang: str, translation: str | None) -> None:
            self.n, self.slug, self.lang, self.in_default_lang = n, slug, lang, lang == "ko"
            self.source_path = f"{n}.md"
            self.metadata = {} if translation is None else {"translation": translation}

    specs = [("a", "ko", None), ("b", "ko", None), ("a", "en", None), ("c", "ko", None)]
    specs += [("b", "en", "true"), ("d", "en", None), ("c", "ko", None), ("e", "ko", None)]

    def items() -> list[Any]:
        return [Item(i, *spec) for i, spec in enumerate(specs)]

    ours_in, theirs_in = items(), items()
    ours = linear.process_translations(ours_in, "slug")
    theirs = pelicans(theirs_in, "slug")
    assert [[x.n for x in part] for part in ours] == [[x.n for x in part] for part in theirs]
    assert [[t.n for t in x.translations] for x in ours_in] == [
        [t.n for t in x.translations] for x in theirs_in
    ]
    assert linear.process_translations(items(), None)[1] == []


def test_content_cache_is_saved_only_when_it_changed(tmp_path: Path):
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    build_site(settings, reuse=False, record=False)
    caches = sorted(settings.cache_path.glob("pelican-*/*Generator-Readers"))
    assert caches
    stamps = [p.stat().st_mtime_ns for p in caches]
    build_site(settings, reuse=False, record=False)
    assert [p.stat().st_mtime_ns for p in caches] == stamps
    article = next(root.glob("content/articles/2024/*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\n새 문단.\n", encoding="utf-8")
    build_site(settings, reuse=False, record=False)
    changed = [p for p, s in zip(caches, stamps, strict=True) if p.stat().st_mtime_ns != s]
    assert [p.name for p in changed] == ["ArticlesGenerator-Readers"]


def test_collector_thresholds_are_given_back(tmp_path: Path):
    root = copy_fixture(tmp_path / "site")
    settings = load_settings(root, overrides={"search": False})
    saved = gc.get_threshold()
    gc.set_threshold(1234, 11, 12)  # whatever the process had
    try:
        build_site(settings, reuse=False, record=False)
        assert gc.get_threshold() == (1234, 11, 12)
        bad = root / "content/articles/2024/bad.md"
        bad.write_text("---\ntitle: 제목\ndate: 어제\nslug: bad\n---\n\n본문\n", encoding="utf-8")
        with pytest.raises(FrontMatterError):
            build_site(settings, reuse=False, record=False)
        assert gc.get_threshold() == (1234, 11, 12)
    finally:
        gc.set_threshold(*saved)
