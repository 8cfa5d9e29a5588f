"""Shared helpers of the importer tests (a unique module name: tests are not a package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from newsarchive.config import Settings, load_settings
from newsarchive.importer import ImportOptions, ImportReport, run_import

# A complete dump in the raw format, small enough to vary in each test.
BASIC_DUMP = """2024.06.08 (토)

  • 흐림동두천 22.8℃
  • 서울 24.1℃
  • 맑음철원 -3.5℃
기상청 제공

사회

{title}

URL복사

\u00a0

(시사미래신문) 첫 문단입니다. 시민들이 광장에 모였다.

\u00a0

둘째 문단입니다.

[출처=시사미래신문]

배너
"""


class Project:
    def __init__(self, root: Path):
        self.root = root
        self.raw = root / "content" / "raw"
        self.articles = root / "content" / "articles"
        self.raw.mkdir(parents=True)
        self.settings: Settings = load_settings(root)

    def dump(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = self.raw / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    def run(self, paths: list[Path] | None = None, **options: Any) -> ImportReport:
        options.setdefault("extract_entities", False)
        options.setdefault("progress", False)
        options.setdefault("jobs", 1)
        return run_import(self.settings, paths, ImportOptions(**options))

    def articles_written(self) -> list[Path]:
        return sorted(self.articles.rglob("*.md"))

    def only_article(self) -> Path:
        files = self.articles_written()
        assert len(files) == 1, files
        return files[0]


def split_article(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, sep, body = text[4:].partition("\n---\n\n")
    assert sep, "front matter is not closed by ---"
    return yaml.safe_load(head), body


REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_RAW = REPO_ROOT / "content" / "raw" / "000_6be8f2798757a0e6.txt"
