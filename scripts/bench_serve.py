"""What a writer waits for in ``newsarchive serve``, at archive scale, search on.

For each archive size (default 1,000 and 10,000 articles) this writes the synthetic archive
of ``scripts/bench.py`` (stand-in Markdown, the registry of its cast) into a temporary
folder, then:

1. builds it with ``newsarchive build`` (a fresh process, search on as by default);
2. starts ``newsarchive serve`` as a process of its own and times how long until the home
   page is served (the build already made the site current);
3. saves edits of each kind (body, title, section, a person added to ``people``, a new
   article, a deleted article, a template, the CSS), one every ``--gap`` seconds, and for
   each save measures the time from the write to the moment a browser's long-poll is told
   to reload, then checks that the page served carries the edit;
4. checks that a word written into a body is found by the search page (headless Chromium)
   and prints how long after the save it was first found.

It prints, per kind, the median and p95 of save-to-reload, and the load average.

Usage: .venv/bin/python scripts/bench_serve.py [--sizes 1000,10000] [--saves 5] [--gap 2]
       [--kinds body,title,...] [--template-saves N] [--no-search] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchlib import project as bench_project  # noqa: E402
from benchlib import synth  # noqa: E402

KINDS = ("body", "title", "section", "person", "new", "delete", "template", "css")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def make_archive(root: Path, count: int, search: bool) -> None:
    (root / "content" / "pages").mkdir(parents=True)
    (root / "content" / "raw").mkdir(parents=True)
    bench_project.write_standin_articles(root, count, seed=0)
    synth.write_registry(root / "content" / "entities.yaml", seed=0)
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: 소개\nslug: about\n---\n\n벤치마크용 아카이브.\n", encoding="utf-8"
    )
    repo = HERE.parent
    shutil.copytree(repo / "themes", root / "themes")
    (root / "newsarchive.toml").write_text(f"search = {str(search).lower()}\n", encoding="utf-8")


def get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (loopback only)
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(head), body


def write_front_matter(path: Path, meta: dict, body: str) -> None:
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def url_of(meta: dict) -> str:
    return quote(f"{str(meta['date'])[:4]}/{str(meta['date'])[5:7]}/{meta['slug']}/")


class Server:
    """``newsarchive serve`` in a process of its own, and a browser's long-poll."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [
            sys.executable,
            "-m",
            "newsarchive",
            "serve",
            "--root",
            str(root),
            "--port",
            str(self.port),
            "--no-open",
            "-q",
        ]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def first_page(self, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"serve exited: {self.process.stderr.read().decode()[-2000:]}")
            with contextlib.suppress(OSError):
                status, _ = get(self.url, timeout=5)
                if status == 200:
                    return time.perf_counter() - self.started
            time.sleep(0.02)
        raise SystemExit("serve did not answer")

    def epoch(self) -> int:
        return int(json.loads(get(self.url + "__newsarchive/poll?epoch=0", 10)[1])["epoch"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_save(
    server: Server, save: Callable[[], str], check: Callable[[], bool], timeout: float = 900
) -> float:
    """Seconds from the save to the first reload answer of a parked long-poll after which
    the page served shows the edit (a browser polls again after an answer that is not for
    its edit: a build that was running when the file was saved, or the server's poll
    period ending with nothing new)."""
    epoch = server.epoch()
    answer: dict = {}

    def poll() -> None:
        answer.clear()
        answer.update(json.loads(get(f"{server.url}__newsarchive/poll?epoch={epoch}", 600)[1]))
        answer["at"] = time.perf_counter()

    waiter = threading.Thread(target=poll)
    waiter.start()
    time.sleep(0.05)  # parked on the server, as a browser's would be
    saved = time.perf_counter()
    what = save()
    while True:
        waiter.join()
        action = answer.get("action")
        if action == "error":
            raise SystemExit(f"the build failed after {what}: {answer}")
        if action in ("reload", "css") and check():
            return answer["at"] - saved
        if time.perf_counter() - saved > timeout:
            raise SystemExit(f"the page served does not show {what} after {timeout:.0f} s")
        epoch = answer.get("epoch", epoch)
        waiter = threading.Thread(target=poll)
        waiter.start()


def search_finds(server: Server, word: str, timeout: float) -> float | None:
    """Seconds until the search page lists a result for *word* (None: not within timeout)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
    started = time.perf_counter()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            while time.perf_counter() - started < timeout:
                page = browser.new_page()
                page.goto(f"{server.url}search/?q={quote(word)}")
                with contextlib.suppress(Exception):
                    page.wait_for_selector("#search-results li", timeout=5000)
                    if word in page.inner_text("#search-results"):
                        page.close()
                        return time.perf_counter() - started
                page.close()
                time.sleep(0.5)
        finally:
            browser.close()
    return None


def bench_size(
    count: int,
    saves: int,
    gap: float,
    search: bool,
    kinds: tuple[str, ...] = KINDS,
    template_saves: int | None = None,
) -> dict:
    work = Path(tempfile.mkdtemp(prefix="newsarchive-bench-serve-"))
    results: dict = {"articles": count, "search": search}
    try:
        root = work / "site"
        root.mkdir()
        make_archive(root, count, search)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "newsarchive", "build", "--root", str(root), "-q"], check=True
        )
        results["cold_build_s"] = time.perf_counter() - started
        server = Server(root)
        try:
            results["first_page_s"] = server.first_page()
            articles = sorted((root / "content" / "articles").rglob("*.md"))
            latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
            for run in range(saves):
                for kind in kinds:
                    if kind == "template" and run >= (template_saves or saves):
                        continue
                    target = articles[
                        (len(articles) * (run + 1)) // (saves + 2) + KINDS.index(kind)
                    ]
                    save, check = edit(root, kind, target, run, server)
                    latencies[kind].append(timed_save(server, save, check))
                    time.sleep(gap)
            results["kinds"] = {
                kind: {"median_s": statistics.median(v), "p95_s": p95(v), "runs": len(v)}
                for kind, v in latencies.items()
                if v
            }
            if search:
                word = "반딧불이검색어"
                article = articles[len(articles) // 3]
                with article.open("a", encoding="utf-8") as handle:
                    handle.write(f"\n{word} 문단.\n")
                results["search_found_s"] = search_finds(server, word, timeout=60)
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def edit(root: Path, kind: str, article: Path, run: int, server: Server):
    """(save, check) of one edit of *kind*."""
    meta, body = front_matter(article)
    url = url_of(meta)
    marker = f"벤치마크 {kind} {run}"

    def page_has(text: str, page: str | None = None) -> Callable[[], bool]:
        return lambda: text in get(server.url + (page if page is not None else url))[1].decode()

    if kind == "body":
        return (
            lambda: write_front_matter(article, meta, body + f"\n{marker} 문단.\n") or marker
        ), page_has(marker)
    if kind == "title":
        return (
            lambda: (
                write_front_matter(article, {**meta, "title": f"{marker} {meta['title']}"}, body)
                or marker
            )
        ), page_has(marker)
    if kind == "section":
        sections = [s for s in synth.SECTIONS if s != meta.get("section")]
        new = sections[run % len(sections)]
        return (
            lambda: write_front_matter(article, {**meta, "section": new}, body) or new
        ), page_has(f">{new}</a>")
    if kind == "person":
        name = f"벤치인물{run}"
        people = [*(meta.get("people") or []), {"name": name}]
        return (
            lambda: write_front_matter(article, {**meta, "people": people}, body) or name
        ), page_has(name)
    if kind == "new":
        new_meta = {**meta, "slug": f"bench-new-{run}", "title": marker}
        target = article.parent / f"bench-new-{run}.md"
        return (lambda: write_front_matter(target, new_meta, body) or marker), page_has(
            marker, url_of(new_meta)
        )
    if kind == "delete":
        return (lambda: article.unlink() or "delete"), (lambda: get(server.url + url)[0] == 404)
    if kind == "template":
        footer = root / "themes" / "newsroom" / "templates" / "partials" / "footer.html"
        text = footer.read_text(encoding="utf-8")
        new = (
            text.replace("</footer>", f"<!-- {marker} --></footer>")
            if "<!-- 벤치마크" not in text
            else text.split("<!-- 벤치마크")[0].rstrip() + f"<!-- {marker} --></footer>\n"
        )
        return (lambda: footer.write_text(new, encoding="utf-8") or marker), page_has(marker, "")
    css = root / "themes" / "newsroom" / "static" / "css" / "style.css"
    return (
        lambda: (
            css.write_text(css.read_text(encoding="utf-8") + f"\n/* {marker} */\n", "utf-8")
            or marker
        ),
        page_has(marker, "theme/css/style.css"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated article counts")
    parser.add_argument("--saves", type=int, default=5, help="saves of each kind per size")
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between saves")
    parser.add_argument("--no-search", action="store_true", help="search = false")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"comma-separated edit kinds ({','.join(KINDS)})"
    )
    parser.add_argument(
        "--template-saves",
        type=int,
        help="saves of a template (each renders most pages: fewer at 10,000 articles)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        kinds = tuple(k for k in args.kinds.split(",") if k)
        unknown = set(kinds) - set(KINDS)
        if unknown:
            parser.error(f"unknown edit kinds: {', '.join(sorted(unknown))}")
        result = bench_size(
            size, args.saves, args.gap, not args.no_search, kinds, args.template_saves
        )
        results.append(result)
        if args.json:
            continue
        print(
            f"{size:>6} articles (search {'on' if result['search'] else 'off'}): cold build "
            f"{result['cold_build_s']:.1f} s; serve, first page {result['first_page_s']:.2f} s",
            flush=True,
        )
        for kind, figures in result["kinds"].items():
            print(
                f"    {kind:<9} save-to-reload median {figures['median_s']:.3f} s, "
                f"p95 {figures['p95_s']:.3f} s ({figures['runs']} saves)",
                flush=True,
            )
        if result["search"]:
            found = result.get("search_found_s")
            shown = "not within 60 s" if found is None else f"{found:.1f} s after the save"
            print(f"    a new word in a body found by the search page: {shown}", flush=True)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
