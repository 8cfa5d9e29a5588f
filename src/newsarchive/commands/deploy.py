"""(to be written)"""

from __future__ import annotations

import argparse

from newsarchive.config import Settings

HELP = "(to be written)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, settings: Settings) -> int:
    raise NotImplementedError
