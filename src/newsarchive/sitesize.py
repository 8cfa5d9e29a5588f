"""What a built site weighs, by kind of output, against the limits of the host it goes to.

One rule sorts every output file into a kind (:func:`output_kind`): ``newsarchive check``
reports the shares with it, ``newsarchive deploy`` and the Pages workflow refuse a site over
the budget with it, and ``scripts/bench.py`` prints its breakdown with it, so the three can
never disagree about what "feeds" or "entity pages" means.

The kinds follow the URL scheme of the build (docs/building.md, "URLs"): articles are
``YYYY/MM/slug/``, people/companies/topics ``people/slug/``…, everything a reader browses
by (home, sections, years and months, the entity indexes) is a listing; day pages, on this
day and the weather archive are date pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.errors import SiteTooLargeError
from newsarchive.search import INDEX_DIR

# Kinds of output, in the order reports list them.
KINDS: tuple[str, ...] = (
    "article",
    "listing",
    "entity",
    "dated",
    "feed",
    "search",
    "theme",
    "other",
)
KIND_LABELS: dict[str, str] = {
    "article": "article pages",
    "listing": "listing pages",
    "entity": "entity pages",
    "dated": "date pages",
    "feed": "feeds",
    "search": "search index",
    "theme": "theme/static",
    "other": "other",
}

_ENTITY_SECTIONS = r"(?:people|companies|topics)"
_PAGE = r"(?:page/\d+/)?"
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # day pages, on this day, the weather archive (an article's slug is never a day number)
    (
        "dated",
        re.compile(
            r"\d{4}/\d{2}/\d{2}/index\.html|on-this-day/(?:\d{2}-\d{2}/)?index\.html"
            r"|weather/(?:[^/]+/)?index\.html"
        ),
    ),
    ("article", re.compile(r"\d{4}/\d{2}/[^/]+/index\.html")),
    (
        "listing",
        re.compile(
            rf"(?:{_PAGE}index\.html"  # home
            rf"|sections/(?:[^/]+/(?:\d{{4}}/\d{{2}}/)?)?{_PAGE}index\.html"
            rf"|\d{{4}}/(?:\d{{2}}/)?{_PAGE}index\.html"
            rf"|archives/index\.html"
            rf"|{_ENTITY_SECTIONS}/index\.html)"
        ),
    ),
    ("entity", re.compile(rf"{_ENTITY_SECTIONS}/[^/]+/(?:\d{{4}}/)?{_PAGE}index\.html")),
    ("feed", re.compile(r"feeds/.+")),
    ("search", re.compile(rf"(?:{INDEX_DIR}/.+|search/index\.html)")),
    ("theme", re.compile(r"(?:theme|images|static)/.+")),
)


def output_kind(rel: str) -> str:
    """The kind of the output file at *rel* (a POSIX path relative to the output folder)."""
    for kind, pattern in _RULES:
        if pattern.fullmatch(rel):
            return kind
    return "other"


def listing_kind(rel: str) -> str | None:
    """Which listing a listing page is (home, section, date, people…), None for other files."""
    if output_kind(rel) != "listing":
        return None
    head = rel.split("/", 1)[0]
    if head in ("index.html", "page"):
        return "home"
    if head == "sections":
        return "section index" if rel == "sections/index.html" else "section"
    if head in ("people", "companies", "topics"):
        return f"{head} index"
    return "date"


# --- limits ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """A host's limits on a published site."""

    host: str
    site_bytes: int
    file_bytes: int
    warn_ratio: float = 0.8  # warn when the site or a file passes this share of its limit


# GitHub's documentation, "GitHub Pages limits" (docs.github.com, checked 2025-26): a
# published site may be at most 1 GB; git and Pages refuse a file over 100 MB. Both are read
# as decimal units (10^9, 10^8 bytes), the smaller reading, so a site that passes here passes
# there whichever unit GitHub means.
GITHUB_PAGES = Limits(host="GitHub Pages", site_bytes=1_000_000_000, file_bytes=100_000_000)

# The settings that trade features for size, named in every refusal.
SHRINKING_SETTINGS = (
    "entity_feeds = false (no per-person/company/topic feeds)",
    "feed_entries = N (fewer entries in every feed)",
    "related_articles = 0 (no related-article lists on article pages)",
    "article_weather = false (no weather box on article pages; day pages keep it)",
    "slug_max_length = N (shorter slugs, so shorter links, for articles imported from now on)",
    "search = false (no search index)",
)


@dataclass
class KindSize:
    bytes: int = 0
    files: int = 0


@dataclass
class SiteSize:
    """Bytes and files of a built site, in total, per kind, and its largest files."""

    total_bytes: int = 0
    files: int = 0
    by_kind: dict[str, KindSize] = field(default_factory=lambda: {k: KindSize() for k in KINDS})
    largest: list[tuple[int, str]] = field(default_factory=list)  # (bytes, rel), largest first

    def share(self, kind: str) -> float:
        return self.by_kind[kind].bytes / self.total_bytes if self.total_bytes else 0.0


