"""Print the search index's size, build-time cost and peak memory at 1,000 and 10,000 articles.

The synthetic archive of scripts/bench.py (benchlib.synth: the same generator, seed and
registry) is written as built article pages (the shape themes/newsroom/templates/article.html
gives them), then the search step of the build is timed in a fresh process for each case:

- cold: no caches (Kiwi loads and analyses every distinct word, Pagefind indexes every shard);
- unchanged: a rebuild with nothing changed (the index in output/ is kept as it is);
- one edit: one article's page changed (one page re-read, its new words analysed,
  Pagefind re-run on that article's shard only, only changed index files rewritten);
- edit warm (without --quick): three more edits in one process, as in the dev server.

Peak RSS is polled every 20 ms over the whole process tree (the indexer and its Pagefind
children), and "of it pagefind" is the children's part. (``RUSAGE_CHILDREN``'s ``ru_maxrss``
is no use here: a child forked from the indexer is charged the indexer's whole resident
set, Kiwi included, before it execs Pagefind.)

``--before DIR`` also runs an older checkout's indexer (DIR is its repository root, e.g. a
``git worktree``) on an identical copy of the pages, case by case in the same run, so the
two columns see the same machine load.

Usage: python scripts/bench_search.py [--quick] [--before DIR] [--keep DIR] [COUNT ...]
(default counts: 1000 10000; --keep writes the pages under DIR instead of a temp folder)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from benchlib import synth  # noqa: E402
from newsarchive.slugs import slugify  # noqa: E402

SEED = 0
KINDS = (("person", "인물"), ("company", "기업·기관"), ("topic", "주제"))


def page_html(article: synth.SynthArticle) -> str:
    e = html.escape
    ld = {
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "articleSection": article.section,
    }
    body = []
    for para in article.paragraphs:
        lines = para.split("\n")
        if lines[0].startswith("▲") and len(lines) > 1:
            body.append("<ul>" + "".join(f"<li>{e(x.lstrip('▲ '))}</li>" for x in lines) + "</ul>")
        else:
            body.append(f"<p>{e(para)}</p>")
    chips = []
    groups = {
        "person": [p.name for p in article.people],
        "company": list(article.companies),
        "topic": list(article.topics),
    }
    for kind, label in KINDS:
        if groups[kind]:
            items = "".join(f'<li><a class="chip" href="#">{e(n)}</a></li>' for n in groups[kind])
            chips.append(
                f'<div class="chips__group chips__group--{kind}"><h3>{label}</h3><ul>{items}</ul></div>'
            )
    return (
        '<!doctype html><html lang="ko"><head><script type="application/ld+json">'
        + json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
        + "</script></head><body><header>사이트 머리말 검색 섹션</header><main>"
        + f'<h1 class="article__title">{e(article.title)}</h1><div class="article__body">'
        + "".join(body)
        + '</div><section class="chips">'
        + "".join(chips)
        + "</section></main></body></html>"
    )


def write_site(root: Path, count: int) -> list[Path]:
    output = root / "output"
    pages = []
    for article in synth.iter_articles(count, SEED):
        slug = f"{slugify(article.title)[:50]}-{article.index}"
        path = output / f"{article.date:%Y}" / f"{article.date:%m}" / slug / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_html(article), encoding="utf-8")
        pages.append(path)
    (root / "content").mkdir(exist_ok=True)
    synth.write_registry(root / "content" / "entities.yaml", SEED)
    return pages


CHILD = """
import json, os, resource, sys, threading, time
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/..")
if sys.argv[3] != "-":  # an older checkout's package first
    sys.path.insert(0, sys.argv[3])
from benchlib.procs import _children, _tree_rss
peak = {"tree": 0, "kids": 0}
def poll():  # the whole tree (this process + the pagefind child), every 20 ms
    while True:
        kids = sum(_tree_rss(k) for k in _children(os.getpid()))
        peak["kids"] = max(peak["kids"], kids)
        peak["tree"] = max(peak["tree"], _tree_rss(os.getpid()))
        time.sleep(0.02)
