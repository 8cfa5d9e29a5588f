"""Time the search page in headless Chromium: first results, later queries, bytes fetched.

For each archive size, the synthetic archive of scripts/bench.py (benchlib.synth, seed 0) is
built for publishing by this checkout ("after") and, with ``--before DIR``, by an older
checkout (DIR is its repository root with its own ``.venv``, e.g. a ``git worktree`` of
main): both served as GitHub Pages serves them, under ``/REPO/``, one after the other in
the same run. Builds are kept in ``--work`` and redone only when the checkout changed.

Per site and query kind:

- first results: the search page opened with the query in its address (``?q=…``), in a
  fresh browser context (nothing cached), until the first result is in the page; the
  median of ``--loads`` loads (default 5);
- bytes: what the page had received by then (page, styles, scripts, index), and of it the
  index's files;
- later queries: other queries typed into the same page after its first results (median).

Usage: python scripts/bench_search_browser.py [--before DIR] [--work DIR] [--sizes N,N]
       [--loads 5]     (default sizes: 1000,10000,50000; needs Debian chromium)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from benchlib import browser, sites, synth  # noqa: E402

PORTS = {"before": 18601, "after": 18602}
INDEX_PART = {"before": "/pagefind/", "after": "/search-index/"}


def queries() -> dict[str, tuple[str, dict[str, str]]]:
    """Query kinds, from the first synthetic article (so every size has them)."""
    first = next(synth.iter_articles(1, 0))
    return {
        "person": (first.people[0].name, {}),
        "company + particle": (first.companies[-1] + "가", {}),
        "topic + particle": (first.topics[0] + "를", {}),
        "English word": ("CEO", {}),
        "filter only, newest first": ("", {"section": "경제", "sort": "date"}),
    }


LATER = ["반도체를", "관계자는", "인공지능", "서울에서", "CTO", "2030년"]


def run_size(args: argparse.Namespace, count: int, checkouts: dict[str, Path]) -> None:
    builds = {}
    for label, checkout in checkouts.items():
        output, seconds = sites.build(args.work, count, label, checkout, PORTS[label])
        note = f"built in {seconds:.0f} s" if seconds else "build reused"
        print(f"# {count} articles, {label}: {note}", flush=True)
        builds[label] = output
    with browser.chromium() as chrome:
        for kind, (query, filters) in queries().items():
            row = {}
            for label, output in builds.items():
                with browser.served(output, PORTS[label]) as base:
                    url = browser.search_url(base, query, **filters)
                    first = browser.first_query(chrome, url, INDEX_PART[label], args.loads)
                    later = browser.later_queries(chrome, url, LATER) if not filters else []
                row[label] = (first, later)
            for label, (first, later) in row.items():
                later_ms = f"{statistics.median(later):8.0f}" if later else f"{'-':>8}"
                spread = f"{min(first.ms):.0f}-{max(first.ms):.0f}"
                print(
                    f"{count:>8} {label:<7} {kind:<26} {first.median:9.0f} {spread:>11} "
                    f"{later_ms} {first.bytes_all / 1024:9.0f} {first.bytes_index / 1024:9.0f} "
                    f"{first.requests:>8}",
                    flush=True,
                )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    parser.add_argument("--work", type=Path, help="keep the builds here (default: a temp dir)")
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--loads", type=int, default=5, help="fresh page loads per query")
    args = parser.parse_args(argv)
    checkouts = {"after": REPO}
    if args.before:
        checkouts = {"before": args.before.resolve(), "after": REPO}
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at start: {load}; cpus: {os.cpu_count()}")
    print(
        f"{'articles':>8} {'site':<7} {'query':<26} {'first ms':>9} {'(range)':>11} "
        f"{'later ms':>8} {'KB first':>9} {'of index':>9} {'requests':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-search-browser-") as tmp:
        if args.work is None:
            args.work = Path(tmp)
        for count in (int(n) for n in args.sizes.split(",")):
            run_size(args, count, checkouts)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at end: {load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
