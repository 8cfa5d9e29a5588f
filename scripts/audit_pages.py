"""Accessibility and Lighthouse audit of a site served the way GitHub Pages serves it.

Builds a project for publishing at ``http://127.0.0.1:PORT/REPO/`` (a project subpath, as
on ``USER.github.io/REPO``) in a temporary folder, serves it with
:mod:`newsarchive.pages_server`, then for each page (home, the seed article, a person page,
the search page, a month with its calendar, the seed's day, on this day, the weather
archive and a station, besides any ``--page``):

- runs axe-core (npm ``axe-core``, injected with Playwright into Debian's Chromium) at
  1280 and 390 px wide, in light and dark colour schemes, and prints every violation;
- runs Lighthouse 12 (npm ``lighthouse@12``; 13 needs Node 22) with its default mobile
  settings and prints the four category scores and every audit that did not pass;
- with ``--screenshots DIR``, saves full-page PNGs at 1280 and 390 px, light and dark
  (``NAME-WIDTH.png``, ``NAME-WIDTH-dark.png``).

    .venv/bin/python scripts/audit_pages.py --root tests/fixtures/site
    .venv/bin/python scripts/audit_pages.py --root tests/fixtures/site --screenshots shots/
    make audit                       # the same, installing axe-core and lighthouse first

The project is copied (its ``content/`` and ``newsarchive.toml``), never built in place.
Exits 1 when axe finds a violation or a Lighthouse category scores under ``--min-score``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from newsarchive.pages_server import PagesServer

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
BASE_PATH = "/REPO/"
SEED_ARTICLE = "2024/06/lg전자-조주완-ceo-빅테크-격전지서-ai-광폭-행보-7억-대-제품과-7천억-시간-고객-사용-데이터로/"
DEFAULT_PAGES = {
    "home": "",
    "article": SEED_ARTICLE,
    "person": "people/cho-joo-wan/",
    "search": "search/",
    "month": "2024/06/",
    "day": "2024/06/08/",
    "otd": "on-this-day/06-08/",
    "weather": "weather/",
    "station": "weather/서울/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
WIDTHS = (1280, 390)
SCHEMES = ("light", "dark")  # prefers-color-scheme: the theme has a dark palette


@dataclass
class PageResult:
    name: str
    url: str
    axe: dict[str, list[str]] = field(default_factory=dict)  # "1280px dark" -> violations
    scores: dict[str, float | None] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)  # Lighthouse audits that did not pass
    error: str | None = None


# Keep Debian's Chromium off the network (nothing but the local server is needed).
CHROMIUM_ARGS = [
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_tools(lighthouse: bool = True) -> list[str]:
    needed = (AXE, LIGHTHOUSE) if lighthouse else (AXE,)
    missing = [str(p.relative_to(REPO)) for p in needed if not p.is_file()]
    if not Path(CHROMIUM).is_file():
        missing.append(CHROMIUM)
    if shutil.which("node") is None:
        missing.append("node")
    return missing


def build(project: Path, work: Path, site_url: str) -> Path:
    """Copy *project*'s content and settings into *work* and build it for *site_url*."""
    root = work / "project"
    shutil.copytree(project / "content", root / "content", ignore=shutil.ignore_patterns("raw"))
    settings = project / "newsarchive.toml"
    if settings.is_file():
        shutil.copy2(settings, root / "newsarchive.toml")
    if (project / "themes").is_dir():
        shutil.copytree(project / "themes", root / "themes")
    argv = [sys.executable, "-m", "newsarchive", "build", "--root", str(root), "-q"]
    argv += ["--publish", "--site-url", site_url]
    subprocess.run(argv, check=True)
    return root / "output"


def _context(browser: object, width: int, scheme: str) -> object:
    return browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900}, locale="ko-KR", color_scheme=scheme
    )


def run_axe(browser: object, url: str, width: int, scheme: str = "light") -> list[str]:
    context = _context(browser, width, scheme)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
    finally:
        context.close()
    found = []
    for violation in result["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} [{targets}]")
    return found


