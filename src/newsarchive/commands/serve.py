"""Build the site, serve it on http://127.0.0.1:8000 and rebuild on every save.

Watches content/ (articles, pages, entities.yaml), content/raw/ (a new or changed dump is
imported, then built), themes/ and the settings files. Open pages reload by themselves after
each rebuild; a CSS-only change swaps stylesheets without reloading; a failed build keeps
the last good site and shows the error (file, line, message) over the page until it is fixed.

The server listens on the loopback address only, unless --bind names another address, and
answers only requests addressed to it by that address, localhost, 127.0.0.1 or [::1] with
its port (anything else gets 421: a web page cannot read the site through DNS rebinding).
Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from newsarchive.config import Settings
from newsarchive.errors import ConfigError
from newsarchive.hosts import is_loopback_host

HELP = "build, serve on 127.0.0.1 and rebuild + reload the browser on every save"

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=None, help="TCP port (default: serve_port, 8000; 0 = any free)"
    )
    parser.add_argument(
        "--bind",
        metavar="ADDR",
        default=None,
        help="address to listen on (default 127.0.0.1; anything else exposes your drafts)",
    )
    parser.add_argument(
        "--no-open", action="store_true", help="do not open the site in a web browser"
    )


def choose_host(bind: str | None, settings: Settings) -> str:
    """--bind wins; the settings file may only pick another loopback address."""
    if bind:
        return bind
    if is_loopback_host(settings.serve_bind):
        return settings.serve_bind
    log.warning(
        "serve_bind %r in the settings is not a loopback address; listening on 127.0.0.1 "
        "(pass --bind %s to expose the server on purpose)",
        settings.serve_bind,
        settings.serve_bind,
    )
    return "127.0.0.1"


def run(args: argparse.Namespace, settings: Settings) -> int:
    import webbrowser  # (every command's module is loaded to make the parser: kept light)

    from newsarchive.devserver import LiveSession
    from newsarchive.devserver.sitebuild import SiteBuilder

    port = settings.serve_port if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be a TCP port (0-65535), not {port}")
    host = choose_host(args.bind, settings)
    if not is_loopback_host(host):
        log.warning("listening on %s: anyone who can reach this machine sees the site", host)

    site_lock = threading.RLock()
    builder = SiteBuilder(settings, site_lock)
    builder.import_all()
    try:
        session = LiveSession(settings, builder, host=host, port=port, site_lock=site_lock)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():  # a second Ctrl-C: do not wait for the build in progress
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        ok = session.start(initial_build=True)
        if not ok:
            log.error("the first build failed; serving what output/ holds, with the error shown")
        log.info("serving %s (Ctrl-C to stop)", session.url)
        print(f"Serving on {session.url}", flush=True)
        if not args.no_open:
            threading.Thread(target=webbrowser.open, args=(session.url,), daemon=True).start()
        while not stop.wait(0.5):
            pass
        log.info("stopping")
    finally:
        session.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
