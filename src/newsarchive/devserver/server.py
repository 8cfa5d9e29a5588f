"""The dev server's HTTP side: serve ``output/`` safely, inject the reload script, answer polls.

Safety rules, because a dev server on a laptop is still a server:

- a request path is percent-decoded once, then any ``..`` segment is refused (403) before the
  file system is touched; backslashes and NUL bytes are refused too;
- the joined path is resolved (symlinks followed) and must stay inside the served root, so a
  symlink pointing out of ``output/`` is refused (403);
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
import mimetypes
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newsarchive.devserver.reload import POLL_PATH, SCRIPT_PATH, ReloadHub, inject, script_bytes

log = logging.getLogger(__name__)

_FALLBACK_404 = (
    b'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>404</title></head>'
    b"<body><h1>404</h1><p>Not found.</p></body></html>"
)


class Forbidden(Exception):
    """The request path tries to leave the served root."""


class Redirect(Exception):
    """A folder was asked for without its trailing slash."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def request_path(target: str) -> str:
    """The path part of a request target, percent-decoded once."""
    if target.startswith(("http://", "https://")):  # absolute-form (proxies)
        raw = urlsplit(target).path or "/"
    else:
        raw = target.split("?", 1)[0].split("#", 1)[0]
    return unquote(raw, errors="strict")


def resolve(root: Path, target: str) -> Path | None:
    """Map a request target to a file below ``root``.

    Returns None when nothing is there; raises :class:`Forbidden` for any attempt to
    leave ``root`` and :class:`Redirect` for a folder named without its trailing slash.
    """
    try:
        path = request_path(target)
    except UnicodeDecodeError as exc:
        raise Forbidden(target) from exc
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        raise Forbidden(target)
    segments = path.split("/")
    if ".." in segments:
        raise Forbidden(target)
    parts = [s for s in segments if s not in ("", ".")]
    base = root.resolve()
    candidate = base.joinpath(*parts)
    try:
        real = candidate.resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # symlink loops
        raise Forbidden(target) from exc
    if not real.is_relative_to(base):
        raise Forbidden(target)
    if real.is_dir():
        if not path.endswith("/"):
            raise Redirect(quote(path + "/"))
        real = (real / "index.html").resolve()
        if not real.is_relative_to(base):
            raise Forbidden(target)
    return real if real.is_file() else None


def content_type(path: Path) -> str:
    if path.suffix in (".html", ".htm"):
        return "text/html; charset=utf-8"
    if path.suffix == ".xml":
        return "application/xml; charset=utf-8"
    if path.suffix == ".gz":  # a gzip'd sitemap: the file as it is, as Pages serves it
        return "application/gzip"
    guess, _ = mimetypes.guess_type(path.name)
    if guess is None:
        return "application/octet-stream"
    if guess.startswith("text/") or guess in ("application/javascript", "application/json"):
        return f"{guess}; charset=utf-8"
    return guess


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
        try:
            path_only = request_path(self.path)
        except UnicodeDecodeError:
            path_only = ""
        if path_only == POLL_PATH:
            self._poll(head)
            return
        if path_only == SCRIPT_PATH:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", script_bytes(), head)
            return
        try:
            with self.server.site_lock:
                file = resolve(self.server.root, self.path)
                body = file.read_bytes() if file is not None else None
        except Forbidden:
            self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"403 Forbidden\n", head)
            return
        except Redirect as redirect:
            self._send(
                HTTPStatus.MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                b"",
                head,
                location=redirect.location,
            )
            return
        except OSError:
            file, body = None, None
        if file is None or body is None:
            self._not_found(head)
            return
        ctype = content_type(file)
        if ctype.startswith("text/html"):
            body = inject(body, self.server.hub.page_state(_output_name(self.server.root, file)))
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
        status: HTTPStatus,
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


def _output_name(root: Path, file: Path) -> str | None:
    """The output file a served page is, as the build names it (``2024/04/slug/index.html``)."""
    try:
        return file.relative_to(root.resolve()).as_posix()
    except ValueError:
        return None
