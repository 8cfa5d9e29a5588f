"""Benchmark `newsarchive check` on synthetic built sites shaped like the archive's output.

Each site has N article pages (header navigation, a stylesheet, 30 internal links, 5 links
to anchors, 5 external links, an image with srcset), section and year index pages, an Atom
feed, a sitemap and a stylesheet with url()s, all under https://example.github.io/REPO/.
It prints, per size, the median wall time of ``check_site`` over --runs runs, pages per
second and the number of references checked:

    .venv/bin/python scripts/bench_check.py                 # 1,000 and 5,000 pages, 3 runs
    .venv/bin/python scripts/bench_check.py --sizes 20000 --runs 1

Sites are generated under .cache/bench-check/ (removed afterwards).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsarchive.checker import check_site  # noqa: E402 - needs the path above

BASE = "https://example.github.io/REPO/"
SECTIONS = ["경제", "사회", "정치", "문화"]


def _article(i: int, n: int) -> tuple[str, str]:
    rel = f"{2000 + i % 20}/{1 + i % 12:02d}/기사-{i}/"
    links = "".join(
        f'<li><a href="/REPO/{2000 + j % 20}/{1 + j % 12:02d}/%EA%B8%B0%EC%82%AC-{j}/">기사 {j}</a></li>'
        for j in ((i * 7 + k * 13) % n for k in range(30))
    )
    anchors = "".join(f'<a href="#p{k}">문단 {k}</a>' for k in range(5))
    external = "".join(f'<a href="https://news{k}.example.com/{i}">원문</a>' for k in range(5))
    body = "".join(f'<p id="p{k}">{"본문 " * 80}</p>' for k in range(8))
    nav = "".join(f'<a href="/REPO/sections/{s}/">{s}</a>' for s in SECTIONS)
    html = f"""<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>기사 {i}</title>
<link rel="canonical" href="{BASE}{rel}"><link rel="stylesheet" href="/REPO/theme/css/style.css">
<link rel="alternate" type="application/atom+xml" href="{BASE}feeds/all.atom.xml"></head>
<body><header><a href="/REPO/">홈</a>{nav}</header><main><h1 id="title">기사 {i}</h1>{anchors}
<img src="/REPO/theme/img/a.png" srcset="/REPO/theme/img/a.png 1x, /REPO/theme/img/a@2x.png 2x" alt="">
{body}<ul>{links}</ul>{external}</main></body></html>"""
    return rel + "index.html", html


def generate(root: Path, n: int) -> None:
    files: dict[str, str] = {}
    for i in range(n):
        rel, html = _article(i, n)
        files[rel] = html
    home_links = "".join(f'<a href="sections/{s}/">{s}</a>' for s in SECTIONS)
    files["index.html"] = (
        f'<link rel="canonical" href="{BASE}"><link rel="stylesheet" href="theme/css/style.css">'
        f"{home_links}"
    )
    for s in SECTIONS:
        files[f"sections/{s}/index.html"] = '<a href="../../">홈</a>'
    files["404.html"] = '<link rel="stylesheet" href="/REPO/theme/css/style.css">'
    files["theme/css/style.css"] = "body{background:url(../img/a.png)}"
    files["theme/img/a.png"] = "png"
    files["theme/img/a@2x.png"] = "png"
    entries = "".join(
        f'<entry><link href="{BASE}{_article(i, n)[0][: -len("index.html")]}"/></entry>'
        for i in range(min(n, 50))
    )
    files["feeds/all.atom.xml"] = f'<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'
    locs = "".join(
        f"<url><loc>{BASE}{rel[: -len('index.html')]}</loc></url>"
        for rel in files
        if rel.endswith("index.html")
    )
    files["sitemap.xml"] = (
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
    )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated page counts")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = REPO / ".cache" / "bench-check"
    print(f"{'pages':>7} {'median s':>9} {'pages/s':>8} {'references':>11} {'broken':>7}")
    try:
        for n in (int(size) for size in args.sizes.split(",")):
            site = work / f"site-{n}"
            shutil.rmtree(site, ignore_errors=True)
            generate(site, n)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                report = check_site(site)
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(
                f"{report.pages:>7} {median:>9.2f} {report.pages / median:>8.0f} "
                f"{report.references:>11} {len(report.broken):>7}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
