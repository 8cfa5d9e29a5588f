"""Import raw article dumps into Markdown files with YAML front matter.

Each dump (default: every *.txt under content/raw/, or the files and folders given) becomes
content/articles/<YYYY>/<slug>.md. Encodings are detected (UTF-8 with or without BOM, UTF-16,
CP949/EUC-KR); the weather box, section, headline, dateline, byline and source credit go to
the front matter; page chrome is dropped.

Re-importing an unchanged dump writes nothing. An article is the importer's own only while
its bytes are what the importer wrote; otherwise a writer edited it, and the edit is kept
(a conflict is reported when the dump changed). A deleted article is not re-created
(skipped). --force lets the dump win, naming every edit it replaces and keeping a copy in
content/replaced/. A dump with the bytes of another is reported as a duplicate and not
imported twice; a deleted dump is reported, its article kept. A dump that cannot be imported
is reported as "path: reason"; the others still import and the exit status is 1.

exit status: 0 all imported or unchanged, 1 some dumps failed or conflicted, 2 bad settings
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsarchive.config import Settings

HELP = "raw dumps -> Markdown with YAML front matter under content/articles/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="dump files or folders (folders: every *.txt below); default content/raw/",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite articles a writer edited (a copy goes to content/replaced/), "
        "re-create deleted ones",
    )
    parser.add_argument(
        "--no-entities",
        dest="entities",
        action="store_false",
        help="skip people/company/topic extraction (faster; lists stay empty)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: several for 50+ dumps with entity extraction, else 1)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", default=None, help="no progress bar"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive.importer import ImportOptions, run_import

    if args.jobs is not None and args.jobs < 1:
        print("import: --jobs must be at least 1", file=sys.stderr)
        return 2
    options = ImportOptions(
        force=args.force,
        extract_entities=args.entities,
        jobs=args.jobs,
        progress=False if args.quiet else args.progress,
    )
    report = run_import(settings, args.paths or None, options)
    # One line per problem, "path: reason", so editors and grep can jump to the file.
    # A replaced edit is printed even with -q: a writer's text left its article.
    for display, reason in [*report.failed, *report.conflicts, *report.replaced]:
        print(f"{display}: {reason}", file=sys.stderr)
    if not args.quiet:
        for display, reason in report.skipped:
            print(f"{display}: skipped: {reason}", file=sys.stderr)
        for display, reason in report.notices():
            print(f"{display}: {reason}", file=sys.stderr)
        print(report.summary())
    return 0 if report.ok else 1
