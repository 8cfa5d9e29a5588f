"""The article model: the contract between the importer (writes it) and the build (reads it).

An article is a Markdown file with YAML front matter. ``Article.from_front_matter`` validates
a parsed mapping field by field and raises :class:`FrontMatterError` naming the field, so a
writer's typo fails the build with a precise message instead of silently empty metadata.
``Article.to_front_matter`` gives the mapping the importer serialises (key order is fixed,
which keeps files diff-friendly and builds deterministic).

Text fields are normalised to NFC: a name typed decomposed (NFD) is the same name, and the
site publishes it composed. A date must be a whole date (``2024-06-08``, a YAML date, or
an ISO date and time whose date part is taken): ``'2024-03-01은 아님'`` is refused rather
than read as its first ten characters.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.errors import FrontMatterError

SLUG_RE = re.compile(r"^[0-9a-z가-힣][0-9a-z가-힣-]*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

REQUIRED = ("title", "date", "slug")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_SLUG_CHAR = re.compile(r"[0-9a-z가-힣-]")
_JAMO = re.compile(r"[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]")


def slug_problem(slug: str) -> str:
    """Why *slug* is not a valid slug, showing each offending character by its code point.

    Decomposed Hangul (NFD jamo) looks exactly like valid Hangul on screen, so a message
    quoting the slug as it is would show a good slug; here every character outside
    ``[0-9a-z가-힣-]`` is named, and written as ``\\uXXXX`` unless it is printable ASCII.
    """
    shown = "".join(
        ch if _SLUG_CHAR.match(ch) or " " <= ch <= "~" else f"\\u{ord(ch):04x}" for ch in slug
    )
    bad = sorted({ch for ch in slug if not _SLUG_CHAR.match(ch)})
    named = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    problem = f"'{shown}' may hold only lowercase letters, digits, Hangul syllables and '-'"
    if not bad:  # only the first character is wrong: a leading '-'
        return f"{problem}, and must not start with '-'"
    hint = (
        "; it holds decomposed Hangul (NFD jamo): save the file as NFC (composed)"
        if any(_JAMO.match(ch) for ch in bad)
        else ""
    )
    return f"{problem}, not {named}{more}{hint}"


@dataclass(frozen=True)
class Station:
    """One weather station line: ``  • 흐림동두천 22.8℃`` -> 동두천 / 흐림 / 22.8."""

    name: str
    temp_c: float
    condition: str | None = None  # None: the page showed an icon only (서울 on the seed)


@dataclass(frozen=True)
class Weather:
    observed: dt.date
    provider: str
    stations: tuple[Station, ...]


@dataclass(frozen=True)
class Person:
    name: str  # canonical name (registry) or the name as found
    role: str | None = None  # e.g. "HE사업본부장(사장)"


@dataclass(frozen=True)
class Byline:
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Article:
    title: str
    date: dt.date
    slug: str
    section: str | None = None
    outlet: str | None = None
    source: str | None = None
    byline: Byline | None = None
    weather: Weather | None = None
    people: tuple[Person, ...] = ()
    companies: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    date_source: str | None = None  # where the date came from, e.g. "dateline"
    raw: str | None = None  # project-relative path of the raw dump
    raw_sha256: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown keys, kept verbatim

    # ------------------------------------------------------------------ serialising
    def to_front_matter(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "date": self.date.isoformat(),
            "date_source": self.date_source,
            "section": self.section,
            "outlet": self.outlet,
            "source": self.source,
            "byline": None
            if self.byline is None
            else {"name": self.byline.name, "email": self.byline.email},
            "weather": None
            if self.weather is None
            else {
                "observed": self.weather.observed.isoformat(),
                "provider": self.weather.provider,
                "stations": [
                    {"name": s.name, "condition": s.condition, "temp_c": s.temp_c}
                    for s in self.weather.stations
                ],
            },
            "people": [
                {"name": p.name, "role": p.role} if p.role else {"name": p.name}
                for p in self.people
            ],
            "companies": list(self.companies),
            "topics": list(self.topics),
            "slug": self.slug,
            "raw": self.raw,
            "raw_sha256": self.raw_sha256,
        }
        data.update(self.extra)
        return data

    # ------------------------------------------------------------------ validating
    @classmethod
    def from_front_matter(
        cls, meta: Mapping[str, Any], *, path: Path | str | None = None
    ) -> Article:
        v = _Validator(meta, path)
        for key in REQUIRED:
            if key not in meta or meta[key] in (None, ""):
                v.fail(key, "is required")
        known = {
            "title",
            "date",
            "date_source",
            "section",
            "outlet",
            "source",
            "byline",
            "weather",
            "people",
            "companies",
            "topics",
            "slug",
            "raw",
            "raw_sha256",
        }
        slug = v.text("slug")
        if not SLUG_RE.match(slug):
            v.fail("slug", slug_problem(slug))
        sha = v.optional_text("raw_sha256")
        if sha is not None and not SHA256_RE.match(sha):
            v.fail("raw_sha256", "must be 64 lowercase hex digits")
        return cls(
            title=v.text("title"),
            date=v.date("date"),
            slug=slug,
            section=v.optional_text("section"),
            outlet=v.optional_text("outlet"),
            source=v.optional_text("source"),
            byline=v.byline("byline"),
            weather=v.weather("weather"),
            people=v.people("people"),
            companies=v.text_list("companies"),
            topics=v.text_list("topics"),
            date_source=v.optional_text("date_source"),
            raw=v.optional_text("raw"),
            raw_sha256=sha,
            extra={k: val for k, val in meta.items() if k not in known},
        )


class _Validator:
    def __init__(self, meta: Mapping[str, Any], path: Path | str | None):
        if not isinstance(meta, Mapping):
            raise FrontMatterError("front matter must be a mapping of field: value", path=path)
        self.meta = meta
        self.path = path

    def fail(self, key: str, problem: str) -> None:
        raise FrontMatterError(f"front matter field {key!r} {problem}", path=self.path)

    def text(self, key: str, value: Any = None, *, where: str | None = None) -> str:
        value = self.meta.get(key) if value is None and where is None else value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(where or key, f"must be text, not {type(value).__name__}")
        text = unicodedata.normalize("NFC", str(value).strip())
        if not text:
            self.fail(where or key, "must not be empty")
        return text

    def optional_text(self, key: str) -> str | None:
        value = self.meta.get(key)
        return None if value in (None, "") else self.text(key, value)

    def date(self, key: str, value: Any = None, *, where: str | None = None) -> dt.date:
        value = self.meta.get(key) if value is None and where is None else value
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            text = value.strip()
            try:
                if _DATE_RE.fullmatch(text):
                    return dt.date.fromisoformat(text)
                if _DATETIME_RE.fullmatch(text):
                    return dt.datetime.fromisoformat(text).date()
            except ValueError:
                pass  # 2024-02-30: shaped like a date, but none
        self.fail(
            where or key,
            "must be a date such as 2024-06-08 (or a date and time such as "
            f"2024-06-08T09:30:00+09:00, whose date is taken), not {value!r}",
        )
        raise AssertionError  # unreachable: fail() raises

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key)
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, "must be a list")
        return tuple(self.text(key, item, where=f"{key}[{i}]") for i, item in enumerate(value))

    def people(self, key: str) -> tuple[Person, ...]:
        value = self.meta.get(key)
        if value in (None, ""):
            return ()
        if not isinstance(value, list):
            self.fail(key, "must be a list")
        people = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if isinstance(item, str):
                people.append(Person(self.text(key, item, where=where)))
            elif isinstance(item, Mapping):
                role = item.get("role")
                people.append(
                    Person(
                        self.text(key, item.get("name"), where=f"{where}.name"),
                        None if role in (None, "") else self.text(key, role, where=f"{where}.role"),
                    )
                )
            else:
                self.fail(where, "must be a name or a mapping with name (and role)")
        return tuple(people)

    def byline(self, key: str) -> Byline | None:
        value = self.meta.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, str):
            return Byline(self.text(key, value))
        if not isinstance(value, Mapping):
            self.fail(key, "must be a name or a mapping with name and email")
        email = value.get("email")
        if email not in (None, "") and not EMAIL_RE.match(str(email)):
            self.fail(f"{key}.email", f"{email!r} is not an e-mail address")
        return Byline(
            self.text(key, value.get("name"), where=f"{key}.name"),
            None if email in (None, "") else str(email),
        )

    def weather(self, key: str) -> Weather | None:
        value = self.meta.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, Mapping):
            self.fail(key, "must be a mapping with observed, provider and stations")
        stations_raw = value.get("stations")
        if not isinstance(stations_raw, list) or not stations_raw:
            self.fail(f"{key}.stations", "must be a non-empty list")
        stations = []
        for i, item in enumerate(stations_raw):
            where = f"{key}.stations[{i}]"
            if not isinstance(item, Mapping):
                self.fail(where, "must be a mapping with name, condition and temp_c")
            temp = item.get("temp_c")
            if isinstance(temp, bool) or not isinstance(temp, int | float):
                self.fail(f"{where}.temp_c", f"must be a number of degrees Celsius, not {temp!r}")
            condition = item.get("condition")
            stations.append(
                Station(
                    name=self.text(key, item.get("name"), where=f"{where}.name"),
                    temp_c=float(temp),
                    condition=None
                    if condition in (None, "")
                    else self.text(key, condition, where=f"{where}.condition"),
                )
            )
        return Weather(
            observed=self.date(key, value.get("observed"), where=f"{key}.observed"),
            provider=self.text(key, value.get("provider"), where=f"{key}.provider"),
            stations=tuple(stations),
        )
