"""Build the site into output/ with Pelican, our reader and our theme.

Development builds use relative URLs, so output/ works from any folder or subpath.
A publish build (--publish) writes absolute URLs under the site URL, taken from
--site-url, else the SITEURL environment variable, else site_url in newsarchive.toml,
e.g. https://USER.github.io/REPO for a GitHub Pages project site.

Every build is incremental: it reads the files that changed since the last build and
renders only the outputs that show something of them (the dependency record under the
cache folder knows what each output was made from). Files whose bytes did not change are
left untouched; outputs that no longer exist are removed from output/ (and only from
output/). --full hashes every source again instead of trusting their size and mtime.
Large renders use every core (forked worker processes); --jobs N sets how many
(build_jobs in newsarchive.toml).
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
        help="hash every source again and walk every output, trusting no size or mtime the "
        "last build recorded (a source whose bytes are unchanged is not parsed again; still "
        "renders only what changed; delete .cache/ to render all)",
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
    from newsarchive.engine.progress import Progress

    result = build_site(
        settings,
        publish=args.publish,
        site_url=site_url,
        full=args.full,
        progress=Progress(),
    )
    log.info("%s", result.summary())
    return 0
