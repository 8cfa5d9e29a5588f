"""A small static server that answers the way GitHub Pages does, for tests and checks.

A project site is served under ``https://USER.github.io/REPO/``; most broken deployments
come from links that forget that prefix or rely on a server feature Pages lacks. This
server reproduces the Pages rules that matter for links:

- the site lives under a base path (``/REPO/``); anything outside it is a plain 404;
- ``/dir/`` serves ``dir/index.html``; ``/dir`` (a folder) redirects to ``/dir/``;
- ``/page`` falls back to ``page.html``;
- anything missing answers status 404 with the site's own ``404.html``.

:func:`resolve_url_path` holds those rules without any networking so the offline checker
(:mod:`newsarchive.checker`) resolves links exactly as this server (and Pages) would, and
the dev server (:mod:`newsarchive.devserver.server`) previews a site as Pages serves it.
It never serves a file outside its root: ``..`` segments (encoded or not), backslashes,
NUL bytes and absolute paths are refused, and symlinks pointing outside are not followed.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Types Pages sends for what a static site holds; mimetypes' table depends on the OS.
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".gz": "application/gzip",  # compressed sitemaps: served as they are, never decoded
}


@dataclass(frozen=True)
class Resolution:
    """What the server answers for a path: a file (200), a redirect (301) or an error."""

    status: int
    path: Path | None = None
    location: str | None = None


def normalize_base_path(base_path: str) -> str:
    """``REPO``, ``/REPO`` and ``/REPO/`` all mean ``/REPO/``; empty means ``/``."""
    stripped = base_path.strip("/")
    return f"/{stripped}/" if stripped else "/"


def _inside(root_real: str, candidate: Path) -> bool:
    # realpath resolves symlinks, so a link pointing out of the site counts as outside.
    real = os.path.realpath(candidate)
    return real == root_real or real.startswith(root_real + os.sep)


def _file(root_real: str, candidate: Path) -> Path | None:
    if candidate.is_file() and _inside(root_real, candidate):
        return candidate
    return None


def resolve_url_path(root: Path, url_path: str, base_path: str = "/") -> Resolution:
    """Resolve a request path (percent-encoded, no query) the way GitHub Pages does."""
    base_path = normalize_base_path(base_path)
    if not url_path.startswith(base_path):
        if url_path + "/" == base_path:
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=base_path)
        return Resolution(HTTPStatus.NOT_FOUND)
    try:
        rest = unquote(url_path[len(base_path) :], errors="strict")
    except UnicodeDecodeError:
        return Resolution(HTTPStatus.NOT_FOUND)
    if "\x00" in rest or "\\" in rest:
        return Resolution(HTTPStatus.FORBIDDEN)
    segments = rest.split("/")
    if any(segment in (".", "..") for segment in segments):
        return Resolution(HTTPStatus.FORBIDDEN)
    # An empty segment before the last one (``a//b``, ``//etc/passwd``) would let
    # pathlib treat what follows as an absolute path: never a valid site path.
    if any(segment == "" for segment in segments[:-1]):
        return Resolution(HTTPStatus.NOT_FOUND)
    root_real = os.path.realpath(root)
    *folders, last = segments
    if last == "":
        found = _file(root_real, root.joinpath(*folders, "index.html"))
        return Resolution(HTTPStatus.OK, path=found) if found else Resolution(HTTPStatus.NOT_FOUND)
    candidate = root.joinpath(*folders, last)
    found = _file(root_real, candidate)
    if found:
        return Resolution(HTTPStatus.OK, path=found)
    if candidate.is_dir() and _inside(root_real, candidate):
        if _file(root_real, candidate / "index.html"):
            return Resolution(HTTPStatus.MOVED_PERMANENTLY, location=url_path + "/")
        return Resolution(HTTPStatus.NOT_FOUND)
    found = _file(root_real, candidate.with_name(last + ".html"))
    if found:
        return Resolution(HTTPStatus.OK, path=found)
    return Resolution(HTTPStatus.NOT_FOUND)


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _CONTENT_TYPES:
        return _CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        url_path = urlsplit(self.path).path or "/"
        result = resolve_url_path(self.server.root, url_path, self.server.base_path)
        if result.status == HTTPStatus.MOVED_PERMANENTLY:
            self._send(result.status, b"", "text/plain; charset=utf-8", send_body, result.location)
        elif result.status == HTTPStatus.OK and result.path is not None:
            self._send(
                result.status, result.path.read_bytes(), content_type(result.path), send_body
            )
        elif result.status == HTTPStatus.NOT_FOUND and url_path.startswith(self.server.base_path):
            # Pages answers every missing path of a site with that site's own 404.html.
            page = _file(os.path.realpath(self.server.root), self.server.root / "404.html")
            if page:
                self._send(result.status, page.read_bytes(), content_type(page), send_body)
            else:
                self._send(result.status, b"404 Not Found\n", "text/plain", send_body)
        else:
            message = f"{int(result.status)} {HTTPStatus(result.status).phrase}\n".encode()
            self._send(result.status, message, "text/plain", send_body)

    def _send(
        self, status: int, body: bytes, ctype: str, send_body: bool, location: str | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            # a browser that left the page drops its pending requests (the search page's
            # excerpts): nothing to answer, and no traceback
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        # Tests crawl thousands of URLs; request lines would drown their output.
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, base_path: str) -> None:
        self.root = root
        self.base_path = base_path
        super().__init__(address, _Handler)


class PagesServer:
    """Serve *root* under *base_path* on loopback; use as a context manager.

    ``port=0`` lets the OS pick a free port; :attr:`url` is the site's base URL.
    """

    def __init__(
        self, root: Path, base_path: str = "/", host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.root = Path(root).resolve()
        self.base_path = normalize_base_path(base_path)
        self._httpd = _Server((host, port), self.root, self.base_path)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self._httpd.server_address[0]
        return f"http://{host}:{self.port}{self.base_path}"

    def start(self) -> PagesServer:
        # A short poll interval keeps stop() (and so every test using a server) quick.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> PagesServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
