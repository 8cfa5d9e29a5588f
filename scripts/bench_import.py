"""Import throughput on generated dumps: files/s and MB/s, medians of several runs.

    python scripts/bench_import.py [--count 5000] [--runs 3] [--jobs 1 2 ...] [--entities]

Generates COUNT dumps (scripts/gen_dumps.py, mixed encodings) into a temporary project
outside the repository, then for each worker count imports them from scratch RUNS times
(articles and manifest removed between runs) and once more unchanged (the re-import path,
which only hashes), printing wall-clock medians and the CPU time of all processes (on a
shared machine the CPU figure is the stable one). Entity extraction is off unless --entities is given (it then dominates:
the entity helper measures that case). The temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_dumps import generate
from newsarchive.config import load_settings
from newsarchive.importer import ImportOptions, run_import


def _clean(root: Path) -> None:
    shutil.rmtree(root / "content" / "articles", ignore_errors=True)
    (root / "content" / ".import-state.json").unlink(missing_ok=True)


def _cpu() -> float:
    """User + system CPU of this process and its finished children (the workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--entities", action="store_true", help="extract entities too")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    try:
        paths = generate(args.count, root / "content" / "raw")
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        settings = load_settings(root)
        print(f"{args.count} dumps, {megabytes:.1f} MB, entities {'on' if args.entities else 'off'}, "
              f"median of {args.runs} runs")  # fmt: skip
        for jobs in args.jobs:
            options = ImportOptions(extract_entities=args.entities, jobs=jobs, progress=False)
            times, cpus = [], []
            for _ in range(args.runs):
                _clean(root)
                cpu = _cpu()
                start = time.perf_counter()
                report = run_import(settings, None, options)
                times.append(time.perf_counter() - start)
                cpus.append(_cpu() - cpu)
                if len(report.imported) != args.count:
                    raise SystemExit(f"expected {args.count} imported: {report.summary()}")
            again = time.perf_counter()
            report = run_import(settings, None, options)
            again = time.perf_counter() - again
            assert len(report.unchanged) == args.count, report.summary()
            median = statistics.median(times)
            print(
                f"jobs={jobs}: fresh import {median:.2f} s = {args.count / median:,.0f} files/s, "
                f"{megabytes / median:.1f} MB/s (runs: {', '.join(f'{t:.2f}' for t in times)}); "
                f"unchanged re-import {again:.2f} s = {args.count / again:,.0f} files/s"
            )
            cpu = statistics.median(cpus)
            print(
                f"  CPU {cpu:.2f} s (all processes) = {args.count / cpu:,.0f} files per CPU-second"
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
