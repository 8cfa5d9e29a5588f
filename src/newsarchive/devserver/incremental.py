"""Incremental rebuilds for the dev server: re-render only the pages an edited article is on.

Editing an article's text is what writers do most. Its front matter (title, date, section,
entities) is unchanged, so which pages exist, what they list and in which order is
unchanged; only pages that *show something of that article* can differ: the article page,
its neighbours and related articles, the index/section/archive/entity pages listing it (they
print its summary) and the feeds carrying it.

How those pages are found, without knowing the theme: while the dev server runs a full
build, :class:`Recorder` notes every ``write_file``/``write_feed`` call Pelican's writer
receives, and which articles each rendered page touched (any attribute read on the article
object while that page's template rendered, or while that feed was written). After an edit:

1. the edited file is read again with Pelican's own readers; if any metadata other than the
   body-derived ``summary``/``summary_text`` differs (front matter changed), or a file was
   added or deleted, or anything else changed (theme, settings, registry, pages), it gives
   up and the caller runs a full build, which records afresh;
2. otherwise the kept Article object is updated in place (content, summary, the JSON-LD built
   from the summary) so every list and mapping that holds it sees the new text;
3. the recorded writer calls that produced the dependent pages are replayed with a filter:
   templates of other pages in the same (paginated) call are not rendered and nothing else
   is written. Writes go through the build's changed-only writer, so what changed is known.

The output is identical to a full build's (the tests compare them byte for byte). The one
assumption: anything derived from an article's body is read through that article's
attributes while rendering (true of Pelican and of our plugin, whose only body-derived
data outside the article, the JSON-LD description, is recomputed in step 2).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Metadata the reader derives from the body: they may change in an incremental rebuild.
BODY_DERIVED = frozenset({"summary", "summary_text"})


class Unsupported(Exception):
    """This change needs a full build."""


@dataclass
class _Call:
    method: str  # "write_file", "write_feed", or a generator method writing one file itself
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict)  # absolute output path -> output_file
    owner: Any = None  # the generator, for generator methods


# Generator methods that write one output file without Pelican's writer (the plugin's
# summary-only entity feeds): recorded and replayed whole, like a feed.
DIRECT_WRITERS = ("_write_entity_feed",)
# Body-derived attributes: reading one outside a recorded output while pages are being
# written means some output escapes the recording, so incremental rebuilds are turned off.
_BODY_ATTRIBUTES = frozenset(
    {"content", "_content", "get_content", "summary", "get_summary", "summary_text"}
)


class Recorder:
    """What the last full build wrote, and which articles each output depends on."""

    def __init__(self) -> None:
        self.calls: list[_Call] = []
        self.deps: dict[str, set[tuple[int, str]]] = defaultdict(set)
        self.generators: list[Any] | None = None
        self.writer: Any = None
        self.ready = False
        self.unsafe: str | None = None  # why this recording cannot be replayed, if so
        self._writing = False  # Pelican has started writing output (get_writer was sent)
        # set while recording / replaying (one build at a time: the rebuild thread)
        self._call: int | None = None
        self._output: tuple[int, str] | None = None
        self._wanted: set[str] | None = None  # output_file names to render during a replay

    # ------------------------------------------------------------------ recording
    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        """Patch Pelican for the duration of one full build and record it."""
        self.calls = []
        self.deps = defaultdict(set)
        self.generators = None
        self.writer = None
        self.ready = False
        self.unsafe = None
        self._writing = False
        with _patched(self, track=True):
            yield
        if self.unsafe:
            log.warning("incremental rebuilds off until the next full build: %s", self.unsafe)
        self.ready = self.generators is not None and self.writer is not None and not self.unsafe

    def invalidate(self) -> None:
        self.ready = False

    def _track(self, content: Any, name: str) -> None:
        output = self._output
        if output is not None:
            source = object.__getattribute__(content, "__dict__").get("source_path")
            if source is not None:
                self.deps[source].add(output)
        elif self._writing and self.unsafe is None and name in _BODY_ATTRIBUTES:
            source = object.__getattribute__(content, "__dict__").get("source_path")
            self.unsafe = f"{name} of {source} read by an output the recording does not see"

    # ------------------------------------------------------------------ replay
    def rebuild(self, changes: frozenset[Path], articles_path: Path) -> set[Path]:
        """Re-render what depends on ``changes``; the set of output files that changed.

        Raises :class:`Unsupported` when the change needs a full build.
        """
        if not self.ready or not changes:
            raise Unsupported("no recorded build")
        from pelican.contents import Article

        generator = self._articles_generator()
        by_source = {a.source_path: a for a in generator.articles}
        edits: list[tuple[Any, Any]] = []
        for path in changes:
            if path.suffix != ".md" or not path.is_relative_to(articles_path):
                raise Unsupported(f"{path.name} is not an article")
            old = by_source.get(str(path))
            if old is None or not path.is_file():
                raise Unsupported(f"{path.name} was added or removed")
            new = generator.readers.read_file(
                base_path=generator.path,
                path=os.path.relpath(path, generator.path),
                content_class=Article,
                context=generator.context,
            )
            changed = {
                key
                for key in set(old.metadata) | set(new.metadata)
                if old.metadata.get(key) != new.metadata.get(key)
            }
            if not changed <= BODY_DERIVED:
                raise Unsupported(
                    f"{path.name}: front matter changed ({', '.join(sorted(changed))})"
                )
            edits.append((old, new))

        wanted: dict[int, set[str]] = defaultdict(set)
        for old, new in edits:
            _update_in_place(old, new, generator.settings)
            for call, output in self.deps.get(old.source_path, ()):
                wanted[call].add(output)
        return self._replay(wanted)

    def _articles_generator(self) -> Any:
        from pelican.generators import ArticlesGenerator

        assert self.generators is not None
        return next(g for g in self.generators if isinstance(g, ArticlesGenerator))

    def _replay(self, wanted: dict[int, set[str]]) -> set[Path]:
        from newsarchive.pelican_plugin import state

        st = state.current()
        st.changed = set()
        writer = self.writer
        original_open = writer._open_w
        for index in sorted(wanted):
            call = self.calls[index]
            targets = wanted[index]
            names = {call.names[t] for t in targets if t in call.names}

            def open_only_targets(filename: str, encoding: str, override: bool = False) -> Any:
                # abspath, not resolve(): Pelican names outputs with sanitised_join (abspath)
                if os.path.abspath(filename) not in targets:  # noqa: B023, PTH100
                    return Path(os.devnull).open("w", encoding=encoding)
                return original_open(filename, encoding, override)

            if call.owner is not None:  # a generator method writing its one file itself
                getattr(type(call.owner), call.method)(call.owner, *call.args, **call.kwargs)
                continue
            # Pelican's duplicate-output bookkeeping is per build; this is a new pass.
            writer._written_files = set()
            writer._overridden_files = set()
            writer._open_w = open_only_targets
            try:
                with _patched(self, track=False):
                    self._wanted = names if call.method == "write_file" else None
                    getattr(type(writer), call.method)(writer, *call.args, **call.kwargs)
            finally:
                self._wanted = None
                del writer._open_w  # back to the class's method
        return {Path(p) for p in st.changed}


def _update_in_place(old: Any, new: Any, settings: dict[str, Any]) -> None:
    """Give the kept Article the new body, so every structure holding it sees the change."""
    old._content = new._content
    for key in BODY_DERIVED & set(new.metadata):
        old.metadata[key] = new.metadata[key]
        setattr(old, key, new.metadata[key])  # as Content.__init__ does (summary: no-op setter)
    # Pelican memoizes rendered content/summary per (article, siteurl): drop this article's.
    for klass in type(old).__mro__:
        for name in ("get_content", "get_summary"):
            memo = klass.__dict__.get(name)
            cache = getattr(memo, "cache", None)
            if isinstance(cache, dict):
                for key in [k for k in cache if k and k[0] is old]:
                    del cache[key]
    view = getattr(old, "view", None)
    if view is not None and getattr(view, "ld", None) is not None:
        from newsarchive.pelican_plugin.context import _json_ld

        base = settings["NEWSARCHIVE_BASE_URL"] if settings.get("NEWSARCHIVE_PUBLISH") else ""
        view.ld = _json_ld(old, base, settings["SITENAME"])


# ---------------------------------------------------------------------------- patching
_patch_lock = threading.Lock()


@contextlib.contextmanager
def _patched(recorder: Recorder, *, track: bool) -> Iterator[None]:
    """Install the recording hooks on Pelican's writer, Jinja2 and Pelican's Content."""
    import jinja2
    from pelican import signals
    from pelican.contents import Content
    from pelican.utils import sanitised_join

    from newsarchive.pelican_plugin.generator import NewsArchiveGenerator
    from newsarchive.pelican_plugin.writer import ChangedOnlyWriter

    original_render = jinja2.Template.render
    base_write_file = ChangedOnlyWriter.write_file
    base_write_feed = ChangedOnlyWriter.write_feed

    def render(template: Any, *args: Any, **kwargs: Any) -> str:
        localcontext = args[0] if args and isinstance(args[0], dict) else kwargs
        name = localcontext.get("output_file")
        if recorder._call is not None and isinstance(name, str):
            writer = recorder.writer
            absolute = sanitised_join(writer.output_path, name)
            recorder.calls[recorder._call].names[absolute] = name
            previous, recorder._output = recorder._output, (recorder._call, absolute)
            try:
                return original_render(template, *args, **kwargs)
            finally:
                recorder._output = previous
        wanted = recorder._wanted
        if wanted is not None and isinstance(name, str) and name not in wanted:
            return ""  # another page of a paginated call: not rendered, not written
        return original_render(template, *args, **kwargs)

    def write_file(self: Any, *args: Any, **kwargs: Any) -> Any:
        recorder.writer = self
        recorder.calls.append(_Call("write_file", args, kwargs))
        recorder._call = len(recorder.calls) - 1
        try:
            return base_write_file(self, *args, **kwargs)
        finally:
            recorder._call = None

    def write_feed(
        self: Any, elements: Any, context: Any, path: Any = None, *rest: Any, **kw: Any
    ) -> Any:
        recorder.writer = self
        recorder.calls.append(_Call("write_feed", (elements, context, path, *rest), kw))
        index = len(recorder.calls) - 1
        absolute = sanitised_join(self.output_path, path) if path else None
        previous, recorder._output = recorder._output, (index, absolute) if absolute else None
        try:
            return base_write_feed(self, elements, context, path, *rest, **kw)
        finally:
            recorder._output = previous

    def getattribute(content: Any, name: str) -> Any:
        if recorder._output is not None or recorder._writing:
            recorder._track(content, name)
        return object.__getattribute__(content, name)

    def generators_done(generators: list[Any]) -> None:
        recorder.generators = generators

    def writing_starts(_pelican: Any) -> None:
        # Pelican asks for its writer after every generator has finalized its context.
        recorder._writing = True

    def direct_writer(method_name: str, original: Any) -> Any:
        def wrapper(generator: Any, *args: Any, **kwargs: Any) -> Any:
            call = _Call(method_name, args, kwargs, owner=generator)
            recorder.calls.append(call)
            index = len(recorder.calls) - 1
            previous, recorder._output = recorder._output, (index, f"{method_name}#{index}")
            try:
                return original(generator, *args, **kwargs)
            finally:
                recorder._output = previous

        return wrapper

    patches: list[tuple[type, str, Any]] = [(jinja2.Template, "render", render)]
    if track:
        patches += [
            (ChangedOnlyWriter, "write_file", write_file),
            (ChangedOnlyWriter, "write_feed", write_feed),
            (Content, "__getattribute__", getattribute),
        ]
        for method_name in DIRECT_WRITERS:
            original = getattr(NewsArchiveGenerator, method_name, None)
            if original is not None:
                patches.append(
                    (NewsArchiveGenerator, method_name, direct_writer(method_name, original))
                )
    missing = object()
    with _patch_lock:
        saved = [(klass, name, klass.__dict__.get(name, missing)) for klass, name, _ in patches]
        for klass, name, replacement in patches:
            setattr(klass, name, replacement)
        if track:
            signals.all_generators_finalized.connect(generators_done, weak=False)
            signals.get_writer.connect(writing_starts, weak=False)
        try:
            yield
        finally:
            for klass, name, before in saved:
                if before is missing:
                    delattr(klass, name)
                else:
                    setattr(klass, name, before)
            if track:
                signals.all_generators_finalized.disconnect(generators_done)
                signals.get_writer.disconnect(writing_starts)
