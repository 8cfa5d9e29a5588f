"""A structural change, followed through: the structure, its facts, the outputs that exist.

When an article's structural fields change (``articles.STRUCTURE``), or it comes or goes,
the structure is brought up to date by moving just that article between its groups
(:meth:`Structure.apply`); the first build, a full one and a registry change build it
from every article instead. The scopes the move touched are the only ones whose facts are
computed again and compared with the record's, and the only ones whose outputs are listed
again: an edit of one article costs the few scopes it belongs to, not the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newsarchive.engine.record import Record
from newsarchive.entities.registry import Registry
from newsarchive.render.steps import Output, all_outputs, scope_outputs
from newsarchive.site.articles import STRUCTURE
from newsarchive.site.facts import Scope, all_scopes, scope_facts, scope_key, touched_scopes
from newsarchive.site.site import Site
from newsarchive.site.structure import Resolved, Structure, resolve_entities

_MISSING = object()
PAGES: Scope = ("pages",)  # the static pages' facts: not the structure's, kept beside them


def resolver(articles: Any, registry: Registry) -> Callable[[int], Resolved]:
    """An article's entities by canonical name (each raw name resolved once per build)."""
    canonical: dict[Any, str] = {}
    return lambda i: resolve_entities(articles[i], registry, canonical)


def new_structure(site: Site) -> Structure:
    settings = site.settings
    return Structure(
        site.articles,
        site.registry,
        per_page=settings.articles_per_page,
        entity_per_page=settings.entity_articles_per_page,
        feed_entries=settings.feed_entries,
    )


def load_structure(site: Site, record: Record) -> Structure:
    """The structure the last build left in the record."""
    return new_structure(site).load_plain(record.structure)


@dataclass
class Outcome:
    """What a structural change changed."""

    changed_facts: set[str] = field(default_factory=set)
    render: dict[str, Output] = field(default_factory=dict)  # outputs new or listed anew
    remove: set[str] = field(default_factory=set)  # outputs that no longer exist


def update(
    site: Site,
    record: Record,
    moved: dict[int, bool] | None,
    kept: Structure | None,
    fields: dict[int, int] | None = None,
) -> Outcome:
    """Bring the site's structure up to date: *moved* (article id -> listed now) by
    moving those articles (*fields*: id -> the field bits that changed), or None: built
    from every article. Returns the facts whose value changed and the outputs to render
    and remove."""
    resolve = resolver(site.articles, site.registry)
    if moved is None:
        structure = new_structure(site)
        structure.build([i for i, a in site.articles.items() if site.mode.listed(a)], resolve)
        site.set_structure(structure)
        outcome = Outcome()
        _compare(record, structure, None, outcome)
        _relist(site, record, None, outcome)
        return outcome
    structure = kept if kept is not None else load_structure(site, record)
    touched = structure.apply(moved, resolve, fields)
    site.set_structure(structure)
    scopes = touched_scopes(structure, touched)
    outcome = Outcome()
    _compare(record, structure, scopes, outcome)
    _relist(site, record, [*scopes, *(("article", i) for i in touched.articles)], outcome)
    return outcome


def moved_articles(site: Site, changes: Any) -> dict[int, bool]:
    """The articles whose place in the structure may differ: id -> listed now."""
    articles, listed = site.articles, site.mode.listed
    moved = {i: listed(articles[i]) for i, bits in changes.articles.items() if bits & STRUCTURE}
    moved.update((i, False) for i in changes.removed_articles)
    return moved


def _compare(
    record: Record, structure: Structure, scopes: Iterable[Scope] | None, outcome: Outcome
) -> None:
    """Compute the facts of *scopes* (None: every scope) and compare them with the
    record's; record the new values."""
    if scopes is None:
        scopes = list(all_scopes(structure))
        old = record.scope_facts(None)
        gone = set(old) - {scope_key(s) for s in scopes} - {scope_key(PAGES)}
    else:
        scopes = list(scopes)
        old = record.scope_facts(scope_key(s) for s in scopes)
        gone = set()
    changed = outcome.changed_facts
    for scope in scopes:
        key = scope_key(scope)
        new = scope_facts(structure, scope)
        before = old.get(key, {})
        if new != before:
            changed.update(
                name
                for name in new.keys() | before.keys()
                if new.get(name, _MISSING) != before.get(name, _MISSING)
            )
            record.set_scope_facts(key, new)
    for key in gone:
        changed.update(old[key])
        record.set_scope_facts(key, None)


def compare_pages(site: Site, record: Record, outcome: Outcome) -> None:
    """The static pages' titles and URLs (the menu, the sitemap), and their outputs."""
    scope = PAGES
    key = scope_key(scope)
    new = {"pages": tuple(sorted((p.url, p.title) for p in site.pages.values()))}
    old = record.scope_facts([key]).get(key)
    if old != new:
        outcome.changed_facts.add("pages")
        record.set_scope_facts(key, new)
    _relist(site, record, [scope], outcome)


def relist_files(site: Site, record: Record, outcome: Outcome) -> None:
    _relist(site, record, [("files",)], outcome)


def _relist(site: Site, record: Record, scopes: Iterable[Scope] | None, outcome: Outcome) -> None:
    """List the outputs of *scopes* (None: the whole site) again: those new or whose
    parameters differ are rendered, those gone removed."""
    recorded = record.outputs
    if scopes is None:
        now = {out.path: out for out in all_outputs(site)}
        outcome.remove.update(recorded.keys() - now.keys())
    else:
        now = {}
        for scope in scopes:
            listed = {out.path: out for out in scope_outputs(site, scope)}
            outcome.remove.update(record.outputs_of(scope_key(scope)) - listed.keys())
            now.update(listed)
    for path, out in now.items():
        entry = recorded.get(path)
        if (
            entry is None
            or entry.kind != out.kind
            or entry.params != out.params
            or entry.scope != out.scope
        ):
            outcome.render[path] = out
    outcome.remove -= now.keys()  # moved to another scope: listed there


__all__ = ["Outcome", "compare_pages", "load_structure", "moved_articles", "update"]
