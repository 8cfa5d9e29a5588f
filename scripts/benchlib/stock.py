"""Stock Pelican 4.12 on the same Markdown: its own virtualenv, content copy and settings.

``pelican-markdown-it-reader`` (the only way stock Pelican reads YAML front matter) pins
``mdit-py-plugins<0.7``, so it cannot share the project's ``.venv``: it gets a virtualenv of
its own, created on first use and reused after. Stock Pelican sees the same article files
with three keys added to the front matter (``category`` from ``section``, ``tags`` flattening
people, companies and topics, ``author`` from the byline): every other key and the body are
byte for byte the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

PELICAN_SPEC = "pelican==4.12.*"
READER_SPEC = "pelican-markdown-it-reader"
READER_PLUGIN = "pelican.plugins.markdown_it_reader"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class StockUnavailable(RuntimeError):
    """The stock Pelican virtualenv cannot be created or does not work."""


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _probe(python: Path) -> str | None:
    """Pelican's version when *python* has Pelican 4.12 and the reader plugin, else None."""
    if not python.exists():
        return None
    code = f"import pelican, {READER_PLUGIN}; print(pelican.__version__)"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    version = done.stdout.strip()
    return version if done.returncode == 0 and version.startswith("4.12") else None


def ensure_venv(venv: Path, log: Path) -> str:
    """Create (first use) or reuse the stock virtualenv; returns Pelican's version."""
    python = venv_python(venv)
    version = _probe(python)
    if version:
        return version
    log.parent.mkdir(parents=True, exist_ok=True)
    base = getattr(sys, "_base_executable", sys.executable)
    with log.open("w") as out:
        steps = [
            [base, "-m", "venv", "--clear", str(venv)],
            [str(python), "-m", "pip", "install", "--quiet", PELICAN_SPEC, READER_SPEC],
        ]
        for step in steps:
            done = subprocess.run(step, stdout=out, stderr=subprocess.STDOUT, check=False)
            if done.returncode != 0:
                raise StockUnavailable(f"{' '.join(step[:4])}... failed (see {log.name})")
    version = _probe(python)
    if not version:
        raise StockUnavailable("stock virtualenv was created but Pelican 4.12 does not import")
    return version


def _split(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        raise ValueError("no YAML front matter")
    end = text.index("\n---\n", 3)
    return text[4 : end + 1], text[end + 5 :]


def to_stock_front_matter(meta: dict) -> dict:
    """Our front matter plus the keys stock Pelican understands (category, tags, author)."""
    tags: list[str] = []
    for person in meta.get("people") or []:
        name = person.get("name") if isinstance(person, dict) else person
        if name:
            tags.append(str(name))
    tags += [str(c) for c in meta.get("companies") or []]
    tags += [str(t) for t in meta.get("topics") or []]
    out = dict(meta)
    if meta.get("section"):
        out["category"] = meta["section"]
    if tags:
        out["tags"] = list(dict.fromkeys(tags))
    byline = meta.get("byline")
    if isinstance(byline, dict) and byline.get("name"):
        out["author"] = byline["name"]
    return out


def convert_tree(articles_dir: Path, dest: Path) -> int:
    """Copy every article under *articles_dir* into *dest* in stock form; returns the count."""
    if dest.exists():
        shutil.rmtree(dest)
    count = 0
    for src in sorted(articles_dir.rglob("*.md")):
        text = src.read_text(encoding="utf-8")
        front, body = _split(text)
        meta = yaml.load(front, Loader=_LOADER)  # noqa: S506 - safe loader
        front_out = yaml.dump(
            to_stock_front_matter(meta),
            Dumper=_DUMPER,
            allow_unicode=True,
            sort_keys=False,
            width=1000,
        )
        target = dest / src.relative_to(articles_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{front_out}---\n{body}", encoding="utf-8")
        count += 1
    return count


def write_settings(conf: Path, *, content: Path, cache: Path, per_page: int) -> None:
    """``pelicanconf.py`` for the stock run: default theme, URLs shaped like ours, cache on."""
    settings = {
        "AUTHOR": "bench",
        "SITENAME": "뉴스 아카이브",
        "SITEURL": "",
        "RELATIVE_URLS": True,
        "PATH": str(content),
        "TIMEZONE": "Asia/Seoul",
        "DEFAULT_LANG": "ko",
        "PLUGINS": [READER_PLUGIN],
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(cache),
        "DEFAULT_PAGINATION": per_page,
        # Unicode slugs as ours: romanised ones collide and would merge tags silently.
        "SLUGIFY_USE_UNICODE": True,
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
        "CATEGORY_URL": "sections/{slug}/",
        "CATEGORY_SAVE_AS": "sections/{slug}/index.html",
        "TAG_URL": "tags/{slug}/",
        "TAG_SAVE_AS": "tags/{slug}/index.html",
        "YEAR_ARCHIVE_SAVE_AS": "{date:%Y}/index.html",
        "MONTH_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/index.html",
        # Ours writes a feed per person, company and topic: tags stand in for them.
        "TAG_FEED_ATOM": "feeds/tags/{slug}.atom.xml",
    }
    lines = ["# Generated by scripts/bench.py for the stock Pelican comparison."]
    lines += [f"{key} = {value!r}" for key, value in settings.items()]
    conf.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_argv(python: Path, conf: Path, content: Path, output: Path) -> list[str]:
    return [str(python), "-m", "pelican", str(content), "-s", str(conf), "-o", str(output), "-q"]


def clean_env() -> dict[str, str]:
    """The environment for a stock run: nothing of our .venv may leak into its imports."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
