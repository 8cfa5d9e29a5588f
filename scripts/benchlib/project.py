"""A throw-away newsarchive project per archive size: raw dumps, registry, articles.

Layout under the work dir: ``n<COUNT>/project/`` is a newsarchive root (``content/raw``,
``content/entities.yaml``, ``content/articles``, ``output``, ``.cache``; ``themes`` and
``content/pages`` link to the repository's), ``n<COUNT>/stock/`` holds stock Pelican's copy,
``n<COUNT>/before/`` an older checkout's copy (``bench.py --before``, :func:`copy_for_checkout`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
from pathlib import Path
from types import ModuleType

import yaml

from benchlib import synth

MARKER = ".bench-generated"


def gen_dumps_module() -> ModuleType | None:
    """The importer's ``scripts/gen_dumps.py``, when it exists with ``generate(count, folder)``."""
    try:
        module = importlib.import_module("gen_dumps")
    except ImportError:
        return None
    return module if callable(getattr(module, "generate", None)) else None


def generator_name(source: str) -> str:
    if source == "gen_dumps":
        return "scripts/gen_dumps.py"
    return f"benchlib.synth:{synth.GENERATOR_VERSION}"


def generate_raw(raw_dir: Path, registry: Path, count: int, seed: int, source: str) -> None:
    """Raw dumps plus the registry naming their cast.

    ``synth`` (the default): thousands of people and companies in all, a handful per story,
    as in a real archive. ``gen_dumps``: the importer's generator (mixed encodings, CRLF,
    BOMs, copyright lines) with its own small cast (hundreds of people, a dozen companies,
    any of which may appear in any sentence).
    """
    if source != "gen_dumps":
        synth.write_raw_archive(raw_dir, count, seed)
        synth.write_registry(registry, seed)
        return
    module = gen_dumps_module()
    if module is None:
        raise RuntimeError("scripts/gen_dumps.py is missing or has no generate(count, folder)")
    module.generate(count, raw_dir, seed=seed + 1)
    data = {
        "people": [{"name": s + g} for s in getattr(module, "SURNAMES", "") for g in module.GIVEN],
        "companies": [{"name": c} for c in getattr(module, "COMPANIES", [])],
        "topics": [{"name": t} for t in getattr(module, "TOPICS", [])],
    }
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    registry.write_text(
        yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def prepare(work: Path, repo: Path, count: int, seed: int, source: str = "synth") -> Path:
    """The project root for *count* articles, generating raw dumps only when they changed."""
    project = work / f"n{count}" / "project"
    raw_dir = project / "content" / "raw"
    marker = project / MARKER
    wanted = f"{generator_name(source)} seed={seed} count={count}\n"
    if not marker.exists() or marker.read_text() != wanted:
        if project.exists():
            shutil.rmtree(project)
        raw_dir.mkdir(parents=True)
        generate_raw(raw_dir, project / "content" / "entities.yaml", count, seed, source)
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


def copy_for_checkout(base: Path, root: Path, checkout: Path) -> None:
    """*root*: a copy of the project *base* (no output, no caches) whose ``themes`` is
    *checkout*'s (the theme is part of the code), for another checkout of this repository to
    build the same content."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(base, root, symlinks=True, ignore=shutil.ignore_patterns("output", ".cache"))
    (root / "themes").unlink(missing_ok=True)
    (root / "themes").symlink_to(checkout / "themes", target_is_directory=True)


def differing_articles(a: Path, b: Path) -> int:
    """How many Markdown files of project *a* are missing from *b*, differ or are extra."""
    files_a = {p.relative_to(a): p for p in article_files(a)}
    files_b = {p.relative_to(b): p for p in article_files(b)}
    both = files_a.keys() & files_b.keys()
    differ = sum(files_a[rel].read_bytes() != files_b[rel].read_bytes() for rel in both)
    return differ + len(files_a.keys() ^ files_b.keys())


def _toml_value(text: str) -> str:
    if text.lower() in ("true", "false"):
        return text.lower()
    if text.lstrip("-").isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def write_settings(project: Path, pairs: list[str]) -> None:
    """``newsarchive.toml`` from ``KEY=VALUE`` pairs (none: no file, the defaults)."""
    path = project / "newsarchive.toml"
    if not pairs:
        path.unlink(missing_ok=True)
        return
    lines = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ValueError(f"--our-setting wants KEY=VALUE, not {pair!r}")
        lines.append(f"{key.strip()} = {_toml_value(value.strip())}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


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
