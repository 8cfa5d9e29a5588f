"""The ``newsarchive`` command line: one program, one verb per pipeline stage.

Each verb lives in :mod:`newsarchive.commands` as a module exposing ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args, settings) -> int``. Command modules import their
heavy dependencies inside ``run`` so that ``--help`` and unrelated verbs stay fast.
This is the only place that turns :class:`NewsArchiveError` into an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from newsarchive import __version__
from newsarchive.config import load_settings
from newsarchive.errors import NewsArchiveError

# verb -> module under newsarchive.commands (``import`` is a keyword, hence the underscore)
COMMANDS: dict[str, str] = {
    "import": "import_",
    "build": "build",
    "index": "index",
    "serve": "serve",
    "check": "check",
    "deploy": "deploy",
    "entities": "entities",
}

log = logging.getLogger("newsarchive")


class _StrictHandler(logging.Handler):
    """Counts warnings so ``--strict`` can fail the run after reporting all of them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.count += 1


def _setup_logging(verbosity: int, quiet: bool) -> _StrictHandler:
    level = logging.WARNING if quiet else (logging.DEBUG if verbosity > 1 else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Pelican and markdown are chatty at INFO; keep their warnings, drop their chatter.
    for noisy in ("pelican", "markdown_it", "watchdog"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbosity < 2 else logging.DEBUG)
    counter = _StrictHandler()
    root.addHandler(counter)
    return counter


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Turn scraped Korean news pages into a fast, browsable static archive.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project root (default: current folder)"
    )
    common.add_argument(
        "--strict", action="store_true", help="treat warnings as errors (non-zero exit)"
    )
    common.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    common.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for verb, module_name in COMMANDS.items():
        module = importlib.import_module(f"newsarchive.commands.{module_name}")
        sub_parser = sub.add_parser(
            verb,
            help=module.HELP,
            description=module.__doc__,
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    counter = _setup_logging(args.verbose, args.quiet)
    try:
        settings = load_settings(args.root, strict=args.strict)
        status = args._module.run(args, settings)
    except NewsArchiveError as exc:
        log.error("%s", exc)
        return exc.exit_code
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    if status == 0 and args.strict and counter.count:
        log.error("%d warning(s) with --strict", counter.count)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
