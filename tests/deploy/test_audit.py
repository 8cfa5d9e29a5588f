"""scripts/audit_pages.py: axe-core on the built pages, served under a project subpath."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.pages_server import PagesServer
from testtools import require_tool

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

import audit_pages  # noqa: E402

pytestmark = [pytest.mark.browser]


def require_axe() -> None:
    require_tool(audit_pages.AXE.is_file(), "node_modules/axe-core is missing (make test-deps)")


def test_axe_reports_what_is_wrong_with_a_page(browser, tmp_path: Path) -> None:
    require_axe()
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        "<!doctype html><html><head><title>t</title></head>"
        '<body><main><img src="x.png"><a href="#"></a></main></body></html>',
        encoding="utf-8",
    )
    with PagesServer(site, "/REPO/") as server:
        found = audit_pages.run_axe(browser, server.url, 1280)
    ids = {line.split(" ", 1)[0] for line in found}
    assert {"image-alt", "html-has-lang", "link-name"} <= ids


@pytest.mark.slow
def test_the_audited_pages_have_no_axe_violations_light_or_dark() -> None:
    require_axe()
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "audit_pages.py"),
            "--root",
            str(REPO / "tests" / "fixtures" / "site"),
            "--no-lighthouse",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    pages = audit_pages.DEFAULT_PAGES
    rows = {line.split()[0]: line.split()[-1] for line in done.stdout.splitlines()[1:]}
    assert {name: rows.get(name) for name in pages} == dict.fromkeys(pages, "0")
    assert {"month", "day", "otd", "weather", "station"} <= pages.keys()
