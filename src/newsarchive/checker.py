"""Offline link and asset checker for a built site, as it will be served under its base URL.

Every internal reference is resolved with the same rules as GitHub Pages
(:func:`newsarchive.pages_server.resolve_url_path`): HTML ``href``/``src``/``srcset`` and
friends, ``url(...)``/``@import`` in CSS and ``style``, feed links (Atom and RSS, including
links inside entry content), sitemap ``<loc>``\\ s (gzip'd sitemaps too), ``Sitemap:`` lines
in robots.txt and ``#anchors`` (an ``id`` or ``<a name>`` on the target page). Links to
other hosts are only counted: nothing is fetched.

Beyond "does the file exist", it reports the mistakes that break project sites
(``https://USER.github.io/REPO/``): root-relative links that leave ``/REPO/``, relative
links in ``404.html`` (served at every depth) and relative URLs in feeds and sitemaps
(read outside the site, where nothing can resolve them).
"""

from __future__ import annotations

import gzip
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from newsarchive.pages_server import Resolution, normalize_base_path, resolve_url_path

# Stands in for the host when the site has no absolute base URL (a development build).
_PLACEHOLDER_ORIGIN = "http://site.invalid"
_NON_HTTP_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "data:", "blob:", "about:")

# (tag, attribute) pairs holding one URL.
_URL_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("embed", "src"),
    ("input", "src"),
    ("object", "data"),
    ("form", "action"),
}
_SRCSET_TAGS = {"img", "source"}
_META_URL_PROPERTIES = {"og:url", "og:image", "twitter:image"}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_HAS_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, order=True)
class Broken:
    """One broken reference: the file it is in, the reference as written, why."""

    page: str
    reference: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.reference} ({self.reason})"


@dataclass
class CheckReport:
    base_url: str | None
    files: int = 0
    pages: int = 0
    references: int = 0
    internal: int = 0
    external: int = 0
    broken: list[Broken] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    def summary(self) -> str:
        where = self.base_url or "/ (no absolute base URL found: a development build?)"
        return (
            f"checked {self.files} files ({self.pages} pages) as served at {where}: "
            f"{self.references} references, {self.internal} internal, "
            f"{self.external} external (not fetched), {len(self.broken)} broken"
        )


@dataclass
class _Ref:
    url: str
    kind: str  # "html", "css", "feed", "sitemap"


@dataclass
class _Page:
    """What one HTML document holds: its anchors, references, canonical URL."""

    ids: set[str] = field(default_factory=set)
    refs: list[_Ref] = field(default_factory=list)
    base_href: str | None = None
    canonical: str | None = None


class _HTMLScanner(HTMLParser):
    def __init__(self, kind: str = "html") -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._kind = kind
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.page.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.page.ids.add(values["name"])
        if tag == "base" and "href" in values and self.page.base_href is None:
            self.page.base_href = values["href"].strip()
            return
        if tag == "style":
            self._in_style = True
        for name, value in values.items():
            if (tag, name) in _URL_ATTRIBUTES:
                self._add(value)
            elif name == "srcset" and tag in _SRCSET_TAGS:
                for url in _srcset_urls(value):
                    self._add(url)
            elif name == "style":
                for url in css_urls(value):
                    self._add(url)
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.page.canonical = values.get("href", "").strip() or None
        if tag == "meta":
            prop = (values.get("property") or values.get("name") or "").lower()
            if prop in _META_URL_PROPERTIES:
                self._add(values.get("content", ""))
            if values.get("http-equiv", "").lower() == "refresh":
                match = _REFRESH_URL.search(values.get("content", ""))
                if match:
                    self._add(match.group(1))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for url in css_urls(data):
                self._add(url)

    def _add(self, url: str) -> None:
        self.page.refs.append(_Ref(url.strip(), self._kind))


def _srcset_urls(value: str) -> Iterator[str]:
    # A candidate is a URL (no whitespace) and an optional descriptor, comma-separated.
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            yield parts[0]


def css_urls(text: str) -> list[str]:
    """Every ``url(...)`` and ``@import "..."`` target in a stylesheet, comments skipped."""
    text = _CSS_COMMENT.sub("", text)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]
    found += [
        m.group(1) if m.group(1) is not None else m.group(2) for m in _CSS_IMPORT.finditer(text)
    ]
    return found


def scan_html(text: str, kind: str = "html") -> _Page:
    scanner = _HTMLScanner(kind)
    scanner.feed(text)
    scanner.close()
    return scanner.page


