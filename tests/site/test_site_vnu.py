"""The Nu HTML Checker finds no errors on every kind of page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sitehelpers import SEED_PATH, Built

from testtools import require_tool

VNU = (
    Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)

PAGES = [
    "index.html",
    "sections/경제/2024/06/index.html",
    "topics/ai/2023/index.html",
    SEED_PATH,
    "2024/02/hostile-article/index.html",
    "2023/12/한파-속-전력-수요-사상-최대-정부-비상-대응/index.html",
    "people/index.html",
    "companies/index.html",
    "people/cho-joo-wan/index.html",
    "topics/ai/index.html",
    "2023/index.html",
    "2023/09/index.html",
    "archives/index.html",
    "sections/index.html",
    "sections/경제/index.html",
    "about/index.html",
    "404.html",
    # the archive by date (issue 16): a calendar, a day with its weather, on this day (with
    # articles and without), the weather archive and a station with its chart
    "2024/06/index.html",
    "2024/06/08/index.html",
    "on-this-day/index.html",
    "on-this-day/06-08/index.html",
    "on-this-day/01-01/index.html",
    "weather/index.html",
    "weather/서울/index.html",
]


@pytest.mark.slow
def test_pages_validate(pub_site: Built):
    java = shutil.which("java")
    require_tool(
        java is not None and VNU.is_file(),
        "java or node_modules/vnu-jar is missing (make test-deps installs them)",
    )
    files = [str(pub_site.output / page) for page in PAGES]
    for name in files:
        assert Path(name).is_file(), name
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(run.stderr or run.stdout)
    errors = [
        f"{m.get('url', '?').rsplit('/output-publish/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in report["messages"]
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
    assert run.returncode == 0
