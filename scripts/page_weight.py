"""How much each page of a built site weighs beyond its own text.

For a built site (``output/`` by default) it prints:

- article pages: the median page, the median rendered text (the HTML inside the page's
  ``article__body`` element: what the article's Markdown became) and the median of
  page minus text, the weight of everything else (head, navigation, chips, neighbours,
  related articles, weather), against the 4 kB the theme aims for (issue 14), and of that
  the words and links it holds (text nodes and content attributes such as ``href``): what
  no change of markup can remove, only a change of what the page shows;
- the median and largest page of each listing kind (home, sections, years and months,
  people/companies/topics indexes), of each entity kind (people, companies, topics) and of
  each kind of date page (day, on this day, weather index, station);
- the site's total per kind of output (the classification ``newsarchive check`` uses), each
  with the bytes of words and links its pages hold (their text included; other files, such
  as feeds and the search index, count whole): how small the same content could get with
  no markup at all.

    .venv/bin/python scripts/page_weight.py                 # output/
    .venv/bin/python scripts/page_weight.py SITE --json weights.json
    .venv/bin/python scripts/page_weight.py SITE --page 2024/06/SLUG/index.html   # one page

It reads the files only: build the site first (``newsarchive build``; ``--publish`` for the
site as deployed, whose links are as long as its URL's path).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from newsarchive.sitesize import (
    KIND_LABELS,
    KINDS,
    iter_files,
    listing_kind,
    mb,
    measure,
    output_kind,
)

OVERHEAD_BUDGET = 4_000  # bytes beyond the text, the median article page's aim (issue 14)

# The parts of an article page, each the first element with this tag or class (outer HTML);
# "text" is the inner HTML of the article body, the page's own text.
PARTS: dict[str, tuple[str | None, str | None]] = {
    "head": ("head", None),
    "site header": (None, "site-header"),
    "search box": (None, "search-bar"),
    "article header": ("header", None),  # the first <header> inside <article>
    "text": (None, "article__body"),
    "chips": (None, "chips"),
    "neighbours": (None, "neighbours"),
    "related": (None, "related"),
    "weather": (None, "weather"),
    "footer": (None, "site-footer"),
}


# Attributes whose values readers or machines read: where links lead, accessible names,
# metadata. Class names, ids and roles are markup, which a leaner template could shorten.
CONTENT_ATTRIBUTES = frozenset(
    {"href", "src", "content", "datetime", "aria-label", "alt", "title", "placeholder"}
)


class _PageReader(HTMLParser):
    """One pass over a page: the character span of each part of :data:`PARTS`, and the
    words and links inside each part and in the whole page.

    Words and links are text nodes (whitespace collapsed away) and the values of
    :data:`CONTENT_ATTRIBUTES`, in UTF-8 with character references decoded: what no
    change of markup can remove. A tag's attributes count in the parts it opens.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # name -> [outer start, inner start, inner end, outer end] as (line, column)
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.words: dict[str, int] = defaultdict(int)  # part -> bytes of words and links
        self.words_total = 0
        self._open: dict[str, tuple[str, int]] = {}  # name -> (tag, depth)
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._in_article = True
        classes = next((v or "" for k, v in attrs if k == "class"), "").split()
        for name, (want_tag, want_class) in PARTS.items():
            if name in self._open:
                open_tag, depth = self._open[name]
                if tag == open_tag:
                    self._open[name] = (open_tag, depth + 1)
                continue
            if name in self.spans or (want_tag is not None and tag != want_tag):
                continue
            if want_class is not None and want_class not in classes:
                continue
            if name == "article header" and not self._in_article:
                continue
            line, col = self.getpos()
            inner = (line, col + len(self.get_starttag_text() or ""))
            self.spans[name] = [(line, col), inner]
            self._open[name] = (tag, 1)
        self._count(
            sum(len((v or "").encode("utf-8")) for k, v in attrs if k in CONTENT_ATTRIBUTES)
        )

    def handle_endtag(self, tag: str) -> None:
        for name, (open_tag, depth) in list(self._open.items()):
            if tag != open_tag:
                continue
            if depth > 1:
                self._open[name] = (open_tag, depth - 1)
                continue
            line, col = self.getpos()
            self.spans[name] += [(line, col), (line, col + len(f"</{tag}>"))]
            del self._open[name]

    def handle_data(self, data: str) -> None:
        self._count(len(" ".join(data.split()).encode("utf-8")))

    def _count(self, nbytes: int) -> None:
        self.words_total += nbytes
        for name in self._open:
            self.words[name] += nbytes