def _xml_refs(root: ET.Element) -> tuple[str, list[_Ref]] | None:
    """(kind, references) of a feed or sitemap document; None for other XML."""
    tag = root.tag
    if tag in (f"{ATOM}feed", "feed"):
        refs = []
        for element in root.iter():
            if element.tag in (f"{ATOM}link", "link") and element.get("href") is not None:
                refs.append(_Ref(element.get("href", "").strip(), "feed"))
            elif element.tag in (f"{ATOM}icon", f"{ATOM}logo") and element.text:
                refs.append(_Ref(element.text.strip(), "feed"))
            elif (
                element.tag in (f"{ATOM}content", f"{ATOM}summary")
                and element.get("type") == "html"
                and element.text
            ):
                refs += scan_html(element.text, "feed").refs
        return "feed", refs
    if tag == "rss":
        refs = []
        for element in root.iter():
            if element.tag == "link" and element.text:
                refs.append(_Ref(element.text.strip(), "feed"))
            elif element.tag == f"{ATOM}link" and element.get("href") is not None:
                refs.append(_Ref(element.get("href", "").strip(), "feed"))
            elif element.tag == "enclosure" and element.get("url"):
                refs.append(_Ref(element.get("url", "").strip(), "feed"))
            elif element.tag == "description" and element.text:
                refs += scan_html(element.text, "feed").refs
        return "feed", refs
    if tag.endswith(("}urlset", "}sitemapindex")) or tag in ("urlset", "sitemapindex"):
        locs = [e.text or "" for e in root.iter() if e.tag.endswith("}loc") or e.tag == "loc"]
        return "sitemap", [_Ref(loc.strip(), "sitemap") for loc in locs]
    return None


def _file_url_path(base_path: str, rel: str) -> str:
    return base_path + quote(rel, safe="/")


