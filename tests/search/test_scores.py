"""Ranking: one global set of statistics, whatever chunk or file a document's data is in."""

from __future__ import annotations

import dataclasses

import pytest
from test_index import make_doc

import jsengine
from newsarchive.config import Settings
from newsarchive.search import INDEX_DIR, SearchIndex, chunks

QUERIES = [
    {"q": "데이터센터를"},
    {"q": "LG전자가 발표했다"},
    {"q": "조주완"},
    {"q": "AI"},
    {"q": "a", "options": {"prefix": True}},
    {"q": "인공지능", "options": {"filters": {"section": "경제"}}},
    {"q": "", "options": {"filters": {"year": "2024"}}},
    {"q": "반도체", "options": {"sort": "date"}},
    {"q": "없는낱말 반도체"},  # no article has both: the ones with some
]


def build(tmp_path, name, docs, monkeypatch, spread, big):
    monkeypatch.setattr(chunks, "SPREAD", spread)
    monkeypatch.setattr(chunks, "BIG", big)
    root = tmp_path / name
    SearchIndex(Settings(root=root), root / "output").update({}, [], lambda: iter(docs))
    return root / "output" / INDEX_DIR


def test_scores_do_not_depend_on_how_the_index_is_cut(tmp_path, monkeypatch):
    docs = [make_doc(i) for i in range(60)]
    one_chunk = build(tmp_path, "one", docs, monkeypatch, spread=10**9, big=10**9)
    every_term = build(tmp_path, "many", docs, monkeypatch, spread=1, big=0)
    assert len(list((one_chunk / "t").iterdir())) == 1
    assert len(list((every_term / "t").iterdir())) > 50  # a chunk per term
    a = jsengine.search(one_chunk, QUERIES)
    b = jsengine.search(every_term, QUERIES)
    assert a == b
    assert all(r["total"] > 0 for r in a)
    assert a[-1]["partial"] is True


def test_an_articles_score_does_not_depend_on_its_number(tmp_path, monkeypatch):
    """The same article filed under another date (so another number, other blocks and
    files) scores the same: nothing but its own counts and the archive's statistics count."""
    docs = [make_doc(i) for i in range(40)]
    target = docs[7]
    moved = [*docs[:7], dataclasses.replace(target, date="2019-02-03"), *docs[8:]]
    first = build(tmp_path, "first", docs, monkeypatch, spread=4, big=40)
    second = build(tmp_path, "second", moved, monkeypatch, spread=4, big=40)
    queries = [{"q": q} for q in ("데이터센터를", "조주완", "반도체 수출", "AI")]
    for a, b in zip(jsengine.search(first, queries), jsengine.search(second, queries), strict=True):
        score_a = dict(zip(a["numbers"], a["scores"], strict=True))
        score_b = dict(zip(b["numbers"], b["scores"], strict=True))
        assert a["total"] == b["total"]
        assert sorted(score_a.values()) == pytest.approx(sorted(score_b.values()), rel=0, abs=0)


def test_order_is_score_then_newest_and_the_same_every_time(tmp_path, monkeypatch):
    docs = [dataclasses.replace(make_doc(i), paragraphs=("같은 본문 데이터",)) for i in range(12)]
    docs = [dataclasses.replace(d, title="제목", people=(), companies=(), topics=()) for d in docs]
    folder = build(tmp_path, "ties", docs, monkeypatch, spread=64, big=6000)
    (result,) = jsengine.search(folder, [{"q": "데이터"}])
    assert len(set(result["scores"])) == 1  # all tied
    assert result["numbers"] == sorted(result["numbers"], reverse=True)  # newest first
    assert jsengine.search(folder, [{"q": "데이터"}]) == [result]


def test_headline_and_facet_matches_rank_first(tmp_path, monkeypatch):
    body_only = dataclasses.replace(
        make_doc(1), title="다른 제목", people=(), paragraphs=("조주완 사장이 말했다",)
    )
    in_title = dataclasses.replace(
        make_doc(2),
        title="조주완 사장 인터뷰",
        people=("조주완",),
        paragraphs=tuple(f"긴 본문 {i} 조주완 반도체 수출 시장" for i in range(30)),
    )
    folder = build(tmp_path, "fields", [body_only, in_title], monkeypatch, spread=64, big=6000)
    (result,) = jsengine.search(folder, [{"q": "조주완은"}])
    assert result["total"] == 2
    numbers = jsengine.run(
        "const i = await openIndex(input); output = await Promise.all("
        "[...(await i.search('조주완')).numbers].map(async (n) => (await i.document(n)).title));",
        str(folder),
    )
    assert numbers[0] == "조주완 사장 인터뷰"
