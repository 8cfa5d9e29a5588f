"""A burst of concurrent requests at ``newsarchive serve``: are all answered, and how fast?

Each request opens its own connection (what a page with many assets, several reloading
tabs or a link checker do), all released at once by a barrier, so the server's listen
backlog and accept loop are what is measured. Prints, per server, the answers by status,
the failures (time-outs, resets) and p50/p90/p99/max of the time from connect to the last
byte, over every round; and the load average before and after (the machine may be shared:
compare servers of one run only).

    .venv/bin/python scripts/bench_serve_load.py                     # starts `serve` itself
    .venv/bin/python scripts/bench_serve_load.py --url http://127.0.0.1:8000/
    .venv/bin/python scripts/bench_serve_load.py --before OLD_CHECKOUT      # side by side

Without ``--url`` it writes a small synthetic archive into a temporary folder and starts
``newsarchive serve --port 0`` on a copy of it with this checkout's code, and with an older
checkout's (``--before DIR``, DIR its repository root, run with this interpreter and
``PYTHONPATH=DIR/src``, as ``scripts/bench_edit.py`` does), then alternates the bursts
between them. The last line is ``answered N/M`` summed over every server (the tests read
it); the exit status is 1 when any request was not answered.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass
class Tally:
    """The answers one server gave over every round."""

    label: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(self.statuses.values())

    @property
    def sent(self) -> int:
        return self.answered + sum(self.failures.values())


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def burst(url: str, count: int, timeout: float, tally: Tally) -> None:
    """Fire *count* requests for *url* at once, each on its own connection."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None:
        raise SystemExit(f"not an http:// URL: {url}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    barrier = threading.Barrier(count)
    lock = threading.Lock()

    def one() -> None:
        barrier.wait()
        start = time.monotonic()
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                status = response.status
            finally:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            with lock:
                name = type(exc).__name__
                tally.failures[name] = tally.failures.get(name, 0) + 1
            return
        elapsed = time.monotonic() - start
        with lock:
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            tally.latencies.append(elapsed)

    threads = [threading.Thread(target=one, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout + 5)


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def _make_archive(root: Path, count: int) -> None:
    from benchlib import project as bench_project

    (root / "content" / "pages").mkdir(parents=True)
    (root / "content" / "raw").mkdir(parents=True)
    bench_project.write_standin_articles(root, count, seed=0)
    (root / "content" / "pages" / "about.md").write_text(
        "---\ntitle: 소개\nslug: about\n---\n\n부하 시험용 아카이브.\n", encoding="utf-8"
    )
    (root / "newsarchive.toml").write_text("search = false\n", encoding="utf-8")


class ServeProcess:
    """``PYTHON -m newsarchive serve --port 0`` on *root*, until :meth:`stop`."""

    def __init__(self, label: str, source: Path, root: Path, startup: float) -> None:
        self.label = label
        command = [sys.executable, "-m", "newsarchive", "serve", "--root", str(root)]
        command += ["--port", "0", "--no-open", "-q"]
        env = {**os.environ, "PYTHONPATH": str(source / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        deadline = time.monotonic() + startup
        self.url = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            match = re.search(r"Serving on (http://\S+)", line)
            if match:
                self.url = match.group(1)
                return
        self.stop()
        raise SystemExit(f"{label}: `newsarchive serve` did not start within {startup:.0f} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def report(tallies: list[Tally], requests: int, rounds: int, load_before: str) -> None:
    print(f"{requests} concurrent requests x {rounds} round(s) per server")
    print(f"load average before: {load_before}; after: {_load()}")
    print(
        f"{'server':<30} {'answered':>9} {'failed':>7} {'p50 s':>7} {'p90 s':>7} {'p99 s':>7} {'max s':>7}"
    )
    for tally in tallies:
        if tally.latencies:
            p50, p90, p99 = (_percentile(tally.latencies, f) for f in (0.5, 0.9, 0.99))
            figures = f"{p50:7.3f} {p90:7.3f} {p99:7.3f} {max(tally.latencies):7.3f}"
        else:
            figures = " " * 31
        print(
            f"{tally.label[-30:]:<30} {tally.answered:>9} {sum(tally.failures.values()):>7} "
            f"{figures}"
        )
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses.items()))
        failures = ", ".join(f"{name}: {n}" for name, n in sorted(tally.failures.items()))
        print(f"    statuses {statuses or '-'}; failures {failures or 'none'}")
    if len(tallies) > 1 and all(t.latencies for t in tallies):
        now = statistics.median(tallies[-1].latencies)
        for tally in tallies[:-1]:
            ratio = statistics.median(tally.latencies) / now
            print(f"median {tally.label} / now: {ratio:.1f}x")
    answered = sum(t.answered for t in tallies)
    print(f"answered {answered}/{sum(t.sent for t in tallies)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server's page (default: start `serve` here)")
    parser.add_argument("--requests", type=int, default=200, help="concurrent requests")
    parser.add_argument("--rounds", type=int, default=5, help="bursts per server")
    parser.add_argument("--timeout", type=float, default=30.0, help="client time-out, seconds")
    parser.add_argument(
        "--before", type=Path, metavar="DIR", help="also serve an older checkout's code"
    )
    parser.add_argument("--articles", type=int, default=200, help="size of the archive served")
    parser.add_argument("--startup", type=float, default=300.0, help="seconds to wait for serve")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.rounds < 1:
        parser.error("--requests and --rounds must be at least 1")

    load_before = _load()
    if args.url:
        tally = Tally(args.url)
        for _ in range(args.rounds):
            burst(args.url, args.requests, args.timeout, tally)
        report([tally], args.requests, args.rounds, load_before)
        return 0 if tally.answered == tally.sent else 1

    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    servers: list[ServeProcess] = []
    try:
        _make_archive(work / "site", args.articles)
        sources = {"now": ROOT}
        if args.before:
            sources = {"before": args.before.resolve(), **sources}
        for label, source in sources.items():
            # a copy of the archive each: every server builds into its own output/
            root = work / label
            shutil.copytree(work / "site", root)
            servers.append(ServeProcess(label, source, root, args.startup))
        tallies = [Tally(server.label) for server in servers]
        for _ in range(args.rounds):
            for server, tally in zip(servers, tallies, strict=True):
                burst(server.url, args.requests, args.timeout, tally)
        report(tallies, args.requests, args.rounds, load_before)
        return 0 if all(t.answered == t.sent for t in tallies) else 1
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
