"""The planner renders exactly the outputs an edit makes stale: every output whose bytes
change is rendered, and (for these edits) no other one is."""

from __future__ import annotations

from pathlib import Path

import pytest
from sites import apply_edit, build, cold_tree, fixture_site, generated_site, tree

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.engine.options import FirstPass

SEED = "content/articles/2024/lg전자-조주완-ceo-빅테크-격전지서-ai-광폭-행보-7억-대-제품과-7천억-시간-고객-사용-데이터로.md"


def _rebuild(root: Path):
    return build_site(load_settings(root))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = generated_site(tmp_path_factory.mktemp("planner") / "site", 120, seed=4)
    _rebuild(root)
    return root


@pytest.mark.parametrize(
    "kind",
    ["body", "summary", "title", "section", "people", "date", "css", "registry", "new", "weather"],
)
def test_an_edit_renders_exactly_the_outputs_it_changes(generated: Path, kind: str, tmp_path: Path):
    before = tree(generated / "output")
    apply_edit(generated, kind, pick=17, value=5)
    result = _rebuild(generated)
    after = tree(generated / "output")
    changed = {p for p in after if before.get(p) != after[p]}
    assert set(result.changed_files) == changed
    assert set(result.removed_files) == before.keys() - after.keys()
    # nothing rendered for nothing: every output rendered changed (or is new)
    assert set(result.rendered_files) == changed, sorted(set(result.rendered_files) - changed)
    expected, _ = cold_tree(generated, tmp_path / "cold")
    assert after == expected


@pytest.mark.parametrize("value", [4, 5, 6, 7])  # temperature, null condition, removed, added
def test_a_weather_edit_renders_exactly_the_outputs_it_changes(
    generated: Path, value: int, tmp_path: Path
):
    articles = sorted((generated / "content" / "articles").rglob("*.md"))
    pick = next(  # temperature, condition and removal: an article that has a weather box
        n
        for n in range(value * 13, value * 13 + len(articles))
        if value == 7 or "stations:" in articles[n % len(articles)].read_text(encoding="utf-8")
    )
    before = tree(generated / "output")
    apply_edit(generated, "weather", pick=pick, value=value)
    result = _rebuild(generated)
    after = tree(generated / "output")
    changed = {p for p in after if before.get(p) != after[p]}
    assert changed, "the edit shows somewhere"
    assert set(result.rendered_files) == changed, sorted(set(result.rendered_files) - changed)
    assert set(result.removed_files) == before.keys() - after.keys()
    expected, _ = cold_tree(generated, tmp_path / "cold")
    assert after == expected


def test_a_title_edit_reaches_every_page_that_shows_the_title(tmp_path: Path):
    root = fixture_site(tmp_path / "site")
    _rebuild(root)
    article = root / SEED
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "title: LG전자 조주완", "title: 고친 LG전자 조주완", 1
        ),
        encoding="utf-8",
    )
    result = _rebuild(root)
    shows = {
        p.relative_to(root / "output").as_posix()
        for p in (root / "output").rglob("*")
        if p.is_file() and "고친 LG전자 조주완" in p.read_text(encoding="utf-8", errors="replace")
    }
    assert shows <= set(result.rendered_files)
    assert len(shows) > 10  # its page, neighbours, related, listings, entity pages, feeds
    assert "sitemap.xml" not in result.rendered_files  # no title there


def test_nothing_changed_renders_nothing(tmp_path: Path):
    root = fixture_site(tmp_path / "site")
    _rebuild(root)
    result = _rebuild(root)
    assert result.rendered_files == () and result.changed_files == ()


def test_an_output_touched_by_hand_is_made_again(tmp_path: Path):
    root = fixture_site(tmp_path / "site")
    first = _rebuild(root)
    page = root / "output" / "index.html"
    good = page.read_bytes()
    page.write_text("tampered", encoding="utf-8")
    (root / "output" / "about" / "index.html").unlink()
    result = _rebuild(root)
    assert set(result.rendered_files) == {"index.html", "about/index.html"}
    assert page.read_bytes() == good and result.files == first.files


@pytest.mark.parametrize(("kind", "value"), [("new", 3), ("people", 5), ("delete", 3)])
def test_a_first_pass_leaves_other_articles_related_lists_to_the_second(
    generated: Path, kind: str, value: int, tmp_path: Path
):
    """With a first pass (the dev server), the related lists that a structural edit
    changes on *other* articles' pages are computed after the first announcement, and
    rendered in the second pass: the site ends byte for byte as a cold build, every output
    whose bytes changed rendered exactly once."""
    announced: list[frozenset[str]] = []
    first_pass = FirstPass(
        pages=frozenset(), done=lambda changed, removed: announced.append(changed)
    )
    before = tree(generated / "output")
    edited = apply_edit(generated, kind, pick=23, value=value)
    result = build_site(load_settings(generated), first_pass=first_pass)
    after = tree(generated / "output")
    changed = {p for p in after if before.get(p) != after[p]}
    assert set(result.rendered_files) == changed
    assert len(result.rendered_files) == len(set(result.rendered_files))
    (first,) = announced
    related_only = {  # article pages (YYYY/MM/slug/index.html; not day pages) changed later
        p
        for p in changed - first
        if (parts := p.split("/"))[0].isdigit() and len(parts) == 4 and not parts[2].isdigit()
    }
    assert related_only, f"the {kind} edit of {edited} changes no other article's page"
    expected, _ = cold_tree(generated, tmp_path / "cold")
    assert after == expected


def test_a_slug_taken_twice_goes_to_the_first_path_as_files_come_and_go(tmp_path: Path):
    """The check for duplicate slugs runs on every structural edit from the record's slug
    column: a copy sorted after the owner is left out; a copy sorted before it takes the
    slug (the owner is left out); deleting it gives the slug back. Each step equals a cold
    build, the error included."""
    root = fixture_site(tmp_path / "site")
    assert build(root) is None
    folder = root / "content" / "articles" / "2024"
    owner = folder / "lg전자-1분기-실적-발표-가전-호조.md"
    text = owner.read_text(encoding="utf-8")
    before, after = folder / "aaa-copy.md", folder / "zzz-copy.md"
    for step in ("after", "before", "delete"):
        if step == "after":
            after.write_text(text, encoding="utf-8")
        elif step == "before":
            before.write_text(text, encoding="utf-8")
        else:
            before.unlink()
        error = build(root)
        expected, cold_error = cold_tree(root, tmp_path / "cold")
        assert error == cold_error
        assert tree(root / "output") == expected
        first = before if step == "before" else owner
        assert error is not None and "duplicate article slug" in error
        assert str(first.relative_to(root)) in error
