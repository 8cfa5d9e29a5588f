"""Child driver: the one-article rebuild as ``newsarchive serve`` sees it (one live process).

Run by ``scripts/bench.py`` with the project's interpreter as
``python benchlib/inprocess.py ROOT ARTICLE RUNS [--step]``: builds once to warm up, then for
each run edits ARTICLE's body, times ``build_site`` and prints ``{"seconds": …}`` on a line of
its own. The article is restored before exiting.

With ``--step`` it prints ``{"ready": true}`` after the warm-up and waits for a line on stdin
before each run (stopping at end of input), so that bench.py can alternate two live
processes run by run: an older checkout's (``bench.py --before``) and ours. It uses nothing
but ``load_settings(root)`` and ``build_site(settings)``, which older checkouts have too, so
the same file drives an older checkout's code when run with ``PYTHONPATH=OLDER/src``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    root, article, runs = Path(argv[0]), Path(argv[1]), int(argv[2])
    step = "--step" in argv[3:]
    from newsarchive.build import build_site
    from newsarchive.config import load_settings

    settings = load_settings(root)
    build_site(settings)
    if step:
        print(json.dumps({"ready": True}), flush=True)
    original = article.read_text(encoding="utf-8")
    try:
        for run in range(runs):
            if step and not sys.stdin.readline():
                break
            article.write_text(
                f"{original.rstrip()}\n\n벤치마크 수정 문단 {run + 1}번째입니다.\n",
                encoding="utf-8",
            )
            start = time.perf_counter()
            build_site(settings)
            print(json.dumps({"seconds": time.perf_counter() - start}), flush=True)
    finally:
        article.write_text(original, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
