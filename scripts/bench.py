"""Benchmark newsarchive's import and build against stock Pelican 4.12 on the same content.

For each archive size it generates a deterministic synthetic archive of raw dumps, imports it
(``newsarchive import``), then builds the same Markdown with our build and with stock Pelican
(default theme, tags standing in for people/companies/topics, content cache on), alternating
the two so that load drift hits both alike. Every step runs as a child process, timed by wall
clock, with its peak RSS; ours is this checkout's code (``PYTHONPATH=src``), whatever
newsarchive the interpreter has installed. It prints one table of medians over ``--runs`` runs:

    .venv/bin/python scripts/bench.py                       # 1,000 and 10,000 articles, 3 runs
    .venv/bin/python scripts/bench.py --sizes 1000,10000,50000 --stock-max 10000 --json b.json
    .venv/bin/python scripts/bench.py --sizes 5000 --profile prof/   # cProfile of cold builds
    .venv/bin/python scripts/bench.py --sizes 1000 --no-stock --before ../old   # vs older code

Phases (every one a ``newsarchive build`` process unless said otherwise):

- cold: no output, no caches;
- warm: caches present, nothing changed (the dependency record finds nothing to render);
- warm --full: the same with ``build --full`` (every source read again, nothing trusted);
- incremental: one article's body edited (not its first paragraph);
- front-matter edit: one article's title edited (every page that shows it is rendered again);
- incremental (in-process): the body edit rebuilt by a live process (``build_site``).

``speed-up`` is stock's median / ours: cold vs cold; every other phase vs stock's warm build
(stock has no incremental build: after any edit it runs a cached full build). ``ms/article``
is the median over the archive size, to show how each phase grows with it.

``--before DIR`` compares with an older checkout of this repository (DIR is its root, e.g. a
``git worktree add ../old <commit>``): it runs with the same interpreter and
``PYTHONPATH=DIR/src`` (DIR's own .venv is not used), on its own copy of the project (the
same Markdown, registry, pages and settings, DIR's ``themes``), as the tool ``before``. Every
phase is run for both, taking turns run by run (before, then ours) so that both see the same
machine load, and with the same edits to the same article. The import runs for both too
(DIR's importer), but only to be timed: the builds of both use a copy of our Markdown (a
note says how many files DIR's importer wrote otherwise). In-process, both live processes
run ``benchlib/inprocess.py`` of this checkout (it needs only ``load_settings`` and
``build_site(settings)``), each warmed up, then alternating; both stay in memory meanwhile.
``--profile`` profiles DIR's cold build too. The table gains a column ``before/ours``, on
our rows: DIR's median / ours for the same phase (the import too). Above 1 ours is faster
(2.00x: ours takes half the time), below 1 slower; the ``speed-up`` column still compares
ours with stock Pelican only. The header names both commits (``+ changes`` when a worktree
has uncommitted changes); ``--json`` holds the ``before`` phases, ``before_over_ours`` and
the commits. A phase that fails on one side shows ``-`` there and an error line below; the
other side goes on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "src"))  # ours is this checkout, whatever the .venv installed

from benchlib import procs, project, stock  # noqa: E402 - needs the path above
from benchlib.report import Phase, SizeResult, as_json, format_sizes, format_table  # noqa: E402

PYTHON = Path(sys.executable)  # the project's .venv interpreter (make bench uses it)
DEFAULT_STOCK_VENV = REPO / ".cache" / "bench" / "stock-venv"
PER_PAGE = 20  # Settings.articles_per_page's default; stock paginates alike


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers: {text!r}") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=parse_sizes, default=[1000, 10000], metavar="N,N")
    parser.add_argument("--runs", type=int, default=3, help="runs per build phase (median)")
    parser.add_argument(
        "--import-runs", type=int, default=1, help="runs of the import (slow: entity extraction)"
    )
    parser.add_argument("--work", type=Path, help="work dir (kept; default: a temp dir)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic archive")
    parser.add_argument(
        "--dumps",
        choices=["synth", "gen_dumps"],
        default="synth",
        help="generator: synth (thousands of people/companies, a few per story; default) "
        "or the importer's scripts/gen_dumps.py (mixed encodings, small cast)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    parser.add_argument(
        "--our-setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a newsarchive.toml setting for our build, e.g. search=false (repeatable)",
    )
    parser.add_argument("--stock-venv", type=Path, default=DEFAULT_STOCK_VENV)
    parser.add_argument("--no-stock", action="store_true", help="skip stock Pelican")
    parser.add_argument(
        "--stock-max",
        type=int,
        metavar="N",
        help="build with stock Pelican only archives of at most N articles",
    )
    parser.add_argument("--no-import", action="store_true", help="skip the importer")
    parser.add_argument(
        "--before",
        type=checkout_dir,
        metavar="DIR",
        help="also run an older checkout (its repository root) on its own copy of the "
        "project, run by run in turn with ours; adds the before/ours column",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before one step is killed"
    )
    parser.add_argument(
        "--profile", type=Path, metavar="DIR", help="profile one cold build of each tool instead"
    )
    return parser


def checkout_dir(text: str) -> Path:
    """--before's DIR: the root of a checkout of this repository (its src/ and themes/)."""
    path = Path(text).expanduser().resolve()
    for part in ("src/newsarchive", "themes"):
        if not (path / part).is_dir():
            raise argparse.ArgumentTypeError(
                f"{text} has no {part}/: not a checkout of this project"
            )
    return path


