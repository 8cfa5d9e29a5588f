"""Encodings are detected, not guessed by the user; undecodable input is refused clearly."""

from __future__ import annotations

import codecs

import pytest

from newsarchive.importer.decode import decode_bytes
from newsarchive.importer.errors import DumpError
from newsarchive.importer.parse import parse_dump

TEXT = (
    "2024.01.15 (월)\n\n  · 맑음철원 -12.4℃\n  · 눈대관령 -8.0℃\n기상청 제공\n\n사회\n\n"
    "한파에 얼어붙은 똠방각하 마을\n\nURL복사\n\n"
    "(시사미래신문) 강추위가 이어졌다. 주민들은 난방비 걱정에 잠을 설쳤다.\n\n"
    "<저작권자 ⓒ 시사미래신문 무단전재 및 재배포 금지>\n"
)


IDS = ["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp949",
       "cp949-crlf", "utf8-crlf"]  # fmt: skip


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: the NUL-byte pattern tells
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp949"), "cp949"),  # 똠 is CP949-only: EUC-KR would reject it
        (TEXT.replace("\n", "\r\n").encode("cp949"), "cp949"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "utf16le",
        "utf16be",
        "cp949",
        "cp949-crlf",
        "utf8-crlf",
    ],
)
def test_each_encoding_decodes_to_the_same_text(encoded: bytes, encoding: str) -> None:
    decoded = decode_bytes(encoded)
    assert decoded.encoding == encoding
    assert decoded.text == TEXT
    parsed = parse_dump(decoded.text)
    assert parsed.title == "한파에 얼어붙은 똠방각하 마을"
    stations = [(s.name, s.condition, s.temp_c) for s in parsed.weather.stations]
    assert stations == [("철원", "맑음", -12.4), ("대관령", "눈", -8.0)]
    assert [p for b in parsed.blocks for p in b.items] == [
        "강추위가 이어졌다. 주민들은 난방비 걱정에 잠을 설쳤다."
    ]  # the ⓒ copyright line (CP949's stand-in for ©) is dropped


def test_short_cp949_is_not_mistaken_for_another_encoding() -> None:
    assert decode_bytes("경제 뉴스".encode("cp949")).text == "경제 뉴스"


def test_decomposed_hangul_is_normalised_to_nfc() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "서울 24.1℃")
    assert decode_bytes(nfd.encode("utf-8")).text == "서울 24.1℃"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \r\n\n\t ", "empty file"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x00\x89PNG" * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "not valid utf-8"),
    ],
)
def test_undecodable_input_gives_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DumpError) as info:
        decode_bytes(data)
    assert reason in info.value.message
