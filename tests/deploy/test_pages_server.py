"""The Pages-like server: directory index, .html fallback, redirects, 404 page, no escape."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from newsarchive.pages_server import PagesServer, content_type, resolve_url_path

NOT_FOUND_PAGE = "<!doctype html><title>없는 페이지</title><h1>페이지를 찾을 수 없습니다</h1>"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "output"
    (root / "2024" / "01" / "기사").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    (root / "about.html").write_text("<h1>about</h1>", encoding="utf-8")
    (root / "2024" / "01" / "기사" / "index.html").write_text("<h1>기사</h1>", encoding="utf-8")
    (root / "style.css").write_text("body{}", encoding="utf-8")
    (root / "404.html").write_text(NOT_FOUND_PAGE, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (root / "leak.txt").symlink_to(secret)
    (root / "leakdir").symlink_to(tmp_path)
    return root


@pytest.fixture
def server(site: Path):
    with PagesServer(site, "/REPO/") as running:
        yield running


def get(server: PagesServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_url_names_host_port_and_base_path(server: PagesServer) -> None:
    assert server.url == f"http://127.0.0.1:{server.port}/REPO/"


def test_directory_index_and_html_fallback(server: PagesServer) -> None:
    status, headers, body = get(server, "/REPO/")
    assert (status, body) == (200, b"<h1>home</h1>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, _, body = get(server, "/REPO/about")
    assert (status, body) == (200, b"<h1>about</h1>")
    status, _, body = get(server, "/REPO/about.html")
    assert (status, body) == (200, b"<h1>about</h1>")
    status, headers, _ = get(server, "/REPO/style.css")
    assert headers["Content-Type"] == "text/css; charset=utf-8"


def test_percent_encoded_hangul_path(server: PagesServer) -> None:
    status, _, body = get(server, "/REPO/2024/01/%EA%B8%B0%EC%82%AC/")
    assert status == 200
    assert body.decode() == "<h1>기사</h1>"


def test_folder_without_slash_redirects_like_pages(server: PagesServer) -> None:
    status, headers, _ = get(server, "/REPO/2024/01/%EA%B8%B0%EC%82%AC")
    assert status == 301
    assert headers["Location"] == "/REPO/2024/01/%EA%B8%B0%EC%82%AC/"
    status, headers, _ = get(server, "/REPO")
    assert (status, headers["Location"]) == (301, "/REPO/")


def test_missing_path_serves_404_page_with_status_404(server: PagesServer) -> None:
    for path in (
        "/REPO/nope",
        "/REPO/2024/01/nope/",
        "/REPO/empty/",
        "/REPO/empty",
        "/REPO/about/",
    ):
        status, _, body = get(server, path)
        assert status == 404, path
        assert body.decode() == NOT_FOUND_PAGE, path


def test_head_sends_no_body(server: PagesServer) -> None:
    status, headers, body = get(server, "/REPO/", method="HEAD")
    assert (status, body) == (200, b"")
    assert headers["Content-Length"] == str(len(b"<h1>home</h1>"))


def test_paths_outside_the_base_path_are_not_the_site(server: PagesServer) -> None:
    status, _, body = get(server, "/index.html")
    assert status == 404
    assert b"do not" not in body and b"home" not in body
    assert get(server, "/feeds/all.atom.xml")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/REPO/../secret.txt",
        "/REPO/%2e%2e/secret.txt",
        "/REPO/%2E%2E/secret.txt",
        "/REPO/2024/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/REPO/..%2fsecret.txt",
        "/REPO/..%5csecret.txt",
        "/REPO/%00/secret.txt",
        "/REPO//etc/passwd",
        "/REPO/%2fetc%2fpasswd",
        "/REPO/leak.txt",
        "/REPO/leakdir/secret.txt",
        "/REPO/leakdir/",
        "/REPO/%ff",
    ],
)
def test_traversal_attempts_never_escape_the_root(server: PagesServer, path: str) -> None:
    status, _, body = get(server, path)
    assert status in (403, 404), (path, status)
    assert b"do not serve" not in body
    assert b"root:" not in body


def test_resolver_refuses_dotdot_with_403_and_symlink_out_with_404(site: Path) -> None:
    assert resolve_url_path(site, "/REPO/%2e%2e/secret.txt", "/REPO/").status == 403
    assert resolve_url_path(site, "/REPO/leak.txt", "/REPO/").status == 404
    assert resolve_url_path(site, "/REPO/about", "REPO").path == site / "about.html"


def test_root_base_path(site: Path) -> None:
    with PagesServer(site) as running:
        assert running.url.endswith("/")
        assert get(running, "/")[0] == 200
        assert get(running, "/about")[0] == 200
        assert get(running, "/nope")[2].decode() == NOT_FOUND_PAGE


def test_gzipped_files_are_served_as_they_are() -> None:
    """A gzip'd sitemap is a gzip file (as Pages serves one), never text to be decoded."""
    assert content_type(Path("sitemaps/articles-2024.xml.gz")) == "application/gzip"
    assert content_type(Path("sitemap.xml")).startswith("application/xml")
