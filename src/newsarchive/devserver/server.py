"""The dev server's HTTP side: serve ``output/`` safely, inject the reload script, answer polls.

A path is answered as GitHub Pages answers it, by the one resolver the Pages test server
and the link checker use (:func:`newsarchive.pages_server.resolve_url_path`), so what a
writer previews is what readers get: ``dir/`` serves ``dir/index.html``, ``dir`` redirects,
``page`` falls back to ``page.html``, with the same content types. Safety rules, because a
dev server on a laptop is still a server:

- a request path is percent-decoded once, then any ``..`` segment is refused (403) before the
  file system is touched; backslashes and NUL bytes are refused too;
- a file must resolve (symlinks followed) inside the served root: a symlink pointing out of
  ``output/`` is not found;
- a missing file answers the site's own ``404.html`` with status 404;
- HTML is sent with the reload script inserted in memory; the file on disk is never changed;
- the ``Host`` header must name this server: the address and port it listens on, or
  ``localhost``/``127.0.0.1``/``[::1]`` with that port (any other answers 421). A page on
  another site can point its own name at 127.0.0.1 (DNS rebinding) and then read whatever
  this server answers, unpublished drafts included: the browser still sends that name;
- the listen backlog is deep enough for a burst of connections (a page with many assets,
  several tabs reloading at once, a load test): with the standard library's 5, a burst of
  200 left connections waiting for SYN retries, seconds each.

Reads happen under ``site_lock``, which the rebuild loop holds while it swaps a freshly built
site into place, so a browser never sees half of an old site and half of a new one.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from newsarchive.devserver.reload import POLL_PATH, SCRIPT_PATH, ReloadHub, inject, script_bytes
from newsarchive.pages_server import content_type, resolve_url_path

log = logging.getLogger(__name__)

_FALLBACK_404 = (
    b'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>404</title></head>'
    b"<body><h1>404</h1><p>Not found.</p></body></html>"
)


def split_host_header(value: str) -> tuple[str, int | None] | None:
    """``"localhost:8000"`` -> ``("localhost", 8000)``; ``"[::1]"`` -> ``("[::1]", None)``.

    None when the value is not a host with an optional numeric port.
    """
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        host, rest = value[: end + 1], value[end + 1 :]
        if end < 0 or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    else:
        host, sep, port_text = value.partition(":")
        port_text = port_text if sep else None
    if not host or (port_text is not None and not port_text.isdigit()):
        return None
    return host, None if port_text is None else int(port_text)


def _ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host[1:-1] if host.startswith("[") else host)
    except ValueError:
        return False
    return True


class DevServer(ThreadingHTTPServer):
    """A threading HTTP server for one folder, with the reload endpoints mounted."""

    daemon_threads = True  # a long-poll in flight must not keep the process alive
    allow_reuse_address = True
    request_queue_size = 1024  # the listen backlog (the kernel caps it at somaxconn)

    def __init__(
        self,
        root: Path,
        hub: ReloadHub,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        site_lock: threading.RLock | None = None,
        poll_timeout: float = 25.0,
    ) -> None:
        self.root = root
        self.hub = hub
        self.site_lock = site_lock or threading.RLock()
        self.poll_timeout = poll_timeout
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _Handler)
        self.allowed_hosts = self._allowed_hosts()

    def _allowed_hosts(self) -> frozenset[str]:
        bound = str(self.server_address[0])
        names = {"localhost", "127.0.0.1", "[::1]", f"[{bound}]" if ":" in bound else bound}
        if ipaddress.ip_address(bound).is_unspecified:
            # Listening on every address (--bind 0.0.0.0): the machine's own name too.
            hostname = socket.gethostname().lower()
            names.update({hostname, f"{hostname}.local"})
        return frozenset(names)

    def host_allowed(self, header: str | None) -> bool:
        """Is *header* (the request's Host) one of this server's own names, with its port?

        An IP literal is always one of ours when the server listens on every address: a
        rebinding page sends its own domain name, never an address.
        """
        parsed = split_host_header(header) if header else None
        if parsed is None:
            return False
        host, port = parsed
        if port != self.server_address[1] and not (port is None and self.server_address[1] == 80):
            return False
        if host in self.allowed_hosts:
            return True
        return ipaddress.ip_address(str(self.server_address[0])).is_unspecified and _ip_literal(
            host
        )

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.2}, name="devserver-http"
        )
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        """Release polls, stop accepting, close the socket."""
        self.hub.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: DevServer
    protocol_version = "HTTP/1.1"
    server_version = "newsarchive-serve"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def do_GET(self) -> None:
        self._respond(head=False)

    # ------------------------------------------------------------------------------------
    def _respond(self, *, head: bool) -> None:
        host = self.headers.get("Host")
        if not self.server.host_allowed(host):
            body = (
                f"421 Misdirected Request: this development server answers for "
                f"{self.server.url} only, not for Host {host!r}\n"
            ).encode()
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8", body, head)
            return
        url_path = urlsplit(self.path).path or "/"
        if url_path == POLL_PATH:
            self._poll(head)
            return
        if url_path == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", script_bytes(), head)
            return
        body = None
        with self.server.site_lock:
            found = resolve_url_path(self.server.root, url_path)
            if found.path is not None:
                with contextlib.suppress(OSError):
                    body = found.path.read_bytes()
        if found.status == HTTPStatus.MOVED_PERMANENTLY:
            self._send(
                found.status, "text/plain; charset=utf-8", b"", head, location=found.location
            )
        elif found.status == HTTPStatus.FORBIDDEN:
            self._send(found.status, "text/plain; charset=utf-8", b"403 Forbidden\n", head)
        elif found.path is None or body is None:
            self._not_found(head)
        else:
            ctype = content_type(found.path)
            if ctype.startswith("text/html"):
                output_name = found.path.relative_to(self.server.root).as_posix()
                body = inject(body, self.server.hub.page_state(output_name))
            self._send(HTTPStatus.OK, ctype, body, head)

    def _not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        with self.server.site_lock:
            try:
                body = page.read_bytes()
            except OSError:
                body = _FALLBACK_404
        body = inject(body, self.server.hub.page_state())
        self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body, head)

    def _poll(self, head: bool) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            epoch = int(query.get("epoch", ["0"])[0])
        except ValueError:
            self._send(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad epoch\n", head)
            return
        page = query.get("page", [None])[0]
        answer = self.server.hub.wait(epoch, timeout=self.server.poll_timeout, page=page)
        body = json.dumps(answer, ensure_ascii=False).encode()
        self._send(HTTPStatus.OK, "application/json; charset=utf-8", body, head)

    def _send(
        self,
        status: int,
        ctype: str,
        body: bytes,
        head: bool,
        *,
        location: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        # Writers edit constantly: never let the browser keep a stale copy.
        self.send_header("Cache-Control", "no-store")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            # the tab may have been closed or reloaded mid-answer
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)
