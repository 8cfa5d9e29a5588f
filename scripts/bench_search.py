"""Print the search index's build cost, memory and size, each case in a fresh process.

The synthetic archive of scripts/bench.py (benchlib.synth: the same generator, seed and
registry) is written as built article pages (the shape themes/newsroom/templates/article.html
gives them). "after" is this checkout's index, driven through the API the build calls
(``SearchIndex.update`` with documents read from the pages, keyed by page path); with
``--before DIR`` an older checkout's indexer (DIR is its repository root, e.g. a
``git worktree`` of main: Pagefind and Kiwi) indexes an identical copy of the pages, case
by case in the same run, so both columns see the same machine load. Cases:

- cold: no index, no state (every page read, the whole index written);
- unchanged: nothing changed;
- body edit: a sentence added to one article's first paragraph;
- title edit: one article's headline changed (after only);
- new article: one article added (after only; before: -), then removed again.

Each case is a fresh Python process (interpreter start and imports included in "process
s"); "update s" is the indexing call alone. Peak memory is the PSS of the process tree,
polled every 20 ms (benchlib.procs).

Usage: python scripts/bench_search.py [--before DIR] [--keep DIR] [COUNT ...]
(default counts: 1000 10000)
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from benchlib import procs, synth  # noqa: E402
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
        + "</script></head><body><header>사이트 머리말 검색 섹션</header><main><article>"
        + f'<h1 class="article__title">{e(article.title)}</h1><div class="article__body">'
        + "".join(body)
        + '</div><section class="chips">'
        + "".join(chips)
        + "</section></article></main></body></html>"
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


# This checkout's index: the API the build engine calls, documents read from the pages.
AFTER = """
import dataclasses, json, os, resource, sys, time
from pathlib import Path
root, case, page = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
from newsarchive.config import load_settings
from newsarchive.search import SearchIndex
from newsarchive.search.pages import read_page
settings = load_settings(root)
output = settings.output_path
def doc(rel, key=None):
    return read_page(output / rel, key=key or rel, url=rel.removesuffix("index.html"))
def every():
    for folder, _dirs, names in sorted(os.walk(output)):
        if "index.html" in names and folder.count("/") - str(output).count("/") == 3:
            rel = os.path.relpath(folder, output) + "/index.html"
            found = doc(rel)
            if found is not None:
                yield found
def never():
    raise SystemExit("the index was rebuilt")
index = SearchIndex(settings, output)
began = time.perf_counter()
if case == "cold":
    result = index.update({}, [], every)
elif case == "unchanged":
    result = index.update({}, [], never)
elif case in ("body edit", "title edit"):
    found = doc(page)
    if case == "title edit":
        found = dataclasses.replace(found, title="속보 " + found.title)
    result = index.update({found.key: found}, [], never)
elif case == "new article":
    found = doc(page, key="new/" + page)
    found = dataclasses.replace(found, url="new/" + found.url)
    result = index.update({found.key: found}, [], never)
elif case == "removal":
    result = index.update({}, ["new/" + page], never)
seconds = time.perf_counter() - began
print(json.dumps({"update": seconds, "changed": len(result.changed) + len(result.removed)}))
"""

# An older checkout's indexer (Pagefind shards with Kiwi terms: main before issue 18).
BEFORE = """
import json, sys, time
from pathlib import Path
root = Path(sys.argv[1])
from newsarchive.config import load_settings
from newsarchive.search.indexer import build_index
began = time.perf_counter()
report = build_index(load_settings(root))
print(json.dumps({"update": time.perf_counter() - began, "changed":
    len(report.changed) + len(report.removed)}))
"""


def run_case(root: Path, src: Path, who: str, case: str, page: str) -> dict:
    code = AFTER if who == "after" else BEFORE
    argv = [sys.executable, "-c", code, str(root), case, page]
    env = {**os.environ, "PYTHONPATH": str(src)}
    if who == "before":  # its own interpreter: its dependencies (Pagefind, Kiwi)
        argv[0] = str(src.parent / ".venv" / "bin" / "python")
    step = procs.run_step(argv, env=env, log_path=root / "logs" / f"{case}.log", timeout=7200)
    if not step.ok:
        raise SystemExit(f"{who} {case} failed:\n{step.output_tail}")
    line = next(x for x in reversed(step.output_tail.splitlines()) if x.startswith("{"))
    # measured after the process: its own time holds the indexing alone
    size, files = procs.tree_size(
        root / "output" / ("search-index" if who == "after" else "pagefind")
    )
    return {
        **json.loads(line),
        "process": step.seconds,
        "rss": step.peak_rss_bytes,
        "bytes": size,
        "files": files,
    }


def edit(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</p>", " 벤치마크수정 추가문장입니다.</p>", 1), encoding="utf-8")


HEADER = (
    f"{'articles':>8} {'index':<7} {'case':<12} {'process s':>9} {'update s':>9} "
    f"{'files changed':>13} {'peak MiB':>8} {'index MB':>8} {'files':>7}"
)


def row(count: int, who: str, case: str, r: dict) -> str:
    return (
        f"{count:>8} {who:<7} {case:<12} {r['process']:>9.2f} {r['update']:>9.2f} "
        f"{r['changed']:>13} {r['rss'] / 2**20:>8.0f} {r['bytes'] / 1e6:>8.1f} {r['files']:>7}"
    )


def bench(count: int, base: Path, before: Path | None) -> None:
    roots = {"after": base / "after"}
    pages = write_site(roots["after"], count)
    if before is not None:
        roots["before"] = base / "before"
        shutil.copytree(roots["after"], roots["before"])
    srcs = {"after": HERE.parent / "src", "before": before / "src" if before else None}
    order = [w for w in ("before", "after") if w in roots]
    target = pages[len(pages) // 3].relative_to(roots["after"] / "output").as_posix()
    for case in ("cold", "unchanged", "body edit", "title edit", "new article", "removal"):
        for who in order:
            if who == "before" and case in ("title edit", "new article", "removal"):
                continue
            if case == "body edit":
                edit(roots[who] / "output" / target)
            result = run_case(roots[who], srcs[who], who, case, target)  # type: ignore[arg-type]
            print(row(count, who, case, result), flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
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
            bench(count, base, args.before)
        else:
            with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
                bench(count, Path(tmp), args.before)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at end: {load}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
