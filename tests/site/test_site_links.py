"""Every internal reference of the built fixture site resolves, in dev and under /REPO/."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from sitehelpers import BASE_URL, Built

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _refs(soup: BeautifulSoup) -> list[str]:
    refs = []
    for tag in soup.find_all(["a", "link", "script", "img", "source", "iframe"]):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if value:
                refs.append(value)
    return refs


def _target(output: Path, path: str) -> Path | None:
    """The file a static host serves for *path* (relative to the site root), or None."""
    candidate = output / unquote(path)
    if path in ("", ".") or path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _page_url(output: Path, page: Path) -> str:
    rel = page.relative_to(output).as_posix()
    return f"{BASE_URL}/{rel}"


def _check_publish_ref(output: Path, base_page_url: str, ref: str, broken: list[str], where: str):
    if ref.startswith(("mailto:", "#")):
        return
    absolute = urljoin(base_page_url, ref)
    parts = urlsplit(absolute)
    if parts.netloc != urlsplit(BASE_URL).netloc:
        return  # external
    prefix = urlsplit(BASE_URL).path + "/"
    if not (parts.path + "/").startswith(prefix):
        broken.append(f"{where}: {ref} escapes {prefix}")
        return
    if _target(output, parts.path[len(prefix) :]) is None:
        broken.append(f"{where}: {ref}")


def test_publish_site_resolves_under_subpath(pub_site: Built):
    output = pub_site.output
    broken: list[str] = []
    checked = 0
    for page in pub_site.pages():
        url = _page_url(output, page)
        for ref in _refs(pub_site.html(page.relative_to(output).as_posix())):
            _check_publish_ref(output, url, ref, broken, page.name)
            checked += 1
    for css in output.rglob("*.css"):
        for ref in CSS_URL.findall(css.read_text(encoding="utf-8")):
            if not ref.startswith("data:"):
                _check_publish_ref(output, _page_url(output, css), ref, broken, css.name)
    for feed in output.rglob("*.atom.xml"):
        root = ET.parse(feed).getroot()
        for link in root.iter(f"{ATOM}link"):
            _check_publish_ref(output, BASE_URL + "/", link.get("href"), broken, feed.name)
            checked += 1
    for loc in ET.parse(output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc"):
        assert loc.text.startswith(BASE_URL + "/")
        _check_publish_ref(output, BASE_URL + "/", loc.text, broken, "sitemap.xml")
        checked += 1
    assert checked > 500
    assert not broken, "\n".join(broken)


def test_publish_site_links_take_the_shorter_form_and_speak_absolute_urls_outside(
    pub_site: Built,
):
    # Issue 14: a link inside a page is the shorter of the path relative to the page and
    # the path from the site's (/REPO/…); both work from any page without repeating the
    # scheme and host on every link.
    site_path = urlsplit(BASE_URL).path
    output = pub_site.output
    checked = 0
    for page in pub_site.pages():
        rel = page.relative_to(output).as_posix()
        if rel == "404.html":
            continue
        folder = posixpath.dirname(rel) or "."
        for ref in _refs(pub_site.html(rel)):
            if ref.startswith("#") or urlsplit(ref).scheme:
                continue
            if ref.startswith("/"):
                target = ref.removeprefix(site_path + "/")
            else:
                target = posixpath.normpath(posixpath.join(folder, ref))
                target = "" if target == "." else target + ("/" if ref.endswith("/") else "")
            relative = posixpath.relpath(target.rstrip("/") or ".", folder)
            relative += "/" if target == "" or target.endswith("/") else ""
            shortest = min(len(relative.encode()), len(f"{site_path}/{target}".encode()))
            assert len(ref.encode()) == shortest, (rel, ref)
            checked += 1
    assert checked > 1000
    soup = pub_site.html("index.html")
    assert soup.find("link", rel="stylesheet")["href"] == "theme/css/style.css"
    deep = pub_site.html("people/cho-joo-wan/index.html")
    assert deep.find("link", rel="icon")["href"] == f"{site_path}/theme/img/favicon.svg"
    # What is read outside the site (canonical, Open Graph, feeds, sitemap) is absolute.
    canonical = pub_site.html("2023/index.html").find("link", rel="canonical")["href"]
    assert canonical == f"{BASE_URL}/2023/"
    # The 404 page is served at any depth: no internal URL is relative to where it is.
    refs = [r for r in _refs(pub_site.html("404.html")) if not r.startswith("#")]
    assert len(refs) > 10
    for ref in refs:
        assert ref.startswith((site_path + "/", BASE_URL + "/")), ref
    assert (
        (pub_site.output / "robots.txt")
        .read_text()
        .strip()
        .endswith(f"Sitemap: {BASE_URL}/sitemap.xml")
    )


def test_dev_site_relative_urls_resolve_from_each_page(dev_site: Built):
    output = dev_site.output
    broken: list[str] = []
    for page in dev_site.pages():
        rel = page.relative_to(output).as_posix()
        for ref in _refs(dev_site.html(rel)):
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith("#"):
                continue
            if rel == "404.html":
                # served for missing paths at any depth: root-absolute in development
                assert ref.startswith("/"), ref
                path = parts.path.lstrip("/")
            else:
                assert not ref.startswith("/"), f"{rel}: {ref} is not relative"
                path = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parts.path))
                path = "" if path == "." else path + ("/" if parts.path.endswith("/") else "")
            if path.startswith(".."):
                broken.append(f"{rel}: {ref} leaves the site")
            elif _target(output, path) is None:
                broken.append(f"{rel}: {ref}")
    assert not broken, "\n".join(broken)


def test_anchors_exist(dev_site: Built):
    for page in dev_site.pages():
        soup = dev_site.html(page.relative_to(dev_site.output).as_posix())
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        for a in soup.find_all("a", href=True):
            if a["href"].startswith("#"):
                assert a["href"][1:] in ids, f"{page}: {a['href']}"
