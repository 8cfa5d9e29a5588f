"""Terms of text and queries: the Korean rules, and the browser cutting queries alike."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jsengine import ENGINE, run
from newsarchive.search import tokens
from newsarchive.search.tokens import query_words, term_counts


def terms(text: str) -> set[str]:
    return set(term_counts(text))


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("LG전자가", [["lg", "전자"]]),  # a particle after a stem of two syllables
        ("조주완은", [["조주", "주완"]]),
        ("발표했다", [["발표"]]),  # an ending
        ("서울에서는", [["서울"]]),
        ("국가", [["국가"]]),  # 국 + 가 would leave a one-syllable stem: kept whole
        ("AI를", [["ai"]]),  # a particle run after Latin letters is dropped
        ("5G에서", [["5g"]]),
        ("데이터센터를", [["데이", "이터", "터센", "센터"]]),
        ("ＣＥＯ", [["ceo"]]),  # full width folds (NFKC)
        ("물", [["물"]]),  # one syllable: matched as the start of a pair by the browser
        ("2030년", [["2030"]]),  # a unit after a number is dropped
        ("99조원", [["99", "조원"]]),
        ("'에서", []),  # only a particle
        ("LG전자 조주완", [["lg", "전자"], ["조주", "주완"]]),
    ],
)
def test_query_words(query, words):
    assert query_words(query) == words


def test_document_terms_are_pairs_and_whole_latin_words():
    found = terms("LG전자가 데이터센터를 지었다. AI를 5G에서 쓰고 (58)은 물 2024년")
    assert {"lg", "전자", "자가", "데이", "센터", "터를", "ai", "5g", "58", "2024"} <= found
    assert "를" not in found and "에서" not in found  # particles after Latin/digits
    assert "물" not in found and "년" not in found  # one syllable gives no term
    assert "은" not in found


def test_a_query_stem_is_in_every_document_that_has_the_inflected_word():
    for word in ["LG전자가", "조주완은", "발표했다", "서울에서는", "데이터센터를", "AI를"]:
        doc = terms(f"기사 본문 {word} 끝")
        for query_terms in query_words(word):
            assert set(query_terms) <= doc, word


def test_long_latin_runs_are_cut():
    long = "a" * 100
    assert terms(long) == {"a" * tokens.MAX_TERM}
    assert query_words(long) == [["a" * tokens.MAX_TERM]]


def test_counts_count_occurrences():
    counts = term_counts("데이터 데이터 데이터를")
    assert counts["데이"] == 3 and counts["이터"] == 3 and counts["터를"] == 1


# Text drawn from what news holds: Hangul, Latin, digits, punctuation, spaces of all kinds,
# full-width forms, decomposed Hangul, a few astral characters.
_ALPHABET = st.sampled_from(
    [
        *"가나다라전자서울은는이가을를에서로도의한 데이터센터AIaiZz059.,()·'\"“”-_/",
        *["\u3000", "\xa0", "\t", "\n", "\u2009", "\ufeff", "\x85", "\u1100\u1161", "Ａ", "１"],
        *["𠀀", "😀", "é", "ß", "İ", "Σ", "ㄱ", "漢"],
    ]
)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)


@given(_TEXT)
@settings(max_examples=200, deadline=None)
def test_document_terms_are_the_query_terms_of_its_words_unstripped(text):
    """The whole-text fast path gives the terms the word-by-word rules give."""
    expected: set[str] = set()
    for word in re.findall(f"[^{tokens.SPACE}]+", tokens.normalise(text)):
        for match in re.finditer(r"([가-힣]+)|[^\W_가-힣]+", word):
            run_ = match.group()
            if match.group(1) is None:
                expected.add(run_[: tokens.MAX_TERM])
            elif not (match.start() > 0 and run_ in tokens.SUFFIXES):
                expected.update(tokens.pairs(run_))
    assert terms(text) == expected


def test_js_suffix_list_mirrors_python():
    source = ENGINE.read_text(encoding="utf-8")
    block = re.search(r"SUFFIXES = \[(.*?)\];", source, re.S).group(1)
    assert tuple(re.findall(r'"([^"]+)"', block)) == tokens.SUFFIXES
    assert f"MIN_STEM = {tokens.MIN_STEM};" in source
    assert f"MAX_TERM = {tokens.MAX_TERM};" in source


@given(st.lists(_TEXT, min_size=1, max_size=30))
@settings(max_examples=5, deadline=None)
def test_js_cuts_queries_like_python(queries):
    fixed = ["LG전자가 조주완은", "서울에서는 국가 물", "ＣＥＯ 5G에서 'AI를'", "a" * 50]
    queries = fixed + queries
    got = run("output = input.map(engine.queryWords);", queries)
    assert got == [query_words(q) for q in queries]


def test_js_stems_are_the_python_stems():
    queries = ["LG전자가 조주완은", "2030년", "(주)삼성", "AI를", "’서울에서‘", "데이터센터를 a"]
    got = run("output = input.map(engine.stems);", queries)
    assert got == [tokens.stems(q) for q in queries]
    assert tokens.stems("LG전자가 데이터센터를") == ["lg전자", "데이터센터"]


def test_js_orders_terms_by_code_point_as_python_sorts():
    words = ["가", "a", "z", "漢", "𠀀", "\uffef", "😀", "lg", "l", "\x01people\x01김", "ab"]
    got = run("output = [...input].sort(engine.compareTerms);", words)
    assert got == sorted(words)
