"""Headless Chromium on a publish build served as GitHub Pages serves it (search benchmarks).

Debian's ``chromium`` driven by Python ``playwright`` (nothing downloads a browser build);
the site is served by newsarchive's Pages-like server under the ``/REPO/`` subpath on the
port it was built for (benchlib.sites). Timings are taken inside the page
(``performance.now()``, milliseconds from the navigation's start), so the driver's own
latency is not in them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchlib.sites import BASE_PATH

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Records when the first search result reaches the page.
FIRST_RESULT = """
window.__firstResult = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.search-result')) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"""
# One more query typed in the open page: milliseconds until its results are shown.
LATER_QUERY = """
async (query) => {
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const started = performance.now();
  const done = new Promise((resolve) => {
    const check = () => {
      const text = status.textContent;
      if ((text.includes('건') && list.querySelector('.search-result')) || text.includes('없습니다')) {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    observer.observe(list, { childList: true });
  });
  input.value = query;
  document.getElementById('search-form').requestSubmit();
  return done;
}
"""


@dataclass
class FirstQuery:
    ms: list[float]  # first result after navigation start, one per fresh load
    bytes_all: int  # of the last load
    bytes_index: int
    requests: int

    @property
    def median(self) -> float:
        return statistics.median(self.ms)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served(output: Path, port: int) -> Iterator[str]:
    """The site's base URL while it is served (``http://127.0.0.1:PORT/REPO/``)."""
    from newsarchive.pages_server import PagesServer

    with PagesServer(output, base_path=BASE_PATH, port=port) as server:
        yield server.url


def search_url(base: str, query: str = "", **filters: str) -> str:
    params = {"q": query} if query else {}
    params.update(filters)
    return f"{base}search/?{urlencode(params)}"


def _received(requests: list[Any], until_epoch_ms: float, index_part: str) -> dict[str, int]:
    """Response bodies finished by *until_epoch_ms* (page, workers: every request of the
    context), and of them the index's."""
    total = index = count = 0
    for request in requests:
        timing = request.timing
        if (
            timing["responseEnd"] < 0
            or timing["startTime"] + timing["responseEnd"] > until_epoch_ms
        ):
            continue
        size = request.sizes()["responseBodySize"]
        total += size
        count += 1
        if index_part in request.url:
            index += size
    return {"all": total, "index": index, "requests": count}


def first_query(browser: Any, url: str, index_part: str, loads: int) -> FirstQuery:
    """*loads* fresh page loads of *url* (a new browser context each: nothing cached)."""
    times: list[float] = []
    sizes: dict[str, int] = {}
    for _ in range(loads):
        context = browser.new_context(locale="ko-KR")
        finished: list[Any] = []
        context.on("requestfinished", lambda request, into=finished: into.append(request))
        try:
            page = context.new_page()
            page.add_init_script(FIRST_RESULT)
            page.goto(url, wait_until="commit")
            page.wait_for_function("window.__firstResult !== null", timeout=120_000)
            first, origin = page.evaluate("[window.__firstResult, performance.timeOrigin]")
            times.append(first)
            sizes = _received(finished, origin + first, index_part)
        finally:
            context.close()
    return FirstQuery(times, sizes["all"], sizes["index"], sizes["requests"])


def later_queries(browser: Any, url: str, queries: list[str]) -> list[float]:
    """Milliseconds to the results of each of *queries*, typed one after another in the
    page opened at *url* (after its own first results)."""
    context = browser.new_context(locale="ko-KR")
    try:
        page = context.new_page()
        page.add_init_script(FIRST_RESULT)
        page.goto(url)
        page.wait_for_function("window.__firstResult !== null", timeout=120_000)
        return [page.evaluate(LATER_QUERY, q) for q in queries]
    finally:
        context.close()
