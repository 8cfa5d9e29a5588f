"""Unicode slugs: readable for Korean readers, safe in any path or URL.

Hangul stays Hangul (NFC) rather than being romanised: romanisers collide (`한가` and `항아`
both give `hanga` with unidecode) and never give the spellings people use, so an
editor-chosen slug in the registry wins where one exists and the Unicode slug is the
fallback. A slug holds only ``[0-9a-z가-힣-]``: no dot, slash or backslash, so it can
never name a parent folder or escape the folder it is joined to.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DISALLOWED = re.compile(r"[^0-9a-z가-힣]+")
DEFAULT_MAX_LENGTH = 60


@lru_cache(maxsize=65536)  # pure; structural builds slugify every entity name again
def slugify(text: str, *, max_length: int = DEFAULT_MAX_LENGTH, fallback: str = "untitled") -> str:
    """``"LG전자 조주완 CEO, 빅테크…"`` -> ``"lg전자-조주완-ceo-빅테크"``.

    Cuts at a hyphen boundary where possible so words are not chopped in half.
    """
    normalised = unicodedata.normalize("NFKC", text)
    normalised = unicodedata.normalize("NFC", normalised).lower()
    slug = _DISALLOWED.sub("-", normalised).strip("-")
    if len(slug) > max_length:
        cut = slug[:max_length]
        boundary = cut.rfind("-")
        slug = (cut[:boundary] if boundary >= max_length // 2 else cut).strip("-")
    return slug or fallback
