"""The README's screenshot: the home page of the test fixture site, as a reader sees it.

Copies ``tests/fixtures/site`` to a temporary folder, builds it, serves it as GitHub Pages
would (:mod:`newsarchive.pages_server`, at ``/REPO/``) and saves a PNG of the first screen
with Playwright driving Debian's Chromium (``make test-deps`` installs what it needs):

    .venv/bin/python scripts/readme_screenshot.py                 # -> docs/images/home.png
    .venv/bin/python scripts/readme_screenshot.py --path people/cho-joo-wan/ --out shot.png
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from newsarchive.build import build_site
from newsarchive.config import load_settings
from newsarchive.pages_server import PagesServer

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images" / "home.png")
    parser.add_argument("--path", default="", help="page below the site's root (default: home)")
    parser.add_argument("--width", type=int, default=960)
    parser.add_argument("--height", type=int, default=600)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="newsarchive-shot-") as tmp:
        project = Path(tmp) / "site"
        shutil.copytree(REPO / "tests" / "fixtures" / "site", project)
        settings = load_settings(project)
        build_site(settings)
        with PagesServer(settings.output_path, "/REPO/") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(server.url + quote(args.path))
            page.wait_for_load_state("networkidle")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"{args.out}: {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
