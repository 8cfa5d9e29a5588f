"""Print the search index's size and build-time cost at 1,000 and 10,000 articles.

The synthetic archive of scripts/bench.py (benchlib.synth: the same generator, seed and
registry) is written as built article pages (the shape themes/newsroom/templates/article.html
gives them), then the search step of the build is timed in a fresh process for each case:

- cold: no caches (Kiwi loads and analyses every distinct word, Pagefind indexes all);
- unchanged: a rebuild with nothing changed (the index in output/ is kept as it is);
- one edit: one article's page changed (one page re-read, its new words analysed,
  Pagefind re-run over all records, only changed index files rewritten).

Usage: python scripts/bench_search.py [--quick] [COUNT ...]   (default: 1000 10000)
(--quick skips 'edit warm', which re-runs Pagefind three times.)
"""

from __future__ import annotations

import html
import json
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
from newsarchive.search.indexer import build_index
settings = load_settings(Path(sys.argv[2]))
for edit in [None, *sys.argv[3:]]:
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
      "rss_mb": max(peak["tree"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024) / 2**20,
      "child_rss_mb": peak["kids"] / 2**20}))
    peak.update(tree=0, kids=0)
"""


def run_child(root: Path, *edits: Path) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(HERE / "benchlib"), str(root), *map(str, edits)],
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


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    counts = [int(a) for a in argv if a != "--quick"] or [1000, 10000]
    print(
        f"{'articles':>8} {'case':<10} {'seconds':>8} {'cpu s':>6} {'pages read':>10} {'new words':>9} "
        f"{'files changed':>13} {'index MB':>8} {'files':>6} {'peak RSS MiB tree':>17} {'of it pagefind':>14}"
    )
    for count in counts:
        with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
            root = Path(tmp)
            pages = write_site(root, count)
            size = sum(p.stat().st_size for p in pages)
            cases = [("cold", run_child(root)[0])]
            cases.append(("unchanged", run_child(root)[0]))
            edit(pages[0], "수정")
            cases.append(("one edit", run_child(root)[0]))
            if not quick:
                edits = (pages[(i * 7919 + 1) % len(pages)] for i in range(3))
                warm = run_child(root, *edits)[1:]
                median = dict(warm[0])
                median["seconds"] = statistics.median(w["seconds"] for w in warm)
                median["cpu"] = statistics.median(w["cpu"] for w in warm)
                cases.append(("edit warm", median))
            for name, r in cases:
                print(
                    f"{count:>8} {name:<10} {r['seconds']:>8.2f} {r['cpu']:>6.1f} {r['read']:>10} {r['analysed']:>9} "
                    f"{r['changed']:>13} {r['bytes'] / 1e6:>8.2f} {r['files']:>6} {r['rss_mb']:>17.0f} {r['child_rss_mb']:>14.0f}"
                )
            print(
                f"{'':>8} (article pages: {size / 1e6:.1f} MB of HTML; fresh process per case, except 'edit warm': median of 3 edits in one process, as in the dev server)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
