"""Child driver: the one-article rebuild as ``newsarchive serve`` sees it (one live process).

Run by ``scripts/bench.py`` with the project's interpreter as
``python benchlib/inprocess.py ROOT ARTICLE RUNS``: builds once to warm up, then for each run
edits ARTICLE's body, times ``build_site`` and prints ``{"seconds": …}`` on a line of its own.
The article is restored before exiting.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    root, article, runs = Path(argv[0]), Path(argv[1]), int(argv[2])
    from newsarchive.build import build_site
    from newsarchive.config import load_settings

    settings = load_settings(root)
    build_site(settings)
    original = article.read_text(encoding="utf-8")
    try:
        for run in range(runs):
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
