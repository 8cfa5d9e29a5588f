"""A throw-away newsarchive project per archive size: raw dumps, registry, articles.

Layout under the work dir: ``n<COUNT>/project/`` is a newsarchive root (``content/raw``,
``content/entities.yaml``, ``content/articles``, ``output``, ``.cache``; ``themes`` and
``content/pages`` link to the repository's), ``n<COUNT>/stock/`` holds stock Pelican's copy.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import shutil
from pathlib import Path
from types import ModuleType

import yaml

from benchlib import synth

MARKER = ".bench-generated"


def _gen_dumps() -> ModuleType | None:
    """The importer's ``scripts/gen_dumps.py``, when it exists with ``generate(count, folder)``.

    It is preferred over :mod:`benchlib.synth` so that import and build are measured on the
    dumps the importer's own tests use (mixed encodings, CRLF, BOMs, copyright lines).
    """
    try:
        module = importlib.import_module("gen_dumps")
    except ImportError:
        return None
    return module if callable(getattr(module, "generate", None)) else None


def generator_name() -> str:
    if _gen_dumps() is not None:
        return f"scripts/gen_dumps.py (cast widened by benchlib.synth:{synth.GENERATOR_VERSION})"
    return f"benchlib.synth:{synth.GENERATOR_VERSION}"


def given_names(seed: int, count: int = 200) -> list[str]:
    """Distinct two-syllable given names: with 20 surnames, a cast of thousands of people."""
    rng = random.Random(f"{seed}:given")
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(synth.GIVEN) + rng.choice(synth.GIVEN)
        if name not in names:
            names.append(name)
    return names


def generate_raw(raw_dir: Path, registry: Path, count: int, seed: int) -> None:
    """Raw dumps plus the registry naming their cast (thousands of people and companies)."""
    module = _gen_dumps()
    if module is None:
        synth.write_raw_archive(raw_dir, count, seed)
        synth.write_registry(registry, seed)
        return
    # gen_dumps draws people (surname + given name) and companies from module-level lists
    # sized for tests (hundreds of people, a dozen companies); the benchmark needs the
    # thousands of entity pages of a real archive, so it widens those lists for the call.
    cast = synth.make_cast(seed)
    widened = {"GIVEN": given_names(seed), "COMPANIES": list(cast.companies)}
    saved = {name: getattr(module, name) for name in widened if hasattr(module, name)}
    try:
        for name in saved:
            setattr(module, name, widened[name])
        module.generate(count, raw_dir, seed=seed + 1)
        people = [s + g for s in getattr(module, "SURNAMES", "") for g in widened["GIVEN"]]
        topics = list(getattr(module, "TOPICS", []))
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
    data = {
        "people": [{"name": p} for p in people],
        "companies": [{"name": c} for c in cast.companies],
        "topics": [{"name": t} for t in topics],
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    registry.write_text(
        yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


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
        generate_raw(raw_dir, project / "content" / "entities.yaml", count, seed)
        marker.write_text(wanted)
    theme = project / "themes"
    if (repo / "themes").exists() and not theme.exists():
        theme.symlink_to(repo / "themes", target_is_directory=True)
    # Pages are copied, not linked: the build refuses pages resolving outside content/.
    pages = project / "content" / "pages"
    if pages.is_symlink():  # left by an earlier version of this script
        pages.unlink()
    if (repo / "content" / "pages").exists() and not pages.exists():
        shutil.copytree(repo / "content" / "pages", pages)
    return project


def clean_import(project: Path) -> None:
    """Forget every earlier import: articles, caches and the importer's manifest."""
    for rel in ("content/articles", ".cache"):
        shutil.rmtree(project / rel, ignore_errors=True)
    (project / "content" / ".import-state.json").unlink(missing_ok=True)


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
