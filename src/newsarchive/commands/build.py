"""Build the site into output/ with Pelican, our reader and our theme.

Development builds use relative URLs, so output/ works from any folder or subpath.
A publish build (--publish) writes absolute URLs under the site URL, taken from
--site-url, else the SITEURL environment variable, else site_url in newsarchive.toml,
e.g. https://USER.github.io/REPO for a GitHub Pages project site.
Files whose bytes did not change are left untouched; stale files are removed from
output/ (and only from output/).
A full build parses and renders on every core (forked worker processes); --jobs N
sets how many processes (build_jobs in newsarchive.toml; 1 builds in one process).
When nothing changed since the last build, there is nothing to do; when only the
text of articles changed (not their front matter or first paragraph), the new text is
put into the pages and feeds that print it without running Pelican. --full always
runs Pelican.
"""

from __future__ import annotations

import argparse
import logging

from newsarchive.config import Settings, site_url_from_env
from newsarchive.errors import ConfigError

HELP = "build the site into output/ (--publish for absolute URLs)"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--publish",
        action="store_true",
        help="absolute URLs under the site URL (for deployment)",
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="base URL of the published site, e.g. https://user.github.io/repo "
        "(default: $SITEURL, then site_url in newsarchive.toml)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="run Pelican even when nothing changed or only article text did "
        "(by default such builds reuse the last build's output)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="processes to parse and render with (default: build_jobs in newsarchive.toml, "
        "0 = every core; 1 = one process)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive.build import build_site

    if args.jobs is not None:
        if args.jobs < 0:
            raise ConfigError("--jobs must be 0 (every core) or more")
        settings = settings.replace(build_jobs=args.jobs)
    site_url = site_url_from_env(args.site_url) or settings.site_url or None
    if args.publish and not site_url:
        raise ConfigError(
            "a publish build needs the site URL: pass --site-url, set SITEURL "
            "or set site_url in newsarchive.toml"
        )
    result = build_site(settings, publish=args.publish, site_url=site_url, reuse=not args.full)
    how = {"unchanged": "nothing to do: ", "bodies": "article text only: "}.get(result.mode, "")
    log.info(
        "%sbuilt %d articles into %s: %d files, %d changed, %d removed (%.1f s)",
        how,
        result.articles,
        result.output_path,
        len(result.written),
        len(result.changed),
        len(result.removed),
        result.seconds,
    )
    return 0
