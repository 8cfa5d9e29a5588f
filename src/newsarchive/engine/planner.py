"""The planner: from what changed since the last build to exactly the outputs to render.

1. Inputs: a stat scan against the record; files whose stat moved are hashed, and only
   those whose bytes changed count (:func:`detect`).
2. Articles and pages that changed are read again (through Pelican's reader); each new
   record is compared field by field with the old one: an edit is a set of (article,
   field bits).
3. When a field that shapes the site changed (date, URL, section, status, entities,
   weather) or an article came or went, those articles are moved between the groups of
   the structure the last build kept (engine/structural.py); only the scopes the move
   touched have their facts computed again and compared by value with the record's (what
   page 3 of a section lists, an article's neighbours and chips...), and only their
   outputs are listed again. The first build, a full one and a registry change build the
   structure from every article instead.
4. Derived facts (related articles, an entity's companions) that read something changed
   are computed again; those whose value changed count as changed facts.
5. The outputs to render: those that read a changed field or fact (the record's reverse
   index answers), those that are new, and those whose file is missing or no longer what
   the last build wrote. Outputs that no longer exist are removed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Container
from dataclasses import dataclass, field

import jinja2
import jinja2.meta

from newsarchive.config import Settings
from newsarchive.engine import inputs, structural
from newsarchive.engine.record import Record
from newsarchive.engine.verify import OutputCheck
from newsarchive.errors import BuildError, NewsArchiveError
from newsarchive.render.steps import Output
from newsarchive.site.articles import ALL_FIELDS, STRUCTURE, ArticleData, PageData
from newsarchive.site.site import Site
from newsarchive.site.structure import Structure

log = logging.getLogger(__name__)

# A file written this close to the scan may change again within the file system's clock
# tick without its stat changing: it is hashed again by the next build.
RACY_NS = 50_000_000


@dataclass
class Changes:
    """What changed in the inputs since the record was written."""

    articles: dict[int, int] = field(default_factory=dict)  # id -> changed field bits
    removed_articles: set[int] = field(default_factory=set)
    pages: set[str] = field(default_factory=set)  # page paths added, changed or removed
    files: set[str] = field(default_factory=set)  # theme/static files changed
    files_added_or_removed: bool = False
    registry: bool = False
    errors: list[NewsArchiveError] = field(default_factory=list)
    bodies: dict[int, str] = field(default_factory=dict)  # bodies read while detecting
    full: bool = False  # every input was read again: the structure is derived again too

    @property
    def structural(self) -> bool:
        return (
            bool(self.removed_articles or self.pages or self.registry or self.full)
            or self.files_added_or_removed
            or any(bits & STRUCTURE for bits in self.articles.values())
        )


ReadArticle = Callable[[str], tuple[ArticleData, str]]
ReadPage = Callable[[str], tuple[PageData, str]]
# paths -> for each, (record, body) or the error that stopped it (in the paths' order)
ReadArticles = Callable[[list[str]], list[tuple[ArticleData, str] | NewsArchiveError]]


def read_each(read: ReadArticle) -> ReadArticles:
    """One article after the other (see :func:`newsarchive.engine.parallel.read_in_shares`)."""

    def read_all(paths: list[str]) -> list[tuple[ArticleData, str] | NewsArchiveError]:
        results: list[tuple[ArticleData, str] | NewsArchiveError] = []
        for path in paths:
            try:
                results.append(read(path))
            except NewsArchiveError as exc:
                results.append(exc)
            except OSError as exc:  # gone or unreadable since the scan
                results.append(BuildError(f"cannot read the file: {exc.strerror}", path=path))
        return results

    return read_all


def detect(
    settings: Settings,
    record: Record,
    roots: inputs.InputRoots,
    read_articles: ReadArticles,
    read_page: ReadPage,
    *,
    full: bool = False,
    scanned: tuple[dict[str, tuple[int, int]], int] | None = None,
) -> Changes:
    """Compare the inputs with the record; read what changed. Updates the record's maps.

    *full* trusts no stat of the record: every file's bytes are read and hashed again,
    and a file whose digest differs from the recorded one is parsed (one whose digest is
    the same parses to what the record holds: the parse depends only on the bytes, the
    path and the build key, which the record's key already matched).
    *scanned*: the inputs' stats and when that scan began, if the caller scanned already."""
    if scanned is None:
        scan_started = time.time_ns()
        found = inputs.scan(settings, roots)
    else:
        found, scan_started = scanned
    changes = Changes(full=full)
    old = record.inputs
    new_inputs: dict[str, tuple[int, int, str | None]] = {}
    to_read: list[str] = []
    for path, (size, mtime) in found.items():
        entry = old.get(path)
        kind = roots.kind(path)
        unread = inputs.unread(kind, path, record.article_ids, record.pages)
        if inputs.same_stat(entry, size, mtime) and not full:
            new_inputs[path] = entry  # type: ignore[assignment]
            if not unread:
                continue
        try:
            digest = inputs.file_digest(inputs.absolute(settings, path))
        except OSError:
            continue  # gone meanwhile: the next build sees it removed
        trusted = mtime < scan_started - RACY_NS
        new_inputs[path] = (size, mtime if trusted else -1, digest)
        if entry is not None and entry[2] == digest and not unread:
            continue
        if kind == inputs.ARTICLE:
            to_read.append(path)
        elif kind == inputs.PAGE:
            _read_page(record, changes, path, read_page)
        elif kind == inputs.REGISTRY:
            changes.registry = True
        elif entry is None or entry[2] != digest:
            changes.files.add(path)
            if entry is None:
                changes.files_added_or_removed = True
    to_read.sort()
    for path, result in zip(to_read, read_articles(to_read), strict=True):
        _take_article(record, changes, path, result)
    for path in old.keys() - found.keys():
        kind = roots.kind(path)
        if kind == inputs.ARTICLE:
            article_id = record.article_ids.pop(path, None)
            if article_id is not None:
                record.articles.pop(article_id, None)
                changes.removed_articles.add(article_id)
        elif kind == inputs.PAGE:
            record.pages.pop(path, None)
            changes.pages.add(path)
        elif kind == inputs.REGISTRY:
            changes.registry = True
        else:
            changes.files.add(path)
            changes.files_added_or_removed = True
    record.inputs = new_inputs
    return changes


def _take_article(
    record: Record,
    changes: Changes,
    path: str,
    result: tuple[ArticleData, str] | NewsArchiveError,
) -> None:
    article_id = record.article_ids.get(path)
    if isinstance(result, NewsArchiveError):
        changes.errors.append(result)
        if article_id is not None:  # left out of the site until it is fixed
            record.article_ids.pop(path)
            record.articles.pop(article_id, None)
            changes.removed_articles.add(article_id)
        return
    data, body = result
    if article_id is None:
        article_id = record.article_id(path)
        changes.articles[article_id] = ALL_FIELDS
    else:
        bits = record.articles[article_id].changed(data)
        if not bits:
            return
        changes.articles[article_id] = bits
    record.articles[article_id] = data
    changes.bodies[article_id] = body


def _read_page(record: Record, changes: Changes, path: str, read: ReadPage) -> None:
    try:
        data, _body = read(path)
    except NewsArchiveError as exc:
        changes.errors.append(exc)
        if record.pages.pop(path, None) is not None:
            changes.pages.add(path)
        return
    if record.pages.get(path) != data:
        record.pages[path] = data
        changes.pages.add(path)


# ----------------------------------------------------------------------- templates
def template_closures(env: jinja2.Environment) -> dict[str, set[str]]:
    """Template name -> every template it extends, includes or imports (and itself).

    A template naming another through an expression (unknown statically) depends on all.
    """
    direct: dict[str, set[str] | None] = {}
    names = env.list_templates()
    for name in names:
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            refs = jinja2.meta.find_referenced_templates(env.parse(source))
            found = set()
            for ref in refs:
                if ref is None:
                    found = None
                    break
                found.add(ref)
            direct[name] = found
        except jinja2.TemplateError:
            direct[name] = set()  # rendering reports the error, with its line
    closures: dict[str, set[str]] = {}
    for name in names:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = direct.get(current, set())
            if refs is None:
                seen.update(names)
                break
            stack.extend(refs)
        closures[name] = seen
    return closures


# ----------------------------------------------------------------------------- plan
DERIVED_PREFIXES = ("related", "cooccur")
INPUT_PREFIXES = ("file", "template", "page")


def _group(key: str) -> str:
    prefix = key.partition(":")[0]
    if prefix in DERIVED_PREFIXES:
        return "derived"
    if prefix in INPUT_PREFIXES:
        return "input"
    return "structure"


def input_facts(
    record: Record,
    roots: inputs.InputRoots,
    closures: dict[str, set[str]] | None,
    template_root: str,
) -> dict[str, bytes]:
    """Facts of the theme, static files and pages: ``file:<path>``, ``template:<name>``
    (digest of every file in the template's closure), ``page:<path>``. *closures* None:
    no template changed, their facts are the record's."""
    from newsarchive.site.articles import fact_digest

    facts: dict[str, bytes] = {}
    templates: dict[str, str | None] = {}
    for path, (_size, _mtime, digest) in record.inputs.items():
        if roots.kind(path) != inputs.FILE:
            continue
        facts[f"file:{path}"] = fact_digest(digest)
        if template_root and path.startswith(template_root):
            templates[path[len(template_root) :]] = digest
    if closures is None:
        facts.update((k, v) for k, v in record.facts.items() if k.startswith("template:"))
    else:
        for name, closure in closures.items():
            members = tuple(sorted((n, templates.get(n)) for n in closure))
            facts[f"template:{name}"] = fact_digest(members)
    for path, page in record.pages.items():
        facts[f"page:{path}"] = fact_digest(tuple(page))
    return facts


@dataclass
class Plan:
    render: list[Output]  # sorted by path
    remove: list[str]  # output paths no longer produced
    changed_facts: set[str]
    restructured: bool  # the structure was brought up to date
    total: int  # outputs of the site after this plan
    verified: int = 0  # outputs whose file was checked
    strays: list[str] = field(default_factory=list)  # files in output/ no build made
    # derived facts that read a changed fact or field, not yet computed again (:func:`settle`)
    suspects: set[str] = field(default_factory=set)
    baseline: dict[str, bytes] = field(default_factory=dict)  # the facts as the plan found them
    current: Container[str] = ()  # the site's outputs after this plan
    walked: bool = False  # output/ was walked (every folder's mtime is recorded anew)


class _Current:
    """The paths of the site's outputs after this plan: the record's, less the removed,
    with the new."""

    def __init__(self, record: Record, outcome: structural.Outcome) -> None:
        self._recorded, self._outcome = record.outputs, outcome

    def __contains__(self, path: object) -> bool:
        outcome = self._outcome
        return path in outcome.render or (path in self._recorded and path not in outcome.remove)


def plan(
    site: Site,
    record: Record,
    changes: Changes,
    facts_of_inputs: dict[str, bytes],
    *,
    verify: OutputCheck | None,
    kept: Structure | None = None,
) -> Plan:
    """The outputs to render and to remove (see the module docstring). *kept*: the
    structure a long-lived process kept from its last build."""
    changed_facts = {
        key
        for key in facts_of_inputs.keys() | {k for k in record.facts if _group(k) == "input"}
        if facts_of_inputs.get(key) != record.facts.get(key)
    }
    record.facts = {
        **{k: v for k, v in record.facts.items() if _group(k) == "derived"},
        **facts_of_inputs,
    }
    rebuild = record.fresh or changes.full or changes.registry or record.structure is None
    moved = None if rebuild else structural.moved_articles(site, changes)
    outcome = structural.Outcome()
    if moved is None or moved:
        outcome = structural.update(site, record, moved, kept, changes.articles)
    if changes.pages or rebuild:
        structural.compare_pages(site, record, outcome)
    if changes.files_added_or_removed:
        structural.relist_files(site, record, outcome)
    changed_facts |= outcome.changed_facts

    stale_ids, suspects = record.fact_readers(changed_facts)
    by_article_ids, by_article_derived = record.article_readers(changes.articles)
    stale_ids |= by_article_ids
    suspects |= by_article_derived

    current = _Current(record, outcome)
    wanted = {p for p in map(record.output_path, stale_ids) if p is not None and p in current}
    wanted.update(p for p in record.dirty if p in current)
    verified, strays = 0, []
    if verify is None and rebuild:
        verify = OutputCheck(site.settings.output_path, None)
    if verify is not None:
        verified, strays = verify.compare(
            record, current, wanted, trusted=record.trusted and not changes.full
        )
    render = dict(outcome.render)
    for path in wanted.difference(render):
        entry = record.outputs[path]
        render[path] = Output(path, entry.kind, entry.params, entry.scope)
    return Plan(
        [render[p] for p in sorted(render)],
        sorted(outcome.remove),
        changed_facts,
        moved is None or bool(moved),
        len(record.outputs) - len(outcome.remove) + len(render.keys() - record.outputs.keys()),
        verified,
        strays,
        suspects,
        dict(record.facts) if suspects else {},
        current,
        verify is not None and verify.walked,
    )


def settle(site: Site, record: Record, plan: Plan) -> list[Output]:
    """Compute the plan's suspected derived facts again (related articles, co-occurrences)
    and add the outputs of those whose value changed to ``plan.render``; returns the
    outputs added.

    Kept apart from :func:`plan` so that the dev server's first pass (the edited article's
    own page) is rendered before the related lists of the hundreds of articles sharing a
    person with it are computed again; the facts are compared with their values when the
    build planned (*baseline*), not with what the first pass recorded since."""
    suspects, plan.suspects = plan.suspects, set()
    stale: set[int] = set()
    seen: set[str] = set()
    derived_facts = site.derived
    while suspects:
        key = suspects.pop()
        if key in seen:
            continue
        seen.add(key)
        # computed on demand; the argument may be gone (a deleted article): such facts
        # are dropped by the runner, not computed here
        derived_facts.compute(key)
        digest = derived_facts.digests[key]
        # same value or not, keep what it read now (it may read other facts than before)
        record.set_derived(key, derived_facts.reads[key], digest)
        if plan.baseline.get(key) == digest:
            continue
        plan.changed_facts.add(key)
        outputs, derived = record.fact_readers([key])
        stale |= outputs
        suspects |= derived - seen
    planned = {out.path for out in plan.render}
    added = []
    for path in sorted(p for p in map(record.output_path, stale) if p is not None):
        if path in plan.current and path not in planned:
            entry = record.outputs[path]
            added.append(Output(path, entry.kind, entry.params, entry.scope))
    if added:
        plan.render = sorted([*plan.render, *added], key=lambda out: out.path)
    return added


def template_root(settings: Settings) -> str:
    theme = settings.build_theme_path
    return "" if theme is None else inputs.input_path(settings, theme / "templates") + "/"


__all__ = [
    "Changes",
    "Plan",
    "detect",
    "input_facts",
    "plan",
    "read_each",
    "settle",
    "template_closures",
]
