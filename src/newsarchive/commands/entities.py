"""The people / company / topic registry (content/entities.yaml).

  newsarchive entities --list
      every registry entry: kind, slug, canonical name, aliases
  newsarchive entities --suggest [PATH ...]
      names the registry does not know, most frequent first: from the front matter of
      content/articles/ (what extraction found plus what writers added), or, given raw dump
      files or folders, from running extraction on them. One line per name:
      articles, kind, name, a sample context.
  newsarchive entities --accept NAME --kind person|company|topic [--slug S] [--alias A ...]
      append NAME to the registry (comments and layout of the rest of the file are kept;
      the file is replaced atomically, and only if the result is a valid registry)

The build resolves the names in every article's front matter through the registry, so an
accepted name or alias takes effect at the next build. An article's front matter always wins
over extraction: add or remove people, companies and topics there.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from newsarchive.config import Settings

HELP = "list the entity registry, suggest unknown names, accept them"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--list", action="store_true", help="print the registry")
    action.add_argument(
        "--suggest", action="store_true", help="print names the registry does not know"
    )
    action.add_argument("--accept", metavar="NAME", help="add NAME to the registry")
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="with --suggest: raw dumps or folders"
    )
    parser.add_argument("--kind", choices=["person", "company", "topic"], help="with --accept")
    parser.add_argument("--slug", help="with --accept: the URL slug (default: from the name)")
    parser.add_argument(
        "--alias", action="append", default=[], help="with --accept: another spelling (repeat)"
    )
    parser.add_argument("--description", help="with --accept: a one-line description")
    parser.add_argument(
        "--min-count", type=int, default=1, help="with --suggest: only names in N+ articles"
    )
    parser.add_argument(
        "--limit", type=int, default=0, help="with --suggest: print at most N lines (0: all)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive.entities.registry import load_registry
    from newsarchive.errors import EntityError

    path = settings.entities_path
    if args.accept is not None:
        if not args.kind:
            raise EntityError("--accept needs --kind person, company or topic")
        from newsarchive.entities.suggest import accept

        slug = accept(
            path,
            args.accept.strip(),
            args.kind,
            slug=args.slug,
            aliases=[a.strip() for a in args.alias if a.strip()],
            description=args.description,
        )
        print(f"added {args.kind} {args.accept.strip()} (slug {slug}) to {path.name}")
        return 0

    registry = load_registry(path)
    if args.list:
        for entity in registry:
            aliases = f"  ({', '.join(entity.aliases)})" if entity.aliases else ""
            print(f"{entity.kind}\t{entity.slug}\t{entity.name}{aliases}")
        return 0

    from newsarchive.entities.suggest import suggest_from_articles, suggest_from_raw

    if args.paths:
        suggestions = suggest_from_raw(args.paths, registry, min_count=args.min_count)
    else:
        suggestions = suggest_from_articles(
            settings.articles_path, registry, min_count=args.min_count
        )
    if args.limit > 0:
        suggestions = suggestions[: args.limit]
    for s in suggestions:
        print(f"{s.count}\t{s.kind}\t{s.name}\t{s.context}")
    if not suggestions:
        log.info("no unknown names")
    return 0
