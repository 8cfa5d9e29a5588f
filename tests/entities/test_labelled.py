"""Regression guard: the labelled set keeps the issue's targets (scripts/eval_entities.py
prints the figures; both score with newsarchive.entities.evaluation)."""

from __future__ import annotations

import yaml

from newsarchive.entities import evaluation
from newsarchive.entities.extract import Extractor
from newsarchive.entities.registry import Registry

from .conftest import LABELLED, REPO_ROOT, SEED_RAW

SEED_LABELS = REPO_ROOT / "tests" / "fixtures" / "entities" / "seed.yaml"


def test_labelled_set_meets_the_targets(extractor: Extractor, registry: Registry) -> None:
    seed = evaluation.dump_article(SEED_RAW, yaml.safe_load(SEED_LABELS.read_text("utf-8")))
    articles = [seed, *evaluation.load_articles(LABELLED)]
    assert len(articles) >= 30
    assert len({a["section"] for a in articles}) >= 8
    results = {a["id"]: evaluation.run(extractor, a) for a in articles}
    counts, _exact, _total, errors = evaluation.score(articles, results, registry)
    for kind in ("people", "companies"):
        precision, recall, _f1 = evaluation.prf(*counts[kind])
        assert precision >= 0.9, (kind, precision, errors)
        assert recall >= 0.8, (kind, recall, errors)
