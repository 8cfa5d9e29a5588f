"""Grow the registry from the archive: list unknown names, accept them into the YAML file.

``suggest_from_articles`` reads the front matter of every article (what the importer found
and what writers added: the front matter wins over extraction) and reports the people,
companies and topics the registry does not know. ``suggest_from_raw`` runs extraction on raw
dumps instead. Both count articles, not mentions, and sort most frequent first, then by kind
and name, so the listing is deterministic.

``accept`` appends one entry to ``content/entities.yaml`` as text, at the end of its
section, so the editor's comments and layout elsewhere in the file stay as they were; the
new text is validated as a whole registry before it atomically replaces the file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsarchive.entities.extract import extract_dump
from newsarchive.entities.registry import (
    SECTION_OF_KIND,
    Kind,
    Registry,
    load_registry,
    normalise_name,
    parse_registry,
)
from newsarchive.errors import EntityError
from newsarchive.fsutil import atomic_write
from newsarchive.slugs import slugify

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_CONTEXT = 40
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")  # the importer's Markdown escapes


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    name: str
    count: int  # articles that name it
    context: str  # a sample sentence around the first mention
    where: str  # the first article (or dump) that names it


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[tuple[Kind, str]] = Counter()
        self.first: dict[tuple[Kind, str], tuple[str, str]] = {}

    def add(self, kind: Kind, name: str, context: str, where: str) -> None:
        key = (kind, name)
        self.counts[key] += 1
        self.first.setdefault(key, (context, where))

    def sorted(self, min_count: int = 1) -> list[Suggestion]:
        items = sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1]))
        return [
            Suggestion(kind, name, count, *self.first[(kind, name)])
            for (kind, name), count in items
            if count >= min_count
        ]


def _split_article(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta = yaml.load(text[3:end], Loader=_Loader)  # noqa: S506 - safe loader
    return (meta if isinstance(meta, dict) else {}), text[end + 4 :]


def _context_in(body: str, name: str) -> str:
    plain = _ESCAPE_RE.sub(r"\1", body)
    at = plain.find(name)
    if at < 0:
        return ""
    return " ".join(plain[max(0, at - _CONTEXT) : at + len(name) + _CONTEXT].split())


def _names(meta: dict[str, Any]) -> Iterable[tuple[Kind, str]]:
    for item in meta.get("people") or []:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            yield "person", name.strip()
    for kind, key in (("company", "companies"), ("topic", "topics")):
        for name in meta.get(key) or []:
            if isinstance(name, str) and name.strip():
                yield kind, name.strip()  # type: ignore[misc]


def suggest_from_articles(
    articles_dir: Path, registry: Registry, *, min_count: int = 1
) -> list[Suggestion]:
    """Unknown names in the front matter of every ``*.md`` below *articles_dir*."""
    tally = _Tally()
    for path in sorted(articles_dir.rglob("*.md")):
        try:
            meta, body = _split_article(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise EntityError(f"cannot read the article: {exc}", path=path) from exc
        where = path.relative_to(articles_dir).as_posix()
        seen: set[tuple[Kind, str]] = set()
        for kind, name in _names(meta):
            key = (kind, normalise_name(name))
            if key in seen or registry.resolve(kind, name) is not None:
                continue
            seen.add(key)
            tally.add(kind, name, _context_in(body, name), where)
    return tally.sorted(min_count)


def suggest_from_raw(
    paths: Sequence[Path], registry: Registry, *, min_count: int = 1
) -> list[Suggestion]:
    """Run extraction on raw dumps and report what the registry does not know."""
    from newsarchive.entities.extract import Extractor
    from newsarchive.importer.decode import decode_bytes
    from newsarchive.importer.errors import DumpError
    from newsarchive.importer.parse import parse_dump

    extractor = Extractor(registry)
    tally = _Tally()
    files = sorted({f for p in paths for f in (sorted(p.rglob("*.txt")) if p.is_dir() else [p])})
    for path in files:
        try:
            decoded = decode_bytes(path.read_bytes())
            parsed = parse_dump(decoded.text, file_name=path.name, encoding=decoded.encoding)
        except OSError as exc:
            raise EntityError(f"cannot read the dump: {exc.strerror or exc}", path=path) from exc
        except DumpError as exc:
            raise EntityError(f"cannot parse the dump: {exc.message}", path=path) from exc
        result = extract_dump(extractor, parsed)
        for candidate in result.candidates:
            tally.add(candidate.kind, candidate.name, candidate.context, path.name)
    return tally.sorted(min_count)


# ----------------------------------------------------------------------------- accepting


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML): no tag, anchor or key
    can come out of a name."""
    return json.dumps(text, ensure_ascii=False)


