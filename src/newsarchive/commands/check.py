"""Check a built site for broken links and assets, offline, as it will be served.

Reads OUTPUT (default: the output folder) the way GitHub Pages serves it under its base
URL, taken from the site's own canonical links or sitemap unless --base-url gives it.
Checks every internal href/src/srcset, CSS url() and @import, feed and sitemap URL and
#anchor, and reports symbolic links. Prints each broken reference as
`page: reference (reason)`, then a summary; exits 1 when anything is broken. Links to
other hosts are counted, never fetched.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsarchive.config import Settings
from newsarchive.errors import CheckError

HELP = "offline link and asset check of a built site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "output", nargs="?", type=Path, help="the built site (default: the output_dir setting)"
    )
    parser.add_argument(
        "--base-url",
        help="URL (or path such as /REPO/) the site is served at; default: read from the site",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
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
    return 0 if report.ok else 1
