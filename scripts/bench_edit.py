"""Print how long ``newsarchive build`` takes after one body edit, and with nothing changed.

These are the builds a writer waits on most, and the ones that skip Pelican (see
src/newsarchive/snapshot.py): so small that start-up, the snapshot and the stat calls
on output/ are most of them. The synthetic archive of scripts/bench.py (stand-in Markdown,
search off unless --search) is built once; then, --runs times: one article's body gets a
new last paragraph, 0.15 s pass (past the racily-clean window, like a writer's save), and
``newsarchive build`` runs in a fresh process (the edit), then once more (nothing changed).

``--before DIR`` also runs an older checkout (DIR is its repository root, e.g. a ``git
worktree``) on its own identical copy of the project, alternating run by run, so both
columns see the same machine load; the ratio is before / now.

Usage: python scripts/bench_edit.py [--before DIR] [--runs N] [--search] [--work DIR] [COUNT]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from benchlib import project  # noqa: E402

SEED = 0
PHASES = ("one body edit", "nothing changed")


def _build(root: Path, source: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "build"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{done.stderr[-2000:]}")
    return seconds, done.stderr


def _variant(base: Path, root: Path, source: Path) -> None:
    """*root*: a copy of *base* whose theme is *source*'s (the theme is part of the code)."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(
        base, root, symlinks=True, ignore=shutil.ignore_patterns("output", ".cache", "raw")
    )
    (root / "themes").unlink(missing_ok=True)
    (root / "themes").symlink_to(source / "themes", target_is_directory=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--search", action="store_true", help="keep the search step on")
    parser.add_argument("--work", type=Path, help="keep and reuse the projects under DIR")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-edit-"))
    base = project.prepare(work, REPO, args.count, SEED)
    if not project.article_files(base):
        project.write_standin_articles(base, args.count, SEED)
    project.write_settings(base, [] if args.search else ["search=false"])
    variants = {"now": REPO}
    if args.before:
        variants = {"before": args.before.resolve(), **variants}
    roots = {name: work / f"edit-{name}" for name in variants}
    for name, source in variants.items():
        _variant(base, roots[name], source)
        seconds, _ = _build(roots[name], source)
        print(f"{name}: full build {seconds:.1f} s", file=sys.stderr)
    times = {(name, phase): [] for name in variants for phase in PHASES}
    load_start = os.getloadavg()
    for run in range(args.runs):
        for name, source in variants.items():
            article = project.article_files(roots[name])[args.count // 2]
            with article.open("a", encoding="utf-8") as handle:
                handle.write(f"\n\n벤치마크 수정 {run + 1}번째 문단.\n")
            time.sleep(0.15)
            for phase in PHASES:
                seconds, log = _build(roots[name], source)
                wanted = "article text only:" if phase == PHASES[0] else "nothing to do:"
                if wanted not in log:
                    raise SystemExit(f"{name}: expected {wanted!r} in the log:\n{log[-2000:]}")
                times[name, phase].append(seconds)
    load_end = os.getloadavg()
    print(
        f"newsarchive body-edit build, {args.count} articles, search {'on' if args.search else 'off'}"
    )
    print(
        f"load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f}; medians of {args.runs}"
    )
    for phase in PHASES:
        cells = [f"{name} {statistics.median(times[name, phase]):.3f} s" for name in variants]
        if args.before:
            before = statistics.median(times["before", phase])
            cells.append(f"before/now {before / statistics.median(times['now', phase]):.2f}x")
        print(f"{phase:16s} " + "  ".join(cells))
        for name in variants:
            print(f"{'':16s}   {name}: " + ", ".join(f"{s:.3f}" for s in times[name, phase]))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