def entry_lines(
    name: str,
    *,
    slug: str,
    aliases: Sequence[str] = (),
    description: str | None = None,
    indent: str = "  ",
) -> list[str]:
    lines = [f"{indent}- name: {_quote(name)}", f"{indent}  slug: {_quote(slug)}"]
    if aliases:
        lines.append(f"{indent}  aliases: [{', '.join(_quote(a) for a in aliases)}]")
    if description:
        lines.append(f"{indent}  description: {_quote(description)}")
    return lines


_TOP_KEY_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$")


def insert_entry(text: str, section: str, lines: list[str]) -> str:
    """*text* with *lines* appended at the end of the top-level list *section*."""
    rows = text.splitlines()
    start = next(
        (i for i, row in enumerate(rows) if (m := _TOP_KEY_RE.match(row)) and m[1] == section),
        None,
    )
    if start is None:
        tail = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{tail}{section}:\n" + "\n".join(lines) + "\n"
    rest = _TOP_KEY_RE.match(rows[start])[2].split("#", 1)[0].strip()  # type: ignore[index]
    if rest not in ("", "[]"):
        raise EntityError(
            f"cannot append to section {section!r} written in flow style; "
            "write it as a block list (one '- name:' per entry)"
        )
    rows[start] = f"{section}:"
    end = start + 1
    last = start  # the last line that belongs to the section's entries
    while end < len(rows) and not _TOP_KEY_RE.match(rows[end]):
        if rows[end].strip() and rows[end][:1] in (" ", "\t", "-"):
            last = end
        end += 1
    indent = next(
        (
            re.match(r"^(\s*)- ", rows[i])[1]  # type: ignore[index]
            for i in range(start + 1, last + 1)
            if re.match(r"^\s*- ", rows[i])
        ),
        "  ",
    )
    if indent != "  ":
        lines = [indent + line[2:] for line in lines]
    rows[last + 1 : last + 1] = lines
    return "\n".join(rows) + "\n"


def accept(
    path: Path,
    name: str,
    kind: Kind,
    *,
    slug: str | None = None,
    aliases: Sequence[str] = (),
    description: str | None = None,
) -> str:
    """Add *name* to the registry file; returns the slug. Atomic; the file stays valid."""
    registry = load_registry(path)
    known = registry.resolve(kind, name)
    if known is not None:
        raise EntityError(
            f"{kind} {name!r} is already in the registry as {known.name!r}", path=path
        )
    slug = slug or slugify(name)
    if any(e.slug == slug for e in registry.entities(kind)):
        raise EntityError(f"{kind} slug {slug!r} is taken; choose one with --slug", path=path)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    new_text = insert_entry(
        text,
        SECTION_OF_KIND[kind],
        entry_lines(name, slug=slug, aliases=aliases, description=description),
    )
    try:
        data = yaml.load(new_text, Loader=_Loader)  # noqa: S506 - safe loader
    except yaml.YAMLError as exc:  # pragma: no cover - insert_entry keeps the YAML valid
        raise EntityError(f"the registry would become invalid YAML: {exc}", path=path) from exc
    if parse_registry(data, path).resolve(kind, name) is None:  # pragma: no cover - defensive
        raise EntityError(f"could not add {name!r} to the registry", path=path)
    atomic_write(path, new_text.encode("utf-8"), durable=True)
    return slug
