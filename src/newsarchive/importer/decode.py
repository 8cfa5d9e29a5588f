"""Bytes -> text: detect the encoding of a raw dump, never ask the user.

The cascade is ordered from certain to probable, because a statistical detector alone is
wrong on short CP949 dumps (see the project notes): BOM, then the UTF-16 NUL-byte pattern,
then strict UTF-8, then strict CP949 (EUC-KR labels are decoded as CP949, its superset:
``euc_kr`` rejects syllables such as 똠), and only then charset-normalizer. The text that
comes out has ``\\n`` line ends only and is NFC-normalised, so every later regex sees
precomposed Hangul.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from newsarchive.importer.errors import DumpError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Line separators other than \n that str.splitlines() honours but our line parser does not.
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n",
                              "\u2028": "\n", "\u2029": "\n"})  # fmt: skip
# C0 controls (tab and newline aside) and DEL: a few are scraping debris, many mean binary.
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")
# EUC-KR and its aliases are decoded as CP949 (a strict superset).
_ALIASES = {"euc_kr": "cp949", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "uhc": "cp949"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII characters (spaces, digits, newlines) put NUL bytes on one
    parity only. Hangul rarely has a NUL byte, so require a clear majority, not all."""
    if len(data) < 4 or len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    pairs = len(data) // 2
    if odd >= max(2, pairs // 10) and even * 10 <= odd:
        return "utf-16-le"
    if even >= max(2, pairs // 10) and odd * 10 <= even:
        return "utf-16-be"
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    encoding = _ALIASES.get(best.encoding.lower(), best.encoding)
    text = _strict(data, encoding)
    return None if text is None else (text, encoding)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a dump or raise :class:`DumpError` saying why it cannot be read as text."""
    if not data.strip(b" \t\r\n\x00"):
        raise DumpError("empty file")
    text: str | None = None
    encoding = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            text = _strict(data[len(bom) :], name)
            if text is None:
                raise DumpError(f"not valid {name} despite its byte-order mark")
            break
    if text is None and (guess := _utf16_guess(data)):
        text = _strict(data, guess)
        encoding = guess if text is not None else ""
    if text is None:
        if b"\x00" in data:
            raise DumpError("binary file (NUL bytes), not a text dump")
        for name in ("utf-8", "cp949"):
            text = _strict(data, name)
            if text is not None:
                encoding = name
                break
    if text is None:
        detected = _detect(data)
        if detected is None:
            raise DumpError("cannot decode: not UTF-8, UTF-16 or CP949/EUC-KR text")
        text, encoding = detected
    # Fast checks first: most dumps need none of these passes.
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _ODD_BREAKS.search(text):
        text = text.translate(_LINE_BREAKS)
    controls = len(_CONTROL_RE.findall(text))
    if "\x00" in text or controls * 200 > len(text):
        raise DumpError(f"binary file ({controls} control characters), not a text dump")
    if controls:
        text = _CONTROL_RE.sub("", text)
    text = text.lstrip("\ufeff")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise DumpError("empty file")
    return Decoded(text, encoding)
