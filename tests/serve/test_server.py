"""The HTTP side on a fake builder: path safety, 404 page, in-memory script injection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from serve_helpers import get, raw_request

from newsarchive.devserver.reload import SCRIPT_PATH, inject


def test_serves_html_with_script_injected_in_memory_only(fake_session):
    status, headers, body = get(fake_session.url + "first/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-store"
    soup = BeautifulSoup(body, "html.parser")
    assert soup.main.get_text() == "첫 기사 본문\n"
    scripts = soup.body.find_all("script")
    assert scripts[-1]["src"] == SCRIPT_PATH
    # the script sits at the end of <body>, after the page's own content
    assert soup.body.contents[-1] is scripts[-1]
    on_disk = (fake_session.settings.output_path / "first" / "index.html").read_bytes()
    assert b"__newsarchive" not in on_disk
    assert int(headers["content-length"]) == len(body)


def test_non_html_is_served_verbatim(fake_session):
    status, headers, body = get(fake_session.url + "theme/style.css")
    assert status == 200
    assert headers["content-type"].startswith("text/css")
    assert body == b"main { color: rgb(0, 0, 0); }\n"


def test_reload_script_is_served(fake_session):
    status, headers, body = get(fake_session.url + SCRIPT_PATH.lstrip("/"))
    assert status == 200
    assert "javascript" in headers["content-type"]
    assert b"__newsarchiveReload" in body


def test_folder_without_slash_redirects(fake_session):
    status, headers, _ = get(fake_session.url + "first")
    assert status == 301
    assert headers["location"] == "/first/"


def test_missing_page_answers_site_404_with_status_404(fake_session):
    status, _, body = get(fake_session.url + "no/such/page/")
    assert status == 404
    soup = BeautifulSoup(body, "html.parser")
    assert soup.h1.get_text() == "없는 페이지"
    assert soup.find("script", src=SCRIPT_PATH) is not None


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/../../secret.txt",
        "/first/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/first/%2e%2e/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%2e%2e%5csecret.txt",
        "/first/%00/../../secret.txt",
        "http://127.0.0.1/../secret.txt",
    ],
)
def test_traversal_is_refused(fake_session, target):
    # the secret sits right next to the served output/ folder
    secret = fake_session.settings.root / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    status, body = raw_request(fake_session.url, target)
    assert status in (403, 404)
    assert b"TOP-SECRET" not in body


@pytest.mark.parametrize("target", ["//etc/passwd", "/etc/passwd", "/%2fetc%2fpasswd"])
def test_absolute_paths_stay_inside_the_root(fake_session, target):
    status, body = raw_request(fake_session.url, target)
    assert status in (403, 404)
    assert b"root:" not in body


def test_symlink_pointing_out_is_not_followed(fake_session, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.html").write_text("<body>LEAKED</body>", encoding="utf-8")
    output = fake_session.settings.output_path
    os.symlink(outside, output / "link-out")
    os.symlink(outside / "leak.html", output / "leak.html")
    for target in ("/link-out/leak.html", "/leak.html", "/link-out/"):
        status, body = raw_request(fake_session.url, target)
        assert status == 404, target  # as Pages answers: the site's 404 page
        assert b"LEAKED" not in body


def test_symlink_inside_the_root_is_served(fake_session):
    output = fake_session.settings.output_path
    os.symlink(output / "first", output / "alias")
    status, _, body = get(fake_session.url + "alias/")
    assert status == 200
    assert "첫 기사 본문".encode() in body


def test_injection_goes_before_the_last_body_end_tag():
    page = b"<html><body><pre>&lt;/body&gt;</pre></body></html>"
    out = inject(page, {"epoch": 1, "error": None})
    assert out.endswith(b"</script></body></html>")
    assert out.startswith(b"<html><body><pre>&lt;/body&gt;</pre><script>")
    # a page without </body> gets the script appended
    assert inject(b"<p>x", {"epoch": 1}).startswith(b"<p>x<script>")


def test_injected_state_cannot_close_the_script_element():
    hostile = {"epoch": 1, "error": {"message": "</script><script>alert(1)</script><!--"}}
    out = inject(b"<body></body>", hostile)
    soup = BeautifulSoup(out, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 2  # the state script and the loader, nothing smuggled in
    assert "alert(1)" in scripts[0].string  # still there, as inert JSON text
    assert b"</script><script>alert" not in out


def _port(session) -> int:
    return session.server.server_address[1]


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: an attacker's name pointed at 127.0.0.1
        "evil.example",
        "127.0.0.1.nip.io:{port}",
        "localhost.evil.example:{port}",
        "localhost.:{port}",
        "127.0.0.1:{other}",  # another port: another origin
        "localhost",  # no port: port 80, not ours
        "127.0.0.1:{port}x",
        "[::1",
        "",
        None,  # no Host header at all
    ],
)
def test_foreign_host_header_is_refused(fake_session, host):
    port = _port(fake_session)
    header = None if host is None else host.format(port=port, other=port + 1)
    status, body = raw_request(fake_session.url, "/first/", header, no_host=header is None)
    assert status == 421
    assert "첫 기사".encode() not in body
    assert b"answers for http://127.0.0.1:" in body
    # the reload endpoints are refused too: a rebinding page must not learn build errors
    poll = "/__newsarchive/poll?epoch=999"
    assert raw_request(fake_session.url, poll, header, no_host=header is None)[0] == 421


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"]
)
def test_own_host_names_are_served(fake_session, host):
    status, body = raw_request(
        fake_session.url, "/first/", host=host.format(port=_port(fake_session))
    )
    assert status == 200
    assert "첫 기사 본문".encode() in body


def test_a_burst_of_200_concurrent_requests_is_all_answered(fake_session):
    """Each request on its own connection, all at once (timings are the script's business:
    it prints p50/p90/p99; here only "answered" counts, within a client's patience)."""
    script = Path(__file__).resolve().parents[2] / "scripts" / "bench_serve_load.py"
    burst = ["--requests", "200", "--rounds", "1", "--timeout", "10"]
    result = subprocess.run(
        [sys.executable, str(script), "--url", fake_session.url + "first/", *burst],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.splitlines()[-1] == "answered 200/200", result.stdout + result.stderr
    assert "statuses 200: 200; failures none" in result.stdout
    assert result.returncode == 0
