"""A throw-away newsarchive project per archive size: raw dumps, registry, articles.

Layout under the work dir: ``n<COUNT>/project/`` is a newsarchive root (``content/raw``,
``content/entities.yaml``, ``content/articles``, ``output``, ``.cache``; ``themes`` and
``content/pages`` link to the repository's), ``n<COUNT>/stock/`` holds stock Pelican's copy.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path

from benchlib import synth

MARKER = ".bench-generated"


def _importer_generator() -> tuple[str, Callable[..., object]] | None:
    """The importer's ``scripts/gen_dumps.py`` generator, when it exists and fits.

    It is preferred over :mod:`benchlib.synth` so that import and build are measured on the
    dumps the importer's own tests use; it must offer ``generate(out_dir, count, seed=...)``.
    """
    try:
        module = importlib.import_module("gen_dumps")
    except ImportError:
        return None
    func = getattr(module, "generate", None)
    if not callable(func):
        return None
    params = inspect.signature(func).parameters
    if "seed" not in params or len(params) < 3:
        return None
    version = getattr(module, "GENERATOR_VERSION", "?")
    return f"gen_dumps:{version}", func


def generator_name() -> str:
    found = _importer_generator()
    return found[0] if found else f"benchlib.synth:{synth.GENERATOR_VERSION}"


def prepare(work: Path, repo: Path, count: int, seed: int) -> Path:
    """The project root for *count* articles, generating raw dumps only when they changed."""
    project = work / f"n{count}" / "project"
    raw_dir = project / "content" / "raw"
    marker = project / MARKER
    wanted = f"{generator_name()} seed={seed} count={count}\n"
    if not marker.exists() or marker.read_text() != wanted:
        if project.exists():
            shutil.rmtree(project)
        raw_dir.mkdir(parents=True)
        found = _importer_generator()
        if found:
            found[1](raw_dir, count, seed=seed)
        else:
            synth.write_raw_archive(raw_dir, count, seed)
        synth.write_registry(project / "content" / "entities.yaml", seed)
        marker.write_text(wanted)
    for rel in ("themes", "content/pages"):
        link, target = project / rel, repo / rel
        if target.exists() and not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return project


def clean_import(project: Path) -> None:
    for rel in ("content/articles", ".cache"):
        shutil.rmtree(project / rel, ignore_errors=True)


def clean_build(project: Path) -> None:
    for rel in ("output", ".cache"):
        shutil.rmtree(project / rel, ignore_errors=True)


def article_files(project: Path) -> list[Path]:
    return sorted((project / "content" / "articles").rglob("*.md"))


def write_standin_articles(project: Path, count: int, seed: int) -> int:
    """Write the Markdown the importer would, straight from the generator's data.

    Used only when ``newsarchive import`` is not available (or failed) so that builds can
    still be measured; the benchmark says so in its output.
    """
    from newsarchive.slugs import slugify

    articles = project / "content" / "articles"
    shutil.rmtree(articles, ignore_errors=True)
    raw_dir = project / "content" / "raw"
    written = 0
    for article in synth.iter_articles(count, seed):
        raw_name = f"{article.file_stem}.txt"
        raw_path = raw_dir / raw_name
        digest = hashlib.sha256(raw_path.read_bytes()).hexdigest() if raw_path.exists() else None
        slug = f"{slugify(article.title, max_length=50)}-{article.index}"
        text = synth.render_markdown(article, f"content/raw/{raw_name}", digest or "0" * 64, slug)
        target = articles / f"{article.date:%Y}" / f"{slug}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".md.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        written += 1
    return written