class PageReading(NamedTuple):
    sizes: dict[str, int]  # UTF-8 bytes of each part found (text: the body's inner HTML)
    words: dict[str, int]  # words and links inside each part found
    words_total: int  # words and links of the whole page

    @property
    def words_beyond_text(self) -> int:
        return self.words_total - self.words.get("text", 0)


def read_page(html: str) -> PageReading:
    """The parts of *html* and the words and links it holds, in one parse."""
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    starts = [0]  # HTMLParser counts lines by "\n" alone
    for line in html.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    sizes = {}
    for name, span in reader.spans.items():
        if len(span) == 4:
            first, last = (span[1], span[2]) if name == "text" else (span[0], span[3])
            sizes[name] = len(html[offset(first) : offset(last)].encode("utf-8"))
    words = {name: reader.words[name] for name in sizes}
    return PageReading(sizes, words, reader.words_total)


def page_parts(html: str) -> dict[str, int]:
    """UTF-8 bytes of each part found in *html* (``text``: the article body's inner HTML)."""
    return read_page(html).sizes


def words_and_links(html: str) -> int:
    """UTF-8 bytes of the words and content attributes of *html* outside its text."""
    return read_page(html).words_beyond_text


def dated_kind(rel: str) -> str:
    """Which date page a date page is: day, on this day (or its index), weather, station."""
    head = rel.split("/", 1)[0]
    if head == "on-this-day":
        return "on this day index" if rel == "on-this-day/index.html" else "on this day"
    if head == "weather":
        return "weather index" if rel == "weather/index.html" else "station"
    return "day"


def weigh(output: Path) -> dict[str, object]:
    """Every figure the script prints, as plain data."""
    pages: list[int] = []
    bodies: list[int] = []
    outside_text: list[int] = []  # words and links of each article page beyond its text
    parts: dict[str, list[int]] = defaultdict(list)
    part_words: dict[str, list[int]] = defaultdict(list)
    groups: dict[str, list[int]] = defaultdict(list)
    words: dict[str, int] = defaultdict(int)  # kind -> bytes of words and links (data files whole)
    for rel, size in iter_files(output):
        kind = output_kind(rel)
        if not rel.endswith(".html"):
            words[kind] += size
            continue
        if kind == "listing":
            groups[f"listing: {listing_kind(rel)}"].append(size)
        elif kind == "entity":
            groups[f"entity: {rel.split('/', 1)[0]}"].append(size)
        elif kind == "dated":
            groups[f"date: {dated_kind(rel)}"].append(size)
        reading = read_page((output / rel).read_text(encoding="utf-8"))
        words[kind] += reading.words_total
        if kind != "article" or "text" not in reading.sizes:
            continue
        pages.append(size)
        bodies.append(reading.sizes["text"])
        outside_text.append(reading.words_beyond_text)
        for name in PARTS:
            parts[name].append(reading.sizes.get(name, 0))
            if name != "text":
                part_words[name].append(reading.words.get(name, 0))
    overheads = [page - body for page, body in zip(pages, bodies, strict=True)]
    site = measure(output)
    return {
        "articles": len(pages),
        "article_page_median": statistics.median(pages) if pages else None,
        "article_text_median": statistics.median(bodies) if bodies else None,
        "article_overhead_median": statistics.median(overheads) if overheads else None,
        "article_words_and_links_median": statistics.median(outside_text) if outside_text else None,
        "article_overhead_within_budget": (
            sum(o <= OVERHEAD_BUDGET for o in overheads) / len(overheads) if overheads else None
        ),
        "article_parts_median": {
            name: statistics.median(sizes) for name, sizes in parts.items() if sizes
        },
        "article_parts_words_median": {
            name: statistics.median(sizes) for name, sizes in part_words.items() if sizes
        },
        "groups": {
            name: {"pages": len(sizes), "median": statistics.median(sizes), "max": max(sizes)}
            for name, sizes in sorted(groups.items())
        },
        "total_bytes": site.total_bytes,
        "files": site.files,
        "words_and_links_bytes": sum(words.values()),
        "kinds": {
            kind: {
                "bytes": site.by_kind[kind].bytes,
                "files": site.by_kind[kind].files,
                "words_and_links_bytes": words[kind],
            }
            for kind in KINDS
        },
    }


