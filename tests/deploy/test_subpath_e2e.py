"""End to end: build the fixture site for a project subpath, serve it like GitHub Pages, crawl it.

The site is built with ``site_url=http://127.0.0.1:PORT/REPO`` and served by
:class:`PagesServer` under ``/REPO/``. The crawl starts at the home page and follows every
internal link, stylesheet (and its ``url()``\\ s), image, script, feed (and its entry links)
and the sitemap (and its ``<loc>``\\ s) over HTTP; nothing may answer anything but 200, no
link may leave ``/REPO/``, and every ``#anchor`` must exist. The offline checker must agree.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import pytest
from bs4 import BeautifulSoup

from newsarchive import cli
from newsarchive.checker import check_site
from newsarchive.config import load_settings
from newsarchive.deploy import verify_publish_build
from newsarchive.errors import DeployError
from newsarchive.pages_server import PagesServer

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "site"
THEME = REPO / "themes" / "newsroom"

pytestmark = pytest.mark.slow

URL_SAFE = "/%:@!$&'()*+,;=-._~"
URL_ATTRS = {"href", "src", "poster", "data", "action"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _build_site():
    from newsarchive.build import build_site

    return build_site


@dataclass
class Crawl:
    base: str
    statuses: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    pending_fragments: list[tuple[str, str, str]] = field(default_factory=list)
    html_pages: set[str] = field(default_factory=set)


def _fetch(url: str) -> tuple[int, str, bytes, str]:
    """(status, content type, body, final URL); urllib follows Pages' folder redirects."""
    parts = urlsplit(url)
    # As a browser does: raw Hangul in a URL goes out percent-encoded (UTF-8).
    url = urlunsplit(parts._replace(path=quote(parts.path, safe=URL_SAFE)))
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read(), response.url
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read(), url


def _references(url: str, ctype: str, body: bytes) -> tuple[list[str], set[str] | None]:
    """References found in a response, and the anchors it defines (HTML only)."""
    if ctype == "application/gzip":  # a compressed sitemap, read as search engines do
        body, ctype = gzip.decompress(body), "application/xml"
    text = body.decode("utf-8")
    if ctype.startswith("text/html"):
        soup = BeautifulSoup(text, "html.parser")
        refs = []
        for tag in soup.find_all(True):
            for attr in URL_ATTRS & set(tag.attrs):
                refs.append(tag[attr])
            if tag.has_attr("srcset"):
                refs += [c.split()[0] for c in tag["srcset"].split(",") if c.strip()]
            if tag.has_attr("style"):
                refs += [a or b for a, b in CSS_URL.findall(tag["style"])]
        for style in soup.find_all("style"):
            refs += [a or b for a, b in CSS_URL.findall(style.get_text())]
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        ids |= {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
        return refs, ids
    if ctype.startswith("text/css"):
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
        return [a or b for a, b in CSS_URL.findall(text)], None
    if "xml" in ctype:
        root = ET.fromstring(body)
        refs = [el.get("href") for el in root.iter() if el.tag.endswith("link") and el.get("href")]
        refs += [el.text.strip() for el in root.iter() if el.tag.endswith("}loc") and el.text]
        return refs, None
    return [], None


def crawl(base: str, *seeds: str) -> Crawl:
    result = Crawl(base)
    host = urlsplit(base).netloc
    queue = deque([base, *seeds])
    while queue:
        url = queue.popleft()
        if url in result.statuses:
            continue
        status, ctype, body, final = _fetch(url)
        result.statuses[url] = status
        if status != 200:
            continue
        refs, ids = _references(final, ctype, body)
        if ids is not None:
            result.anchors[final] = ids
            result.html_pages.add(final)
        for ref in refs:
            ref = ref.strip()
            if not ref or ref.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue
            target = urlsplit(urljoin(final, ref))
            if target.netloc != host:
                continue  # another host: not part of the site, never fetched
            if not target.path.startswith(urlsplit(base).path):
                result.problems.append(f"{final}: {ref} leaves the base path")
                continue
            # As a browser does: raw Hangul in an href goes out percent-encoded (UTF-8).
            path = quote(target.path, safe=URL_SAFE)
            page = urlunsplit((target.scheme, target.netloc, path, "", ""))
            if target.fragment:
                result.pending_fragments.append((final, ref, page))
            queue.append(page)
    for status_url, status in result.statuses.items():
        if status != 200:
            result.problems.append(f"{status_url}: HTTP {status}")
    for source, ref, page in result.pending_fragments:
        fragment = unquote(urlsplit(urljoin(source, ref)).fragment)
        ids = result.anchors.get(page) or result.anchors.get(page + "/")
        if ids is not None and fragment != "top" and fragment not in ids:
            result.problems.append(f"{source}: {ref} has no target #{fragment}")
    return result


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory):
    build_site = _build_site()
    root = tmp_path_factory.mktemp("subpath")
    shutil.copytree(FIXTURE, root, dirs_exist_ok=True)
    output = root / "output"
    output.mkdir()
    server = PagesServer(output, "/REPO/")  # bound now: the build needs its port
    site_url = f"http://127.0.0.1:{server.port}/REPO"
    settings = load_settings(root, overrides={"theme_dir": str(THEME)})
    try:
        build_site(settings, publish=True, site_url=site_url)
        server.start()
        yield output, server
    finally:
        server.stop()


