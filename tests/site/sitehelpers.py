"""Shared helpers of the site tests (imported by name: tests/site is on sys.path)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from newsarchive.build import BuildResult
from newsarchive.config import Settings

FIXTURE_SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
BASE_URL = "https://example.github.io/REPO"
SEED_SLUG = (
    "lg전자-조주완-ceo-빅테크-격전지서-ai-광폭-행보-7억-대-제품과-7천억-시간-고객-사용-데이터로"
)
SEED_PATH = f"2024/06/{SEED_SLUG}/index.html"
PER_PAGE = 4  # small, so the fixture has paginated listings


@dataclass
class Built:
    settings: Settings
    result: BuildResult

    @property
    def output(self) -> Path:
        return self.result.output_path

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / relative).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURE_SITE, target)
    return target


def tree_digests(output: Path) -> dict[str, str]:
    """Every file under *output* -> its SHA-256: equal trees are equal byte for byte."""
    return {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }
