"""Bring the search index of output/ up to date with the built site.

The last step of `newsarchive build`, as a command of its own: `newsarchive serve` runs it
in the background after each rebuild, so that a writer's next save never waits for the
index. With `search = false` in newsarchive.toml it removes the index.
"""

from __future__ import annotations

import argparse
import logging

from newsarchive.config import Settings

HELP = "bring the search index of output/ up to date (the last step of build)"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    return None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive.build import update_search

    files, changed, removed, _size = update_search(settings)
    log.info(
        "search index: %d files, %d written, %d removed", len(files), len(changed), len(removed)
    )
    return 0
