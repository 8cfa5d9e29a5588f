"""newsarchive's Pelican plugin: reader, taxonomies, template data, writer, extra pages.

``register()`` connects module-level functions to Pelican's signals. Blinker keys
receivers by identity, so registering again (every build in one process creates a new
``Pelican`` and calls ``register()``) changes nothing; per-build data lives in
:mod:`newsarchive.pelican_plugin.state`, reset when a build starts.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.contents import Article as PelicanArticle

from newsarchive.errors import BuildError, NewsArchiveError
from newsarchive.pelican_plugin import state

log = logging.getLogger(__name__)

# Top-level names in output/ that other tools own (search index, a deploy checkout).
OUTPUT_KEEP = frozenset({".git", "pagefind"})


def _initialized(pelican: Any) -> None:
    from newsarchive.pelican_plugin.parallel import resolve_jobs

    st = state.reset()
    st.jobs = resolve_jobs(int(pelican.settings.get("NEWSARCHIVE_BUILD_JOBS", 1)))


def _readers_init(readers: Any) -> None:
    from newsarchive.pelican_plugin.reader import NewsArchiveReader

    # Only our reader: no HTML/rST readers picking up stray files in content/.
    readers.reader_classes.clear()
    readers.reader_classes["md"] = NewsArchiveReader
    # Pelican also keeps its own Markdown reader (disabled: the markdown package is not
    # installed) for .md and would warn about every article; ours reads them.
    readers.check_file = _no_check
    state.current().readers.append(readers)  # parallel parsing checks its content cache


def _no_check(source_path: str) -> None:
    return None


def _content_init(content: Any) -> None:
    if not isinstance(content, PelicanArticle):
        return
    st = state.current()
    other = st.slugs.setdefault(content.slug, content.source_path)
    if other != content.source_path:
        first, second = sorted((other, content.source_path))
        st.errors.append(
            BuildError(
                f"duplicate article slug {content.slug!r}: {first} and {second}", path=second
            )
        )


def _get_generators(pelican: Any) -> Any:
    from newsarchive.pelican_plugin.generator import NewsArchiveGenerator

    return NewsArchiveGenerator


def _get_writer(pelican: Any) -> Any:
    from newsarchive.pelican_plugin.writer import ChangedOnlyWriter

    return ChangedOnlyWriter


def raise_collected() -> None:
    errors = state.current().errors
    if not errors:
        return
    if len(errors) == 1:
        raise errors[0]
    listing = "\n  ".join(str(e) for e in errors)
    raise BuildError(f"{len(errors)} files cannot be built:\n  {listing}")


def _rendering_observed() -> bool:
    """True while something watches what each page reads as it renders (the dev server's
    incremental recorder patches ``Content.__getattribute__``): skipped pages would hide
    their dependencies from it, so that build renders everything."""
    from pelican.contents import Content

    return "__getattribute__" in vars(Content)


def _all_generators_finalized(generators: list[Any]) -> None:
    """Every file has been read: fail on any reader error, then prepare template data."""
    from pelican.generators import ArticlesGenerator, PagesGenerator

    from newsarchive.entities.registry import load_registry
    from newsarchive.pelican_plugin.context import attach_views, latest_weather
    from newsarchive.pelican_plugin.generator import SiteData, periods
    from newsarchive.pelican_plugin.taxonomies import build_taxonomies

    raise_collected()
    articles_gen = next(g for g in generators if isinstance(g, ArticlesGenerator))
    settings = articles_gen.settings
    articles = articles_gen.articles
    st = state.current()
    st.articles = len(articles)
    st.site_articles = list(articles)
    st.pages = sum(len(g.pages) for g in generators if isinstance(g, PagesGenerator))
    registry = load_registry(Path(settings["NEWSARCHIVE_ENTITIES_PATH"]))
    taxonomies, chips = build_taxonomies(articles, registry)
    attach_views(
        articles,
        chips,
        related=settings["NEWSARCHIVE_RELATED"],
        base_url=settings["NEWSARCHIVE_BASE_URL"] if settings["NEWSARCHIVE_PUBLISH"] else "",
        site_name=settings["SITENAME"],
    )
    years, months = periods(articles)
    articles_gen.context["newsarchive"] = SiteData(
        taxonomies=taxonomies, years=years, months=months, home_weather=latest_weather(articles)
    )
    cache_folder = settings.get("NEWSARCHIVE_RENDER_CACHE")
    if cache_folder and not _rendering_observed():
        from newsarchive.pelican_plugin.rendercache import RenderCache, manifest_path, site_digest

        pages = [
            p
            for g in generators
            if isinstance(g, PagesGenerator)
            for p in [*g.pages, *g.hidden_pages]
        ]
        digest = site_digest(settings, articles, pages, Path(settings["THEME"]))
        output = Path(settings["OUTPUT_PATH"])
        st.render_cache = RenderCache(manifest_path(Path(cache_folder), output), digest)
    from newsarchive.pelican_plugin.parallel import begin_deferring

    begin_deferring()  # writer calls that must render now wait for the worker processes


def sweep_output(output: Path, keep: set[Path]) -> list[Path]:
    """Delete files below *output* that this build did not write; never leaves *output*.

    *keep* holds resolved paths. Empty folders left behind are removed too.
    """
    real = os.path.realpath(output)
    return _sweep(real, {str(p) for p in keep})


def _sweep(output: str, keep: set[str]) -> list[Path]:
    # Strings, not Path objects, and one walk: at 10,000 articles output/ holds ~35,000
    # files in ~25,000 folders, and this runs after every build.
    removed: list[str] = []
    if not os.path.isdir(output):  # noqa: PTH112
        return []
    order: list[str] = []  # folders, parents before children
    alive: dict[str, int] = {}  # folder -> entries it still holds
    for root, dirs, files in os.walk(output, topdown=True):
        if root == output:
            dirs[:] = [d for d in dirs if d not in OUTPUT_KEEP]
            kept_here = 1  # the top itself is never removed
        else:
            kept_here = 0
        for name in list(dirs):
            link = os.path.join(root, name)  # noqa: PTH118
            # never descend: unlink the link itself, not its target
            if os.path.islink(link):  # noqa: PTH114
                dirs.remove(name)
                os.unlink(link)  # noqa: PTH108
                removed.append(link)
        for name in files:
            if root == output and name in OUTPUT_KEEP:
                continue
            path = os.path.join(root, name)  # noqa: PTH118
            # os.walk does not follow links, so every path here lies inside output/;
            # unlink() on a link removes the link, never its target.
            if path in keep:
                kept_here += 1
            else:
                os.unlink(path)  # noqa: PTH108
                removed.append(path)
        if root != output:
            kept_here += len(dirs)
        order.append(root)
        alive[root] = kept_here
    for folder in reversed(order):  # children first
        if folder != output and alive[folder] == 0:
            os.rmdir(folder)  # noqa: PTH106
            alive[os.path.dirname(folder)] -= 1  # noqa: PTH120
    return sorted(Path(p) for p in removed)


def _finalized(pelican: Any) -> None:
    from newsarchive.pelican_plugin.parallel import render_deferred

    render_deferred(pelican.settings)  # before the sweep: workers write the pages
    st = state.current()
    # Written paths are absolute (abspath, not resolved); os.walk yields real paths, even
    # when output/ sits behind a symlinked folder: map the prefix once, not per file.
    absolute = os.path.abspath(pelican.output_path)  # noqa: PTH100
    real = os.path.realpath(pelican.output_path)
    prefix = absolute + os.sep
    keep = set()
    for path in st.written:
        text = str(path)
        if text.startswith(prefix):
            keep.add(real + text[len(absolute) :])
        else:
            keep.add(os.path.realpath(text))
    st.removed = _sweep(real, keep)
    if st.render_cache is not None:
        st.render_cache.save()
        log.debug(
            "render cache: %d calls skipped, %d rendered",
            st.render_cache.hits,
            st.render_cache.misses,
        )
        st.render_cache = None  # later replays (dev server) always render


def register() -> None:
    from newsarchive.pelican_plugin import linear

    linear.install()
    signals.initialized.connect(_initialized)
    signals.readers_init.connect(_readers_init)
    signals.content_object_init.connect(_content_init)
    signals.get_generators.connect(_get_generators)
    signals.get_writer.connect(_get_writer)
    signals.all_generators_finalized.connect(_all_generators_finalized)
    signals.finalized.connect(_finalized)


__all__ = ["NewsArchiveError", "register", "sweep_output"]