def screenshot(browser: object, url: str, width: int, target: Path, scheme: str = "light") -> None:
    context = _context(browser, width, scheme)
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.screenshot(path=str(target), full_page=True)
    finally:
        context.close()


def run_lighthouse(url: str, work: Path, name: str) -> tuple[dict[str, float | None], list[str]]:
    report = work / f"lighthouse-{name}.json"
    argv = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags="
        + " ".join(["--headless=new", "--no-sandbox", "--disable-gpu", *CHROMIUM_ARGS]),
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(argv, check=True, env=env, timeout=300, capture_output=True)
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: data["categories"][c]["score"] for c in CATEGORIES}
    failing = []
    for category in CATEGORIES:
        for ref in data["categories"][category]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{category}: {audit['id']} ({audit['score']:.2f}) {audit['title']}")
    return scores, failing


def audit(args: argparse.Namespace, work: Path) -> list[PageResult]:
    from playwright.sync_api import sync_playwright

    served = work / "site"
    served.mkdir()
    with PagesServer(served, BASE_PATH) as server:
        output = build(args.root.resolve(), work, server.url.rstrip("/"))
        shutil.copytree(output, served, dirs_exist_ok=True)
        pages = dict(DEFAULT_PAGES)
        pages.update(dict(item.split("=", 1) for item in args.page))
        results = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for name, path in pages.items():
                    url = server.url + quote(path)
                    result = PageResult(name, url)
                    results.append(result)
                    if not (served / path / "index.html").is_file():
                        result.error = f"no page at {path or '/'} in the built site"
                        continue
                    for width in WIDTHS:
                        for scheme in SCHEMES:
                            key = f"{width}px" + ("" if scheme == "light" else f" {scheme}")
                            result.axe[key] = run_axe(browser, url, width, scheme)
                            if args.screenshots:
                                args.screenshots.mkdir(parents=True, exist_ok=True)
                                suffix = "" if scheme == "light" else f"-{scheme}"
                                shot = f"{args.label}{name}-{width}{suffix}.png"
                                screenshot(browser, url, width, args.screenshots / shot, scheme)
                    if not args.no_lighthouse:
                        result.scores, result.failing = run_lighthouse(url, work, name)
            finally:
                browser.close()
    return results


def report(results: list[PageResult]) -> str:
    lines = []
    header = "page      " + "  ".join(f"{c:>14}" for c in CATEGORIES) + "  axe violations"
    lines.append(header)
    for r in results:
        scores = "  ".join(
            f"{'-' if r.scores.get(c) is None else round(r.scores[c] * 100):>14}"
            for c in CATEGORIES
        )
        axe = sum(len(v) for v in r.axe.values())
        lines.append(f"{r.name:<10}{scores}  {axe if not r.error else '-':>14}")
    for r in results:
        if r.error:
            lines.append(f"{r.name}: {r.error}")
        for width, violations in r.axe.items():
            lines += [f"{r.name} axe {width}: {v}" for v in violations]
        lines += [f"{r.name} lighthouse {line}" for line in r.failing]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", type=Path, default=REPO, help="project to build (default: .)")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a page to audit besides (or instead of) the defaults, e.g. about=about/",
    )
    parser.add_argument("--screenshots", type=Path, metavar="DIR", help="save PNGs here")
    parser.add_argument("--label", default="", help="prefix of the screenshots' file names")
    parser.add_argument("--no-lighthouse", action="store_true", help="axe (and shots) only")
    parser.add_argument(
        "--min-score", type=int, default=100, help="fail under this Lighthouse score (0-100)"
    )
    args = parser.parse_args(argv)
    missing = missing_tools(lighthouse=not args.no_lighthouse)
    if missing:
        print(
            "missing: " + ", ".join(missing) + "\ninstall them with `make audit` or "
            "`bash scripts/ensure-test-deps.sh --audit`",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="newsarchive-audit-") as tmp:
        results = audit(args, Path(tmp))
    print(report(results))
    failed = any(r.error or any(r.axe.values()) for r in results) or any(
        score is not None and score * 100 < args.min_score
        for r in results
        for score in r.scores.values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