def iter_files(output: Path) -> Iterable[tuple[str, int]]:
    """(relative POSIX path, bytes) of every regular file a deployment would publish, sorted.

    ``.git`` folders are skipped (the Pages artifact and ghp-import leave them out);
    symbolic links are not followed (``newsarchive check`` reports them).
    """
    for dirpath, dirnames, filenames in os.walk(output):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        base = Path(dirpath)
        for name in sorted(filenames):
            path = base / name
            if path.is_symlink():
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            yield path.relative_to(output).as_posix(), size


def measure(output: Path, *, largest: int = 10) -> SiteSize:
    """Weigh every file under *output*, keeping the *largest* biggest."""
    size = SiteSize()
    top: list[tuple[int, str]] = []
    for rel, nbytes in iter_files(output):
        size.total_bytes += nbytes
        size.files += 1
        kind = size.by_kind[output_kind(rel)]
        kind.bytes += nbytes
        kind.files += 1
        top.append((nbytes, rel))
        if len(top) > 4 * largest + 64:  # keep memory flat on archives of 100,000 files
            top.sort(key=lambda item: (-item[0], item[1]))
            del top[largest:]
    top.sort(key=lambda item: (-item[0], item[1]))
    size.largest = top[:largest]
    return size


# --- the verdict -------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """A site's size held against a host's limits."""

    size: SiteSize
    limits: Limits
    oversized: tuple[tuple[int, str], ...]  # files over the per-file limit
    large: tuple[tuple[int, str], ...]  # files past the warning share of it

    @property
    def site_ratio(self) -> float:
        return self.size.total_bytes / self.limits.site_bytes

    @property
    def over(self) -> bool:
        return self.size.total_bytes > self.limits.site_bytes or bool(self.oversized)

    @property
    def warn(self) -> bool:
        return not self.over and (self.site_ratio > self.limits.warn_ratio or bool(self.large))

    def problems(self) -> list[str]:
        """One line per limit passed (or, short of that, per warning share passed)."""
        limits = self.limits
        lines = []
        if self.size.total_bytes > limits.site_bytes:
            lines.append(
                f"the site is {mb(self.size.total_bytes)}, over the {mb(limits.site_bytes)} "
                f"a {limits.host} site may hold"
            )
        elif self.site_ratio > limits.warn_ratio:
            lines.append(
                f"the site is {mb(self.size.total_bytes)}, {self.site_ratio:.0%} of the "
                f"{mb(limits.site_bytes)} a {limits.host} site may hold"
            )
        for nbytes, rel in self.oversized:
            lines.append(
                f"{rel} is {mb(nbytes)}, over the {mb(limits.file_bytes)} "
                f"{limits.host} allows a file"
            )
        for nbytes, rel in self.large:
            lines.append(
                f"{rel} is {mb(nbytes)}, {nbytes / limits.file_bytes:.0%} of the "
                f"{mb(limits.file_bytes)} {limits.host} allows a file"
            )
        return lines

    def report(self) -> str:
        """The figures ``newsarchive check`` prints: total, each kind's share, largest files."""
        size, limits = self.size, self.limits
        lines = [
            f"size: {mb(size.total_bytes)} in {size.files} files, {self.site_ratio:.1%} of the "
            f"{mb(limits.site_bytes)} a {limits.host} site may hold"
        ]
        width = max(len(label) for label in KIND_LABELS.values())
        for kind in KINDS:
            part = size.by_kind[kind]
            if part.files:
                lines.append(
                    f"  {KIND_LABELS[kind]:<{width}}  {mb(part.bytes):>10}  "
                    f"{size.share(kind):6.1%}  {part.files:>7} files"
                )
        if size.largest:
            lines.append(f"largest files (limit {mb(limits.file_bytes)} each):")
            lines += [f"  {mb(nbytes):>10}  {rel}" for nbytes, rel in size.largest]
        return "\n".join(lines)

    def refusal(self, prefix: str = "") -> SiteTooLargeError:
        """The error for a site over the limits: what is over, and the settings that shrink it."""
        settings = "\n".join(f"  {line}" for line in SHRINKING_SETTINGS)
        return SiteTooLargeError(
            f"{prefix}the site does not fit {self.limits.host}:\n"
            + "\n".join(f"  {line}" for line in self.problems())
            + "\nSettings in newsarchive.toml that make it smaller (docs/deploying.md):\n"
            + settings
        )


def judge(size: SiteSize, limits: Limits = GITHUB_PAGES) -> Budget:
    warn_file = limits.file_bytes * limits.warn_ratio
    return Budget(
        size=size,
        limits=limits,
        oversized=tuple(item for item in size.largest if item[0] > limits.file_bytes),
        large=tuple(item for item in size.largest if warn_file < item[0] <= limits.file_bytes),
    )


def check_budget(output: Path, limits: Limits = GITHUB_PAGES, *, largest: int = 10) -> Budget:
    """Measure *output* and hold it against *limits*."""
    return judge(measure(output, largest=largest), limits)


def mb(nbytes: int) -> str:
    """Bytes in decimal units (GB, MB, kB), those of the hosts' limits."""
    for unit, scale in (("GB", 1_000_000_000), ("MB", 1_000_000), ("kB", 1_000)):
        if nbytes >= scale:
            return f"{nbytes / scale:,.1f} {unit}"
    return f"{nbytes} B"
