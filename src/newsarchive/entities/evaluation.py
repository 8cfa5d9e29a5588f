"""Scoring entity extraction against hand-labelled articles.

Shared by the quality gate in the test suite (``tests/entities/test_labelled.py``) and the
script that prints the figures (``scripts/eval_entities.py``), so both score the same way.
A labelled article is a mapping: ``id``, ``section``, ``title``, ``paragraphs``, optional
``byline``, ``outlet`` and ``source``, and ``gold`` (``people``: name and role;
``companies`` and ``topics``: names), as in ``tests/fixtures/entities/*.yaml``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from newsarchive.entities.extract import ExtractionResult, Extractor
from newsarchive.entities.registry import Kind, Registry, normalise_name

KINDS = ("people", "companies", "topics")


def load_articles(path: Path) -> list[dict[str, Any]]:
    """The labelled articles of one YAML file."""
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def dump_article(raw: Path, labels: dict[str, Any]) -> dict[str, Any]:
    """A raw dump as a labelled article: title and paragraphs cut the simple way (the line
    before ``URL복사`` is the title, every later non-empty line but ``배너`` a paragraph),
    everything else from *labels*."""
    lines = [line.strip() for line in raw.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = lines.index("URL복사")
    return {
        **labels,
        "title": lines[start - 1],
        "paragraphs": [line for line in lines[start + 1 :] if line != "배너"],
    }


def run(extractor: Extractor, article: dict[str, Any]) -> ExtractionResult:
    return extractor.extract(
        title=article["title"],
        paragraphs=article["paragraphs"],
        byline_name=article.get("byline"),
        outlet=article.get("outlet"),
        source=article.get("source"),
    )


def score(
    articles: list[dict[str, Any]], results: dict[str, ExtractionResult], registry: Registry
) -> tuple[dict[str, list[int]], int, int, list[str]]:
    """Micro-averaged counts per kind: {kind: [tp, fp, fn]}, exact roles, roles, errors.

    Names on both sides go through the registry, so an alias counts as its canonical entry.
    """
    counts = {k: [0, 0, 0] for k in KINDS}
    roles_exact = roles_total = 0
    errors: list[str] = []

    def canon(kind: Kind, name: str) -> str:
        return normalise_name(registry.canonical_name(kind, name))

    for article in articles:
        result = results[article["id"]]
        gold = article["gold"]
        found = {
            "people": {canon("person", p.name): p.role for p in result.people},
            "companies": {canon("company", c): None for c in result.companies},
            "topics": {canon("topic", t): None for t in result.topics},
        }
        expected = {
            "people": {canon("person", p["name"]): p.get("role") for p in gold["people"]},
            "companies": {canon("company", c): None for c in gold["companies"]},
            "topics": {canon("topic", t): None for t in gold["topics"]},
        }
        for kind in KINDS:
            got, want = found[kind], expected[kind]
            tp = got.keys() & want.keys()
            counts[kind][0] += len(tp)
            counts[kind][1] += len(got.keys() - want.keys())
            counts[kind][2] += len(want.keys() - got.keys())
            errors += [
                f"{article['id']}: {kind} false positive {n!r}"
                for n in sorted(got.keys() - want.keys())
            ]
            errors += [
                f"{article['id']}: {kind} missed {n!r}" for n in sorted(want.keys() - got.keys())
            ]
            if kind == "people":
                for name in sorted(tp):
                    roles_total += 1
                    if (got[name] or None) == (want[name] or None):
                        roles_exact += 1
                    else:
                        errors.append(
                            f"{article['id']}: role of {name}: got {got[name]!r}, gold {want[name]!r}"
                        )
    return counts, roles_exact, roles_total, errors


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (1.0 when there is nothing to find or nothing found)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
