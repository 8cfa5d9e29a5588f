"""Precision, recall and F1 of entity extraction on the labelled and held-out sets, and its cost.

    .venv/bin/python scripts/eval_entities.py [-v] [--registry content/entities.yaml]

Sets (each its own row): the labelled set (with the seed), then four held-out sets
(tests/fixtures/entities/heldout*.yaml) in the order they were written; see docs/benchmarks.md
for which of them rule changes have seen. Prints, per set and kind (people, companies, topics): true/false positives, misses, precision,
recall, F1 (micro-averaged over all articles); how often a found person's role matches the
gold role; then the cost: the one-off Kiwi load (plus its first call), and the median
milliseconds per article after a warm-up pass. ``-v`` lists every false positive and miss.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsarchive.entities import evaluation, kiwi  # noqa: E402
from newsarchive.entities.evaluation import prf, run, score  # noqa: E402
from newsarchive.entities.extract import Extractor  # noqa: E402
from newsarchive.entities.registry import Registry, load_registry  # noqa: E402

LABELLED = ROOT / "tests" / "fixtures" / "entities" / "labelled.yaml"
HELDOUT = ROOT / "tests" / "fixtures" / "entities" / "heldout.yaml"
HELDOUT2 = ROOT / "tests" / "fixtures" / "entities" / "heldout2.yaml"
HELDOUT3 = ROOT / "tests" / "fixtures" / "entities" / "heldout3.yaml"
HELDOUT4 = ROOT / "tests" / "fixtures" / "entities" / "heldout4.yaml"
SEED = ROOT / "content" / "raw" / "000_6be8f2798757a0e6.txt"

SEED_LABELS = ROOT / "tests" / "fixtures" / "entities" / "seed.yaml"


def load_articles(path: Path = LABELLED, *, with_seed: bool = True) -> list[dict]:
    articles = evaluation.load_articles(path)
    if not with_seed:
        return articles
    seed = evaluation.dump_article(SEED, yaml.safe_load(SEED_LABELS.read_text(encoding="utf-8")))
    return [seed, *articles]


def report(title: str, articles: list[dict], results: dict, registry, verbose: bool) -> None:
    counts, roles_exact, roles_total, errors = score(articles, results, registry)
    sections = sorted({a["section"] for a in articles})
    print(f"\n{title}: {len(articles)} articles ({', '.join(sections)})")
    print(f"{'kind':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8} {'F1':>6}")
    for kind, (tp, fp, fn) in counts.items():
        precision, recall, f1 = prf(tp, fp, fn)
        print(f"{kind:<10} {tp:>4} {fp:>4} {fn:>4} {precision:>10.3f} {recall:>8.3f} {f1:>6.3f}")
    print(f"roles: {roles_exact}/{roles_total} found people have exactly the gold role")
    if verbose:
        print("\n".join(errors))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=ROOT / "content" / "entities.yaml")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per article")
    parser.add_argument(
        "--dumps",
        type=int,
        default=0,
        help="also time extraction alone on N generated dumps (scripts/gen_dumps.py)",
    )
    args = parser.parse_args()

    registry = load_registry(args.registry)
    extractor = Extractor(registry)
    labelled = load_articles()
    heldout = load_articles(HELDOUT, with_seed=False)
    heldout2 = load_articles(HELDOUT2, with_seed=False)
    heldout3 = load_articles(HELDOUT3, with_seed=False)
    heldout4 = load_articles(HELDOUT4, with_seed=False)
    articles = labelled + heldout + heldout2 + heldout3 + heldout4

    began = time.perf_counter()
    run(extractor, articles[0])
    cold = time.perf_counter() - began
    results = {a["id"]: run(extractor, a) for a in articles}  # also the warm-up pass
    bare = Extractor(Registry())
    bare_results = {a["id"]: run(bare, a) for a in articles}

    print(f"registry: {len(registry)} entries ({args.registry.name})")
    report(
        "labelled set (written while developing the rules)",
        labelled,
        results,
        registry,
        args.verbose,
    )
    report(
        "held-out set (written after the rules were frozen)",
        heldout,
        results,
        registry,
        args.verbose,
    )
    report(
        "second held-out set (written before the recall pass changed any rule)",
        heldout2,
        results,
        registry,
        args.verbose,
    )
    report(
        "third held-out set (written when the recall rules were first frozen)",
        heldout3,
        results,
        registry,
        args.verbose,
    )
    report(
        "fourth held-out set (written after the last rule change)",
        heldout4,
        results,
        registry,
        args.verbose,
    )
    report(
        "all sets, rules and Kiwi only (empty registry)", articles, bare_results, registry, False
    )

    timings, cpu = [], []
    for article in articles:
        runs, cpu_runs = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            run(extractor, article)
            runs.append(time.perf_counter() - t0)
            cpu_runs.append(time.process_time() - c0)
        timings.append(statistics.median(runs))
        cpu.append(statistics.median(cpu_runs))
    chars = statistics.median(
        len(a["title"]) + sum(len(p) for p in a["paragraphs"]) for a in articles
    )
    seed_chars = len(articles[0]["title"]) + sum(len(p) for p in articles[0]["paragraphs"])
    print(
        f"\nKiwi load: {kiwi.load_seconds():.2f} s; first article (load + first call): {cold:.2f} s"
    )
    print(
        f"extraction after warm-up: median {statistics.median(timings) * 1000:.1f} ms per article "
        f"(CPU time {statistics.median(cpu) * 1000:.1f} ms) "
        f"(median article {chars:.0f} characters); the seed ({seed_chars} characters): "
        f"{timings[0] * 1000:.1f} ms (CPU time {cpu[0] * 1000:.1f} ms)"
    )
    print(f"load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.dumps:
        time_generated(extractor, args.dumps)
    return 0


def time_generated(extractor: Extractor, count: int) -> None:
    """Extraction alone (one process, after warm-up) on *count* generated dumps."""
    import tempfile

    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_dumps import generate
    from newsarchive.importer.decode import decode_bytes
    from newsarchive.importer.parse import parse_dump

    with tempfile.TemporaryDirectory(prefix="newsarchive-eval-") as tmp:
        parsed = []
        for path in generate(count, Path(tmp)):
            decoded = decode_bytes(path.read_bytes())
            parsed.append(parse_dump(decoded.text, file_name=path.name, encoding=decoded.encoding))
    timings, cpu = [], []
    began = time.perf_counter()
    for dump in parsed:
        t0, c0 = time.perf_counter(), time.process_time()
        extractor.extract(
            title=dump.title,
            paragraphs=dump.paragraphs(),
            byline_name=dump.byline.name if dump.byline else None,
            outlet=dump.outlet,
            source=dump.source,
        )
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    total = time.perf_counter() - began
    chars = statistics.median(len(d.title) + sum(map(len, d.paragraphs())) for d in parsed)
    print(
        f"{count} generated dumps (median {chars:.0f} characters): extraction median "
        f"{statistics.median(timings) * 1000:.1f} ms per article (CPU time "
        f"{statistics.median(cpu) * 1000:.1f} ms), {count / total:.0f} articles/s in one process"
    )


if __name__ == "__main__":
    sys.exit(main())
