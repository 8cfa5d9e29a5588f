"""The per-dump work that can run in a worker process: read, hash, decode, parse, render
the body, extract entities. Everything here is a pure function of the dump's bytes (and the
registry), so results are identical whether one process or many ran them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive.entities.extract import extract_dump
from newsarchive.importer.body import blocks_to_markdown
from newsarchive.importer.decode import decode_bytes
from newsarchive.importer.errors import DumpError
from newsarchive.importer.parse import ParsedDump, parse_dump
from newsarchive.importer.render import Entities, Parts, render_parts
from newsarchive.importer.write import sha256_bytes

log = logging.getLogger(__name__)

# Per process: made by the first dump that needs it (loading the registry and Kiwi takes
# seconds; an import that finds nothing new, as every start of `serve` does, loads neither).
_factory: Callable[[], Any] | None = None
_extractor: Any = None


@dataclass(frozen=True)
class Job:
    path: Path
    key: str  # provenance: the front matter's ``raw``
    skip_if_sha: str | None  # the recorded raw hash: equal bytes need no parsing


@dataclass(frozen=True)
class Outcome:
    key: str
    size: int = 0
    sha256: str | None = None
    same: bool = False  # bytes equal to the recorded ones, nothing parsed
    parts: Parts | None = None  # the rendered file, slug left out
    entities_extracted: bool = False
    error: str | None = None


def init_worker(factory: Callable[[], Any] | None) -> None:
    global _factory, _extractor
    _factory, _extractor = factory, None


def _ready_extractor() -> Any:
    """The process's extractor, made on first use (a broken registry raises here, out of
    any one dump's error handling)."""
    global _extractor
    if _extractor is None and _factory is not None:
        _extractor = _factory()
    return _extractor


def _extract(extractor: Any, parsed: ParsedDump) -> Entities:
    if extractor is None:
        return Entities()
    return Entities.from_result(extract_dump(extractor, parsed))


def process(job: Job) -> Outcome:
    """Never raises for a bad dump: the reason travels back in ``Outcome.error``."""
    try:
        data = job.path.read_bytes()
    except OSError as exc:
        return Outcome(job.key, error=f"cannot read: {exc.strerror or exc}")
    sha = sha256_bytes(data)
    if sha == job.skip_if_sha:
        return Outcome(job.key, size=len(data), sha256=sha, same=True)
    try:
        decoded = decode_bytes(data)
        parsed = parse_dump(decoded.text, file_name=job.path.name, encoding=decoded.encoding)
    except DumpError as exc:
        return Outcome(job.key, size=len(data), sha256=sha, error=exc.message)
    extractor = _ready_extractor()
    try:
        entities = _extract(extractor, parsed)
    except Exception as exc:  # a bug in extraction must name the dump, not kill the batch
        log.debug("entity extraction failed on %s", job.path, exc_info=True)
        return Outcome(
            job.key, size=len(data), sha256=sha, error=f"entity extraction failed: {exc!r}"
        )
    parts = render_parts(
        parsed,
        raw=job.key,
        raw_sha256=sha,
        entities=entities,
        body=blocks_to_markdown(parsed.blocks),
    )
    return Outcome(
        job.key, size=len(data), sha256=sha, parts=parts, entities_extracted=entities.extracted
    )