def test_crawl_from_the_home_page_finds_nothing_broken(served_site) -> None:
    output, server = served_site
    result = crawl(server.url, server.url + "sitemap.xml")
    assert result.problems == []
    # Every page the build wrote is reachable from the home page (404.html is the error page).
    built = {p.relative_to(output).as_posix() for p in output.rglob("*.html")} - {"404.html"}
    crawled = set()
    for url in result.html_pages:
        rel = unquote(urlsplit(url).path)[len("/REPO/") :]
        crawled.add(rel + "index.html" if rel.endswith("/") or rel == "" else rel)
    assert built - crawled == set()
    # the crawl really went through feeds, the sitemap and stylesheets
    fetched = {unquote(urlsplit(u).path) for u in result.statuses}
    assert "/REPO/feeds/all.atom.xml" in fetched
    assert any(path.endswith(".css") for path in fetched)
    assert len(result.html_pages) >= 11  # at least the fixture's articles


def test_sitemap_urls_all_answer_200(served_site) -> None:
    output, server = served_site
    root = ET.parse(output / "sitemap.xml").getroot()
    locs = [el.text.strip() for el in root.iter() if el.tag.endswith("}loc")]
    assert locs
    for loc in locs:
        assert loc.startswith(server.url), loc
        assert _fetch(loc)[0] == 200, loc


def test_missing_pages_get_the_404_page_with_status_404_at_any_depth(served_site) -> None:
    output, server = served_site
    expected = (output / "404.html").read_bytes()
    for missing in ("no-such-page", "2024/01/no-such-article/", "a/b/c/d/e.html"):
        status, ctype, body, _ = _fetch(server.url + missing)
        assert status == 404
        assert body == expected
        # its stylesheet and links work from wherever it is served
        refs, ids = _references(server.url + missing, ctype, body)
        # same-document anchors (a skip link) point into the 404 page itself
        assert ids is not None
        assert {r[1:] for r in refs if r.startswith("#") and r != "#"} <= ids
        refs = [r for r in refs if not r.startswith("#")]
        internal = [
            r for r in refs if not r.startswith(("http://", "https://")) or r.startswith(server.url)
        ]
        assert internal
        for ref in internal:
            target = urljoin(server.url + missing, ref)
            assert target.startswith(server.url), ref
            assert _fetch(target.split("#")[0])[0] == 200, ref


def test_the_offline_checker_passes_the_built_fixture_site(served_site, capsys) -> None:
    output, server = served_site
    report = check_site(output)
    assert report.base_url == server.url
    assert report.broken == []
    assert report.pages >= 12
    assert cli.main(["check", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.split("\nsize: ")[0].endswith(", 0 broken")
    assert "of the 1.0 GB a GitHub Pages site may hold" in out


def test_development_build_checks_clean_and_is_refused_by_deploy(tmp_path: Path) -> None:
    build_site = _build_site()
    shutil.copytree(FIXTURE, tmp_path, dirs_exist_ok=True)
    settings = load_settings(tmp_path, overrides={"theme_dir": str(THEME)})
    build_site(settings, publish=False)
    output = settings.output_path
    report = check_site(output)
    assert report.base_url is None
    assert report.broken == []
    assert report.pages >= 12
    with pytest.raises(DeployError, match="not a publish build"):
        verify_publish_build(output)


def test_publish_build_for_a_project_site_deploys_to_gh_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site = _build_site()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Deploy Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "deploy@example.com")
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    settings = load_settings(root, overrides={"theme_dir": str(THEME), "cname": ""})
    build_site(settings, publish=True, site_url="https://example.github.io/REPO")
    assert cli.main(["deploy", "--root", str(root), "--no-push"]) == 0
    listing = subprocess.run(
        ["git", "-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", "gh-pages"],
        cwd=root,
        check=True,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
    ).stdout.splitlines()
    built = {
        p.relative_to(settings.output_path).as_posix()
        for p in settings.output_path.rglob("*")
        if p.is_file()
    }
    assert set(listing) == built | {".nojekyll"}
    assert "404.html" in listing
