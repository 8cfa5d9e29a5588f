"""The size report's kinds match what each file of a real built site is."""

from __future__ import annotations

from sitehelpers import Built

from newsarchive.sitesize import iter_files, measure, output_kind


def _kind_by_content(built: Built, rel: str) -> str:
    """What the page is, read from the page itself (not from its path)."""
    soup = built.html(rel)
    body_class = soup.body["class"]
    if "article-page" in body_class:
        return "article"
    if "search-page" in body_class:
        return "search"
    if "entity-page" in body_class:
        return "entity"
    if "dated-page" in body_class:
        return "dated"
    if soup.select(".article-list, .index-list, .month-list") and rel != "404.html":
        return "listing"
    return "other"


def test_each_page_of_the_fixture_site_has_the_kind_its_content_says(dev_site: Built):
    found: dict[str, int] = {}
    for rel, _ in iter_files(dev_site.output):
        kind = output_kind(rel)
        found[kind] = found.get(kind, 0) + 1
        if rel.endswith(".html"):
            assert kind == _kind_by_content(dev_site, rel), rel
        elif rel.startswith("feeds/"):
            assert kind == "feed", rel
        elif rel.startswith("theme/"):
            assert kind == "theme", rel
    assert found["article"] == 11  # every article of the fixture, nothing else
    # a page per day with articles (11 articles on 11 days), 366 + 1 on this day, the
    # weather archive and its 16 stations
    assert found["dated"] == 11 + 367 + 1 + 16
    entity_folders = [
        folder
        for section in ("people", "companies", "topics")
        for folder in (dev_site.output / section).iterdir()
        if folder.is_dir()
    ]
    entity_pages = [p for folder in entity_folders for p in folder.rglob("index.html")]
    assert found["entity"] == len(entity_pages) > len(entity_folders) > 20  # a front and years
    size = measure(dev_site.output)
    assert size.files == sum(found.values())
    assert sum(k.bytes for k in size.by_kind.values()) == size.total_bytes
