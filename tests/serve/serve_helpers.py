"""Shared helpers for the dev-server tests: a fake builder, HTTP and raw-socket clients."""

from __future__ import annotations

import html
import http.client
import json
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from newsarchive.config import Settings
from newsarchive.errors import BuildError


class FakeBuilder:
    """Renders content/articles/*.md to output/<stem>/index.html; "BROKEN" fails the build.

    Like the real one it validates everything before writing, so a failure leaves the
    previous output untouched.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.calls: list[frozenset[Path]] = []

    def __call__(self, changes: frozenset[Path]) -> None:
        self.calls.append(changes)
        pages: dict[str, str] = {}
        for source in sorted(self.settings.articles_path.rglob("*.md")):
            text = source.read_text(encoding="utf-8")
            for number, line in enumerate(text.splitlines(), start=1):
                if "BROKEN" in line:
                    raise BuildError("cannot parse <front matter>", path=source, line=number)
            pages[source.stem] = text
        out = self.settings.output_path
        out.mkdir(parents=True, exist_ok=True)
        for stem, text in pages.items():
            page = out / stem / "index.html"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(
                '<!DOCTYPE html><html><head><link rel="stylesheet" href="/theme/style.css">'
                f"</head><body><main>{html.escape(text)}</main></body></html>",
                encoding="utf-8",
            )
        css = self.settings.theme_path / "static" / "style.css"
        if css.exists():
            (out / "theme").mkdir(exist_ok=True)
            (out / "theme" / "style.css").write_bytes(css.read_bytes())
        (out / "404.html").write_text(
            "<!DOCTYPE html><html><body><h1>없는 페이지</h1></body></html>", encoding="utf-8"
        )


def make_project(root: Path) -> None:
    (root / "content" / "articles" / "2024").mkdir(parents=True)
    (root / "content" / "raw").mkdir(parents=True)
    (root / "themes" / "newsroom" / "static").mkdir(parents=True)
    (root / "content" / "articles" / "2024" / "first.md").write_text(
        "첫 기사 본문\n", encoding="utf-8"
    )
    (root / "themes" / "newsroom" / "static" / "style.css").write_text(
        "main { color: rgb(0, 0, 0); }\n", encoding="utf-8"
    )


def get(url: str, timeout: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def raw_request(
    url: str, target: str, host: str | None = None, *, no_host: bool = False
) -> tuple[int, bytes]:
    """Send the request line exactly as given: http.client would normalise nothing either,
    but this makes sure no client library touches the `..`. *host* is the Host header
    (default: the URL's); *no_host* sends none at all."""
    parts = urlsplit(url)
    host_line = "" if no_host else f"Host: {parts.netloc if host is None else host}\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"GET {target} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n".encode("latin-1")
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def page_epoch(body: bytes) -> int:
    marker = b"window.__newsarchiveReload="
    start = body.index(marker) + len(marker)
    end = body.index(b";</script>", start)
    return json.loads(body[start:end])["epoch"]


def poll(base: str, epoch: int, timeout: float = 15.0) -> dict:
    status, _, body = get(f"{base}__newsarchive/poll?epoch={epoch}", timeout=timeout)
    assert status == 200
    return json.loads(body)


def wait_for(predicate, timeout: float = 10.0, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def atomic_write(path: Path, text: str) -> None:
    """What many editors do on save: write a temp file next to it, then rename over."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
