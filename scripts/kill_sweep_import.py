"""``kill -9`` an import at random moments; after each rerun, check that nothing was lost.

    .venv/bin/python scripts/kill_sweep_import.py                # 1,500 dumps, 20 kills
    .venv/bin/python scripts/kill_sweep_import.py --dumps 150 --kills 3 --seed 7

Writes synthetic dumps (``scripts/gen_dumps.py``, mixed encodings) into a work folder
outside the repository (``--work DIR`` keeps it; default a temporary folder), imports them
once without interruption (the reference), then runs trials, each on a fresh copy:

- ``first import``: ``newsarchive import`` of every dump into an empty project;
- ``re-import``: a copy of the reference with some dumps changed (``--changed``, default
  10 %), imported again.

Each trial kills the import (``SIGKILL`` to its process group) at a random moment: either
anywhere in the run, or once its first article is written (the writing phase is short, so
half the trials wait for it). Then a writer edits up to ``--edits`` articles (a new last
paragraph): in a first import any article the killed run wrote; in a re-import any article
whose dump did not change, or that the killed run already rewrote. Then the import runs
again, to the end, and the trial checks:

- every edit is in its file, byte for byte, after the rerun and after a later import in
  which the edited articles' dumps changed (column ``later``: an edit the rerun had taken
  for the importer's own would be overwritten there);
- no temporary file (``.<name>.XXXXXXXX.tmp``) is left anywhere in ``content/``;
- the manifest equals the one an uninterrupted import of the same dumps writes, and so does
  every article nobody edited;
- a first import's rerun reports a conflict for each edited article (no manifest recorded
  it: it is kept as a writer's edit) and nothing else; a re-import's rerun reports none.

One line per trial, then ``kills N, edits kept E/E, temporary files left T, manifests equal
M/N``; the exit status is 1 if any check failed. Entity extraction is off (``--no-entities``)
unless ``--entities``: it makes every import minutes long, and what is checked does not
depend on it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_dumps  # noqa: E402

MANIFEST = Path("content") / ".import-state.json"
TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
EDIT = "\n편집자가 덧붙인 문단 {n}.\n"


@dataclass
class Trial:
    number: int
    mode: str  # "first import" or "re-import"
    when: str  # "anytime" or "writing"
    killed_at: float = 0.0
    killed: bool = False  # False: the run had finished when the kill came
    written_before_kill: int = 0
    temps_after_kill: int = 0
    edits: dict[str, bytes] = field(default_factory=dict)  # project-relative path -> bytes
    rerun_status: int | None = None
    edits_kept: int = 0
    temps_after_rerun: list[str] = field(default_factory=list)
    manifest_equal: bool = False
    unedited_equal: bool = False
    conflicts_as_expected: bool = False
    kept_after_correction: int = 0  # edits still there once their dumps changed again

    @property
    def ok(self) -> bool:
        return (
            self.edits_kept == len(self.edits)
            and self.kept_after_correction == len(self.edits)
            and not self.temps_after_rerun
            and self.manifest_equal
            and self.unedited_equal
            and self.conflicts_as_expected
        )


def _command(project: Path, entities: bool) -> list[str]:
    command = [sys.executable, "-m", "newsarchive", "import", "--root", str(project)]
    return command + ["--no-progress"] + ([] if entities else ["--no-entities"])


def run_import(project: Path, entities: bool) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_command(project, entities), capture_output=True, text=True, check=False)


def articles(project: Path) -> dict[str, bytes]:
    folder = project / "content" / "articles"
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*.md"))
        if p.is_file()
    }


def temps(project: Path) -> list[str]:
    return sorted(
        p.relative_to(project).as_posix()
        for p in (project / "content").rglob("*")
        if TEMP_RE.match(p.name)
    )


def manifest(project: Path) -> dict | None:
    path = project / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def change_dump(path: Path, n: int) -> None:
    """A corrected dump: one more paragraph before the source credit (UTF-8 from now on)."""
    from newsarchive.importer.decode import decode_bytes

    text = decode_bytes(path.read_bytes()).text
    path.write_bytes(text.replace("[출처=", f"정정 문단 {n}입니다.\n\n[출처=", 1).encode("utf-8"))


def _written(watch: Path, since_ns: int) -> bool:
    """Has the run written *watch* (a file or folder that it creates or rewrites first)?"""
    try:
        return watch.stat().st_mtime_ns >= since_ns
    except FileNotFoundError:
        return False


def timed_import(project: Path, entities: bool, watch: Path) -> tuple[float, float, float]:
    """An uninterrupted import: seconds until it wrote *watch*, until it saved the manifest,
    and in all."""
    since = time.time_ns()
    start = time.monotonic()
    proc = subprocess.Popen(
        _command(project, entities), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    first_write = saved = None
    while proc.poll() is None:
        now = time.monotonic() - start
        if first_write is None and _written(watch, since):
            first_write = now
        if saved is None and _written(project / MANIFEST, since):
            saved = now
        time.sleep(0.001)
    total = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(
            f"the reference import failed:\n{proc.stderr.read() if proc.stderr else ''}"
        )
    saved = total if saved is None else saved
    return (saved if first_write is None else first_write), saved, total


def kill_import(
    project: Path, entities: bool, when: str, timing: tuple[float, float, float], watch: Path,
    rng: random.Random,
) -> tuple[float, bool]:  # fmt: skip
    """Start an import and SIGKILL it, anywhere in the run or once it writes; returns the
    seconds it ran and whether the kill found it running (it may have finished)."""
    first_write, saved, total = timing
    since = time.time_ns()
    start = time.monotonic()
    proc = subprocess.Popen(
        _command(project, entities),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    if when == "writing":
        deadline = start + total * 3 + 10
        while proc.poll() is None and time.monotonic() < deadline and not _written(watch, since):
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 1.1 * (saved - first_write)))  # writes, then the manifest
    else:
        time.sleep(rng.uniform(0, total))
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return time.monotonic() - start, proc.returncode == -signal.SIGKILL


def trial(
    number: int,
    work: Path,
    reference: Path,
    changed_reference: Path,
    changed: list[str],
    args: argparse.Namespace,
    rng: random.Random,
    timings: dict[str, tuple[float, float, float]],
    watches: dict[str, Path],
) -> Trial:
    mode = "re-import" if number % 3 == 2 else "first import"
    when = "writing" if rng.random() < 0.5 else "anytime"
    result = Trial(number, mode, when)
    project = work / f"trial-{number:02d}"
    shutil.rmtree(project, ignore_errors=True)
    if mode == "first import":
        (project / "content").mkdir(parents=True)
        shutil.copytree(work / "raw", project / "content" / "raw")
        expected = reference
    else:
        shutil.copytree(reference, project)
        for rel in changed:
            shutil.copy(changed_reference / rel, project / rel)
        expected = changed_reference
    before = articles(project)
    watch = project / watches[mode]
    result.killed_at, result.killed = kill_import(
        project, args.entities, when, timings[mode], watch, rng
    )
    after_kill = articles(project)
    recorded = {e["output"] for e in (manifest(project) or {"articles": {}})["articles"].values()}
    result.written_before_kill = sum(1 for k, v in after_kill.items() if before.get(k) != v)
    result.temps_after_kill = len(temps(project))

    expected_articles = articles(expected)
    if mode == "first import":
        candidates = sorted(after_kill)
    else:
        changed_articles = {
            path for path, data in expected_articles.items() if before.get(path) != data
        }
        candidates = sorted(
            path
            for path, data in after_kill.items()
            if path not in changed_articles or data == expected_articles.get(path)
        )
    for n, rel in enumerate(rng.sample(candidates, min(args.edits, len(candidates)))):
        path = project / rel
        path.write_bytes(path.read_bytes() + EDIT.format(n=n).encode("utf-8"))
        result.edits[rel] = path.read_bytes()

    rerun = run_import(project, args.entities)
    result.rerun_status = rerun.returncode
    final = articles(project)
    result.edits_kept = sum(1 for rel, data in result.edits.items() if final.get(rel) == data)
    result.temps_after_rerun = temps(project)
    result.manifest_equal = manifest(project) == manifest(expected)
    result.unedited_equal = {k: v for k, v in final.items() if k not in result.edits} == {
        k: v for k, v in expected_articles.items() if k not in result.edits
    } and set(final) == set(expected_articles)
    conflicted = {
        line.split(": conflict: ", 1)[1].split(" ", 1)[0]
        for line in rerun.stderr.splitlines()
        if ": conflict: " in line
    }
    # an edited article no manifest recorded is reported (once) as a conflict; an edited
    # article the manifest records is an ordinary edit, kept silently
    wanted = (
        {rel for rel in result.edits if rel not in recorded} if mode == "first import" else set()
    )
    result.conflicts_as_expected = conflicted == wanted

    # Later, the edited articles' dumps are corrected: an edit the rerun took for the
    # importer's own would be overwritten now, silently.
    outputs = {
        e["output"]: key for key, e in (manifest(project) or {"articles": {}})["articles"].items()
    }
    for n, rel in enumerate(sorted(result.edits)):
        if rel in outputs:
            change_dump(project / outputs[rel], 1000 + n)
    run_import(project, args.entities)
    final = articles(project)
    result.kept_after_correction = sum(
        1 for rel, data in result.edits.items() if final.get(rel) == data
    )
    if not args.keep:
        shutil.rmtree(project, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dumps", type=int, default=1500)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--edits", type=int, default=5, help="articles a writer edits per trial")
    parser.add_argument(
        "--changed", type=float, default=0.1, help="share of dumps a re-import changes"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--entities", action="store_true", help="extract entities (slow)")
    parser.add_argument("--work", type=Path, help="work folder (kept); default a temporary one")
    parser.add_argument("--keep", action="store_true", help="keep every trial's project")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = args.work or Path(tempfile.mkdtemp(prefix="kill-sweep-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return sweep(work, args, rng)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


def sweep(work: Path, args: argparse.Namespace, rng: random.Random) -> int:
    raw = work / "raw"
    if not raw.exists():
        gen_dumps.generate(args.dumps, raw, seed=args.seed)
    dumps = sorted(p.name for p in raw.iterdir())

    # the references: an uninterrupted first import, and the re-import of changed dumps
    reference = work / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    (reference / "content").mkdir(parents=True)
    shutil.copytree(raw, reference / "content" / "raw")
    # what each kind of run writes first: the articles folder; the first changed dump's
    # article (writes go in dump order)
    watches = {"first import": Path("content/articles")}
    timings = {
        "first import": timed_import(reference, args.entities, reference / watches["first import"])
    }
    changed_reference = work / "reference-changed"
    shutil.rmtree(changed_reference, ignore_errors=True)
    shutil.copytree(reference, changed_reference)
    chosen = rng.sample(dumps, max(1, round(len(dumps) * args.changed)))
    changed = [f"content/raw/{name}" for name in sorted(chosen)]
    for n, rel in enumerate(changed):
        change_dump(changed_reference / rel, n)
    outputs = manifest(reference)["articles"]  # type: ignore[index]
    watches["re-import"] = Path(outputs[changed[0]]["output"])
    timings["re-import"] = timed_import(
        changed_reference, args.entities, changed_reference / watches["re-import"]
    )
    for mode, (first_write, saved, total) in timings.items():
        print(
            f"uninterrupted {mode} of {len(dumps) if mode == 'first import' else len(changed)} "
            f"dumps: {total:.2f} s, writing from {first_write:.2f} s to {saved:.2f} s"
        )
    print(f"{len(dumps)} dumps; load average {os.getloadavg()[0]:.2f}")
    print(
        f"{'trial':>5} {'mode':<12} {'kill':<8} {'at s':>6} {'ran':<8} {'written':>7} {'tmp':>4} "
        f"{'edits':>5} {'kept':>4} {'rerun':>5} {'tmp':>4} manifest  others  conflicts    later"
    )
    results = []
    for number in range(1, args.kills + 1):
        result = trial(
            number, work, reference, changed_reference, changed, args, rng, timings, watches
        )
        results.append(result)
        print(
            f"{number:>5} {result.mode:<12} {result.when:<8} {result.killed_at:>6.2f} "
            f"{'killed' if result.killed else 'finished':<8} {result.written_before_kill:>7} {result.temps_after_kill:>4} {len(result.edits):>5} "
            f"{result.edits_kept:>4} {result.rerun_status!s:>5} {len(result.temps_after_rerun):>4} "
            f"{'equal' if result.manifest_equal else 'DIFFERS':<9} "
            f"{'equal' if result.unedited_equal else 'DIFFER':<7} "
            f"{'as expected' if result.conflicts_as_expected else 'UNEXPECTED':<12} "
            f"{result.kept_after_correction}/{len(result.edits)}"
        )
    edits = sum(len(r.edits) for r in results)
    kept = sum(min(r.edits_kept, r.kept_after_correction) for r in results)
    left = sum(len(r.temps_after_rerun) for r in results)
    equal = sum(r.manifest_equal for r in results)
    print(
        f"kills {len(results)} ({sum(r.killed for r in results)} while running), edits kept {kept}/{edits}, temporary files left {left}, "
        f"manifests equal {equal}/{len(results)}, temporary files the kills left "
        f"{sum(r.temps_after_kill for r in results)}"
    )
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
