"""Check a built site for broken links and assets, offline, and weigh it against Pages' limits.

Reads OUTPUT (default: the output folder) the way GitHub Pages serves it under its base
URL, taken from the site's own canonical links or sitemap unless --base-url gives it.
Checks every internal href/src/srcset, CSS url() and @import, feed and sitemap URL and
#anchor, and reports symbolic links. Prints each broken reference as
`page: reference (reason)`, then a summary. Links to other hosts are counted, never fetched.

Then prints the site's size and file count, each kind of output's share (article, listing
and entity pages, feeds, search index, theme/static, other) and the largest files, against
GitHub Pages' limits (1 GB per site, 100 MB per file): past 80 % of a limit it warns, past
the limit it fails naming the settings that shrink the site. Exits 1 when anything is broken
or the site is over a limit.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from newsarchive.config import Settings
from newsarchive.errors import CheckError

HELP = "offline link and asset check of a built site, and its size against Pages' limits"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "output", nargs="?", type=Path, help="the built site (default: the output_dir setting)"
    )
    parser.add_argument(
        "--base-url",
        help="URL (or path such as /REPO/) the site is served at; default: read from the site",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive import sitesize
    from newsarchive.checker import check_site

    # A folder given on the command line is relative to where the command runs.
    output = args.output.resolve() if args.output is not None else settings.output_path
    if not output.is_dir():
        raise CheckError("no built site here: run `newsarchive build` first", path=output)
    if not (output / "index.html").is_file():
        raise CheckError("no index.html: not a built site", path=output)
    report = check_site(output, args.base_url)
    for broken in report.broken:
        print(broken)
    print(report.summary())
    budget = sitesize.check_budget(output, sitesize.GITHUB_PAGES)
    print(budget.report())
    if budget.over:
        raise budget.refusal()
    for problem in budget.problems():
        log.warning("%s (see docs/deploying.md for the settings that shrink a site)", problem)
    return 0 if report.ok else 1
