"""Search terms of Korean text: Hangul bigrams, whole Latin and number words, and suffix rules.

Korean glues particles and endings to its words (``LG전자가``, ``서울에서는``) and writes
compounds without spaces (``데이터센터``), so whole words match badly: ``전자`` is inside
``LG전자``, and ``서울에서`` should find ``서울``. A morphological analyser (Kiwi) splits
them well but costs seconds to load and cannot run in a browser. Instead every run of Hangul
syllables is indexed as its overlapping syllable pairs (``데이터센터`` → 데이, 이터, 터센,
센터): any part of two syllables or more of a compound is found, with no dictionary, and a
word's terms never depend on the words around it or on any other document.

The browser applies the same rules to the query (themes/newsroom/static/js/search-engine.js
mirrors this module; tests/search compares them on the same strings), plus one step the index
does not take: the last particle or ending of each query word is stripped
(:data:`SUFFIXES`: ``조주완은`` → ``조주완``, ``발표했다`` → ``발표``). The stem's pairs are a
subset of the whole word's, so a document that has the inflected word also has the stem:
stripping never loses a match.

Rules, in order, for text (document or query):

1. NFKC, then lower case: full-width ``ＡＩ`` is ``ai``.
2. Words are separated by the characters of :data:`SPACE` (an explicit list, the same in both
   languages).
3. In each word, *runs*: Hangul syllables (가-힣), or other letters and digits. Everything
   else (punctuation, symbols, marks) separates runs.
4. A Hangul run that is entirely a particle or ending and does not start its word
   (``AI를``, ``5G에서``, ``(58)은``) is dropped.
5. Query only: a Hangul run ending in a suffix of :data:`SUFFIXES` loses it when at least
   :data:`MIN_STEM` syllables remain (``국가`` stays whole).
6. A Hangul run of two syllables or more gives its overlapping pairs; a run of one syllable
   gives nothing. In a query, a one-syllable word is matched as the start of a pair by the
   browser, and a one-syllable run after another run of its word (a unit or counter:
   ``2030년``, ``99조``) is dropped like a particle.
7. Any other run is one term, cut to :data:`MAX_TERM` characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# One particle or ending per query word, longest first. Mirrored in search-engine.js.
SUFFIXES: tuple[str, ...] = (
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
_SUFFIX_SET = frozenset(SUFFIXES)
MIN_STEM = 2  # a stem shorter than this is left alone: 국가 is not 국 + 가
MAX_TERM = 32  # longer Latin or number runs are cut (text is untrusted: bounded terms)
# Word separators: whitespace as both Python's str.split and JavaScript's \s know it.
SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WORDS = re.compile(f"[^{SPACE}]+")
# Hangul syllables, or letters and digits other than Hangul ([^\W_] is Unicode \p{L}\p{N}).
_RUNS = re.compile(r"([가-힣]+)|[^\W_가-힣]+")
# Every two Hangul syllables in a row, overlapping: the pairs of every run at once.
_PAIRS = re.compile(r"(?=([가-힣]{2}))")
_OTHER = re.compile(r"[^\W_가-힣]+")
# Rule 4 over a whole text: a run that is exactly a particle, right after a character of the
# same word that is not Hangul.
_PARTICLE_RUNS = re.compile(f"(?<=[^{SPACE}가-힣])(?:{'|'.join(SUFFIXES)})(?![가-힣])")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def strip_suffix(run: str) -> str:
    """``조주완은`` → ``조주완``; a run without a known ending, or too short, stays whole."""
    for suffix in SUFFIXES:
        if run.endswith(suffix) and len(run) - len(suffix) >= MIN_STEM:
            return run[: -len(suffix)]
    return run


def pairs(run: str) -> list[str]:
    """Overlapping syllable pairs of a Hangul run (none for one syllable)."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def term_counts(text: str) -> Counter[str]:
    """How often each term occurs in a document's text (rules 1-4, 6, 7).

    The same terms as :func:`query_words` gives word by word, computed over the whole text
    with regular expressions and C-level counting: a cold index of 50,000 articles runs this
    on about 100 million characters.
    """
    text = _PARTICLE_RUNS.sub(" ", normalise(text))
    counts = Counter(_PAIRS.findall(text))
    others = _OTHER.findall(text)
    counts.update(o if len(o) <= MAX_TERM else o[:MAX_TERM] for o in others)
    return counts


def query_words(query: str) -> list[list[str]]:
    """The terms of each query word (rules 1-7), without repeats; a one-syllable Hangul word
    stays as a term of its own (the browser matches it as the start of a pair)."""
    found: list[list[str]] = []
    for word in _WORDS.findall(normalise(query)):
        terms: list[str] = []
        for match in _RUNS.finditer(word):
            run = match.group()
            if match.group(1) is None:
                terms.append(run[:MAX_TERM])
            elif match.start() == 0 or (len(run) > 1 and run not in _SUFFIX_SET):
                stem = strip_suffix(run)
                terms.extend(pairs(stem) if len(stem) > 1 else [stem])
        if terms:
            found.append(list(dict.fromkeys(terms)))
    return found


def stems(query: str) -> list[str]:
    """Each query word as typed (normalised) without the ending :func:`strip_suffix` takes
    off its last Hangul run: what the browser marks in excerpts (``LG전자가`` → ``lg전자``)."""
    found = []
    for word in _WORDS.findall(normalise(query)):
        runs = list(_RUNS.finditer(word))
        if not runs:
            continue
        text = word[runs[0].start() : runs[-1].end()]
        last = runs[-1]
        if last.group(1) is not None:
            text = text[: len(text) - len(last.group()) + len(strip_suffix(last.group()))]
        found.append(text)
    return found
