"""Print recall and MRR of a query set on the synthetic archive, before and after, side by side.

The archive of scripts/bench.py (benchlib.synth, seed 0; 10,000 articles by default) is
built for publishing by this checkout and, with ``--before DIR``, by an older checkout (its
repository root, with its own ``.venv``); each site is served and searched in headless
Chromium by its own search code (the engine the search page uses, called directly for the
whole ranked list), so the figures are what readers get.

Judgement (one rule for both): a query's *stems* are its words without the ending the
search strips (``GJ푸드가`` → ``GJ푸드``, ``2030년`` stays). An article is *relevant* when
every stem occurs in what its page shows: headline, body and people/companies/topics chips
("text only" leaves the chips out). The *expected top results* are the relevant articles
with every stem in the headline (all relevant ones when none has). Recall counts relevant
articles found, over all queries; MRR is the mean of 1 / rank of the first expected article
(0 when none is found); "extra" counts results that are not relevant.

Usage: python scripts/search_recall.py [--before DIR] [--work DIR] [--size N] [-v]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

from benchlib import browser, sites  # noqa: E402
from newsarchive.search import tokens  # noqa: E402

PORTS = {"before": 18601, "after": 18602}
# (kind, query): names from the synthetic cast of seed 0, words from its phrases.
QUERIES = [
    ("particle", "정세수는"),
    ("particle", "황용태의"),
    ("particle", "GJ푸드가"),
    ("particle", "온태전자는"),
    ("particle", "HR전자의"),
    ("particle", "인공지능을"),
    ("particle", "클라우드를"),
    ("particle", "배터리의"),
    ("particle", "서울에서"),
    ("particle", "판교에서는"),
    ("ending", "강조했다"),
    ("ending", "논의했다"),
    ("ending", "전망된다"),
    ("ending", "집계됐다"),
    ("compound", "컴퓨터"),
    ("compound", "협약"),
    ("compound", "스포츠"),
    ("compound", "자치"),
    ("compound", "연합"),
    ("compound", "중공업"),
    ("compound", "텔레콤"),
    ("person", "정세수"),
    ("person", "안우훈"),
    ("person", "황용태"),
    ("person", "남원세"),
    ("person", "홍철진 본부장"),
    ("company", "GJ푸드"),
    ("company", "NEW텔레콤"),
    ("company", "DGS소프트"),
    ("company", "온태전자"),
    ("company", "SGH엔터"),
    ("English", "CEO"),
    ("English", "CTO"),
    ("English", "5G"),
    ("English", "DGS"),
    ("number", "2030년"),
    ("number", "99조"),
    ("number", "2015년"),
    ("several words", "반도체 수출"),
    ("several words", "정세수 반도체"),
]

BEFORE = """async ({ base, queries }) => {
  const m = await import(new URL("theme/js/search.js", base).href);
  const index = await m.ShardedIndex.open(new URL("pagefind/", base), new URL(base).pathname);
  const out = [];
  for (const q of queries) {
    const found = await index.search(m.normaliseQuery(q), { filters: {} });
    out.push(found ? found.results.map((r) => r.id) : []);
  }
  return out;
}"""
AFTER = """async ({ base, queries }) => {
  const m = await import(new URL("theme/js/search-engine.js", base).href);
  const index = await m.SearchIndex.open(new URL("search-index/", base));
  const out = [];
  for (const q of queries) out.push((await index.search(q)).numbers);
  return out;
}"""


@dataclass
class Page:
    title: str
    text: str  # headline and body
    chips: str


def _gunzip_json(path: Path) -> dict:
    # Pagefind's fragments start with its signature, then JSON
    return json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))


def pages(after: Path) -> dict[str, Page]:
    """What each article page shows, by URL (site-relative), from the index's fragments."""
    found = {}
    for path in (after / "search-index" / "d").iterdir():
        doc = _gunzip_json(path)
        chips = " ".join(doc["people"] + doc["companies"] + doc["topics"])
        found[doc["url"]] = Page(fold(doc["title"]), fold(" ".join(doc["paragraphs"])), fold(chips))
    return found


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def url_maps(output: Path, label: str) -> dict[str, str]:
    """Result id -> site-relative URL, from the site's own fragment files."""
    found = {}
    if label == "before":
        for path in (output / "pagefind").rglob("*.pf_fragment"):
            url = unquote(urlsplit(_gunzip_json(path)["url"]).path)  # "/2024/06/slug/"
            found[path.stem] = url.removeprefix(sites.BASE_PATH).removeprefix("/")
    else:
        for path in (output / "search-index" / "d").iterdir():
            found[path.name.removesuffix(".json.gz")] = _gunzip_json(path)["url"]
    return found