threading.Thread(target=poll, daemon=True).start()
from newsarchive.config import load_settings
from newsarchive.search import indexer
from newsarchive.search.indexer import build_index
settings = load_settings(Path(sys.argv[2]))
for edit in [None, *sys.argv[4:]]:
    if edit is not None:  # the dev server's case: Kiwi and Pagefind already warm
        page = Path(edit)
        page.write_text(page.read_text(encoding="utf-8").replace(
            "</p>", f" 벤치마크수정어{len(edit)}번째 추가문장입니다.</p>", 1), encoding="utf-8")
    def cpu():
        a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime
    began, cpu0 = time.perf_counter(), cpu()
    report = build_index(settings)
    print(json.dumps({"seconds": time.perf_counter() - began, "cpu": cpu() - cpu0, "read": report.read,
      "analysed": report.analysed, "changed": len(report.changed), "bytes": report.bytes,
      "files": len(report.written), "articles": report.articles,
      "shards": getattr(report, "shards", 1), "indexed": getattr(report, "shards_indexed", None),
      "rss_mb": max(peak["tree"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**20,
      "child_rss_mb": peak["kids"] / 2**20}))
    peak.update(tree=0, kids=0)
"""


def run_child(root: Path, src: Path | None, *edits: Path) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE / "benchlib"), str(root), str(src or "-")]
        + [str(e) for e in edits],
        check=True,
        capture_output=True,
        encoding="utf-8",
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def edit(page: Path, tag: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("</p>", f" 벤치마크{tag} 추가문장입니다.</p>", 1), encoding="utf-8"
    )


HEADER = (
    f"{'articles':>8} {'indexer':<7} {'case':<10} {'seconds':>8} {'cpu s':>6} {'pages read':>10} "
    f"{'new words':>9} {'shards (run)':>12} {'files changed':>13} {'index MB':>8} {'files':>6} "
    f"{'peak RSS MiB tree':>17} {'of it pagefind':>14}"
)


def row(count: int, who: str, name: str, r: dict) -> str:
    indexed = "-" if r["indexed"] is None else str(r["indexed"])
    shards = f"{r['shards']} ({indexed})"
    return (
        f"{count:>8} {who:<7} {name:<10} {r['seconds']:>8.2f} {r['cpu']:>6.1f} {r['read']:>10} "
        f"{r['analysed']:>9} {shards:>12} {r['changed']:>13} {r['bytes'] / 1e6:>8.2f} "
        f"{r['files']:>6} {r['rss_mb']:>17.0f} {r['child_rss_mb']:>14.0f}"
    )


def bench(count: int, base: Path, before: Path | None, quick: bool) -> None:
    roots = {"after": base / "after"}
    pages = {"after": write_site(roots["after"], count)}
    size = sum(p.stat().st_size for p in pages["after"])
    if before is not None:
        roots["before"] = base / "before"
        shutil.copytree(roots["after"], roots["before"])
        pages["before"] = [roots["before"] / p.relative_to(roots["after"]) for p in pages["after"]]
    srcs = {"after": None, "before": before / "src" if before else None}
    order = [w for w in ("before", "after") if w in roots]
    cases: list[tuple[str, str, dict]] = []
    for name in ("cold", "unchanged", "one edit"):
        for who in order:
            if name == "one edit":
                edit(pages[who][0], "수정")
            cases.append((who, name, run_child(roots[who], srcs[who])[0]))
            print(row(count, who, name, cases[-1][2]), flush=True)
    if not quick:
        for who in order:
            edits = [pages[who][(i * 7919 + 1) % len(pages[who])] for i in range(3)]
            warm = run_child(roots[who], srcs[who], *edits)[1:]
            median = dict(warm[0])
            median["seconds"] = statistics.median(w["seconds"] for w in warm)
            median["cpu"] = statistics.median(w["cpu"] for w in warm)
            print(row(count, who, "edit warm", median), flush=True)
    print(
        f"{'':>8} (article pages: {size / 1e6:.1f} MB of HTML; a fresh process per case, except "
        "'edit warm': median of 3 edits in one process, as in the dev server)",
        flush=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="search index cost")
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--quick", action="store_true", help="skip 'edit warm'")
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    parser.add_argument("--keep", type=Path, help="write the pages here (kept afterwards)")
    args = parser.parse_args(argv)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at start: {load}; cpus: {os.cpu_count()}")
    print(HEADER)
    for count in args.counts:
        if args.keep:
            base = args.keep / f"n{count}"
            shutil.rmtree(base, ignore_errors=True)
            bench(count, base, args.before, args.quick)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
                bench(count, Path(tmp), args.before, args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
