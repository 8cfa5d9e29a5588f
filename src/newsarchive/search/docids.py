"""Document numbers: the article's date, then a slot picked by a hash of its key.

``number = day × SLOTS + slot``, where *day* counts days from 1900-01-01 and *slot* is
``hash(key) mod SLOTS``, moved to the next free slot of the day when two articles of the
same day want the same one (lower key first). So:

- numbers sort as dates do: "newest first" is "highest number first", and the browser needs
  no date table to sort or break ties;
- a number depends only on the articles of its own day, never on how or in what order the
  index was updated: adding an article renumbers at most another article of its day that
  wanted the same slot (about 1 in 300 at 14 articles a day), not the archive;
- posting lists stay compact (see postings.py: 16 days per block).

More than :data:`SLOTS` articles on one date overflow into the next day's free slots (they
sort with that day); dates outside 1900-2099 are clamped to it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping

SLOTS = 4096
_EPOCH = dt.date(1900, 1, 1).toordinal()
_LAST_DAY = dt.date(2099, 12, 31).toordinal() - _EPOCH


def day_of(date: str) -> int:
    """Days from 1900-01-01 of a ``YYYY-MM-DD`` date (clamped to 1900-2099)."""
    try:
        ordinal = dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return 0
    return min(max(ordinal - _EPOCH, 0), _LAST_DAY)


def date_of(number: int) -> str:
    return dt.date.fromordinal(_EPOCH + number // SLOTS).isoformat()


def slot_of(key: str) -> int:
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % SLOTS


def assign(days: Mapping[str, int]) -> dict[str, int]:
    """The number of every key, from each key's day (a pure function of the whole map)."""
    by_day: dict[int, list[str]] = defaultdict(list)
    for key, day in days.items():
        by_day[day].append(key)
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    for day in sorted(by_day):
        numbers.update(_assign_day(day, by_day[day], taken))
    return numbers


def _assign_day(day: int, keys: Iterable[str], taken: set[int]) -> dict[str, int]:
    """Numbers of one day's keys; *taken* holds the numbers already given (updated)."""
    found: dict[str, int] = {}
    base = day * SLOTS
    for slot, key in sorted((slot_of(k), k) for k in keys):
        for probe in range(SLOTS):
            number = base + (slot + probe) % SLOTS
            if number not in taken:
                break
        else:  # the day is full: the next free number after it
            number = base + SLOTS
            while number in taken:
                number += 1
        taken.add(number)
        found[key] = number
    return found


def renumber(keys_by_day: Mapping[int, Iterable[str]]) -> dict[str, int] | None:
    """The numbers of the keys of some whole days, as :func:`assign` gives them, or None
    when a day is crowded enough that it might overflow (then call :func:`assign`).

    A day's numbers depend only on its own keys as long as no day overflows, which the
    caller checks for the days left alone.
    """
    found: dict[str, int] = {}
    for day, keys in keys_by_day.items():
        keys = list(keys)
        if len(keys) > SLOTS // 2:
            return None
        found.update(_assign_day(day, keys, set()))
    return found
