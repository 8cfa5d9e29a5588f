"""Push the built site in output/ to a gh-pages branch (for Pages without Actions).

Refuses a missing build, a development build (relative URLs: build with
`newsarchive build --publish --site-url URL` or `make publish`), a build made for a local
address, a site over GitHub Pages' limits (1 GB per site, 100 MB per file: the refusal
names the settings that shrink it) and any broken link or asset `newsarchive check` would
report. Adds .nojekyll (and CNAME from the `cname` setting), commits output/ as the whole
content of the branch with ghp-import, then pushes it unless --no-push is given.
"""

from __future__ import annotations

import argparse

from newsarchive.config import Settings

HELP = "push output/ to a gh-pages branch (refuses broken builds)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--remote", default="origin", help="git remote to push to (default: origin)"
    )
    parser.add_argument("--branch", default="gh-pages", help="branch to write (default: gh-pages)")
    parser.add_argument("-m", "--message", help="commit message (default names the URL and HEAD)")
    parser.add_argument(
        "--no-push", action="store_true", help="only commit to the local branch, do not push"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from newsarchive import sitesize
    from newsarchive.deploy import deploy

    result = deploy(
        settings,
        remote=args.remote,
        branch=args.branch,
        message=args.message,
        push=not args.no_push,
        limits=sitesize.GITHUB_PAGES,
    )
    print(
        f"checked {result.report.pages} pages, {result.report.internal} internal references: "
        "none broken"
    )
    print(result.budget.report().splitlines()[0])
    print(f"committed {result.commit[:12]} to {result.branch} ({result.base_url})")
    if result.pushed:
        print(f"pushed to {result.remote}/{result.branch}")
    else:
        print(f"not pushed (--no-push): `git push {result.remote} {result.branch}` publishes it")
    return 0
