"""Save-to-reload latency of ``newsarchive serve``, next to a full build, in one run.

For each archive size (default 1,000 and 10,000 articles) this writes a synthetic archive
of Markdown articles into a temporary folder outside the repository (the same generator as
``scripts/bench.py``), then:

1. starts the real dev server (watchdog observer, debouncer, staged build, HTTP long-poll)
   on a free loopback port and edits one article's body N times (default 20); each time it
   measures from the moment the file is written to the moment a browser's long-poll receives
   the reload answer, and checks the page then served carries the new text;
2. prints median and p95 of that latency, the rebuild alone (build + publish into output/,
   without the debounce wait), the search index refresh that runs once the saves stop (the
   edits follow each other without pause, as a writer's saves would, so it is deferred to
   the end), and the time of a full build into a fresh folder in the same warm process.

Usage: ``.venv/bin/python scripts/bench_serve.py [--sizes 1000,10000] [--edits 20]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import project as bench_project
from benchlib import synth


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _make_archive(root: Path, count: int) -> None:
    (root / "content" / "pages").mkdir(parents=True)
    (root / "content" / "raw").mkdir(parents=True)
    bench_project.write_standin_articles(root, count, seed=0)
    synth.write_registry(root / "content" / "entities.yaml", seed=0)
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: 소개\nslug: about\n---\n\n벤치마크용 아카이브.\n", encoding="utf-8"
    )


def _get(url: str, timeout: float) -> bytes:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (checked above)
        return resp.read()


def _poll(url: str, epoch: int, into: dict) -> None:
    into.update(json.loads(_get(f"{url}__newsarchive/poll?epoch={epoch}", timeout=600)))


def _article_url(article: Path) -> str:
    from newsarchive.model import Article

    text = article.read_text(encoding="utf-8")
    import yaml

    meta = yaml.safe_load(text.split("---\n", 2)[1])
    parsed = Article.from_front_matter(meta, path=article)
    return quote(f"{parsed.date:%Y}/{parsed.date:%m}/{parsed.slug}/")


def bench_size(count: int, edits: int, delay: float) -> dict:
    from newsarchive.build import build_site
    from newsarchive.config import load_settings
    from newsarchive.devserver import LiveSession
    from newsarchive.devserver.sitebuild import SiteBuilder

    work = Path(tempfile.mkdtemp(prefix="newsarchive-bench-serve-"))
    try:
        root = work / "site"
        root.mkdir()
        _make_archive(root, count)
        settings = load_settings(root)

        lock = threading.RLock()
        builder = SiteBuilder(settings, lock, importer=lambda _s, _d: ([], []))
        session = LiveSession(settings, builder, site_lock=lock, delay=delay, poll_timeout=600)
        latencies: list[float] = []
        rebuilds: list[float] = []
        try:
            assert session.start(initial_build=True), session.hub.failure
            articles = sorted(settings.articles_path.rglob("*.md"))
            article = articles[len(articles) // 2]
            url_path = _article_url(article)
            original = article.read_text(encoding="utf-8")
            epoch = session.hub.epoch
            modes_seen: set[str] = set()
            for run in range(edits):
                marker = f"벤치마크 편집 {run + 1}번째 문단."
                answer: dict = {}
                waiter = threading.Thread(target=_poll, args=(session.url, epoch, answer))
                waiter.start()
                time.sleep(0.05)  # the poll is parked on the server, as a browser's would be
                saved = time.perf_counter()
                article.write_text(f"{original.rstrip()}\n\n{marker}\n", encoding="utf-8")
                waiter.join()
                latencies.append(time.perf_counter() - saved)
                rebuilds.append(session.rebuilder.last_duration)
                modes_seen.add(builder.last_mode)
                if answer.get("action") != "reload":
                    raise SystemExit(f"unexpected answer {answer}")
                epoch = answer["epoch"]
                if marker not in _get(session.url + url_path, timeout=60).decode("utf-8"):
                    raise SystemExit("the reloaded page does not show the edit")
                # the next save comes right away, as a writer's would: the search index
                # refresh stays deferred until the saves stop (measured once, below)
                session.wait_idle(timeout=600, deferred=False)
            copied = builder.last_stats.copied
            session.wait_idle(timeout=3600)
            search_refresh = session.rebuilder.last_follow_up
            modes = sorted(modes_seen)
        finally:
            session.stop()
        # a full build into a fresh folder, in the same (warm) process, for comparison
        started = time.perf_counter()
        build_site(settings.replace(output_dir="full"))
        full = time.perf_counter() - started
        return {
            "articles": count,
            "full_build_s": full,
            "reload_median_s": statistics.median(latencies),
            "reload_p95_s": _p95(latencies),
            "rebuild_median_s": statistics.median(rebuilds),
            "files_published_last_edit": copied,
            "search_refresh_s": search_refresh,
            "modes": modes,
            "edits": edits,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--edits", type=int, default=20, help="edits per size")
    parser.add_argument("--delay", type=float, default=0.15, help="debounce quiet period (s)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        result = bench_size(size, args.edits, args.delay)
        results.append(result)
        if not args.json:
            print(
                f"{result['articles']:>6} articles: save-to-reload median "
                f"{result['reload_median_s']:.2f} s, p95 {result['reload_p95_s']:.2f} s "
                f"(rebuild alone median {result['rebuild_median_s']:.2f} s, debounce "
                f"{args.delay:.2f} s, {result['files_published_last_edit']} files published, "
                f"{'/'.join(result['modes'])}; then the search index refresh once saves "
                f"stop: {result['search_refresh_s']:.2f} s) | "
                f"full build {result['full_build_s']:.2f} s | "
                f"ratio full/reload {result['full_build_s'] / result['reload_median_s']:.1f}x",
                flush=True,
            )
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
