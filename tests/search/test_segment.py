"""Segmentation (index side) and query normalisation (browser side), Python and JS."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsarchive.search.segment import (
    MARKER,
    QUERY_SUFFIXES,
    TermCache,
    clean_text,
    normalise_query,
    terms_from_tokens,
)
from testtools import require_tool

SEARCH_JS = (
    Path(__file__).resolve().parents[2] / "themes" / "newsroom" / "static" / "js" / "search.js"
)


def test_particle_split_gives_the_noun_and_its_parts():
    tokens = [("LG전자", "NNP", 0, 4), ("가", "JKS", 4, 5)]
    assert terms_from_tokens("LG전자가", tokens) == ("lg전자", "lg", "전자")


def test_compound_run_is_joined_and_kept_apart():
    tokens = [("데이터", "NNG", 0, 3), ("센터", "NNG", 3, 5), ("를", "JKO", 5, 6)]
    assert terms_from_tokens("데이터센터를", tokens) == ("데이터", "센터", "데이터센터")


def test_word_equal_to_its_only_noun_adds_nothing():
    assert terms_from_tokens("조주완", [("조주완", "NNP", 0, 3)]) == ()


def test_verb_endings_and_single_syllables_are_not_terms():
    tokens = [("발표", "NNG", 0, 2), ("하", "XSV", 2, 3), ("었", "EP", 2, 3), ("다", "EF", 3, 4)]
    assert terms_from_tokens("발표했다", tokens) == ("발표",)
    assert terms_from_tokens("수가", [("수", "NNB", 0, 1), ("가", "JKS", 1, 2)]) == ()


def fake_tokenizer():
    table = {
        "LG전자가": [("LG전자", "NNP", 0, 4), ("가", "JKS", 4, 5)],
        "서울에서": [("서울", "NNP", 0, 2), ("에서", "JKB", 2, 4)],
    }
    calls = []

    def tokenize(word):
        calls.append(word)
        return table.get(word, [(word, "NNG", 0, len(word))])

    return tokenize, calls


def test_expand_keeps_every_original_word_in_place_and_marks_added_terms():
    tokenize, calls = fake_tokenizer()
    cache = TermCache(lambda: tokenize)
    text = "LG전자가 서울에서 AI 발표"
    expanded = cache.expand(text)
    assert (
        expanded == f"LG전자가 {MARKER}lg전자 {MARKER}lg {MARKER}전자 서울에서 {MARKER}서울 AI 발표"
    )
    assert [w for w in expanded.split() if not w.startswith(MARKER)] == text.split()
    # Latin-only words never reach Kiwi; each distinct word is analysed once
    cache.expand(text)
    assert calls == ["LG전자가", "서울에서", "발표"]
    assert cache.analysed == 3


def test_cache_reuses_known_words_without_loading_kiwi():
    def boom():
        raise AssertionError("Kiwi must not load for known words")

    cache = TermCache(boom, {"서울에서": ["서울"]})
    assert cache.expand("서울에서") == f"서울에서 {MARKER}서울"


def test_untrusted_text_cannot_forge_markers():
    assert MARKER not in clean_text(f"가{MARKER}나\u200b다")
    tokenize, _ = fake_tokenizer()
    expanded = TermCache(lambda: tokenize).expand(f"{MARKER}가짜 낱말")
    assert not expanded.startswith(MARKER)


@pytest.mark.parametrize(
    ("query", "normalised"),
    [
        ("LG전자가", "LG전자"),
        ("LG전자", "LG전자"),
        ("서울에서", "서울"),
        ("조주완은", "조주완"),
        ("데이터센터를", "데이터센터"),
        ("발표했다", "발표"),
        ("AI를", "AI"),
        ("국가", "국가"),  # a one-syllable stem is left alone
        ("AI", "AI"),
        ("CES 2024", "CES 2024"),
        ("삼성전자의  반도체가", "삼성전자 반도체"),
    ],
)
def test_query_normalisation(query, normalised):
    assert normalise_query(query) == normalised


def test_normalised_query_is_always_a_prefix_of_what_was_typed():
    # Pagefind matches prefixes: a prefix never loses a match the full word had.
    for word in ["LG전자가", "서울에서는", "대학가", "민주주의", "발표한", "가"]:
        assert word.startswith(normalise_query(word))


def test_js_suffix_list_mirrors_python():
    source = SEARCH_JS.read_text(encoding="utf-8")
    block = re.search(r"QUERY_SUFFIXES = \[(.*?)\];", source, re.S).group(1)
    assert tuple(re.findall(r'"([^"]+)"', block)) == QUERY_SUFFIXES
    assert "MIN_STEM = 2" in source


def run_node(script: str):
    node = shutil.which("node")
    require_tool(node is not None, "node is not installed (make test-deps)")
    module = SEARCH_JS.as_uri()
    code = f"import * as s from {json.dumps(module)};\n{script}"
    done = subprocess.run(
        [node, "--input-type=module", "-e", code],
        capture_output=True,
        encoding="utf-8",
        check=True,
    )
    return json.loads(done.stdout)


def test_js_normaliser_agrees_with_python():
    queries = ["LG전자가", "서울에서", "조주완은", "국가", "AI를", "CES", "발표했다 데이터센터를"]
    got = run_node(f"console.log(JSON.stringify({json.dumps(queries)}.map(s.normaliseQuery)))")
    assert got == [normalise_query(q) for q in queries]


def excerpt(content, locations, skip=0, length=30, terms=()):
    args = f"{json.dumps(content)}, {json.dumps(locations)}, {skip}, {length}, {json.dumps(list(terms))}"
    script = f"const p = s.buildExcerpt({args});console.log(JSON.stringify(p))"
    return run_node(script)


def test_js_excerpt_shows_original_text_with_the_hit_marked():
    content = f"제목 {MARKER}제 본문 LG전자가 {MARKER}lg전자 {MARKER}lg {MARKER}전자 발표했다."
    # a hit on the added term "전자" (word 6) marks 전자 inside LG전자가
    pieces = excerpt(content, [6], skip=2)
    text = "".join(p["text"] for p in pieces)
    assert text == "본문 LG전자가 발표했다."
    assert MARKER not in text
    assert [p["text"] for p in pieces if p["mark"]] == ["전자"]
    # a hit on the original word marks the query word inside it, else the whole word
    pieces = excerpt(content, [3], skip=2, terms=["LG전자"])
    assert [p["text"] for p in pieces if p["mark"]] == ["LG전자"]
    assert "".join(p["text"] for p in pieces) == "본문 LG전자가 발표했다."
    pieces = excerpt(content, [3], skip=2)
    assert [p["text"] for p in pieces if p["mark"]] == ["LG전자가"]


def test_js_excerpt_windows_on_the_hits_and_says_it_is_cut():
    words = [f"낱말{i}" for i in range(100)]
    pieces = excerpt(" ".join(words), [60], length=10)
    text = "".join(p["text"] for p in pieces)
    assert text.startswith("… ") and text.endswith(" …")
    assert "낱말60" in text and "낱말0 " not in text


def test_js_excerpt_keeps_markup_as_text():
    pieces = excerpt("<script>alert(1)</script> <b>굵게</b> &lt;i&gt;", [1])
    assert "".join(p["text"] for p in pieces) == "<script>alert(1)</script> <b>굵게</b> &lt;i&gt;"


def test_kiwi_taught_another_registrys_names_is_loaded_afresh():
    """The same site must index alike whatever this process indexed before."""
    from newsarchive.entities import kiwi
    from newsarchive.search.segment import kiwi_tokenizer

    kiwi_tokenizer(["가나다전자"])
    assert "가나다전자" in kiwi.user_words()
    first = kiwi.get_kiwi()
    kiwi_tokenizer(["가나다전자", "라마바물산"])  # more words: the same Kiwi learns them
    assert kiwi.get_kiwi() is first
    kiwi_tokenizer(["라마바물산"])  # fewer: a fresh Kiwi with exactly these
    assert kiwi.user_words() == {"라마바물산"}
    assert kiwi.get_kiwi() is not first
