"""The kiwipiepy wrapper: one Kiwi per process, loaded on first use, fed one paragraph at a time.

Kiwi takes about 2 s to load and holds about 300 MB, so it is created lazily and kept in a
module global: each worker process of a parallel import pays the load once, and nothing is
loaded by ``--help`` or by commands that never extract. Registry names and aliases are added
as user words (NNP) so that multi-word and Latin names (``LG Electronics``) and names Kiwi
would cut (``김원범`` -> ``김원``) stay whole. Paragraphs, not whole articles, are tokenised:
Kiwi slows down sharply on very long strings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_kiwi: Any = None
_user_words: set[str] = set()
_load_seconds: float | None = None


@dataclass(frozen=True)
class Token:
    form: str
    tag: str  # Sejong-style tag: NNP proper noun, NNG common noun, SL Latin, J* particles…
    start: int
    end: int


def get_kiwi() -> Any:
    """The process-wide Kiwi, created on first call."""
    global _kiwi, _load_seconds
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                began = time.perf_counter()
                import warnings

                from kiwipiepy import Kiwi

                with warnings.catch_warnings():
                    # num_workers=0: single-threaded; parallelism comes from processes.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    kiwi = Kiwi(num_workers=0)
                _load_seconds = time.perf_counter() - began
                _kiwi = kiwi
    return _kiwi


def load_seconds() -> float | None:
    """How long this process took to create Kiwi (None before the first use)."""
    return _load_seconds


def add_user_words(words: Iterable[str]) -> None:
    """Teach Kiwi names as proper nouns; each word is added once per process."""
    kiwi = get_kiwi()
    with _lock:
        for word in words:
            word = word.strip()
            if word and word not in _user_words:
                _user_words.add(word)
                kiwi.add_user_word(word, "NNP", 0.0)


def tokenize(paragraph: str) -> list[Token]:
    """Kiwi's morphemes for one paragraph, with offsets into that paragraph."""
    if not paragraph.strip():
        return []
    return [
        Token(t.form, str(t.tag), t.start, t.start + t.len) for t in get_kiwi().tokenize(paragraph)
    ]
