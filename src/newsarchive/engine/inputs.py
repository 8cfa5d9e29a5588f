"""Everything a build reads, found by a stat scan, and the key of what is not content.

Inputs are project-relative POSIX paths of four kinds: articles, pages, the registry and
theme/static files (templates included). A file whose size and mtime match the record is
taken as unchanged; any other is read and hashed, and counts as changed only if its bytes
did (a touched file costs a hash, nothing more).

The *build key* digests what changes every output at once: the record's format, this
package's code, the versions of the libraries whose output ends up in the site, the
settings and the build mode. A record with another key is discarded.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import sys
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsarchive.config import Settings, ignored_file

RECORD_FORMAT = 6
# Libraries whose output ends up in the site: a new version may render other bytes.
RENDERING_LIBRARIES = (
    "pelican",
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "mdit-py-plugins",
    "feedgenerator",
    "PyYAML",
)
# Settings that change no output byte: how many processes build, where the server listens.
_NOT_OUTPUT = ("build_jobs", "serve_port", "serve_bind")
_PACKAGE = Path(__file__).resolve().parent.parent

ARTICLE, PAGE, REGISTRY, FILE = "article", "page", "registry", "file"


def file_digest(path: Path | str) -> str:
    with open(path, "rb") as handle:  # noqa: PTH123 - thousands of calls: no Path objects
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()


def _tree_digest(h: hashlib._Hash, folder: Path, suffix: str) -> None:
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(suffix):
                path = os.path.join(base, name)  # noqa: PTH118
                h.update(os.path.relpath(path, folder).encode())
                h.update(file_digest(path).encode())


def library_versions(names: Iterable[str] = RENDERING_LIBRARIES) -> list[str]:
    """Installed distributions of *names*, by their ``.dist-info`` folder names (which carry
    the version): importlib.metadata alone costs more to import than this scan."""
    wanted = {name.lower().replace("-", "_") for name in names}
    found = []
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")  # noqa: PTH208 - names only
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info"):
                project = entry[: -len(".dist-info")].rsplit("-", 1)[0]
                if project.lower().replace("-", "_").replace(".", "_") in wanted:
                    found.append(entry)
    return sorted(set(found))


def build_key(settings: Settings, publish: bool, site_url: str) -> str:
    """Changes whenever anything but the content and the theme could change the output."""
    h = hashlib.blake2b(digest_size=16)
    # how to build, serve or import, not what: the import's slug length is in the front matter
    unused = ("build_jobs", "serve_port", "slug_max_length")
    output_settings = dataclasses.replace(settings, **{n: 0 for n in unused})
    output_settings = dataclasses.replace(output_settings, serve_bind="")
    h.update(repr((RECORD_FORMAT, output_settings, publish, site_url)).encode())
    h.update(";".join(library_versions()).encode())
    h.update(package_digest().encode())
    return h.hexdigest()


@functools.cache
def package_digest() -> str:
    """This package's code as this process runs it: read once, so that a long-lived
    process (``serve``) whose files are upgraded under it keeps stamping its outputs as
    made by the code it runs, not by the code a later process will run."""
    h = hashlib.blake2b(digest_size=16)
    _tree_digest(h, _PACKAGE, ".py")
    return h.hexdigest()


@dataclass(frozen=True)
class InputRoots:
    """Where a build reads from (project-relative POSIX prefixes, with a trailing slash)."""

    articles: str
    pages: str
    registry: str  # a file
    files: tuple[str, ...]  # theme and static folders

    @classmethod
    def of(cls, settings: Settings) -> InputRoots:
        theme = settings.build_theme_path
        folders = [settings.content_path / "images", settings.content_path / "static"]
        if theme is not None:
            folders.insert(0, theme)
        return cls(
            input_path(settings, settings.articles_path) + "/",
            input_path(settings, settings.pages_path) + "/",
            input_path(settings, settings.entities_path),
            tuple(input_path(settings, folder) + "/" for folder in folders),
        )

    def kind(self, path: str) -> str:
        if path.startswith(self.articles):
            return ARTICLE
        if path.startswith(self.pages):
            return PAGE
        if path == self.registry:
            return REGISTRY
        return FILE


def scan(settings: Settings, roots: InputRoots) -> dict[str, tuple[int, int]]:
    """Every input: path -> (size, mtime_ns). Articles and pages are ``.md`` files."""
    root = str(settings.root)
    found: dict[str, tuple[int, int]] = {}

    def walk(folder: str, prefix: str, markdown_only: bool) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if ignored_file(name):
                continue
            if entry.is_dir():  # followed, as Pelican follows links
                walk(entry.path, f"{prefix}{name}/", markdown_only)
            elif entry.is_file() and (not markdown_only or name.endswith(".md")):
                st = entry.stat()
                found[prefix + name] = (st.st_size, st.st_mtime_ns)

    for prefix, markdown_only in (
        (roots.articles, True),
        (roots.pages, True),
        *((p, False) for p in roots.files),
    ):
        folder = prefix if prefix.startswith("/") else os.path.join(root, prefix)  # noqa: PTH118
        walk(folder, prefix, markdown_only)
    registry = settings.root / roots.registry
    if registry.is_file():
        st = registry.stat()
        found[roots.registry] = (st.st_size, st.st_mtime_ns)
    return found


def same_stat(entry: tuple[int, int, str | None] | None, size: int, mtime: int) -> bool:
    """Whether an input whose record is *entry* still holds the bytes the record hashed:
    same size and mtime, and hashed outside the racy window of its scan (see planner)."""
    return entry is not None and entry[2] is not None and entry[:2] == (size, mtime)


def unread(kind: str, path: str, article_ids: Container[str], pages: Container[str]) -> bool:
    """An article or page the last build could not read: read again, to report it again."""
    return (kind == ARTICLE and path not in article_ids) or (kind == PAGE and path not in pages)


def unchanged(
    found: Mapping[str, tuple[int, int]],
    recorded: Mapping[str, tuple[int, int, str | None]],
    article_ids: Mapping[str, int],
    pages: Mapping[str, object],
    roots: InputRoots,
) -> bool:
    """Whether the inputs *found* by a scan are those *recorded*, each with the stat it
    was hashed with (:func:`same_stat`) and none of them :func:`unread`. Asked of every
    input by a build that may have nothing to do, so compared as whole maps and sets."""
    if found.keys() != recorded.keys():
        return False
    hashed = {
        path: (entry[0], entry[1]) for path, entry in recorded.items() if entry[2] is not None
    }
    if hashed != found:
        return False
    others = found.keys() - article_ids.keys() - pages.keys()  # few: theme, images, registry
    return not any(unread(roots.kind(p), p, article_ids, pages) for p in others)


def input_path(settings: Settings, path: Path) -> str:
    """The input name of a file: project-relative, or absolute outside the project (the
    bundled theme of a project that has none)."""
    try:
        return path.relative_to(settings.root).as_posix()
    except ValueError:
        return path.as_posix()


def absolute(settings: Settings, path: str) -> str:
    return path if path.startswith("/") else os.path.join(str(settings.root), path)  # noqa: PTH118