def kb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1000:.1f} kB"


def format_report(figures: dict[str, object]) -> str:
    lines = []
    articles = figures["articles"]
    if articles:
        lines += [
            f"article pages: {articles}",
            f"  median page              {kb(figures['article_page_median']):>10}",
            f"  median text (body HTML)  {kb(figures['article_text_median']):>10}",
            f"  median page - text       {kb(figures['article_overhead_median']):>10}"
            f"   (aim: at most {kb(OVERHEAD_BUDGET)};"
            f" {figures['article_overhead_within_budget']:.0%} of pages within it)",
            f"    of which words and links {kb(figures['article_words_and_links_median']):>10}"
            "   (what no change of markup removes)",
            f"{'  median of each part:':<27}{'all':>10}   {'words, links':>12}",
        ]
        medians = figures["article_parts_median"]
        words = figures["article_parts_words_median"]
        assert isinstance(medians, dict) and isinstance(words, dict)
        lines += [
            f"    {name:<22} {kb(value):>10}"
            + (f"   {kb(words[name]):>10}" if name in words else "")
            for name, value in medians.items()
        ]
    groups = figures["groups"]
    assert isinstance(groups, dict)
    if groups:
        width = max(len(name) for name in groups)
        lines.append(f"other pages:{'':<{width - 8}}{'pages':>7}  {'median':>10}  {'max':>10}")
        for name, group in groups.items():
            lines.append(
                f"  {name:<{width}}  {group['pages']:>7}  {kb(group['median']):>10}"
                f"  {kb(group['max']):>10}"
            )
    kinds = figures["kinds"]
    assert isinstance(kinds, dict)
    total = figures["total_bytes"]
    assert isinstance(total, int)
    per_article = f", {kb(total / articles)} per article" if articles else ""
    lines.append(f"site: {mb(total)} in {figures['files']} files{per_article}")
    lines.append(
        f"  of which words and links {mb(figures['words_and_links_bytes']):>10}"
        "   (pages' text nodes and content attributes, other files whole)"
    )
    for kind in KINDS:
        part = kinds[kind]
        if part["files"]:
            lines.append(
                f"  {KIND_LABELS[kind]:<14} {mb(part['bytes']):>10}  {part['files']:>7} files"
                f"   words, links {mb(part['words_and_links_bytes']):>10}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", nargs="?", type=Path, default=Path("output"))
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--page", metavar="REL", help="print the parts of this one page instead (bytes)"
    )
    args = parser.parse_args(argv)
    if not (args.output / "index.html").is_file():
        print(f"{args.output}: not a built site (no index.html)", file=sys.stderr)
        return 2
    if args.page:
        page = args.output / args.page
        html = page.read_text(encoding="utf-8")
        print(f"{args.page}: {len(html.encode('utf-8'))} bytes")
        for name, size in page_parts(html).items():
            print(f"  {name:<22} {size:>7}")
        print(f"  {'words and links':<22} {words_and_links(html):>7}")
        return 0
    figures = weigh(args.output)
    print(format_report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
