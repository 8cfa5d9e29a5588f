"""The build snapshot: what the last full build read and wrote, so the next build can skip Pelican.

A newsroom rebuilds far more often than it changes the site's shape: most builds follow an
edit to one article's text, or change nothing at all, yet Pelican reads and renders every
article every time (seconds per thousand articles, even with every cache warm). So after
each full build this module records, in one JSON file per output folder under the cache
folder:

- the *key*: our settings, the publish mode and site URL, the theme's files, this
  package's source and the versions of the libraries that render;
- every *input* (articles, pages, the registry, static files): size, mtime and content
  hash; for each published article also its *structure hash* (its front matter and its
  summary, everything any other page shows of it) and its *body hash*;
- every *output* file: size and mtime;
- the *body slots*: where each article's rendered body sits, byte for byte, in the files
  that print it in full (its own page, and the Atom feeds that carry it, XML-escaped).

The next build compares (stat first; content hashes for files whose stat changed or that
changed within the clock tick of the last scan, as git does with its index):

- nothing changed and ``output/`` is as the last build left it: that output is what a full
  build would write again, so there is nothing to do;
- only article bodies changed, with front matter and summary identical: no page but those
  holding the body can differ (every other page shows front matter and summaries: the
  contract of the render cache, see ``pelican_plugin/rendercache.py``), so each new body is
  rendered by the reader's own renderer (:mod:`newsarchive.document`) and spliced into its
  slots;
- anything else (a new, deleted or renamed file, front matter, the first paragraph, the
  theme, settings, code, a touched output file): a full build, which records a new snapshot.

Tests build the fixture site both ways and compare the trees byte for byte.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import html
import logging
import marshal
import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.config import IGNORED_FILES, Settings
from newsarchive.fsutil import atomic_write
from newsarchive.outputcheck import OutputCheck

if TYPE_CHECKING:
    from newsarchive.document import ParsedArticle

log = logging.getLogger(__name__)

VERSION = 1
# The file is a marshal dump (plain dicts, lists, strings and numbers: several times
# faster to load than JSON, and it can make no object but those): its format belongs
# to the Python version, which the header names.
_HEADER = f"newsarchive-snapshot {VERSION} {sys.version_info[0]}.{sys.version_info[1]}\n".encode()
# A file whose mtime is this close to the previous scan may have been written again within
# the same clock tick after it was looked at: its stat proves nothing, so it is hashed.
RACY_NS = 100_000_000
# Libraries whose output ends up in the site.
_RENDERING = ("pelican", "jinja2", "markdown-it-py", "mdit-py-plugins", "feedgenerator", "PyYAML")
# Pelican rewrites attribute values that start with {…} or |…| (intra-site links); a body
# holding one is not printed verbatim, so it cannot be spliced. (markdown-it percent-encodes
# these characters in URLs, so real bodies never match.)
_INTRASITE = re.compile(
    r"""(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*["'][{|]""", re.IGNORECASE
)
_FEED_CONTENT = re.compile(rb'<content type="html">([^<]*)</content>')


def xml_escape(text: str) -> str:
    """What feedgenerator's XML writer (xml.sax.saxutils.escape) makes of text content;
    written out so the fast path does not import urllib through xml.sax."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _file_digest(path: str) -> str:
    with open(path, "rb") as handle:  # noqa: PTH123 - thousands of calls: no Path objects
        return _digest(handle.read())


def structure_hash(parsed: ParsedArticle) -> str:
    """All that pages other than the article's own show of it: front matter and summary."""
    return _digest(repr((parsed.article, parsed.summary_text)).encode("utf-8", "surrogatepass"))


def body_hash(content: str) -> str:
    return _digest(content.encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- the key
def _tree_digest(h: Any, folder: Path, suffixes: tuple[str, ...] | None = None) -> None:
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)  # noqa: PTH118
            h.update(os.path.relpath(path, folder).encode())
            h.update(_file_digest(path).encode())


def _library_versions() -> list[str]:
    """The installed distributions of the rendering libraries, by their ``.dist-info``
    folder names (which carry the version): importlib.metadata alone costs a fast build
    more to import than this whole scan."""
    wanted = {name.lower().replace("-", "_") for name in _RENDERING}
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")  # noqa: PTH208 - names only, no Path objects
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project = name[: -len(".dist-info")].rsplit("-", 1)[0]
                if project.lower().replace("-", "_").replace(".", "_") in wanted:
                    found.append(name)
    return sorted(found)


def build_key(settings: Settings, publish: bool, site_url: str | None) -> str:
    """Changes whenever anything but the content could change the output."""
    h = hashlib.blake2b(digest_size=16)
    # how many processes build is no part of what they build
    output_settings = dataclasses.replace(settings, build_jobs=0)
    h.update(repr((VERSION, output_settings, publish, site_url)).encode())
    h.update(";".join(_library_versions()).encode())
    _tree_digest(h, Path(__file__).resolve().parent, (".py",))
    theme = settings.build_theme_path  # the configured theme, else the bundled one
    h.update(str(theme).encode())
    if theme is not None:
        _tree_digest(h, theme)
    return h.hexdigest()


# ------------------------------------------------------------------------ the inputs
_IGNORED = re.compile("|".join(fnmatch.translate(pattern) for pattern in IGNORED_FILES))


def _ignored(name: str) -> bool:
    return _IGNORED.match(name) is not None


def scan_inputs(settings: Settings) -> dict[str, tuple[int, int]]:
    """Every file a build reads: project-relative path -> (size, mtime_ns)."""
    root = os.path.abspath(settings.root)  # noqa: PTH100
    found: dict[str, tuple[int, int]] = {}
    content = settings.content_path

    def walk(folder: str, rel: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if _ignored(entry.name):
                continue
            if entry.is_dir():  # followed, as Pelican follows links
                walk(entry.path, f"{rel}{entry.name}/")
            elif entry.is_file():
                st = entry.stat()
                found[rel + entry.name] = (st.st_size, st.st_mtime_ns)

    for folder in (
        settings.articles_path,
        settings.pages_path,
        content / "images",
        content / "static",
    ):
        folder_rel = os.path.relpath(folder, root)
        walk(os.path.join(root, folder_rel), f"{folder_rel}/")  # noqa: PTH118
    entities = settings.entities_path
    if entities.is_file():
        st = entities.stat()
        found[os.path.relpath(entities, root)] = (st.st_size, st.st_mtime_ns)
    return found


def _settled_digest(path: str, size: int, mtime: int, scanned_ns: int) -> str | None:
    """The file's hash if its bytes are known to be those the build read, else None.

    A file written within the clock tick of the scan, or since, may hold other bytes than
    the build read under the same stat: it gets no hash, so the next build compares what
    it parses with what was rendered instead.
    """
    if mtime >= scanned_ns - RACY_NS:
        return None
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            data = handle.read()
            st = os.fstat(handle.fileno())
    except OSError:
        return None
    return _digest(data) if (st.st_size, st.st_mtime_ns) == (size, mtime) else None


def hash_before_build(
    settings: Settings, scan: dict[str, tuple[int, int]], previous: Snapshot | None
) -> dict[str, str | None]:
    """Hashes of the inputs other than articles, taken before the build reads them.

    An article's hash may be taken after the build: if it cannot be trusted, the next build
    compares what it parses with what this one rendered. Other files (registry, pages,
    static files) have no such check, and a handful of them costs nothing to hash first.
    """
    root = str(settings.root)
    articles = os.path.relpath(settings.articles_path, root) + "/"
    hashed: dict[str, str | None] = {}
    for rel, (size, mtime) in scan.items():
        if rel.startswith(articles):
            continue
        if previous is not None and previous.unchanged(rel, size, mtime):
            hashed[rel] = previous.inputs[rel][2]
            continue
        try:
            hashed[rel] = _file_digest(os.path.join(root, rel))  # noqa: PTH118
        except OSError:
            hashed[rel] = None
    return hashed


# ---------------------------------------------------------------------- the snapshot
@dataclass
class Snapshot:
    key: str
    scanned_ns: int
    articles: int
    pages: int
    # project-relative path -> [size, mtime_ns, hash, structure, body, page, start, end];
    # all but the first three only for published articles: *page* is the output file that
    # prints the article, its body's UTF-8 bytes sit at [start:end] (None: not found once)
    inputs: dict[str, list[Any]]
    # output-relative path -> [size, mtime_ns], in the order of Path objects
    outputs: dict[str, list[int]]
    # every folder holding outputs ("" is output/ itself) -> mtime_ns: a file added to
    # output/ by something else changes its folder's mtime (a full build then sweeps it)
    folders: dict[str, int]
    # feed -> [[input, start, end, hash of the escaped bytes], ...] in file order; None when
    # some feed prints bodies in a way this module cannot find (no splicing then)
    feeds: dict[str, list[list[Any]]] | None

    def dumps(self) -> bytes:
        return _HEADER + marshal.dumps(self.__dict__)

    def unchanged(self, rel: str, size: int, mtime: int) -> bool:
        """True when input *rel* with this stat still holds the bytes this snapshot
        hashed: the same size and mtime, written before the clock tick of its scan."""
        entry = self.inputs.get(rel)
        return (
            entry is not None
            and entry[0] == size
            and entry[1] == mtime
            and mtime < self.scanned_ns - RACY_NS
        )

    @classmethod
    def load(cls, path: Path) -> Snapshot | None:
        try:
            data = path.read_bytes()
            if not data.startswith(_HEADER):
                return None
            return cls(**marshal.loads(data[len(_HEADER) :]))  # noqa: S302 - our own file of plain values
        except (OSError, ValueError, EOFError, KeyError, TypeError):
            return None


def snapshot_path(settings: Settings) -> Path:
    """One snapshot per output folder (a publish build elsewhere keeps its own)."""
    name = _digest(str(settings.output_path.resolve()).encode())[:16]
    return settings.cache_path / f"snapshot-{name}.bin"


def forget(settings: Settings) -> None:
    """Builds that do not record a snapshot (the dev server's) invalidate the old one."""
    snapshot_path(settings).unlink(missing_ok=True)


def _output_rel(output: str, path: Path | str) -> str:
    text = str(path)
    prefix = output + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else os.path.relpath(text, output)


def _path_order(rel: str) -> list[str]:
    """Sort key putting output-relative paths in the order of their Path objects."""
    return rel.split("/")


def _folders(rels: Iterable[str]) -> set[str]:
    folders = {""}
    for rel in rels:
        folder = rel.rpartition("/")[0]
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _folder_stamps(output: str, folders: Iterable[str]) -> dict[str, int]:
    return {f: os.stat(os.path.join(output, f)).st_mtime_ns for f in folders}  # noqa: PTH116, PTH118


def _stamps(output: str, rels: Iterable[str]) -> dict[str, list[int]]:
    stamps = {}
    for rel in rels:
        st = os.stat(os.path.join(output, rel))  # noqa: PTH116, PTH118
        stamps[rel] = [st.st_size, st.st_mtime_ns]
    return stamps


# ------------------------------------------------------------------- recording a build
@dataclass
class _Recorder:
    """Builds the snapshot of a full build from Pelican's articles and the written files."""

    settings: Settings
    previous: Snapshot | None
    scan: dict[str, tuple[int, int]]
    scanned_ns: int
    output: str = ""
    hashed: dict[str, str | None] = field(default_factory=dict)
    why_no_slots: str | None = None

    def inputs(self, articles: list[Any]) -> dict[str, list[Any]]:
        from newsarchive.document import ParsedArticle

        root = str(self.settings.root)
        previous = self.previous
        inputs: dict[str, list[Any]] = {}
        for rel, (size, mtime) in self.scan.items():
            if rel in self.hashed:
                digest = self.hashed[rel]
            elif previous is not None and previous.unchanged(rel, size, mtime):
                digest = previous.inputs[rel][2]
            else:
                digest = _settled_digest(os.path.join(root, rel), size, mtime, self.scanned_ns)  # noqa: PTH118
            inputs[rel] = [size, mtime, digest, None, None, None, None, None]
        for article in articles:
            rel = os.path.relpath(article.source_path, root)
            entry = inputs.get(rel)
            if entry is None:
                continue
            parsed = ParsedArticle(article.na, article._content, article.summary_text)
            entry[3] = structure_hash(parsed)
            entry[4] = body_hash(article._content)
            entry[5] = _output_rel(self.output, os.path.join(self.output, article.save_as))  # noqa: PTH118
        return inputs

    def page_slots(self, inputs: dict[str, list[Any]], articles: list[Any]) -> None:
        """Where each article's body sits in its page (entry[6:8]); unchanged pages keep
        the previous build's answer."""
        root = str(self.settings.root)
        old_inputs = self.previous.inputs if self.previous else {}
        old_outputs = self.previous.outputs if self.previous else {}
        for article in articles:
            rel = os.path.relpath(article.source_path, root)
            entry = inputs.get(rel)
            if entry is None or entry[5] is None:
                continue
            page = entry[5]
            before = old_inputs.get(rel)
            path = os.path.join(self.output, page)  # noqa: PTH118
            try:
                st = os.stat(path)  # noqa: PTH116
            except OSError:
                continue
            if (
                before is not None
                and before[4:6] == entry[4:6]
                and old_outputs.get(page) == [st.st_size, st.st_mtime_ns]
            ):
                entry[6:8] = before[6:8]
                continue
            with open(path, "rb") as handle:  # noqa: PTH123
                data = handle.read()
            body = article._content.encode("utf-8", "surrogatepass")
            start = data.find(body) if body else -1
            if start >= 0 and data.find(body, start + 1) < 0:
                entry[6:8] = [start, start + len(body)]

    def feed_slots(
        self, inputs: dict[str, list[Any]], feeds: list[str]
    ) -> dict[str, list[list[Any]]] | None:
        by_body: dict[str, list[str]] = defaultdict(list)
        for rel, entry in inputs.items():
            if entry[4] is not None:
                by_body[entry[4]].append(rel)
        slots: dict[str, list[list[Any]]] = {}
        for feed in feeds:
            found = self._feed_slots(feed, by_body)
            if found is None:
                return None
            if found:
                slots[feed] = found
        return slots

    def _feed_slots(self, feed: str, by_body: dict[str, list[str]]) -> list[list[Any]] | None:
        path = os.path.join(self.output, feed)  # noqa: PTH118
        try:
            with open(path, "rb") as handle:  # noqa: PTH123
                data = handle.read()
        except OSError:
            return []
        found = []
        for match in _FEED_CONTENT.finditer(data):
            escaped = match.group(1).decode("utf-8", "surrogatepass")
            content = html.unescape(escaped)
            owners = by_body.get(body_hash(content), [])
            if len(owners) != 1 or xml_escape(content) != escaped:
                self.why_no_slots = f"{feed}: a feed entry's content is not one article's body"
                return None
            found.append([owners[0], match.start(1), match.end(1), _digest(match.group(1))])
        if data.count(b"<content") != len(found):
            self.why_no_slots = f"{feed}: content elements this module does not understand"
            return None
        return found


def observe(
    settings: Settings,
    *,
    key: str,
    scan: dict[str, tuple[int, int]],
    scanned_ns: int,
    articles: list[Any],
    pages: int,
    feeds: list[str] | None,
    written: Iterable[Path],
    previous: Snapshot | None,
    hashed: dict[str, str | None],
) -> Snapshot:
    """What a full build that just wrote *written* read and where its bodies are; taken
    while Pelican's articles are alive, saved by :func:`save` once every step has written.

    *previous* (the last snapshot, if its key matches) saves re-hashing unchanged inputs
    and re-reading unchanged pages."""
    if previous is not None and previous.key != key:
        previous = None
    output = os.path.abspath(settings.output_path)  # noqa: PTH100
    recorder = _Recorder(settings, previous, scan, scanned_ns, output, hashed)
    inputs = recorder.inputs(articles)
    recorder.page_slots(inputs, articles)
    if feeds is None:
        feed_slots = None
        recorder.why_no_slots = "a feed prints full bodies in a form not read here"
    else:
        present = {_output_rel(output, p) for p in written}
        feed_slots = recorder.feed_slots(inputs, [f for f in feeds if f in present])
    if feed_slots is None:
        log.debug("body edits will need full builds: %s", recorder.why_no_slots)
    return Snapshot(
        key=key,
        scanned_ns=scanned_ns,
        articles=len(articles),
        pages=pages,
        inputs=inputs,
        outputs={},
        folders={},
        feeds=feed_slots,
    )


def save(settings: Settings, snapshot: Snapshot, written: Iterable[Path]) -> None:
    """Record the stat of every file of the build (*written*) and save the snapshot."""
    output = os.path.abspath(settings.output_path)  # noqa: PTH100
    rels = sorted({_output_rel(output, p) for p in written}, key=_path_order)
    snapshot.outputs = _stamps(output, rels)
    snapshot.folders = _folder_stamps(output, sorted(_folders(rels)))
    atomic_write(snapshot_path(settings), snapshot.dumps())


# --------------------------------------------------------------------- the fast path
class NeedsFullBuild(Exception):
    """Why this build must run Pelican."""


@dataclass
class Plan:
    """What changed since the snapshot, when only article bodies did."""

    snapshot: Snapshot
    digests: dict[str, str] = field(default_factory=dict)  # input read again -> its hash
    bodies: dict[str, ParsedArticle] = field(default_factory=dict)  # input -> new body


def output_check(settings: Settings, snapshot: Snapshot, *, split: bool = True) -> OutputCheck:
    """The check that ``output/`` is as *snapshot* recorded it; on a large site it starts
    at once in a child process, so the caller can scan the inputs meanwhile."""
    return OutputCheck.start(
        str(settings.output_path), snapshot.folders, snapshot.outputs, split=split
    )


def plan(
    settings: Settings,
    key: str,
    scan: dict[str, tuple[int, int]],
    snapshot: Snapshot | None,
    outputs: OutputCheck | None = None,
) -> Plan:
    """The work a build needs without Pelican; raises NeedsFullBuild saying why not.

    *outputs* is the check of ``output/`` from :func:`output_check` if already started."""
    if snapshot is None:
        raise NeedsFullBuild("no snapshot of an earlier build")
    if snapshot.key != key:
        raise NeedsFullBuild("settings, theme or code changed")
    if scan.keys() != snapshot.inputs.keys():
        added = sorted(scan.keys() - snapshot.inputs.keys())
        gone = sorted(snapshot.inputs.keys() - scan.keys())
        raise NeedsFullBuild(f"files added {added[:3]} or removed {gone[:3]}")
    work = Plan(snapshot)
    root = str(settings.root)
    for rel, (size, mtime) in scan.items():
        if snapshot.unchanged(rel, size, mtime):
            continue
        entry = snapshot.inputs[rel]
        path = os.path.join(root, rel)  # noqa: PTH118
        try:
            with open(path, "rb") as handle:  # noqa: PTH123
                data = handle.read()
        except OSError as exc:
            raise NeedsFullBuild(f"{rel} cannot be read: {exc}") from None
        work.digests[rel] = _digest(data)
        if work.digests[rel] == entry[2]:
            continue
        if entry[3] is None:
            raise NeedsFullBuild(f"{rel} changed")
        from newsarchive.document import parse_article

        try:
            parsed = parse_article(Path(path), data)
        except Exception as exc:  # the full build reports it, with every other bad file
            raise NeedsFullBuild(f"{rel} cannot be read: {exc}") from None
        if structure_hash(parsed) != entry[3]:
            raise NeedsFullBuild(f"{rel}: front matter or summary changed")
        if _INTRASITE.search(parsed.content):
            raise NeedsFullBuild(f"{rel}: the body has intra-site link markup")
        if body_hash(parsed.content) == entry[4]:
            continue
        if snapshot.feeds is None or entry[6] is None:
            raise NeedsFullBuild(f"{rel}: where its body is printed is unknown")
        work.bodies[rel] = parsed
    why = (outputs or output_check(settings, snapshot, split=False)).result()
    if why:
        raise NeedsFullBuild(why)
    return work


def _spliced(data: bytes, slots: list[list[Any]], bodies: dict[str, bytes]) -> bytes:
    """*data* with the slots of *bodies* replaced; *slots* (file order) get new offsets."""
    parts: list[bytes] = []
    position = shift = 0
    for slot in slots:
        owner, start, end, digest = slot
        if _digest(data[start:end]) != digest:
            raise NeedsFullBuild("a body slot does not hold the recorded bytes")
        new = bodies.get(owner)
        if new is None:
            slot[1], slot[2] = start + shift, end + shift
            continue
        parts += [data[position:start], new]
        position = end
        slot[1], slot[2], slot[3] = start + shift, start + shift + len(new), _digest(new)
        shift += len(new) - (end - start)
    parts.append(data[position:])
    return b"".join(parts)


def apply(settings: Settings, work: Plan) -> list[Path]:
    """Splice the new bodies into their slots; the output files whose bytes changed.

    Every slot of every affected file is checked before anything is written, so a slot
    that does not hold what the snapshot says stops the build before it touches output/.
    """
    snapshot = work.snapshot
    feeds = snapshot.feeds or {}
    # output -> its slots (file order), and the new bytes for the slots of edited inputs
    slots: dict[str, list[list[Any]]] = {}
    bodies: dict[str, dict[str, bytes]] = defaultdict(dict)
    for rel, parsed in work.bodies.items():
        entry = snapshot.inputs[rel]
        page, start, end = entry[5], entry[6], entry[7]
        # a page's slot holds the body's UTF-8 bytes: their hash is the body hash
        slots[page] = [[rel, start, end, entry[4]]]
        bodies[page][rel] = parsed.content.encode("utf-8", "surrogatepass")
        escaped = xml_escape(parsed.content).encode("utf-8", "surrogatepass")
        for feed, feed_slots in feeds.items():
            if any(slot[0] == rel for slot in feed_slots):
                slots[feed] = [list(slot) for slot in feed_slots]
                bodies[feed][rel] = escaped
    output = settings.output_path
    staged = []
    for out in sorted(bodies):
        path = output / out
        data = path.read_bytes()
        staged.append((path, data, _spliced(data, slots[out], bodies[out])))
    changed = []
    for path, data, spliced in staged:
        if spliced != data:
            atomic_write(path, spliced)
            changed.append(path)
    for out, out_slots in slots.items():
        if out in feeds:
            feeds[out] = out_slots
        else:
            ((rel, start, end, digest),) = out_slots
            snapshot.inputs[rel][4] = digest
            snapshot.inputs[rel][6:8] = [start, end]
    return changed


def save_after(
    settings: Settings,
    work: Plan,
    scan: dict[str, tuple[int, int]],
    scanned_ns: int,
    *,
    changed: Iterable[Path],
    removed: Iterable[Path],
) -> None:
    """Record what a fast build changed, so the next one starts from it."""
    snapshot = work.snapshot
    for rel, digest in work.digests.items():
        size, mtime = scan[rel]
        entry = snapshot.inputs[rel]
        entry[0], entry[1] = size, mtime
        # the bytes just read were hashed; trusted next time unless written in this tick
        entry[2] = digest if mtime < scanned_ns - RACY_NS else None
    output = os.path.abspath(settings.output_path)  # noqa: PTH100
    outputs = snapshot.outputs
    for path in removed:
        outputs.pop(_output_rel(output, path), None)
    # a file new to output/ is always among the changed ones: no need to list *written*
    changed_rels = [_output_rel(output, p) for p in changed]
    fresh = [rel for rel in changed_rels if rel not in outputs]
    outputs.update(_stamps(output, changed_rels))
    if fresh:
        snapshot.outputs = {rel: outputs[rel] for rel in sorted(outputs, key=_path_order)}
    removed_rels = [_output_rel(output, p) for p in removed]
    if fresh or removed_rels:  # folders may have come or gone
        folders = _folders(snapshot.outputs)
        snapshot.folders = {f: snapshot.folders.get(f, 0) for f in sorted(folders)}
    # the build wrote (temp file + rename) or deleted in these folders: their mtimes moved
    touched = _folders([*changed_rels, *removed_rels]) & snapshot.folders.keys()
    snapshot.folders.update(_folder_stamps(output, sorted(touched)))
    snapshot.scanned_ns = scanned_ns
    atomic_write(snapshot_path(settings), snapshot.dumps())


def now_ns() -> int:
    return time.time_ns()


class OutputFiles(Sequence[Path]):
    """The output files of a build that did not run Pelican, as Paths made on demand.

    Such a build lists every file of the site (25,000 at 10,000 articles), and making
    that many Path objects costs more than the rest of a build that changed nothing.
    """

    __slots__ = ("_base", "_rels")

    def __init__(self, base: str, rels: list[str]) -> None:
        self._base, self._rels = base, rels

    def _path(self, rel: str) -> Path:
        return Path(f"{self._base}/{rel}")

    def __len__(self) -> int:
        return len(self._rels)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self._path(rel) for rel in self._rels[index])
        return self._path(self._rels[index])

    def __iter__(self) -> Iterator[Path]:
        return (self._path(rel) for rel in self._rels)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"OutputFiles({self._base!r}, {len(self)} files)"


def written_files(settings: Settings, snapshot: Snapshot) -> OutputFiles:
    """Every output file, in Path order (the snapshot keeps them so)."""
    return OutputFiles(os.path.abspath(settings.output_path), list(snapshot.outputs))  # noqa: PTH100


def feeds_with_bodies(pelican_settings: dict[str, Any], articles: list[Any]) -> list[str] | None:
    """Output-relative paths of the feeds Pelican writes with full article bodies.

    None when a feed may print bodies in a form this module does not read (full-content
    RSS): body edits then always take a full build.
    """
    rss = ("FEED_RSS", "FEED_ALL_RSS", "CATEGORY_FEED_RSS", "AUTHOR_FEED_RSS", "TAG_FEED_RSS")
    if not pelican_settings.get("RSS_FEED_SUMMARY_ONLY") and any(
        pelican_settings.get(name) for name in rss
    ):
        return None
    feeds = [pelican_settings[k] for k in ("FEED_ALL_ATOM", "FEED_ATOM") if pelican_settings.get(k)]
    pattern = pelican_settings.get("CATEGORY_FEED_ATOM")
    if pattern:
        slugs = {a.category.slug for a in articles if getattr(a, "category", None)}
        feeds += [pattern.format(slug=slug) for slug in sorted(slugs)]
    for name in ("AUTHOR_FEED_ATOM", "TAG_FEED_ATOM", "TRANSLATION_FEED_ATOM"):
        if pelican_settings.get(name):
            return None  # their items are not tracked here
    return feeds