def _base_from_absolute(url: str, output: Path) -> str | None:
    """The base URL that makes *url* point at a file of *output*, trying shortest first."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    segments = parts.path.split("/")[1:] if parts.path else [""]
    for cut in range(len(segments)):
        prefix, rest = segments[:cut], segments[cut:]
        res = resolve_url_path(output, "/" + "/".join(rest), "/")
        if res.status == HTTPStatus.OK:
            base_path = normalize_base_path("/".join(prefix))
            return f"{parts.scheme}://{parts.netloc}{base_path}"
    return None


def derive_base_url(output: Path) -> str | None:
    """The absolute URL the site was built for, read from what the build wrote.

    The home page's canonical link comes first, then sitemap ``<loc>``\\ s; a site without
    either (a development build with relative URLs) has none.
    """
    index = output / "index.html"
    if index.is_file():
        canonical = scan_html(index.read_text(encoding="utf-8", errors="replace")).canonical
        if canonical:
            base = _base_from_absolute(canonical, output)
            if base:
                return base
    sitemap = output / "sitemap.xml"
    if sitemap.is_file():
        try:
            found = _xml_refs(ET.parse(sitemap).getroot())  # noqa: S314 (our own build output)
        except ET.ParseError:
            found = None
        for ref in found[1] if found else []:
            base = _base_from_absolute(ref.url, output)
            if base:
                return base
    return None


class _Checker:
    def __init__(self, output: Path, base_url: str | None) -> None:
        self.output = output
        self.report = CheckReport(base_url=base_url)
        parts = urlsplit(base_url or "/")
        # A base given as a bare path ("/REPO/") checks the subpath without knowing the host.
        self.absolute = bool(parts.scheme and parts.netloc)
        self.origin = f"{parts.scheme}://{parts.netloc}" if self.absolute else _PLACEHOLDER_ORIGIN
        self.netloc = urlsplit(self.origin).netloc
        self.base_path = normalize_base_path(parts.path)
        self._ids: dict[Path, set[str]] = {}
        self._resolved: dict[str, Resolution] = {}
        self._outcomes: dict[tuple[str, str, str, bool], tuple[bool, str | None]] = {}
        self._broken: set[Broken] = set()

    # --- reading -------------------------------------------------------------------
    def collect(self) -> Iterator[tuple[str, str, list[_Ref], str | None]]:
        """(file, its URL, its references, its <base href>) for every checkable file.

        Files are read one at a time and only their anchors are kept, so memory stays
        flat on archives of tens of thousands of pages.
        """
        for dirpath, dirnames, filenames in os.walk(self.output):
            dirnames.sort()
            for name in dirnames:
                if (Path(dirpath) / name).is_symlink():
                    rel = (Path(dirpath) / name).relative_to(self.output).as_posix()
                    self._broken.add(Broken(rel, "<document>", "symbolic link"))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                rel = path.relative_to(self.output).as_posix()
                url = self.origin + _file_url_path(self.base_path, rel)
                self.report.files += 1
                if path.is_symlink():
                    # upload-pages-artifact and Pages refuse archives holding links.
                    self._broken.add(Broken(rel, "<document>", "symbolic link"))
                    continue
                suffix = path.suffix.lower()
                if suffix in (".html", ".htm"):
                    page = scan_html(path.read_text(encoding="utf-8", errors="replace"))
                    self._ids[path] = page.ids
                    self.report.pages += 1
                    yield rel, url, page.refs, page.base_href
                elif suffix == ".css":
                    text = path.read_text(encoding="utf-8", errors="replace")
                    yield rel, url, [_Ref(u, "css") for u in css_urls(text)], None
                elif suffix == ".xml" or name.endswith(".xml.gz"):
                    refs = self._xml(path, rel)
                    if refs is not None:
                        yield rel, url, refs, None
                elif rel == "robots.txt":
                    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                    refs = [
                        _Ref(line.split(":", 1)[1].strip(), "sitemap")
                        for line in lines
                        if line.lower().startswith("sitemap:")
                    ]
                    yield rel, url, refs, None

    def _anchors(self, path: Path) -> set[str]:
        if path not in self._ids:
            self._ids[path] = scan_html(path.read_text(encoding="utf-8", errors="replace")).ids
        return self._ids[path]

    def _xml(self, path: Path, rel: str) -> list[_Ref] | None:
        try:
            if path.suffix == ".gz":  # a compressed sitemap
                with gzip.open(path) as stream:
                    root = ET.parse(stream).getroot()  # noqa: S314 (our own build output)
            else:
                root = ET.parse(path).getroot()  # noqa: S314 (our own build output, no DTDs)
        except (ET.ParseError, OSError, EOFError) as exc:
            self._broken.add(Broken(rel, "<document>", f"malformed XML: {exc}"))
            return None
        found = _xml_refs(root)
        return found[1] if found else None

    # --- checking ------------------------------------------------------------------
    def check(self) -> CheckReport:
        for rel, url, refs, base_href in self.collect():
            page_url = urljoin(url, base_href) if base_href else url
            for ref in refs:
                self._check(
                    rel, page_url, ref, relative_ok=not (rel == "404.html" and not base_href)
                )
        self.report.broken = sorted(self._broken)
        return self.report

    def _check(self, rel: str, page_url: str, ref: _Ref, *, relative_ok: bool) -> None:
        raw = ref.url
        if not raw or raw.lower().startswith(_NON_HTTP_SCHEMES):
            return
        self.report.references += 1
        # Most references (navigation, stylesheets, feeds) are the same on every page: the
        # outcome depends only on what the reference is resolved against, so key it by that.
        if raw.startswith(("#", "?")):
            join_base = page_url
        elif ref.kind in ("feed", "sitemap") and not self.absolute and not raw.startswith("/"):
            # A development build's feeds hold links relative to the site root (Pelican
            # without FEED_DOMAIN); publish builds must make them absolute (checked below).
            join_base = "" if _HAS_SCHEME.match(raw) else self.origin + self.base_path
        elif _HAS_SCHEME.match(raw):
            join_base = ""
        elif raw.startswith("/") and not raw.startswith("//"):
            join_base = self.origin + "/"
        else:
            join_base = page_url.rsplit("/", 1)[0] + "/"
        key = (join_base, raw, ref.kind, relative_ok)
        outcome = self._outcomes.get(key)
        if outcome is None:
            outcome = self._outcomes[key] = self._outcome(join_base or page_url, ref, relative_ok)
        internal, reason = outcome
        if internal:
            self.report.internal += 1
        elif reason is None:
            self.report.external += 1
        if reason is not None:
            self._broken.add(Broken(rel, raw, reason))

    def _outcome(self, page_url: str, ref: _Ref, relative_ok: bool) -> tuple[bool, str | None]:
        """(is it internal, why it is broken or None) for one reference."""
        raw = ref.url
        parts = urlsplit(raw)
        absolute = bool(parts.scheme and parts.netloc)
        if ref.kind in ("feed", "sitemap") and not absolute and self.absolute:
            # Feed readers and search engines read these outside the site.
            return False, f"relative URL in a {ref.kind}"
        target = urlsplit(urljoin(page_url, raw))
        if target.scheme not in ("http", "https") or target.netloc != self.netloc:
            return False, None
        if not relative_ok and not raw.startswith(("/", "#")) and not absolute:
            return True, "relative URL in 404.html, which is served at any depth"
        path = target.path or "/"
        if not (path.startswith(self.base_path) or path + "/" == self.base_path):
            return True, f"outside the site's base path {self.base_path}"
        resolution = self._resolve(path)
        if resolution.status != HTTPStatus.OK or resolution.path is None:
            return True, (
                "forbidden path" if resolution.status == HTTPStatus.FORBIDDEN else "not found"
            )
        fragment = unquote(target.fragment)
        is_html = resolution.path.suffix.lower() in (".html", ".htm")
        # "#top" scrolls to the top by the HTML standard even without such an id.
        if (
            fragment
            and fragment != "top"
            and is_html
            and fragment not in self._anchors(resolution.path)
        ):
            return True, f"no element with id {fragment!r} on the page"
        return True, None

    def _resolve(self, path: str) -> Resolution:
        if path not in self._resolved:
            resolution = resolve_url_path(self.output, path, self.base_path)
            if resolution.status == HTTPStatus.MOVED_PERMANENTLY and resolution.location:
                # Pages redirects a folder to its slash form; the link still works.
                resolution = resolve_url_path(self.output, resolution.location, self.base_path)
            self._resolved[path] = resolution
        return self._resolved[path]


def check_site(output: Path, base_url: str | None = None) -> CheckReport:
    """Check every reference of the site in *output* as served at *base_url*.

    Without *base_url* it is derived from the site itself (:func:`derive_base_url`).
    """
    output = Path(output)
    if base_url is None:
        base_url = derive_base_url(output)
    elif not base_url.endswith("/"):
        base_url += "/"
    return _Checker(output, base_url).check()