def ranked(chrome, output: Path, label: str) -> list[list[str]]:
    ids = url_maps(output, label)
    with browser.served(output, PORTS[label]) as base:
        page = chrome.new_page()
        page.goto(base)
        script = BEFORE if label == "before" else AFTER
        found = page.evaluate(script, {"base": base, "queries": [q for _, q in QUERIES]})
        page.close()
    return [[ids[str(i)] for i in result] for result in found]


def judge(results: list[list[str]], shown: dict[str, Page], chips: bool) -> dict[str, float]:
    relevant_total = found_total = extra = 0
    reciprocal = 0.0
    rows = []
    for (_kind, query), result in zip(QUERIES, results, strict=True):
        words = tokens.stems(query)
        relevant = {
            url
            for url, p in shown.items()
            if all(w in p.text or (chips and w in p.chips) for w in words)
        }
        expected = {url for url in relevant if all(w in shown[url].title for w in words)}
        expected = expected or relevant
        rank = next((i + 1 for i, url in enumerate(result) if url in expected), None)
        reciprocal += 1 / rank if rank else 0.0
        hit = len(relevant & set(result))
        relevant_total += len(relevant)
        found_total += hit
        extra += len(set(result) - relevant)
        rows.append((query, len(relevant), hit, rank))
    return {
        "recall": found_total / max(relevant_total, 1),
        "mrr": reciprocal / len(QUERIES),
        "relevant": relevant_total,
        "extra": extra,
        "rows": rows,  # type: ignore[dict-item]
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="an older checkout to compare with")
    parser.add_argument("--work", type=Path, help="keep the builds here (default: a temp dir)")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    checkouts = {"after": REPO}
    if args.before:
        checkouts = {"before": args.before.resolve(), "after": REPO}
    with tempfile.TemporaryDirectory(prefix="search-recall-") as tmp:
        work = args.work or Path(tmp)
        outputs = {
            label: sites.build(work, args.size, label, checkout, PORTS[label])[0]
            for label, checkout in checkouts.items()
        }
        shown = pages(outputs["after"])
        with browser.chromium() as chrome:
            results = {label: ranked(chrome, out, label) for label, out in outputs.items()}
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.size} articles, {len(QUERIES)} queries (load average {load})")
    print(f"{'site':<7} {'judged on':<22} {'recall':>7} {'MRR':>6} {'relevant':>9} {'extra':>8}")
    for chips, name in ((True, "headline, body, chips"), (False, "headline and body")):
        for label, result in results.items():
            s = judge(result, shown, chips)
            print(
                f"{label:<7} {name:<22} {s['recall']:>7.1%} {s['mrr']:>6.3f} "
                f"{s['relevant']:>9} {s['extra']:>8}"
            )
    if args.verbose:
        print(
            f"\n{'query':<16} {'relevant':>8} "
            + " ".join(f"{k + ' found':>13} {k + ' rank':>12}" for k in results)
        )
        judged = {label: judge(result, shown, True)["rows"] for label, result in results.items()}
        for i, (_kind, query) in enumerate(QUERIES):
            cells = []
            for label in results:
                _q, relevant, hit, rank = judged[label][i]
                cells.append(f"{hit:>13} {rank if rank else '-':>12}")
            print(f"{query:<16} {relevant:>8} " + " ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
