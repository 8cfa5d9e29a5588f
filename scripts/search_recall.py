"""Print the recall of Korean queries on the fixture site, before and after segmentation.

A model of Pagefind's matching (checked against the real thing by tests/search/
test_browser.py): text is split on whitespace, each word lower-cased with punctuation
dropped, and every query word must be a prefix of some word of the article. "Before"
indexes the plain text and searches the query as typed; "after" indexes the text with
Kiwi's terms (newsarchive.search.segment) and searches the normalised query. An article
is relevant when its headline or body contains the query's stem as a substring.

Usage: python scripts/search_recall.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsarchive.build import build_site  # noqa: E402
from newsarchive.config import load_settings  # noqa: E402
from newsarchive.search.pages import ARTICLE_PATH, read_article  # noqa: E402
from newsarchive.search.segment import (  # noqa: E402
    TermCache,
    index_key,
    kiwi_tokenizer,
    normalise_query,
)

QUERIES = [
    "LG전자가",
    "LG전자",
    "전자",
    "조주완은",
    "조주완",
    "서울시가",
    "서울시",
    "데이터센터를",
    "센터",
    "인공지능",
    "지능",
    "AI를",
    "AI",
    "투자를",
    "발표했다",
    "폭염",
    "가전",
    "실적을",
    "마이크로소프트가",
    "중소기업",
    "인재",
    "전력",
]


def matches(words: set[str], query: str) -> bool:
    return all(any(w.startswith(index_key(q)) for w in words) for q in query.split())


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        shutil.copytree(ROOT / "tests" / "fixtures" / "site", root)
        settings = load_settings(root, overrides={"search": False})
        build_site(settings)
        out = settings.output_path
        records = [
            r
            for p in sorted(out.rglob("index.html"))
            if ARTICLE_PATH.match(rel := p.relative_to(out).as_posix())
            and (r := read_article(p, rel))
        ]
        terms = TermCache(lambda: kiwi_tokenizer(["LG전자"]))
        texts = {r.url: " ".join([r.title, *r.paragraphs]) for r in records}
        plain = {u: {index_key(w) for w in t.split()} for u, t in texts.items()}
        expanded = {u: {index_key(w) for w in terms.expand(t).split()} for u, t in texts.items()}
        print(f"{'query':<14} {'relevant':>8} {'before':>7} {'after':>6}")
        tot = [0, 0, 0]
        for q in QUERIES:
            stem = normalise_query(q)
            relevant = {u for u, t in texts.items() if stem.lower() in t.lower()}
            before = {u for u in texts if matches(plain[u], q)} & relevant
            after = {u for u in texts if matches(expanded[u], stem)} & relevant
            tot = [tot[0] + len(relevant), tot[1] + len(before), tot[2] + len(after)]
            print(f"{q:<14} {len(relevant):>8} {len(before):>7} {len(after):>6}")
        print(
            f"recall: before {tot[1] / tot[0]:.0%}, after {tot[2] / tot[0]:.0%} ({tot[0]} relevant)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