def checkout_version(checkout: Path) -> str:
    """``<short commit> <commit date>``, ``+ changes`` when the worktree differs from it."""

    def git(*argv: str) -> str | None:
        done = subprocess.run(
            ["git", "-C", str(checkout), *argv], capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("log", "-1", "--format=%h %cs")
    if head is None:
        return "no git commit"
    changes = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} + changes" if changes else head


def say(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def our_cli(verb: str, root: Path) -> list[str]:
    return [str(PYTHON), "-m", "newsarchive", verb, "--root", str(root), "-q"]


def checkout_env(checkout: Path) -> dict[str, str]:
    """The environment of a child running *checkout*'s code: ``PYTHONPATH=checkout/src``."""
    return {**os.environ, "PYTHONPATH": str(checkout / "src")}


def our_build_available(checkout: Path = REPO) -> str | None:
    """None when *checkout*'s ``newsarchive.build.build_site`` imports, else why not."""
    done = subprocess.run(
        [str(PYTHON), "-c", "from newsarchive.build import build_site"],
        capture_output=True,
        text=True,
        env=checkout_env(checkout),
        check=False,
    )
    if done.returncode == 0:
        return None
    lines = done.stderr.strip().splitlines()
    return lines[-1] if lines else "cannot import newsarchive.build.build_site"


def _record(phase: Phase, result: procs.StepResult, what: str) -> bool:
    if not result.ok:
        last = result.output_tail.strip().splitlines()
        phase.error = f"{what} exited {result.returncode}: {last[-1] if last else ''}"
        say(phase.error)
        return False
    phase.seconds.append(result.seconds)
    phase.peak_rss.append(result.peak_rss_bytes)
    say(f"{what}: {result.seconds:.2f} s, {result.peak_rss_bytes / 2**20:.0f} MiB")
    return True


def retitled(markdown: str, prefix: str) -> str:
    """The article with *prefix* before its title (a JSON string is a YAML scalar too)."""
    import yaml

    lines = markdown.split("\n")
    end = lines.index("---", 1)
    title = yaml.safe_load("\n".join(lines[1:end]))["title"]
    at = next(i for i in range(1, end) if lines[i].startswith("title:"))
    lines[at] = "title: " + json.dumps(prefix + title, ensure_ascii=False)
    return "\n".join(lines)


@dataclass(frozen=True)
class Checkout:
    """A checkout of this project, building its own copy of the archive."""

    tool: str  # "ours" or "before"
    source: Path  # its repository root: src/, themes/
    root: Path  # its newsarchive project

    @property
    def env(self) -> dict[str, str]:
        return checkout_env(self.source)


class SizeRun:
    """Everything measured for one archive size."""

    def __init__(
        self, args: argparse.Namespace, work: Path, count: int, before: Path | None = None
    ) -> None:
        self.args, self.count = args, count
        self.result = SizeResult(count)
        self.logs = work / f"n{count}" / "logs"
        self.root = project.prepare(work, REPO, count, args.seed, args.dumps)
        project.write_settings(self.root, args.our_setting)
        if args.our_setting:
            self.note(f"our settings: {', '.join(args.our_setting)}")
        self.stock_dir = work / f"n{count}" / "stock"
        self.ours = Checkout("ours", REPO, self.root)
        self.before: Checkout | None = None
        if before is not None:
            self.before = Checkout("before", before, work / f"n{count}" / "before")

    def note(self, text: str) -> None:
        self.result.notes.append(text)
        say(f"[{self.count}] {text}")

    def step(
        self, argv: list[str], name: str, env: dict[str, str] | None = None
    ) -> procs.StepResult:
        """Run and measure *argv*; *env* defaults to this checkout's (``checkout_env``).
        The writes of the steps before reach the disk before the clock starts: a warm build
        run right after a cold one would otherwise share the machine with its writeback."""
        log = self.logs / f"{name.replace(' ', '-')}.log"
        os.sync()
        return procs.run_step(
            argv, log_path=log, timeout=self.args.timeout, env=env or checkout_env(REPO)
        )

    def checkouts(self, ours_ok: bool = True) -> list[Checkout]:
        """The checkouts to run, in the order of every run: the older one first, then ours."""
        return [c for c in (self.before, self.ours if ours_ok else None) if c is not None]

    # ---------------------------------------------------------------- content
    def import_articles(self) -> None:
        tools = self.checkouts()
        phases = {c.tool: Phase(c.tool, "import") for c in tools}
        if not self.args.no_import:
            if self.before:  # its own raw dumps and registry to import
                project.copy_for_checkout(self.root, self.before.root, self.before.source)
            self.result.phases.extend(phases.values())
            for run in range(self.args.import_runs):
                for c in tools:
                    if phases[c.tool].error is not None:
                        continue
                    project.clean_import(c.root)
                    name = f"import-{run}" if c.tool == "ours" else f"{c.tool}-import-{run}"
                    res = self.step(our_cli("import", c.root), name, env=c.env)
                    _record(phases[c.tool], res, f"[{self.count}] {c.tool} import run {run + 1}")
        phase = phases["ours"]
        found = len(project.article_files(self.root))
        if phase.error or self.args.no_import or found == 0:
            why = phase.error or ("--no-import" if self.args.no_import else "no articles")
            written = project.write_standin_articles(self.root, self.count, self.args.seed)
            self.note(f"import not used ({why}): {written} stand-in articles from benchlib.synth")
        elif found != self.count:
            self.note(f"the importer wrote {found} articles from {self.count} dumps")
        if self.before is None:
            return
        if not self.args.no_import and phases["before"].seconds:
            differ = project.differing_articles(self.root, self.before.root)
            if differ:
                self.note(
                    f"before's importer wrote {differ} Markdown file(s) other than ours "
                    "(builds use a copy of ours)"
                )
        # the same Markdown for both: before builds a copy of our project, with its own themes
        project.copy_for_checkout(self.root, self.before.root, self.before.source)

    # ---------------------------------------------------------------- builds
    def run_builds(self, ours_ok: bool, stock_python: Path | None) -> None:
        runs = self.args.runs
        conf = self.stock_dir / "pelicanconf.py"
        if stock_python and self.args.stock_max is not None and self.count > self.args.stock_max:
            self.note(f"stock Pelican not run above {self.args.stock_max} articles (--stock-max)")
            stock_python = None
        tools = self.checkouts(ours_ok)
        names = ("cold", "warm", "warm --full")
        phases = {(c.tool, name): Phase(c.tool, name) for name in names for c in tools}
        stock_phases = {name: Phase("stock", name) for name in ("cold", "warm")}
        if stock_python:
            self.stock_prepare(conf)
        for name in names:
            for run in range(runs):
                stock_name = "cold" if name == "cold" else "warm"
                if (
                    stock_python
                    and name != "warm --full"
                    and stock_phases[stock_name].error is None
                ):
                    if name == "cold":
                        self.stock_clean()
                    argv = stock.build_argv(
                        stock_python, conf, self.stock_dir / "content", self.stock_dir / "output"
                    )
                    res = self.step(argv, f"stock-{name}-{run}", env=stock.clean_env())
                    _record(stock_phases[name], res, f"[{self.count}] stock {name} {run + 1}")
                for c in tools:  # before, then ours: alike machine load
                    phase = phases[c.tool, name]
                    if phase.error is not None:
                        continue
                    if name == "cold":
                        project.clean_build(c.root)
                    argv = our_cli("build", c.root)
                    if name == "warm --full":
                        argv.append("--full")
                    step = f"{c.tool}-{name.replace(' --', '-')}-{run}"
                    res = self.step(argv, step, env=c.env)
                    _record(phase, res, f"[{self.count}] {c.tool} {name} {run + 1}")
        for name in names:
            for c in tools:
                phase = phases[c.tool, name]
                if name == "cold" and phase.seconds:
                    phase.output_bytes, phase.output_files = procs.tree_size(c.root / "output")
                    if c.tool == "ours":
                        phase.output_kinds = procs.output_kinds(c.root / "output")
                self.result.phases.append(phase)
        if stock_python:
            for name, phase in stock_phases.items():
                if name == "cold" and phase.seconds:
                    phase.output_bytes, phase.output_files = procs.tree_size(
                        self.stock_dir / "output"
                    )
                self.result.phases.append(phase)
        if tools:
            self.incremental(tools, {c.tool for c in tools if not phases[c.tool, "warm"].seconds})

    def stock_prepare(self, conf: Path) -> None:
        n = stock.convert_tree(self.root / "content" / "articles", self.stock_dir / "content")
        stock.write_settings(
            conf,
            content=self.stock_dir / "content",
            cache=self.stock_dir / "cache",
            per_page=PER_PAGE,
        )
        say(f"[{self.count}] stock content: {n} articles")

    def stock_clean(self) -> None:
        for rel in ("output", "cache"):
            shutil.rmtree(self.stock_dir / rel, ignore_errors=True)

    def edit_phase(self, tool: str, name: str, broken: set[str]) -> Phase:
        """A new phase of an edit; one of a checkout in *broken* (no warm build) is not run."""
        phase = Phase(tool, name, error="not run: no warm build" if tool in broken else None)
        self.result.phases.append(phase)
        return phase

    def incremental(self, tools: list[Checkout], broken: set[str]) -> None:
        files = project.article_files(self.root)
        article = files[len(files) // 2].relative_to(self.root)  # the same in every copy
        original = (self.root / article).read_text(encoding="utf-8")
        edits = {
            "incremental": lambda run: f"{original.rstrip()}\n\n벤치마크 수정 {run + 1}번째.\n",
            "front-matter edit": lambda run: retitled(original, f"(수정 {run + 1}) "),
        }
        try:
            for name, edited in edits.items():
                phases = {c.tool: self.edit_phase(c.tool, name, broken) for c in tools}
                for run in range(self.args.runs):
                    for c in tools:  # before, then ours
                        if phases[c.tool].error is not None:
                            continue
                        (c.root / article).write_text(edited(run), encoding="utf-8")
                        step = f"{c.tool}-{name.replace(' ', '-')}-{run}"
                        res = self.step(our_cli("build", c.root), step, env=c.env)
                        _record(phases[c.tool], res, f"[{self.count}] {c.tool} {name} {run + 1}")
        finally:
            for c in tools:
                (c.root / article).write_text(original, encoding="utf-8")
        # back to the archive as generated, before the live process builds it
        for c in tools:
            if c.tool not in broken:
                self.step(our_cli("build", c.root), f"{c.tool}-restore", env=c.env)
        self.in_process(tools, article, broken)

    def in_process(self, tools: list[Checkout], article: Path, broken: set[str]) -> None:
        """The body edit rebuilt by live processes (benchlib/inprocess.py --step), one per
        checkout, each warmed up by a first build, then taking turns run by run."""
        name = "incremental (in-process)"
        phases = {c.tool: self.edit_phase(c.tool, name, broken) for c in tools}
        driver = Path(__file__).resolve().parent / "benchlib" / "inprocess.py"
        timeout = self.args.timeout
        lives: dict[str, procs.LiveStep] = {}

        def failed(tool: str, why: str) -> None:
            res = lives.pop(tool).close(timeout)
            what = f"[{self.count}] {tool} in-process incremental"
            if res.ok:
                phases[tool].error = f"{what} {why}"
                say(phases[tool].error)
            else:
                _record(phases[tool], res, what)

        try:
            for c in (c for c in tools if c.tool not in broken):
                argv = [PYTHON, driver, c.root, c.root / article, str(self.args.runs), "--step"]
                log = self.logs / f"{c.tool}-inprocess.log"
                lives[c.tool] = procs.LiveStep(argv, env=c.env, log_path=log)
                if lives[c.tool].receive(timeout) is None:
                    failed(c.tool, "did not get through its first build")
            for _run in range(self.args.runs):
                for tool, live in list(lives.items()):
                    answer = live.receive(timeout) if live.send() else None
                    if answer is None or "seconds" not in answer:
                        failed(tool, "gave no time")
                        continue
                    phases[tool].seconds.append(float(answer["seconds"]))
            for tool in list(lives):
                res, phase = lives.pop(tool).close(timeout), phases[tool]
                if not res.ok:
                    _record(phase, res, f"[{self.count}] {tool} in-process incremental")
                    continue
                phase.peak_rss = [res.peak_rss_bytes] * len(phase.seconds)  # one process
                say(f"[{self.count}] {tool} in-process incremental: {phase.seconds}")
        finally:
            for live in lives.values():
                live.kill()


def profile(
    args: argparse.Namespace, run: SizeRun, ours_ok: bool, stock_python: Path | None
) -> None:
    import pstats

    args.profile.mkdir(parents=True, exist_ok=True)
    targets = []
    if stock_python:
        conf = run.stock_dir / "pelicanconf.py"
        run.stock_prepare(conf)
        run.stock_clean()
        argv = stock.build_argv(
            stock_python, conf, run.stock_dir / "content", run.stock_dir / "output"
        )
        targets.append(("stock", argv[:1], argv[1:], stock.clean_env()))
    for c in run.checkouts(ours_ok):  # with --before, the older checkout's too
        project.clean_build(c.root)
        argv = our_cli("build", c.root)
        targets.append((c.tool, argv[:1], argv[1:], c.env))
    for tool, python, rest, env in targets:
        prof = args.profile / f"{tool}-{run.count}.prof"
        argv = [*python, "-m", "cProfile", "-o", str(prof), *rest]
        res = run.step(argv, f"profile-{tool}", env=env)
        print(
            f"\n=== {tool} cold build, {run.count} articles, {res.seconds:.1f} s under cProfile ==="
        )
        if not prof.exists():
            print(res.output_tail)
            continue
        for key in ("cumulative", "tottime"):
            print(f"--- top 25 by {key} ---")
            pstats.Stats(str(prof), stream=sys.stdout).sort_stats(key).print_stats(25)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    load_start = procs.load_average()
    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    missing = our_build_available()
    if missing:
        say(f"our build is not available ({missing}): measuring import and stock Pelican only")
    versions = {"ours": checkout_version(REPO)}  # before anything runs: the code measured
    before: Path | None = args.before
    before_missing = None
    if before is not None:
        versions["before"] = checkout_version(before)
        say(f"before: {before} at {versions['before']}")
        before_missing = our_build_available(before)
        if before_missing:
            say(f"before's build is not available ({before_missing}): before is not run")
            before = None
    stock_python: Path | None = None
    stock_version = None
    if not args.no_stock:
        try:
            stock_version = stock.ensure_venv(args.stock_venv, work / "stock-venv.log")
            stock_python = stock.venv_python(args.stock_venv)
        except stock.StockUnavailable as exc:
            say(f"stock Pelican unavailable: {exc}")
    results: list[SizeResult] = []
    try:
        for count in args.sizes:
            say(f"[{count}] preparing the archive in {work / f'n{count}'}")
            run = SizeRun(args, work, count, before)
            run.import_articles()
            if missing:
                run.note(f"our build is not available: {missing}")
            if before_missing:
                run.note(f"before's build is not available: {before_missing}")
            if args.profile:
                profile(args, run, missing is None, stock_python)
                continue
            run.run_builds(missing is None, stock_python)
            results.append(run.result)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.profile:
        return 0
    load_end = procs.load_average()
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "python": platform.python_version(),
        "stock_pelican": stock_version,
        "generator": project.generator_name(args.dumps),
        "runs": args.runs,
        "ours": versions["ours"],
        "before": None
        if args.before is None
        else {"checkout": str(args.before), "version": versions["before"], "run": bool(before)},
        "load_start": load_start,
        "load_end": load_end,
        "wall_seconds": time.perf_counter() - started,
    }
    print(
        f"newsarchive benchmark {meta['date']}  {meta['machine']}  Python {meta['python']}  "
        f"stock Pelican {stock_version or 'not run'}  dumps: {meta['generator']}"
    )
    if args.before:
        print(f"before: {args.before} at {versions['before']}; ours at {versions['ours']}")
    print("load average (1/5/15 min) at start: {:.2f} {:.2f} {:.2f}".format(*load_start))
    print(format_table(results))
    print("load average (1/5/15 min) at end:   {:.2f} {:.2f} {:.2f}".format(*load_end))
    sizes = format_sizes(results)
    if sizes:
        print(f"output of our cold build (development build: relative links), by kind:\n{sizes}")
    print(
        "speed-up = stock median / ours (cold vs cold; warm and incremental vs stock warm); "
        f"medians of {args.runs} run(s); total {meta['wall_seconds']:.0f} s"
    )
    if args.before:
        print(
            "before/ours = the older checkout's median / ours, same phase, on identical copies "
            "of the project, run by run in turn (before, then ours); above 1: ours is faster"
        )
    for size in results:
        for note in size.notes:
            print(f"note [{size.articles}]: {note}")
        for phase in size.phases:
            if phase.error:
                print(f"error [{size.articles}] {phase.tool} {phase.name}: {phase.error}")
    if args.json:
        args.json.write_text(
            json.dumps(as_json(results, meta), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
