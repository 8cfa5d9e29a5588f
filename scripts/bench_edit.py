"""Print how long ``newsarchive build`` takes after each kind of edit a writer makes.

The synthetic archive of scripts/bench.py (stand-in Markdown and its registry) is built
once; then, --runs times, each kind of edit is made in turn (nothing, one body, one title,
one section, one date, one weather box's temperature, a person added to one article, a new
article, a deleted article), 0.15 s pass
(past the racily-clean window, like a writer's save) and ``newsarchive build`` runs in a
fresh process, timed from start to exit.

``--cold N`` times N cold builds of each checkout (no output, no cache), alternating, and
prints their median first.

``--before DIR`` also runs an older checkout (DIR is its repository root, e.g. a ``git
worktree``) on its own identical copy of the project, alternating run by run, so both
columns see the same machine load; the ratio is before / now. ``--search`` keeps the
search step on (as ``newsarchive build`` runs by default).

Usage: python scripts/bench_edit.py [--before DIR] [--runs N] [--cold N] [--search]
                                    [--work DIR] [COUNT]
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
PHASES = (
    "nothing changed",
    "body edit",
    "title edit",
    "section edit",
    "date edit",
    "weather edit",
    "person added",
    "new article",
    "deleted article",
)
SECTIONS = ("경제", "사회", "정치", "국제", "문화", "스포츠", "IT·과학", "생활")


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


def _edit(root: Path, phase: str, run: int, count: int) -> None:
    """Make one edit of *phase* (the same on every copy of the project)."""
    import yaml

    articles = project.article_files(root)
    article = articles[(count // 2 + run * 7) % len(articles)]
    text = article.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    if phase == "body edit":
        body = body.rstrip() + f"\n\n벤치마크 수정 {run + 1}번째 문단.\n"
    elif phase == "title edit":
        meta["title"] = f"(수정 {run + 1}) {meta['title']}"
    elif phase == "section edit":
        now = meta.get("section") or SECTIONS[0]
        meta["section"] = SECTIONS[(SECTIONS.index(now) + 1) % len(SECTIONS)]
    elif phase == "date edit":  # to another day of the same year: its day, month, calendar
        day = str(meta["date"])
        meta["date"] = f"{day[:5]}{1 + (int(day[5:7]) + run) % 12:02d}-{1 + run % 28:02d}"
    elif phase == "weather edit":  # one station's temperature (a box added where none is)
        weather = meta.get("weather") or {
            "observed": str(meta["date"]),
            "provider": "기상청",
            "stations": [{"name": "서울", "condition": None, "temp_c": 0.0}],
        }
        station = weather["stations"][run % len(weather["stations"])]
        station["temp_c"] = round(station["temp_c"] - 1.5, 1)
        meta["weather"] = weather
    elif phase == "person added":
        meta["people"] = [*(meta.get("people") or []), {"name": f"벤치인물{run}"}]
    elif phase == "new article":
        meta.update(slug=f"bench-new-{run}", title=f"새 기사 {run}")
        article = article.parent / f"bench-new-{run}.md"
    elif phase == "deleted article":
        article.unlink()
        return
    else:
        return
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    article.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def _size(output: Path) -> tuple[float, int]:
    """(MB, files) of a built output folder."""
    files = [p for p in output.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6, len(files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--search", action="store_true", help="keep the search step on")
    parser.add_argument("--work", type=Path, help="keep and reuse the projects under DIR")
    parser.add_argument("--cold", type=int, default=1, help="cold builds of each (median)")
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
    load_start = os.getloadavg()
    cold: dict[str, list[float]] = {name: [] for name in variants}
    for _run in range(max(1, args.cold)):
        for name, source in variants.items():
            _variant(base, roots[name], source)
            seconds, _ = _build(roots[name], source)
            cold[name].append(seconds)
            print(f"{name}: cold build {seconds:.1f} s", file=sys.stderr)
    output_mb = {name: _size(roots[name] / "output") for name in variants}
    times = {(name, phase): [] for name in variants for phase in PHASES}
    for run in range(args.runs):
        for phase in PHASES:
            for name, source in variants.items():
                _edit(roots[name], phase, run, args.count)
                time.sleep(0.15)
                seconds, _log = _build(roots[name], source)
                times[name, phase].append(seconds)
    load_end = os.getloadavg()
    search = "on" if args.search else "off"
    print(f"newsarchive build after one edit, {args.count} articles, search {search}")
    print(
        f"load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f}; medians of {args.runs}"
    )
    cells = [f"{name} {statistics.median(cold[name]):.1f} s" for name in variants]
    if args.before:
        ratio = statistics.median(cold["before"]) / statistics.median(cold["now"])
        cells.append(f"before/now {ratio:.2f}x")
    print(f"{'cold build':16s} " + "  ".join(cells) + f"  (median of {len(cold['now'])})")
    print(
        f"{'output':16s} "
        + "  ".join(
            f"{name} {mb:.1f} MB in {files} files" for name, (mb, files) in output_mb.items()
        )
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
