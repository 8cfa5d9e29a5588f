"""Regression guard: the labelled set keeps the issue's targets (the script prints the figures)."""

from __future__ import annotations

import importlib.util

import pytest

from newsarchive.entities.extract import Extractor
from newsarchive.entities.registry import Registry

from .conftest import REPO_ROOT


@pytest.fixture(scope="module")
def evaluation():
    spec = importlib.util.spec_from_file_location(
        "eval_entities", REPO_ROOT / "scripts" / "eval_entities.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_meets_the_targets(
    evaluation, extractor: Extractor, registry: Registry
) -> None:
    articles = evaluation.load_articles()
    assert len(articles) >= 30
    assert len({a["section"] for a in articles}) >= 8
    results = {a["id"]: evaluation.run(extractor, a) for a in articles}
    counts, _exact, _total, errors = evaluation.score(articles, results, registry)
    for kind in ("people", "companies"):
        precision, recall, _f1 = evaluation.prf(*counts[kind])
        assert precision >= 0.9, (kind, precision, errors)
        assert recall >= 0.8, (kind, recall, errors)
