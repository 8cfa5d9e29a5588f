"""Posting lists, document numbers and chunk cutting: the pieces updates rely on."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.search import chunks, docids, postings
from newsarchive.search.chunks import Entry

_NUMBERS = st.sets(st.integers(min_value=0, max_value=2**29), max_size=60)


def pairs_of(numbers, weight=7):
    return sorted((n, (n * 31 + weight) % 255 + 1) for n in numbers)


@given(_NUMBERS, st.booleans())
def test_postings_round_trip(numbers, weighted):
    entries = pairs_of(numbers)
    data = postings.encode(entries, weighted)
    expected = entries if weighted else [(n, 0) for n, _ in entries]
    assert postings.decode(data, weighted) == expected
    assert postings.count(data, weighted) == len(entries)


@given(_NUMBERS, _NUMBERS, _NUMBERS, st.booleans())
@settings(max_examples=300)
def test_splice_gives_what_encoding_the_result_gives(start, remove, add, weighted):
    """Adding and removing by slicing bytes is the same as encoding the new list."""
    data = postings.encode(pairs_of(start), weighted)
    added = pairs_of(add, weight=3)
    result = postings.splice(data, weighted, sorted(remove), added)
    final = {n: w for n, w in pairs_of(start) if n not in remove}
    final.update(dict(added))
    assert result == postings.encode(sorted(final.items()), weighted)


def test_numbers_follow_dates_and_keys_of_the_same_day_share_it():
    days = {"a.md": docids.day_of("2024-06-08"), "b.md": docids.day_of("2024-06-09")}
    numbers = docids.assign(days)
    assert numbers["a.md"] < numbers["b.md"]
    assert docids.date_of(numbers["a.md"]) == "2024-06-08"
    assert docids.day_of("1850-01-01") == 0 and docids.day_of("not a date") == 0
    assert docids.date_of(docids.day_of("2200-01-01") * docids.SLOTS) == "2099-12-31"


def test_a_day_with_more_articles_than_slots_overflows_into_the_next():
    day = docids.day_of("2024-01-01")
    days = {f"k{i}": day for i in range(docids.SLOTS + 3)} | {"next": day + 1}
    numbers = docids.assign(days)
    assert len(set(numbers.values())) == len(days)
    assert sum(n // docids.SLOTS == day + 1 for n in numbers.values()) == 4


_DAYS = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=4), st.integers(min_value=0, max_value=3), max_size=25
)


@given(_DAYS, _DAYS)
@settings(max_examples=300)
def test_renumbering_the_touched_days_gives_a_full_assignment(before, after):
    """An update renumbers only the days it touched, and gets what a cold index gets."""
    numbers = docids.assign(before)
    touched = {d for k, d in before.items() if after.get(k) != d}
    touched |= {d for k, d in after.items() if before.get(k) != d}
    by_day = {day: [k for k, d in after.items() if d == day] for day in touched}
    renumbered = docids.renumber(by_day)
    assert renumbered is not None
    numbers = {k: n for k, n in numbers.items() if k in after and after[k] not in touched}
    assert numbers | renumbered == docids.assign(after)


def test_a_crowded_day_is_not_renumbered_alone():
    day = docids.day_of("2024-01-01")
    assert docids.renumber({day: [f"k{i}" for i in range(docids.SLOTS)]}) is None


def entry(term, size):
    return Entry(term, 1, b"x" * size)


def test_chunks_are_cut_by_the_terms_alone():
    terms = [f"t{i:04d}" for i in range(2000)]
    entries = [entry(t, 10) for t in terms]
    whole = chunks.cut(entries)
    assert 10 < len(whole) < 100  # about SPREAD terms a chunk
    # cutting any run that starts where a chunk starts gives the same chunks there
    starts = [0]
    for piece in whole[:-1]:
        starts.append(starts[-1] + len(piece))
    middle = entries[starts[3] : starts[7]]
    assert chunks.cut(middle, entries[starts[3] - 1]) == whole[3:7]


def test_a_big_posting_list_is_a_chunk_of_its_own():
    entries = [entry("a", 10), entry("b", chunks.BIG + 1), entry("c", 10)]
    assert [[e.term for e in c] for c in chunks.cut(entries)] == [["a"], ["b"], ["c"]]


def test_chunk_round_trip():
    piece = [Entry("가나", 2, b"\x01\x02"), Entry("lg", 1, b""), Entry("\x01year\x012024", 3, b"z")]
    assert chunks.decode(chunks.encode(piece)) == piece


def test_norms_round_trip_and_the_browser_reads_length_codes_alike():
    from jsengine import run
    from newsarchive.search.norms import Norms, code_length, length_code

    lengths = [0, 1, 15, 16, 17, 100, 999, 1000, 1500, 65535, 10**6]
    assert [code_length(length_code(n)) for n in lengths][:3] == [0, 1, 15]
    for n in lengths[4:]:
        assert abs(code_length(length_code(n)) - n) <= n / 16
    codes = [length_code(n) for n in lengths]
    assert run("output = input.map(engine.codeLength);", codes) == [code_length(c) for c in codes]
    norms = Norms.of([(5, 10), (1, 100), (2**28, 3)])
    parsed = Norms.parse(norms.to_bytes())
    assert parsed.numbers == [1, 5, 2**28]
    assert list(parsed.codes) == [length_code(100), length_code(10), length_code(3)]
    parsed.remove(5)
    parsed.add(7, 1000)
    parsed.add(1, 50)
    assert Norms.parse(parsed.to_bytes()).numbers == [1, 7, 2**28]
    assert parsed.to_bytes() == Norms.of([(1, 50), (7, 1000), (2**28, 3)]).to_bytes()
