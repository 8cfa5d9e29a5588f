"""Korean segmentation for the search index, and the query rule set the browser mirrors.

Pagefind splits text on whitespace and matches query words as prefixes of indexed words.
Korean glues particles and endings to the word (``LG전자가``, ``서울에서``) and writes many
compounds without spaces (``데이터센터``), so ``전자`` finds nothing in ``LG전자`` and a
query with a particle finds only that exact form.

Index side: every 어절 (whitespace-separated word) keeps its place in the text and is
followed by extra *terms* from Kiwi: its nouns, Latin and number parts, and compound
runs (``LG전자가`` -> ``lg전자``, ``lg``, ``전자``). Each extra term is prefixed with
:data:`MARKER` (U+2063 INVISIBLE SEPARATOR): Pagefind strips it when indexing, so the term
is searchable, and the browser drops marked words when it builds an excerpt, mapping a
hit on a marked word back to the original word before it (see static/js/search.js).

Analysis is per distinct 어절, not per sentence: the same word always gets the same terms,
whatever article it is in, so the results are memoised across articles and builds
(:class:`TermCache`) and a rebuild pays Kiwi only for words it has never seen. The
query side has no Kiwi (it cannot run in a browser), so it is context-free too:
:func:`normalise_query` strips one particle or ending from :data:`QUERY_SUFFIXES`
(mirrored in search.js, checked by the tests). Stripping only ever shortens a word to a
prefix of itself, and Pagefind matches prefixes, so normalising never loses a match the
original word had.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

# Pagefind drops this character from indexed words but keeps it in the stored content.
MARKER = "\u2063"
# Characters that must never reach the index from text: the marker itself and Pagefind's
# own CJK segment separator (a zero-width space switches its excerpts to another mode).
_RESERVED = str.maketrans({"\u2063": " ", "\u200b": " ", "\ufeff": " "})

# Morpheme tags whose forms are search terms: nouns, numbers, Latin and Hanja, roots.
_TERM_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XR"})
# Tags that may join a compound run (데이터+센터, LG+전자, 4+분기).
_RUN_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SN", "SH", "XR", "XPN", "XSN"})
_SCRIPT_RUNS = re.compile(r"[0-9a-z]+|[가-힣]+|[^\W\d_a-z가-힣]+")
_WORD_CHARS = re.compile(r"[\W_]+")

# One particle or ending per query word, longest first. Mirrored in themes/newsroom/
# static/js/search.js (QUERY_SUFFIXES); tests/search checks both lists are the same.
QUERY_SUFFIXES: tuple[str, ...] = (
    "했습니다",
    "합니다",
    "했으며",
    "에서는",
    "에서도",
    "에서의",
    "에게서",
    "으로서",
    "으로써",
    "으로는",
    "으로도",
    "이었다",
    "입니다",
    "하겠다",
    "했다",
    "한다",
    "하는",
    "했던",
    "하고",
    "하며",
    "하여",
    "해서",
    "했고",
    "된다",
    "됐다",
    "되는",
    "에서",
    "에게",
    "께서",
    "으로",
    "부터",
    "까지",
    "처럼",
    "보다",
    "마다",
    "조차",
    "이나",
    "이며",
    "이다",
    "이고",
    "와의",
    "과의",
    "에는",
    "에도",
    "로서",
    "로써",
    "로는",
    "로도",
    "였다",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "와",
    "과",
    "도",
    "로",
    "한",
)
# A stem shorter than this is left alone: 국가 is not 국 + 가.
MIN_STEM = 2

Tokenizer = Callable[[str], list[tuple[str, str, int, int]]]


def clean_text(text: str) -> str:
    """NFC, reserved characters replaced by spaces (text from dumps is untrusted)."""
    return unicodedata.normalize("NFC", text).translate(_RESERVED)


def index_key(word: str) -> str:
    """How Pagefind sees a word: lower case, punctuation dropped."""
    return _WORD_CHARS.sub("", word.lower())


def normalise_query_word(word: str) -> str:
    """``LG전자가`` -> ``LG전자``; words without Hangul or a known ending stay as typed."""
    word = unicodedata.normalize("NFC", word)
    if not re.search(r"[가-힣]$", word):
        return word
    for suffix in QUERY_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def normalise_query(query: str) -> str:
    return " ".join(normalise_query_word(w) for w in query.split())


def terms_from_tokens(word: str, tokens: Iterable[tuple[str, str, int, int]]) -> tuple[str, ...]:
    """Extra search terms for one 어절 from its morphemes (form, tag, start, end)."""
    found: list[str] = []
    run: list[str] = []
    run_end = -1

    def close_run() -> None:
        if len(run) > 1:
            found.append("".join(run))
        run.clear()

    for form, tag, start, end in tokens:
        tag = tag.split("-")[0]  # Kiwi marks irregular conjugations as VV-I etc.
        if tag in _RUN_TAGS:
            if start != run_end:
                close_run()
            run.append(form)
            run_end = end
        else:
            close_run()
            run_end = -1
        if tag in _TERM_TAGS:
            found.append(form)
    close_run()
    own = index_key(word)
    terms: list[str] = []
    for term in found:
        key = index_key(term)
        # LG전자 as one proper noun still has LG and 전자 inside it.
        parts = _SCRIPT_RUNS.findall(key)
        for candidate in [key, *parts] if len(parts) > 1 else [key]:
            if len(candidate) > 1 and candidate != own and candidate not in terms:
                terms.append(candidate)
    return tuple(terms)


def kiwi_tokenizer(user_words: Iterable[str] = ()) -> Tokenizer:
    """The entity extractor's Kiwi (one per process), taught the registry's names."""
    from newsarchive.entities import kiwi

    words = [w.strip() for w in user_words if w.strip()]
    if not kiwi.user_words() <= set(words):
        # Taught other names earlier in this process (another registry): they would change
        # how words are cut, so the same site could index differently. Start afresh.
        kiwi.release()
    if words:
        kiwi.add_user_words(words)

    def tokenize(word: str) -> list[tuple[str, str, int, int]]:
        return [(t.form, t.tag, t.start, t.end) for t in kiwi.tokenize(word)]

    return tokenize


class TermCache:
    """Memo of 어절 -> extra terms, shared across articles and (through JSON) builds."""

    def __init__(self, tokenizer_factory: Callable[[], Tokenizer], known: dict | None = None):
        self._factory = tokenizer_factory
        self._tokenize: Tokenizer | None = None
        self.terms: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (known or {}).items()}
        self.analysed = 0  # words sent to Kiwi by this cache
        self.used: set[str] = set()  # words asked for (what a saved cache keeps)

    def terms_of(self, word: str) -> tuple[str, ...]:
        self.used.add(word)
        cached = self.terms.get(word)
        if cached is not None:
            return cached
        if not re.search(r"[가-힣]", word) and not re.search(r"[^\W_]\W+[^\W_]", word):
            # Latin, numbers: Pagefind already indexes them whole (AI, CES, 2024)
            terms: tuple[str, ...] = ()
        else:
            if self._tokenize is None:
                self._tokenize = self._factory()
            terms = terms_from_tokens(word, self._tokenize(word))
            self.analysed += 1
        self.terms[word] = terms
        return terms

    def expand(self, text: str) -> str:
        """The text with each 어절 followed by its marked extra terms."""
        out: list[str] = []
        for word in clean_text(text).split():
            out.append(word)
            out.extend(MARKER + term for term in self.terms_of(word))
        return " ".join(out)
