"""One build: detect what changed, plan, render what is stale, save the record.

Every build goes through here: ``newsarchive build`` (with or without ``--full``, which
only adds a full check of the output folder and renders everything when asked), each
rebuild of ``newsarchive serve`` and ``pelican`` itself; the stages are Pelican's: the
generator's ``generate_context`` calls :meth:`IncrementalBuild.prepare`, its
``generate_output`` calls :meth:`IncrementalBuild.render`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import jinja2

from newsarchive.config import Settings
from newsarchive.engine import inputs, parallel, planner
from newsarchive.engine.options import BuildOptions, BuildReport
from newsarchive.engine.parallel import resolve_jobs
from newsarchive.engine.progress import Progress
from newsarchive.engine.record import Record, record_path
from newsarchive.engine.runner import run
from newsarchive.engine.structural import load_structure
from newsarchive.entities.registry import Registry, load_registry
from newsarchive.entities.registry import from_plain as registry_from_plain
from newsarchive.entities.registry import to_plain as registry_to_plain
from newsarchive.errors import BuildError
from newsarchive.site.articles import ArticleData, PageData
from newsarchive.site.site import BuildMode, Site
from newsarchive.site.structure import Structure

# the folder of a day page inside its month's (site.days.day_url)
DAY_SLUG = re.compile(r"0[1-9]|[12][0-9]|3[01]")
log = logging.getLogger(__name__)


class IncrementalBuild:
    def __init__(self, settings: Settings, mode: BuildMode, options: BuildOptions) -> None:
        self.settings = settings
        self.mode = mode
        self.options = options
        self.progress = options.progress or Progress(enabled=False)
        self.report = BuildReport()
        self.record: Record | None = None
        self.site: Site | None = None
        self.plan: planner.Plan | None = None
        self.edited: set[int] = set()  # the articles whose source changed

    def prepare(
        self,
        read_article: Callable[[str], tuple[ArticleData, str]],
        read_page: Callable[[str], tuple[PageData, str]],
        env: jinja2.Environment,
    ) -> None:
        try:
            self._prepare(read_article, read_page, env)
        except BaseException:
            self._close(failed=True)
            raise

    def _open(self, key: str) -> Record:
        session = self.options.session
        if session is not None and session.record is not None:
            if session.record.is_current(key):
                return session.record
            session.forget()
        settings = self.settings
        opened = self.options.opened
        if opened is not None and opened.record.key == key:
            record = opened.record
        else:
            record = Record(record_path(settings.cache_path, settings.output_path), key)
        if session is not None:
            session.record = record
        return record

    def _close(self, *, failed: bool) -> None:
        session = self.options.session
        if session is None:
            if self.record is not None:
                self.record.close()
        elif failed:
            session.forget()  # what was loaded may be half-updated: start afresh next time
        elif self.site is not None:
            session.structure = self.site.__dict__.get("structure", session.structure)

    def _prepare(
        self,
        read_article: Callable[[str], tuple[ArticleData, str]],
        read_page: Callable[[str], tuple[PageData, str]],
        env: jinja2.Environment,
    ) -> None:
        settings = self.settings
        key = inputs.build_key(settings, self.mode.publish, self.mode.base_url)
        session = self.options.session
        kept = session.structure if session is not None and session.record is not None else None
        record = self.record = self._open(key)
        if session is not None and session.record is not record:
            kept = None
        roots = inputs.InputRoots.of(settings)
        self.progress.stage("reading %s", settings.content_path)
        read_articles = parallel.read_in_shares(
            planner.read_each(read_article), resolve_jobs(self.options.jobs)
        )
        opened = self.options.opened
        scanned = None
        if opened is not None and opened.record is record and opened.scan is not None:
            scanned = (opened.scan, opened.scan_started)
        changes = planner.detect(
            settings,
            record,
            roots,
            read_articles,
            read_page,
            full=self.options.full,
            scanned=scanned,
        )
        if changes.structural or record.fresh:
            _exclude_duplicate_slugs(record, changes)
        self.report.errors.extend(changes.errors)
        bodies = dict(changes.bodies)

        def body(article_id: int) -> str:
            found = bodies.get(article_id)
            if found is None:
                found = bodies[article_id] = read_article(record.articles[article_id].path)[1]
            return found

        def page_body(path: str) -> str:
            return read_page(path)[1]

        def structure() -> Structure:
            return kept if kept is not None else load_structure(site, record)

        site = self.site = Site(
            settings,
            self.mode,
            lambda: self._registry(record, roots),
            record.articles,
            record.pages,
            body,
            page_body,
            structure,
        )
        if changes.registry or record.fresh:
            site.registry  # noqa: B018 - a broken registry fails the build now, not mid-render
        theme_root = planner.template_root(settings)
        templates_changed = (
            record.fresh or changes.full or any(p.startswith(theme_root) for p in changes.files)
        )
        closures = None
        if templates_changed:
            closures = planner.template_closures(env)
            for name in env.list_templates():  # a syntax error fails before anything is written
                env.get_template(name)
        facts = planner.input_facts(record, roots, closures, theme_root)
        self.edited = set(changes.articles)
        self.plan = planner.plan(
            site, record, changes, facts, verify=self.options.verify, kept=kept
        )
        if self.plan.restructured:
            record.structure = site.structure.to_plain()
            record.listed = len(site.structure.order)
        self.report.articles = record.listed
        self.report.pages = len(record.pages)

    def _registry(self, record: Record, roots: inputs.InputRoots) -> Registry:
        """The registry, parsed again only when its file changed."""
        entry = record.inputs.get(roots.registry)
        digest = None if entry is None else entry[2]
        session = self.options.session
        if session is not None and session.registry is not None and session.registry[0] == digest:
            return session.registry[1]
        registry = self._load_registry(record, digest)
        if session is not None:
            session.registry = (digest, registry)
        return registry

    def _load_registry(self, record: Record, digest: str | None) -> Registry:
        path = self.settings.entities_path
        if digest is not None and record.registry is not None and record.registry[0] == digest:
            return registry_from_plain(record.registry[1], path)
        registry = load_registry(path)
        record.registry = None if digest is None else (digest, registry_to_plain(registry))
        return registry

    def render(self, make_renderer: Callable[[Any], Any]) -> BuildReport:
        assert self.plan is not None and self.site is not None and self.record is not None
        plan, record = self.plan, self.record
        # a build that reads a broken file fails at its end: announced once, as such
        first_pass = None if self.report.errors else self.options.first_pass
        if first_pass is None:
            planner.settle(self.site, record, plan)  # all of the plan known before it starts
        total = len(plan.render)
        if total:
            self.progress.stage("rendering %d of %d outputs", total, plan.total)
        self.progress.start_bar(total, "rendering")
        try:
            result = run(
                plan,
                self.site,
                record,
                make_renderer,
                jobs=resolve_jobs(self.options.jobs),
                progress=self.progress.advance,
                first_pass=first_pass,
                edited=self.edited,
            )
            record.save()
        except BaseException:
            self._close(failed=True)
            raise
        finally:
            self.progress.close_bar()
        report = self.report
        report.take_outputs(record)
        report.rendered = result.rendered
        report.changed = result.changed
        report.removed = result.removed
        self._close(failed=False)
        if self.options.done is not None:
            self.options.done(report)
        return report


def _exclude_duplicate_slugs(record: Record, changes: Any) -> None:
    """Two articles with one slug (a copied file whose slug was not changed): the first by
    path keeps it, the others are left out and named (read again by every build until
    fixed, so the error is not forgotten). A slug that is a day of the month (``08``)
    would be the day page's folder (``2024/06/08/``): left out and named the same way."""
    owner: dict[str, str] = {}
    for article_id, path, slug in sorted(record.articles.slugs(), key=lambda item: item[1]):
        if DAY_SLUG.fullmatch(slug):
            reason = (
                f"article slug {slug!r} is a day of the month: its page would take the "
                f"place of the day page {record.articles[article_id].url} (give the "
                "article another slug)"
            )
        else:
            first = owner.setdefault(slug, path)
            if first == path:
                continue
            reason = (
                f"duplicate article slug {slug!r}: {first} and {path} "
                "(give one of them another slug)"
            )
        changes.errors.append(BuildError(reason, path=path))
        del record.articles[article_id]
        record.article_ids.pop(path, None)
        record.inputs.pop(path, None)
        changes.removed_articles.add(article_id)
        changes.articles.pop(article_id, None)
