"""Figures of a benchmark run: medians, ratios to stock Pelican and to an older checkout
(``bench.py --before``), one aligned plain-text table."""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

MIB = 1024 * 1024
COLUMNS = (
    "articles",
    "tool",
    "phase",
    "runs",
    "median s",
    "ms/article",
    "speed-up",
    "peak MiB",
    "output MiB",
    "files",
)
BEFORE_COLUMN = "before/ours"  # after "speed-up", only when some phase is an older checkout's
# Which stock phase each of our phases is compared with. Stock Pelican has no incremental
# build: after a one-article edit it runs a whole build with its content cache (a warm build).
STOCK_BASELINE = {
    "cold": "cold",
    "warm": "warm",
    "warm --full": "warm",
    "incremental": "warm",
    "front-matter edit": "warm",
    "incremental (in-process)": "warm",
}


@dataclass
class Phase:
    tool: str  # "ours", "stock" or "before" (an older checkout of ours, bench.py --before)
    name: str  # import, or a build phase: a key of STOCK_BASELINE
    seconds: list[float] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    output_bytes: int | None = None
    output_files: int | None = None
    # kind of output (newsarchive.sitesize.KINDS) -> (bytes, files), for our cold build
    output_kinds: dict[str, tuple[int, int]] | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


@dataclass
class SizeResult:
    articles: int
    phases: list[Phase] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def phase(self, tool: str, name: str) -> Phase | None:
        return next((p for p in self.phases if p.tool == tool and p.name == name), None)

    def speed_up(self, phase: Phase) -> float | None:
        """stock median / our median for the comparable phase (None when either is missing)."""
        if phase.tool != "ours" or phase.name not in STOCK_BASELINE:
            return None
        stock = self.phase("stock", STOCK_BASELINE[phase.name])
        if stock is None or stock.median is None or not phase.median:
            return None
        return stock.median / phase.median

    def before_ratio(self, phase: Phase) -> float | None:
        """The older checkout's median / ours for the same phase (None when either is missing):
        above 1, ours is faster."""
        if phase.tool != "ours":
            return None
        before = self.phase("before", phase.name)
        if before is None or before.median is None or not phase.median:
            return None
        return before.median / phase.median


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def has_before(results: list[SizeResult]) -> bool:
    return any(p.tool == "before" for size in results for p in size.phases)


def columns(results: list[SizeResult]) -> list[str]:
    """COLUMNS, with BEFORE_COLUMN after "speed-up" when an older checkout was measured."""
    names = list(COLUMNS)
    if has_before(results):
        names.insert(names.index("speed-up") + 1, BEFORE_COLUMN)
    return names


def table_rows(results: list[SizeResult]) -> list[list[str]]:
    before = has_before(results)
    rows = []
    for size in results:
        for phase in size.phases:
            median = phase.median
            ratios = [_ratio(size.speed_up(phase))]
            if before:
                ratios.append(_ratio(size.before_ratio(phase)))
            rows.append(
                [
                    str(size.articles),
                    phase.tool,
                    phase.name,
                    str(len(phase.seconds)),
                    _fmt(median, ".3f"),
                    _fmt(None if median is None else median * 1000 / size.articles, ".3f"),
                    *ratios,
                    _fmt(max(phase.peak_rss) / MIB if phase.peak_rss else None, ".0f"),
                    _fmt(None if phase.output_bytes is None else phase.output_bytes / MIB, ".1f"),
                    "-" if phase.output_files is None else str(phase.output_files),
                ]
            )
    return rows


def format_table(results: list[SizeResult]) -> str:
    rows = [columns(results), *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    left = {1, 2}  # text columns align left, figures right

    def line(row: list[str]) -> str:
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    out = [line(rows[0]), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows[1:]]
    return "\n".join(out)


def format_sizes(results: list[SizeResult]) -> str:
    """The output of our cold build by kind: MB (decimal, as hosts count), files, kB per article."""
    from newsarchive.sitesize import KIND_LABELS

    rows = [["articles", "output", "MB", "files", "kB/article"]]
    for size in results:
        phase = size.phase("ours", "cold")
        if phase is None or not phase.output_kinds:
            continue
        kinds = [(KIND_LABELS[k], b, f) for k, (b, f) in phase.output_kinds.items() if f]
        total_bytes = sum(b for _, b, _ in kinds)
        total_files = sum(f for _, _, f in kinds)
        for label, nbytes, files in [*kinds, ("total", total_bytes, total_files)]:
            rows.append(
                [
                    str(size.articles),
                    label,
                    f"{nbytes / 1e6:.1f}",
                    str(files),
                    f"{nbytes / 1e3 / size.articles:.2f}",
                ]
            )
    if len(rows) == 1:
        return ""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 1 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def as_json(results: list[SizeResult], meta: dict[str, Any]) -> dict[str, Any]:
    sizes = []
    for size in results:
        entry = asdict(size)
        for phase, raw in zip(size.phases, entry["phases"], strict=True):
            raw["median"] = phase.median
            raw["speed_up_vs_stock"] = size.speed_up(phase)
            raw["before_over_ours"] = size.before_ratio(phase)
            raw["ms_per_article"] = (
                None if phase.median is None else phase.median * 1000 / size.articles
            )
        sizes.append(entry)
    return {**meta, "sizes": sizes}
