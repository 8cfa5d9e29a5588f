"""`newsarchive serve` as a writer runs it: builds, serves, stops cleanly on Ctrl-C/SIGTERM."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serve_helpers import get

from newsarchive.commands.serve import choose_host
from newsarchive.config import load_settings

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site"


def _start(root: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "newsarchive",
            "serve",
            "--root",
            str(root),
            "--port",
            "0",
            "--no-open",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("Serving on "):
            return proc, line.split()[-1]
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"serve did not start: {proc.stderr.read()}")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_builds_serves_and_exits_0_on_signal(site, sig):
    proc, url = _start(site)
    try:
        assert url.startswith("http://127.0.0.1:")
        status, _, body = get(url)
        assert status == 200
        assert b"/__newsarchive/livereload.js" in body
        # the built file on disk carries no dev script
        assert b"__newsarchive" not in (site / "output" / "index.html").read_bytes()
        proc.send_signal(sig)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the socket is closed: nothing answers any more
    with pytest.raises(OSError):
        get(url, timeout=2)


def test_bind_defaults_to_loopback_and_needs_the_option(tmp_path):
    settings = load_settings(tmp_path)
    assert choose_host(None, settings) == "127.0.0.1"
    assert choose_host("0.0.0.0", settings) == "0.0.0.0"  # explicit --bind
    # a settings file cannot silently expose the server
    exposed = settings.replace(serve_bind="0.0.0.0")
    assert choose_host(None, exposed) == "127.0.0.1"
    assert choose_host(None, settings.replace(serve_bind="::1")) == "::1"


def test_help_documents_the_options():
    from newsarchive.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[
        "serve"
    ]
    text = sub.format_help()
    for option in ("--port", "--bind", "--no-open"):
        assert option in text
